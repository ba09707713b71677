/**
 * How a Knob moves and looks: the pointer travel and wheel travel for the
 * whole range, the Shift factor, how long a wheel burst's gesture lasts, and
 * the dial's 270° sweep drawn as an SVG arc (in a 40×40 view box). Pure
 * numbers; no React.
 */

/** Vertical pointer travel, in px, for the whole range. */
export const KNOB_DRAG_SPAN_PX = 200;
/** Shift divides drag and wheel movement by this. */
export const KNOB_FINE_FACTOR = 10;
/** Wheel travel (in pixels of `deltaY`) for the whole range: a 100 px notch moves 5 %. */
export const WHEEL_SPAN_PX = 2000;
/** A wheel burst's gesture ends this long after its last turn. */
export const KNOB_WHEEL_IDLE_MS = 300;
/** Pixels per line, for wheels that report in lines. */
export const LINE_PX = 33;
/** The dial's sweep: from -135° (minimum) to +135° (maximum). */
export const SWEEP_DEGREES = 270;

/** Point on the dial's circle at `degrees` clockwise from 12 o'clock. */
function polar(degrees: number, radius: number): string {
  const radians = (degrees * Math.PI) / 180;
  return `${(20 + radius * Math.sin(radians)).toFixed(3)} ${(20 - radius * Math.cos(radians)).toFixed(3)}`;
}

/** SVG path of the arc from the minimum to `position`. */
export function arc(position: number, radius: number): string {
  const end = -SWEEP_DEGREES / 2 + SWEEP_DEGREES * position;
  const large = SWEEP_DEGREES * position > 180 ? 1 : 0;
  return `M ${polar(-SWEEP_DEGREES / 2, radius)} A ${radius} ${radius} 0 ${large} 1 ${polar(end, radius)}`;
}
