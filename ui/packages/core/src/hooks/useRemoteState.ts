/**
 * useRemoteState: a piece of server state that is fetched on every
 * (re)connect and then kept current by pushed notifications. A push that
 * arrives while a fetch is in flight wins over that fetch's (older) answer.
 * The building block of the status hooks; it does not know any method.
 */
import { useEffect, useState } from "react";
import type { IpcBridge } from "../bridge";
import type { Unsubscribe } from "../transports/transport";

/** Applies one pushed change to the previous value. */
export type RemoteUpdate<T> = (previous: T | null) => T | null;

/** How to load a value and how pushes change it; keep both stable (module-level). */
export interface RemoteStateSource<T> {
  load: (bridge: IpcBridge) => Promise<T>;
  follow: (bridge: IpcBridge, apply: (update: RemoteUpdate<T>) => void) => Unsubscribe;
}

/** The value from `source`, or null until the first answer or push. */
export function useRemoteState<T>(bridge: IpcBridge, source: RemoteStateSource<T>): T | null {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    let alive = true;
    let version = 0;
    const load = () => {
      const started = version;
      source.load(bridge).then(
        (loaded) => {
          if (alive && started === version) setValue(loaded);
        },
        // A failed load is retried on the next connect; the last value stays.
        () => undefined,
      );
    };
    const stops = [
      source.follow(bridge, (update) => {
        version += 1;
        setValue(update);
      }),
      bridge.onStateChange((state) => {
        if (state === "open") load();
      }),
    ];
    if (bridge.state === "open") load();
    return () => {
      alive = false;
      for (const stop of stops) stop();
    };
  }, [bridge, source]);
  return value;
}
