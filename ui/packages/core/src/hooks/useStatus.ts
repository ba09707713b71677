/**
 * Status hooks: build status, audio status and engine identity, each
 * fetched on connect and kept current by the matching notifications.
 */
import type { IpcBridge } from "../bridge";
import { useBridge } from "../context";
import { METHODS, NOTIFICATIONS, type AudioStatus, type BuildStatus, type EngineInfo } from "../wire";
import { useRemoteState, type RemoteStateSource } from "./useRemoteState";

const buildStatusSource: RemoteStateSource<BuildStatus> = {
  load: (bridge: IpcBridge) => bridge.request(METHODS.getBuildStatus),
  follow: (bridge, apply) => {
    const stops = [
      bridge.on(NOTIFICATIONS.buildStarted, ({ files }) =>
        apply(() => ({ state: "building", files, durationMs: null, diagnostics: [] })),
      ),
      bridge.on(NOTIFICATIONS.buildFinished, ({ ok, durationMs, diagnostics }) =>
        apply((previous) => ({
          state: ok ? "succeeded" : "failed",
          files: previous?.files ?? [],
          durationMs,
          diagnostics,
        })),
      ),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  },
};

const audioStatusSource: RemoteStateSource<AudioStatus> = {
  load: (bridge) => bridge.request(METHODS.getAudioStatus),
  follow: (bridge, apply) => bridge.on(NOTIFICATIONS.audioStatusChanged, (status) => apply(() => status)),
};

const engineInfoSource: RemoteStateSource<EngineInfo | null> = {
  load: (bridge) => bridge.request(METHODS.getEngineInfo),
  // A successful rebuild may have loaded an engine with a new version; ask again.
  follow: (bridge, apply) =>
    bridge.on(NOTIFICATIONS.buildFinished, ({ ok }) => {
      if (!ok) return;
      bridge.request(METHODS.getEngineInfo).then(
        (info) => apply(() => info),
        () => undefined,
      );
    }),
};

/** The dev server's build status: idle, building, succeeded or failed (with diagnostics). */
export function useBuildStatus(): BuildStatus | null {
  return useRemoteState(useBridge(), buildStatusSource);
}

/** Which audio backend runs and whether it is healthy. */
export function useAudioStatus(): AudioStatus | null {
  return useRemoteState(useBridge(), audioStatusSource);
}

/** Name, vendor and version of the loaded engine; null before it answers or when none is loaded. */
export function useEngineInfo(): EngineInfo | null {
  return useRemoteState(useBridge(), engineInfoSource) ?? null;
}
