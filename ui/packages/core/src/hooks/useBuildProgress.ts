/**
 * useBuildProgress: the latest line of cargo's progress ("Compiling foo
 * v0.1.0") while a build runs, pushed by the dev server. Cleared when a build
 * starts or finishes, and while the link is down.
 */
import { useEffect, useState } from "react";
import { useBridge } from "../context";
import { NOTIFICATIONS } from "../wire";

/** The most recent `buildProgress` line of the running build, or null. */
export function useBuildProgress(): string | null {
  const bridge = useBridge();
  const [line, setLine] = useState<string | null>(null);
  useEffect(() => {
    const stops = [
      bridge.on(NOTIFICATIONS.buildProgress, ({ line: next }) => {
        setLine(next);
      }),
      bridge.on(NOTIFICATIONS.buildStarted, () => {
        setLine(null);
      }),
      bridge.on(NOTIFICATIONS.buildFinished, () => {
        setLine(null);
      }),
      bridge.onStateChange((state) => {
        if (state !== "open") setLine(null);
      }),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }, [bridge]);
  return line;
}
