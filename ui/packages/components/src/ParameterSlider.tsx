/**
 * ParameterSlider: a horizontal slider for float and int parameters.
 * Keyboard: arrows move one step (1 % without a step), Page Up/Down 10 %,
 * Home/End the ends; double-click resets to the default; a pointer drag
 * sets the position directly. Pressing the pointer sends nothing: the value
 * follows the pointer once it has moved a few pixels, so a click (or the
 * first click of a double-click) never jumps. It renders props only and calls
 * `onChange` with a plain value; it never talks to the server itself. Edit
 * gestures: a pointer press begins one and its release (or cancel) ends it; a
 * key held down (with its repeats) is one gesture until it is released; a
 * reset is a gesture of its own.
 */
import type { ParameterInfo } from "@wavecraft/core";
import { useId, useRef, type KeyboardEvent, type PointerEvent } from "react";
import { useEditGesture } from "./editGesture";
import { formatValue, nudge, positionToValue, valueToPosition } from "./mapping";

/** How far the pointer must move, in px, before a press becomes a drag (a double-click's jitter stays below). */
const DRAG_THRESHOLD_PX = 3;

/** A pointer press on the track: where it started and whether it has become a drag. */
interface Press {
  startX: number;
  dragging: boolean;
}

/** Props of ParameterSlider. */
export interface ParameterSliderProps {
  param: ParameterInfo;
  onChange: (value: number) => void;
  /** Called when an edit gesture begins (without it, and `onEndEdit`, no gestures are reported). */
  onBeginEdit?: () => void;
  /** Called when the edit gesture ends. */
  onEndEdit?: () => void;
}

/** A slider bound to one parameter's range, skew and step. */
export function ParameterSlider({ param, onChange, onBeginEdit, onEndEdit }: ParameterSliderProps) {
  const labelId = useId();
  const press = useRef<Press | null>(null);
  const edit = useEditGesture(onBeginEdit, onEndEdit);
  const position = valueToPosition(param, param.value);
  const text = formatValue(param, param.value);

  const change = (next: number) => {
    if (next !== param.value) onChange(next);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    let next: number;
    switch (event.key) {
      case "ArrowUp":
      case "ArrowRight":
        next = nudge(param, param.value, 1, "arrow");
        break;
      case "ArrowDown":
      case "ArrowLeft":
        next = nudge(param, param.value, -1, "arrow");
        break;
      case "PageUp":
        next = nudge(param, param.value, 1, "page");
        break;
      case "PageDown":
        next = nudge(param, param.value, -1, "page");
        break;
      case "Home":
        next = param.min;
        break;
      case "End":
        next = param.max;
        break;
      default:
        return;
    }
    event.preventDefault();
    edit.start("keyboard");
    change(next);
  };

  const followPointer = (event: PointerEvent<HTMLDivElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    if (rect.width <= 0) return;
    change(positionToValue(param, (event.clientX - rect.left) / rect.width));
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    press.current = { startX: event.clientX, dragging: false };
    edit.start("pointer");
    event.currentTarget.setPointerCapture(event.pointerId);
    event.currentTarget.focus();
  };

  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const current = press.current;
    if (!current) return;
    if (!current.dragging && Math.abs(event.clientX - current.startX) < DRAG_THRESHOLD_PX) return;
    current.dragging = true;
    followPointer(event);
  };

  const endDrag = (event: PointerEvent<HTMLDivElement>) => {
    if (!press.current) return;
    press.current = null;
    edit.stop("pointer");
    if (event.currentTarget.hasPointerCapture(event.pointerId)) {
      event.currentTarget.releasePointerCapture(event.pointerId);
    }
  };

  return (
    <div className="wc-slider">
      <span className="wc-control__label" id={labelId}>
        {param.name}
      </span>
      <div
        className="wc-slider__track"
        role="slider"
        tabIndex={0}
        aria-labelledby={labelId}
        aria-orientation="horizontal"
        aria-valuemin={param.min}
        aria-valuemax={param.max}
        aria-valuenow={param.value}
        aria-valuetext={text}
        onKeyDown={onKeyDown}
        onKeyUp={() => edit.stop("keyboard")}
        onBlur={() => edit.stop("keyboard")}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
        onDoubleClick={() => edit.once(() => change(param.default))}
        title="Double-click to reset"
      >
        <div className="wc-slider__fill" style={{ width: `${position * 100}%` }} />
        <div className="wc-slider__thumb" style={{ left: `${position * 100}%` }} />
      </div>
      <span className="wc-control__value" aria-hidden="true">
        {text}
      </span>
    </div>
  );
}
