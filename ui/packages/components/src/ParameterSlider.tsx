/**
 * ParameterSlider: a horizontal slider for float and int parameters.
 * Keyboard: arrows move one step (1 % without a step), Page Up/Down 10 %,
 * Home/End the ends, Delete/Backspace the default, Enter opens a box to type
 * a value (as does a double-click on the value readout); a double-click on
 * the track resets to the default; a pointer drag sets the position directly.
 * Pressing the pointer sends nothing: the value follows the pointer once it
 * has moved a few pixels, so a click (or the first click of a double-click)
 * never jumps. It renders props only and calls `onChange` with a plain
 * value; it never talks to the server itself. Edit gestures: a pointer press
 * begins one and its release (or cancel) ends it; a key held down (with its
 * repeats) is one gesture until it is released; a reset and a typed value
 * are gestures of their own. While `disabled` it is dimmed, `aria-disabled`
 * and sends nothing.
 */
import { useId, useRef, type PointerEvent } from "react";
import { formatValue, positionToValue, valueToPosition } from "./mapping";
import { DRAG_THRESHOLD_PX, useValueControl, type ValueControlProps } from "./valueControl";
import { ValueEntry } from "./ValueEntry";

/** A pointer press on the track: where it started and whether it has become a drag. */
interface Press {
  startX: number;
  dragging: boolean;
}

/** Props of ParameterSlider. */
export type ParameterSliderProps = ValueControlProps;

/** A slider bound to one parameter's range, skew and step. */
export function ParameterSlider(props: ParameterSliderProps) {
  const { param, disabled = false } = props;
  const labelId = useId();
  const press = useRef<Press | null>(null);
  const { change, entering, openEntry, commitEntry, closeEntry, sliderAttributes, startPointer, endPointer } =
    useValueControl(props);
  const position = valueToPosition(param, param.value);
  const text = formatValue(param, param.value);

  const followPointer = (event: PointerEvent<HTMLDivElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    if (rect.width <= 0) return;
    change(positionToValue(param, (event.clientX - rect.left) / rect.width));
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (startPointer(event)) press.current = { startX: event.clientX, dragging: false };
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
    endPointer(event);
  };

  return (
    <div className={disabled ? "wc-slider wc-control--disabled" : "wc-slider"}>
      <span className="wc-control__label" id={labelId}>
        {param.name}
      </span>
      <div
        {...sliderAttributes(labelId, text, "horizontal")}
        className="wc-slider__track"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
        title="Double-click or Delete to reset, Enter to type a value"
      >
        <div className="wc-slider__fill" style={{ width: `${position * 100}%` }} />
        <div className="wc-slider__thumb" style={{ left: `${position * 100}%` }} />
      </div>
      {entering ? (
        <ValueEntry param={param} onCommit={commitEntry} onClose={closeEntry} />
      ) : (
        <span className="wc-control__value" aria-hidden="true" onDoubleClick={openEntry} title="Double-click to type a value">
          {text}
        </span>
      )}
    </div>
  );
}
