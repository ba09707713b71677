/**
 * WavecraftProvider: puts one IpcBridge (and the parameter store that rides
 * on it) into React context. It starts the bridge on mount, before the first
 * paint; a bridge it created itself it also stops on unmount. Hooks read it
 * via `useBridge`.
 */
import { createContext, useContext, useLayoutEffect, useState, type ReactNode } from "react";
import { IpcBridge, type IpcBridgeOptions } from "./bridge";
import { defaultTransport } from "./config";
import type { FrameScheduler } from "./frameOutbox";
import { ParameterStore } from "./parameterStore";
import type { Transport } from "./transports/transport";

interface WavecraftContextValue {
  bridge: IpcBridge;
  parameters: ParameterStore;
}

const WavecraftContext = createContext<WavecraftContextValue | null>(null);

/** Props of WavecraftProvider: give a bridge, or a transport, or neither (the plugin window's channel inside a plugin, else WebSocket to the dev server). */
export interface WavecraftProviderProps {
  /** A bridge owned by the caller; the provider starts it but never stops it. */
  bridge?: IpcBridge;
  /** A transport for a bridge the provider creates and owns. Ignored when `bridge` is given. */
  transport?: Transport;
  /** Options for a bridge the provider creates. */
  bridgeOptions?: IpcBridgeOptions;
  /** How value sends wait for the next frame (default: `requestAnimationFrame`); tests pass a fake. */
  scheduleFrame?: FrameScheduler;
  children?: ReactNode;
}

/** Provides the Wavecraft connection to the hooks below it. Read once on mount. */
export function WavecraftProvider({
  bridge,
  transport,
  bridgeOptions,
  scheduleFrame,
  children,
}: WavecraftProviderProps) {
  const [value] = useState<WavecraftContextValue & { owned: boolean }>(() => {
    const active =
      bridge ?? new IpcBridge(transport ?? defaultTransport(), bridgeOptions);
    return { bridge: active, parameters: new ParameterStore(active, { scheduleFrame }), owned: bridge === undefined };
  });

  // A layout effect: the bridge starts (and the parameter list is asked for) right after the
  // first commit, before the browser paints it, not after that paint as a passive effect
  // would. Hooks that subscribe later still load on subscribe (useRemoteState, the store).
  useLayoutEffect(() => {
    value.bridge.start();
    const stopStore = value.parameters.start();
    return () => {
      stopStore();
      if (value.owned) value.bridge.stop();
    };
  }, [value]);

  return <WavecraftContext.Provider value={value}>{children}</WavecraftContext.Provider>;
}

function useWavecraft(): WavecraftContextValue {
  const value = useContext(WavecraftContext);
  if (!value) throw new Error("Wavecraft hooks must be used inside <WavecraftProvider>");
  return value;
}

/** The bridge from the nearest WavecraftProvider. */
export function useBridge(): IpcBridge {
  return useWavecraft().bridge;
}

/** The parameter store from the nearest WavecraftProvider. */
export function useParameterStore(): ParameterStore {
  return useWavecraft().parameters;
}
