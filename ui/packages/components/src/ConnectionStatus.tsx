/** ConnectionStatus: a small badge saying whether the UI reaches the engine. */
import { useConnectionStatus, type ConnectionState } from "@wavecraft/core";

const LABELS: Record<ConnectionState, string> = {
  open: "Connected",
  connecting: "Connecting…",
  closed: "Disconnected, retrying…",
};

/** The bridge's link state as a badge (a polite live region). */
export function ConnectionStatus() {
  const state = useConnectionStatus();
  return (
    <span role="status" className={`wc-connection wc-connection--${state}`}>
      {LABELS[state]}
    </span>
  );
}
