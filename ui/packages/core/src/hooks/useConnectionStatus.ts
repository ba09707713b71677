/** useConnectionStatus: the bridge's link state as React state. */
import { useCallback, useSyncExternalStore } from "react";
import type { ConnectionState } from "../bridge";
import { useBridge } from "../context";

/** `connecting`, `open` or `closed` (waiting to retry); re-renders on change. */
export function useConnectionStatus(): ConnectionState {
  const bridge = useBridge();
  const subscribe = useCallback((listener: () => void) => bridge.onStateChange(listener), [bridge]);
  return useSyncExternalStore(subscribe, () => bridge.state);
}
