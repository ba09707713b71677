/** useConnectionStatus: what to tell a person about the link, as React state. */
import { useCallback, useSyncExternalStore } from "react";
import type { LinkStatus } from "../bridge";
import { useBridge } from "../context";

/** The bridge's LinkStatus; re-renders when the situation changes, not on every retry. */
export function useConnectionStatus(): LinkStatus {
  const bridge = useBridge();
  const subscribe = useCallback((listener: () => void) => bridge.onStatusChange(listener), [bridge]);
  return useSyncExternalStore(subscribe, () => bridge.status);
}
