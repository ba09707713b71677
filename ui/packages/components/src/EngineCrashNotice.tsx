/**
 * EngineCrashNotice: tells the author that their engine crashed the process it
 * runs in (a segfault, an abort, a stack overflow, a hang, memory), what it
 * was doing, and what plays now. `wavecraft start` runs the author's code in
 * an engine host process; when that dies the dev server restarts it with the
 * last good build and reports the crash in `audioStatusChanged` until the next
 * good build swaps in. Renders nothing while there is no crash.
 *
 * For screen readers: the notice is an alert, announced once when a crash
 * arrives; it can be dismissed (that crash only; a new one shows again).
 */
import { useAudioStatus, type EngineCrash } from "@wavecraft/core";
import { useState } from "react";

/** The last crash of the engine, while the dev server reports it; nothing otherwise. */
export function EngineCrashNotice() {
  const crash = useAudioStatus()?.crash ?? null;
  const [dismissed, setDismissed] = useState<EngineCrash | null>(null);
  if (crash === null || crash === dismissed) return null;
  const which = [crash.engine, crash.build !== null ? `build ${crash.build}` : null].filter(Boolean).join(", ");
  return (
    <div className="wc-crash" role="alert">
      <p className="wc-crash__title">
        The engine crashed{which && ` (${which})`} while {crash.stage}: {crash.cause}.
      </p>
      {crash.lastOutput && <pre className="wc-crash__output">{crash.lastOutput}</pre>}
      <p className="wc-crash__recovery">
        {crash.recovery.charAt(0).toUpperCase() + crash.recovery.slice(1)}. The dev server keeps running; save a fix to
        rebuild.
      </p>
      <button type="button" className="wc-overlay__dismiss" onClick={() => setDismissed(crash)}>
        Dismiss
      </button>
    </div>
  );
}
