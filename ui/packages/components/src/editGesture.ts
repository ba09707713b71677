/**
 * useEditGesture: one edit gesture per control, however many inputs take part
 * in it (a pointer drag, a held key). The gesture begins when the first input
 * starts and ends when the last one stops, so a plugin host sees one DAW
 * automation gesture around the values in between; unmounting mid-edit ends
 * it. A single change (a toggle, a select, a reset) is wrapped in its own
 * begin and end. The callbacks may change on every render.
 */
import { useEffect, useRef, useState } from "react";

/** What takes part in an edit. */
export type EditSource = "pointer" | "keyboard" | "wheel" | "text";

/** The calls a control makes around its changes. */
export interface EditGesture {
  /** `source` started editing; begins the gesture if it is the first. */
  start: (source: EditSource) => void;
  /** `source` stopped; ends the gesture if it was the last. Stopping one not started does nothing. */
  stop: (source: EditSource) => void;
  /** Runs one change inside a gesture: its own begin and end unless one is open already. */
  once: (change: () => void) => void;
}

interface Callbacks {
  onBeginEdit?: () => void;
  onEndEdit?: () => void;
}

class Gesture implements EditGesture {
  private readonly sources = new Set<EditSource>();

  constructor(private readonly callbacks: { readonly current: Callbacks }) {}

  start = (source: EditSource): void => {
    if (this.sources.size === 0) this.callbacks.current.onBeginEdit?.();
    this.sources.add(source);
  };

  stop = (source: EditSource): void => {
    if (!this.sources.delete(source)) return;
    if (this.sources.size === 0) this.callbacks.current.onEndEdit?.();
  };

  once = (change: () => void): void => {
    if (this.sources.size > 0) {
      change();
      return;
    }
    this.callbacks.current.onBeginEdit?.();
    change();
    this.callbacks.current.onEndEdit?.();
  };

  /** Ends an open gesture (the control is going away). */
  abandon(): void {
    if (this.sources.size === 0) return;
    this.sources.clear();
    this.callbacks.current.onEndEdit?.();
  }
}

/** Edit-gesture bookkeeping for one control; `onBeginEdit`/`onEndEdit` may be absent (no gestures sent). */
export function useEditGesture(onBeginEdit?: () => void, onEndEdit?: () => void): EditGesture {
  const callbacks = useRef<Callbacks>({ onBeginEdit, onEndEdit });
  useEffect(() => {
    callbacks.current = { onBeginEdit, onEndEdit };
  });
  const [gesture] = useState(() => new Gesture(callbacks));
  useEffect(() => () => gesture.abandon(), [gesture]);
  return gesture;
}
