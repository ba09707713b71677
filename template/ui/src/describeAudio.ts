/**
 * The footer's text: which audio backend runs and in what format, or why
 * there is no audio. A plain function in its own module, so App.tsx exports
 * components only and stays hot-replaceable.
 */
import type { AudioStatus } from "@wavecraft/core";

/** One line describing the audio backend, or why there is no audio. */
export function describeAudio(status: AudioStatus): string {
  const note = status.message ? ` — ${status.message}` : "";
  if (status.backend === "off") return `Audio off${note}`;
  const where = status.backend === "device" ? (status.deviceName ?? "audio device") : "virtual device";
  const format =
    status.sampleRate !== null && status.blockSize !== null
      ? ` · ${status.sampleRate} Hz · ${status.blockSize} frames`
      : "";
  return `Audio ${status.state}: ${where}${format}${note}`;
}
