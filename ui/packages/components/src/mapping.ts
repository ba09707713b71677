/**
 * Slider geometry: plain value ↔ slider position (0…1) through a parameter's
 * skew, snapping to its step, and the value text a person reads.
 *
 * The skew law matches nih-plug's skewed ranges: `pos = linear^skew` and
 * `plain = min + span * pos^(1/skew)`, with skew 1 meaning linear; a skew
 * below 1 spreads the low end of the range (useful for frequencies).
 * Everything here is pure; no React, no I/O.
 */
import type { ParameterInfo } from "@wavecraft/core";

type Range = Pick<ParameterInfo, "kind" | "min" | "max" | "step" | "skew">;

const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

/** A skew that is not a positive finite number is treated as linear. */
function skewOf(range: Range): number {
  return Number.isFinite(range.skew) && range.skew > 0 ? range.skew : 1;
}

/** The quantum values snap to: the declared step, or 1 for discrete kinds, or none. */
export function effectiveStep(range: Range): number | null {
  if (range.step !== null && range.step > 0) return range.step;
  return range.kind === "float" ? null : 1;
}

/** Clamps into range and snaps to the step (counted from `min`). */
export function quantize(range: Range, value: number): number {
  const clamped = clamp(value, range.min, range.max);
  const step = effectiveStep(range);
  if (step === null) return clamped;
  const snapped = range.min + Math.round((clamped - range.min) / step) * step;
  // Snapping in floating point leaves dust (0.1 * 3 = 0.30000000000000004).
  return clamp(Number(snapped.toPrecision(12)), range.min, range.max);
}

/** Slider position (0…1) of a plain value. */
export function valueToPosition(range: Range, value: number): number {
  const span = range.max - range.min;
  if (!(span > 0)) return 0;
  const linear = clamp((value - range.min) / span, 0, 1);
  return linear ** skewOf(range);
}

/** Plain value at a slider position (0…1), snapped to the step. */
export function positionToValue(range: Range, position: number): number {
  const linear = clamp(position, 0, 1) ** (1 / skewOf(range));
  return quantize(range, range.min + (range.max - range.min) * linear);
}

/** How far one key press moves: a step ("arrow", or 1 % without a step) or 10 % ("page"). */
export type NudgeSize = "arrow" | "page";

/** The value after one key press up (+1) or down (-1). */
export function nudge(range: Range, value: number, direction: 1 | -1, size: NudgeSize): number {
  const step = effectiveStep(range);
  if (size === "arrow" && step !== null) return quantize(range, value + direction * step);
  const fraction = size === "page" ? 0.1 : 0.01;
  const moved = positionToValue(range, valueToPosition(range, value) + direction * fraction);
  if (moved !== value || step === null) return moved;
  // A page smaller than one step would not move at all; move one step instead.
  return quantize(range, value + direction * step);
}

function decimalsOf(step: number): number {
  const text = String(step);
  const dot = text.indexOf(".");
  return dot === -1 ? 0 : Math.min(6, text.length - dot - 1);
}

/** The text a person reads for `value`: variant name, On/Off, or a number with its unit. */
export function formatValue(param: ParameterInfo, value: number): string {
  if (param.kind === "enum") return param.variants[Math.round(value)] ?? String(value);
  if (param.kind === "bool") return value >= 0.5 ? "On" : "Off";
  let digits: number;
  if (param.kind === "int") digits = 0;
  else if (param.step !== null && param.step > 0) digits = decimalsOf(param.step);
  else digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  const number = value.toFixed(digits);
  return param.unit ? `${number} ${param.unit}` : number;
}
