/**
 * ConnectionStatus: a small badge saying whether the UI reaches the engine,
 * and, when no connection has opened yet, why and what to do. It is a polite
 * live region whose text changes only when the link's situation does, so a
 * screen reader hears a drop once, not every retry.
 */
import { DEFAULT_DEV_UI_URL, useConnectionStatus, type LinkStatus } from "@wavecraft/core";

/** Props of ConnectionStatus. */
export interface ConnectionStatusProps {
  /** The dev UI's URL to suggest when the dev server cannot be reached (default http://127.0.0.1:5173). */
  devUiUrl?: string;
}

const LABELS: Record<LinkStatus["kind"], string> = {
  connecting: "Connecting…",
  open: "Connected",
  lost: "Disconnected, retrying…",
  unreachable: "Cannot connect, retrying…",
  stopped: "Disconnected",
};

/** The link's status as a badge, with the reason and the URL to open when it never connected. */
export function ConnectionStatus({ devUiUrl = DEFAULT_DEV_UI_URL }: ConnectionStatusProps) {
  const status = useConnectionStatus();
  return (
    <span
      role="status"
      className={`wc-connection wc-connection--${status.kind}`}
      title={status.kind === "lost" ? `Last close: ${status.reason}` : undefined}
    >
      {LABELS[status.kind]}
      {status.kind === "unreachable" && (
        <span className="wc-connection__detail">
          {`${status.endpoint}: ${status.reason}, never opened. Is \`wavecraft start\` running? ` +
            `Its dev server accepts only the UI it serves: open ${devUiUrl}.`}
        </span>
      )}
    </span>
  );
}
