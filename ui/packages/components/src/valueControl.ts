/**
 * useValueControl: what the slider and the knob share. The keys (arrows one
 * step, Page Up/Down 10 %, Home/End the ends, Delete/Backspace the default,
 * Enter to type a value), reset to default as one gesture, typed entry as
 * one gesture (begin, set, end), and an inactive state in which the control
 * sends nothing. Each control adds its own pointer handling on top.
 */
import type { ParameterInfo } from "@wavecraft/core";
import { useRef, useState, type KeyboardEvent, type PointerEvent, type RefObject } from "react";
import { useEditGesture, type EditGesture } from "./editGesture";
import { nudge } from "./mapping";

/** How far the pointer must move, in px, before a press becomes a drag (a double-click's jitter stays below). */
export const DRAG_THRESHOLD_PX = 3;

/** What a value control is given: the parameter, the setter and the gesture calls. */
export interface ValueControlProps {
  param: ParameterInfo;
  onChange: (value: number) => void;
  /** Called when an edit gesture begins (without it, and `onEndEdit`, no gestures are reported). */
  onBeginEdit?: () => void;
  /** Called when the edit gesture ends. */
  onEndEdit?: () => void;
  /** Inactive (e.g. no engine connected): shown dimmed, `aria-disabled`, and sends nothing. */
  disabled?: boolean;
}

/** The shared state and handlers of one value control. */
export interface ValueControl {
  edit: EditGesture;
  /** The element with role slider; focus returns to it after typed entry. */
  focusRef: RefObject<HTMLDivElement | null>;
  /** Sends `next` when it differs from the value and the control is active. */
  change: (next: number) => void;
  /** Sets the default as one gesture. */
  reset: () => void;
  /** True while the value box is open. */
  entering: boolean;
  /** Opens the value box (ignored while inactive). */
  openEntry: () => void;
  /** Sets a typed value as one gesture. */
  commitEntry: (value: number) => void;
  /** Closes the box; `refocus` puts focus back on the control (after Enter or Escape, not a click elsewhere). */
  closeEntry: (refocus: boolean) => void;
  /** Key handling for the slider element. */
  onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
  /** Ends the held-key gesture. */
  onKeyUp: () => void;
  /** What every role="slider" element of a value control carries: ARIA, keys, reset on double-click. */
  sliderAttributes: (labelId: string, text: string, orientation: "horizontal" | "vertical") => SliderAttributes;
  /** Starts a pointer gesture (left button, active control): captures the pointer and focuses; false if it did not start. */
  startPointer: (event: PointerEvent<HTMLElement>) => boolean;
  /** Ends the pointer gesture and releases the capture. */
  endPointer: (event: PointerEvent<HTMLElement>) => void;
}

/** The attributes and handlers `sliderAttributes` gives, spread onto the slider element. */
export interface SliderAttributes {
  ref: RefObject<HTMLDivElement | null>;
  role: "slider";
  tabIndex: number;
  "aria-labelledby": string;
  "aria-orientation": "horizontal" | "vertical";
  "aria-valuemin": number;
  "aria-valuemax": number;
  "aria-valuenow": number;
  "aria-valuetext": string;
  "aria-disabled": true | undefined;
  "aria-keyshortcuts": string;
  onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
  onKeyUp: () => void;
  onBlur: () => void;
  onDoubleClick: () => void;
}

/** The value a navigation key moves to, or null for a key that is not one. */
function keyTarget(param: ParameterInfo, key: string): number | null {
  switch (key) {
    case "ArrowUp":
    case "ArrowRight":
      return nudge(param, param.value, 1, "arrow");
    case "ArrowDown":
    case "ArrowLeft":
      return nudge(param, param.value, -1, "arrow");
    case "PageUp":
      return nudge(param, param.value, 1, "page");
    case "PageDown":
      return nudge(param, param.value, -1, "page");
    case "Home":
      return param.min;
    case "End":
      return param.max;
    default:
      return null;
  }
}

/** Keys, reset, typed entry and the inactive state for one slider-like control. */
export function useValueControl({ param, onChange, onBeginEdit, onEndEdit, disabled = false }: ValueControlProps): ValueControl {
  const edit = useEditGesture(onBeginEdit, onEndEdit);
  const focusRef = useRef<HTMLDivElement | null>(null);
  const [entering, setEntering] = useState(false);

  const change = (next: number) => {
    if (!disabled && next !== param.value) onChange(next);
  };
  const once = (next: number) => {
    if (!disabled && next !== param.value) edit.once(() => onChange(next));
  };
  const reset = () => once(param.default);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (disabled || event.target !== event.currentTarget) return;
    if (event.key === "Enter") {
      event.preventDefault();
      setEntering(true);
      return;
    }
    if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      if (!event.repeat) reset();
      return;
    }
    const next = keyTarget(param, event.key);
    if (next === null) return;
    event.preventDefault();
    edit.start("keyboard");
    change(next);
  };

  const onKeyUp = () => edit.stop("keyboard");

  return {
    edit,
    focusRef,
    change,
    reset,
    entering,
    openEntry: () => {
      if (!disabled) setEntering(true);
    },
    commitEntry: once,
    closeEntry: (refocus) => {
      setEntering(false);
      if (refocus) focusRef.current?.focus();
    },
    onKeyDown,
    onKeyUp,
    sliderAttributes: (labelId, text, orientation) => ({
      ref: focusRef,
      role: "slider",
      tabIndex: 0,
      "aria-labelledby": labelId,
      "aria-orientation": orientation,
      "aria-valuemin": param.min,
      "aria-valuemax": param.max,
      "aria-valuenow": param.value,
      "aria-valuetext": text,
      "aria-disabled": disabled || undefined,
      "aria-keyshortcuts": "Enter Delete",
      onKeyDown,
      onKeyUp,
      onBlur: onKeyUp,
      onDoubleClick: reset,
    }),
    startPointer: (event) => {
      if (event.button !== 0 || disabled) return false;
      edit.start("pointer");
      event.currentTarget.setPointerCapture(event.pointerId);
      event.currentTarget.focus();
      return true;
    },
    endPointer: (event) => {
      edit.stop("pointer");
      if (event.currentTarget.hasPointerCapture(event.pointerId)) {
        event.currentTarget.releasePointerCapture(event.pointerId);
      }
    },
  };
}
