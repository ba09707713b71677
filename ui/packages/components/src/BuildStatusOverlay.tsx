/**
 * BuildStatusOverlay: tells the author what the dev server's rebuild is
 * doing. A banner while building, with cargo's latest progress line; on
 * failure a dialog with the compiler's diagnostics and file:line (the old
 * engine keeps running meanwhile); nothing once a build succeeds.
 *
 * For screen readers: the banner's live region holds only "Building…" and
 * the files, so it is announced once per build, not once per progress line
 * (the line is shown beside it). The failure dialog takes focus when it
 * opens; Escape or Dismiss closes it and focus goes back where it was.
 */
import { useBuildProgress, useBuildStatus, type BuildStatus, type Diagnostic } from "@wavecraft/core";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";

/** `file:line:column` for a diagnostic, as far as it is known. */
export function diagnosticLocation(diagnostic: Diagnostic): string | null {
  if (diagnostic.file === null) return null;
  let location = diagnostic.file;
  if (diagnostic.line !== null) {
    location += `:${diagnostic.line}`;
    if (diagnostic.column !== null) location += `:${diagnostic.column}`;
  }
  return location;
}

/** The build banner or error panel; renders nothing when idle or after success. */
export function BuildStatusOverlay() {
  const status = useBuildStatus();
  const progress = useBuildProgress();
  const [dismissed, setDismissed] = useState<BuildStatus | null>(null);

  if (status === null || status === dismissed) return null;

  if (status.state === "building") {
    return (
      <div className="wc-overlay wc-overlay--building">
        <span role="status">
          Building…{status.files.length > 0 && <span className="wc-overlay__files"> {status.files.join(", ")}</span>}
        </span>
        {progress !== null && <span className="wc-overlay__progress"> {progress}</span>}
      </div>
    );
  }

  if (status.state !== "failed") return null;
  return <FailureDialog status={status} onDismiss={() => setDismissed(status)} />;
}

/** Props of FailureDialog. */
interface FailureDialogProps {
  status: BuildStatus;
  onDismiss: () => void;
}

/** The failed build's diagnostics; takes focus on open and hands it back on close. */
function FailureDialog({ status, onDismiss }: FailureDialogProps) {
  const titleId = useId();
  const noteId = useId();
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const previous = document.activeElement;
    const node = dialog.current;
    node?.focus();
    return () => {
      const active = document.activeElement;
      const focusLeftWithUs = active === null || active === document.body || (node?.contains(active) ?? false);
      if (focusLeftWithUs && previous instanceof HTMLElement && previous.isConnected) previous.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    onDismiss();
  };

  return (
    <div
      ref={dialog}
      role="alertdialog"
      aria-labelledby={titleId}
      aria-describedby={noteId}
      tabIndex={-1}
      className="wc-overlay wc-overlay--failed"
      onKeyDown={onKeyDown}
    >
      <header className="wc-overlay__header">
        <h2 id={titleId} className="wc-overlay__title">
          Build failed
        </h2>
        <button type="button" className="wc-overlay__dismiss" onClick={onDismiss}>
          Dismiss
        </button>
      </header>
      <p id={noteId} className="wc-overlay__note">The previous engine keeps running until a build succeeds.</p>
      <ol className="wc-overlay__diagnostics">
        {status.diagnostics.map((diagnostic, index) => (
          // Diagnostics have no id and never reorder within one build.
          <li key={index} className={`wc-diagnostic wc-diagnostic--${diagnostic.level}`}>
            <span className="wc-diagnostic__level">{diagnostic.level}</span>{" "}
            {diagnosticLocation(diagnostic) !== null && (
              <code className="wc-diagnostic__location">{diagnosticLocation(diagnostic)}</code>
            )}{" "}
            {diagnostic.rendered !== null ? (
              <pre className="wc-diagnostic__rendered">{diagnostic.rendered}</pre>
            ) : (
              <span className="wc-diagnostic__message">{diagnostic.message}</span>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
