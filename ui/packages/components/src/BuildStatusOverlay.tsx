/**
 * BuildStatusOverlay: tells the author what the dev server's rebuild is
 * doing. A banner while building (with cargo's latest progress line); on failure the compiler's diagnostics with
 * file:line (the old engine keeps running meanwhile), dismissable; nothing
 * once a build succeeds.
 */
import { useBuildProgress, useBuildStatus, type BuildStatus, type Diagnostic } from "@wavecraft/core";
import { useId, useState } from "react";

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
  const titleId = useId();

  if (status === null || status === dismissed) return null;

  if (status.state === "building") {
    return (
      <div role="status" className="wc-overlay wc-overlay--building">
        Building…{status.files.length > 0 && <span className="wc-overlay__files"> {status.files.join(", ")}</span>}
        {progress !== null && <span className="wc-overlay__progress"> {progress}</span>}
      </div>
    );
  }

  if (status.state !== "failed") return null;

  return (
    <div role="alertdialog" aria-labelledby={titleId} className="wc-overlay wc-overlay--failed">
      <header className="wc-overlay__header">
        <h2 id={titleId} className="wc-overlay__title">
          Build failed
        </h2>
        <button type="button" className="wc-overlay__dismiss" onClick={() => setDismissed(status)}>
          Dismiss
        </button>
      </header>
      <p className="wc-overlay__note">The previous engine keeps running until a build succeeds.</p>
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
