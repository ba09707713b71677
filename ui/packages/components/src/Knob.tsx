/**
 * Knob: a rotary control for float and int parameters, driven the way
 * audio software drives knobs. Drag up or down (200 px of travel is the
 * whole range, through the parameter's skew; hold Shift for a tenth of
 * that); turn the mouse wheel (Shift for fine); the slider keys (arrows,
 * Page Up/Down, Home/End, Delete/Backspace for the default, Enter to type a
 * value); double-click the dial to reset, the readout to type. A press that
 * does not move sets no value, so neither a click nor a double-click jumps.
 * Edit gestures: a press to its release, a held key, a burst of wheel turns
 * (ended after a short pause), a reset and a typed value are each one
 * gesture. It renders props only; while `disabled` it is dimmed,
 * `aria-disabled` and sends nothing.
 */
import { useEffect, useId, useRef, type PointerEvent } from "react";
import {
  KNOB_DRAG_SPAN_PX,
  KNOB_FINE_FACTOR,
  KNOB_WHEEL_IDLE_MS,
  LINE_PX,
  SWEEP_DEGREES,
  WHEEL_SPAN_PX,
  arc,
} from "./knobGeometry";
import { formatValue, positionToValue, valueToPosition } from "./mapping";
import { DRAG_THRESHOLD_PX, useValueControl, type ValueControlProps } from "./valueControl";
import { ValueEntry } from "./ValueEntry";

/** A pointer press on the dial: where the pointer was and the (unsnapped) position it has reached. */
interface Press {
  startY: number;
  lastY: number;
  position: number;
  dragging: boolean;
}

/** Props of Knob. */
export type KnobProps = ValueControlProps;

/** A knob bound to one parameter's range, skew and step. */
export function Knob(props: KnobProps) {
  const { param, disabled = false } = props;
  const labelId = useId();
  const { focusRef, edit, change, entering, openEntry, commitEntry, closeEntry, sliderAttributes, startPointer, endPointer } =
    useValueControl(props);
  const press = useRef<Press | null>(null);
  const wheel = useRef<{ position: number; timer: ReturnType<typeof setTimeout> } | null>(null);
  const position = valueToPosition(param, param.value);
  const text = formatValue(param, param.value);

  /** Moves by `delta` of the range from the position reached so far (kept unsnapped, so slow moves add up on a stepped range). */
  const moveBy = (from: number, delta: number): number => {
    const reached = Math.min(1, Math.max(0, from + delta));
    change(positionToValue(param, reached));
    return reached;
  };

  const onWheel = (event: WheelEvent) => {
    if (disabled || event.deltaY === 0) return;
    event.preventDefault();
    const pixels = event.deltaMode === WheelEvent.DOM_DELTA_LINE ? event.deltaY * LINE_PX : event.deltaY;
    const delta = (-pixels / WHEEL_SPAN_PX) * (event.shiftKey ? 1 / KNOB_FINE_FACTOR : 1);
    const burst = wheel.current;
    if (burst) clearTimeout(burst.timer);
    else edit.start("wheel");
    const reached = moveBy(burst ? burst.position : position, delta);
    wheel.current = {
      position: reached,
      timer: setTimeout(() => {
        wheel.current = null;
        edit.stop("wheel");
      }, KNOB_WHEEL_IDLE_MS),
    };
  };
  // React's wheel listener is passive (it cannot stop the page scrolling): listen natively, to the latest handler.
  const wheelHandler = useRef(onWheel);
  useEffect(() => {
    wheelHandler.current = onWheel;
  });
  useEffect(() => {
    const dial = focusRef.current;
    if (!dial) return;
    const listener = (event: WheelEvent) => wheelHandler.current(event);
    dial.addEventListener("wheel", listener, { passive: false });
    return () => {
      dial.removeEventListener("wheel", listener);
      if (wheel.current) clearTimeout(wheel.current.timer);
    };
  }, [focusRef]);

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (startPointer(event)) press.current = { startY: event.clientY, lastY: event.clientY, position, dragging: false };
  };

  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const current = press.current;
    if (!current) return;
    if (!current.dragging && Math.abs(event.clientY - current.startY) < DRAG_THRESHOLD_PX) return;
    current.dragging = true;
    const fine = event.shiftKey ? 1 / KNOB_FINE_FACTOR : 1;
    const delta = ((current.lastY - event.clientY) / KNOB_DRAG_SPAN_PX) * fine;
    current.lastY = event.clientY;
    current.position = moveBy(current.position, delta);
  };

  const endDrag = (event: PointerEvent<HTMLDivElement>) => {
    if (!press.current) return;
    press.current = null;
    endPointer(event);
  };

  const angle = -SWEEP_DEGREES / 2 + SWEEP_DEGREES * position;
  return (
    <div className={disabled ? "wc-knob wc-control--disabled" : "wc-knob"}>
      <span className="wc-control__label" id={labelId}>
        {param.name}
      </span>
      <div
        {...sliderAttributes(labelId, text, "vertical")}
        className="wc-knob__dial"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
        title="Drag up/down (Shift: fine), wheel; double-click or Delete to reset, Enter to type a value"
      >
        <svg className="wc-knob__svg" viewBox="0 0 40 40" aria-hidden="true">
          <path className="wc-knob__track" d={arc(1, 16)} />
          {position > 0 && <path className="wc-knob__arc" d={arc(position, 16)} />}
          <line className="wc-knob__pointer" x1="20" y1="20" x2="20" y2="8" transform={`rotate(${angle.toFixed(2)} 20 20)`} />
        </svg>
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
