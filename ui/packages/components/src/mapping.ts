/**
 * Slider geometry and value text: a port of the engine's parameter rules
 * (`wavecraft_protocol::rules` in Rust), which the host, `render --set` and
 * the CLAP wrapper call. Plain value ↔ slider position (0…1) through a
 * parameter's skew, snapping to its step, the text a person reads, and the
 * value a person types (`parseValue`, the rules' `parse_clamped`).
 *
 * The port is held to the Rust rules by `generated/parameterRules.json`
 * (written by `cargo xtask gen-ts`): `mapping.test.ts` checks every kind,
 * unit and a dense sweep of values against it, text for text, and typed
 * texts against what Rust reads from them. Change a rule
 * here only together with the Rust one. Everything here is pure; no React,
 * no I/O.
 */
import type { ParameterInfo } from "@wavecraft/core";

type Range = Pick<ParameterInfo, "kind" | "min" | "max" | "step" | "skew">;

/** Rust's `f64::clamp`: keeps the sign of a zero that is in range (`Math.max(0, -0)` would not). */
const clamp = (value: number, low: number, high: number): number =>
  value < low ? low : value > high ? high : value;

/** Rust's `f64::round`: halves away from zero (`Math.round(-2.5)` is -2, Rust's -3). */
const round = (value: number): number => (value < 0 ? -Math.round(-value) : Math.round(value));

/** A skew that is not a positive finite number is treated as linear. */
function skewOf(range: Range): number {
  return Number.isFinite(range.skew) && range.skew > 0 ? range.skew : 1;
}

/** The quantum values snap to: the declared step, or 1 for discrete kinds, or none. */
export function effectiveStep(range: Range): number | null {
  if (range.step !== null && range.step > 0) return range.step;
  return range.kind === "float" ? null : 1;
}

/**
 * The rule's snap: a stepped float to the nearest step counted from `min`, a
 * whole kind rounded, then clamped into range. Bit for bit what the engine holds.
 */
export function snap(range: Range, value: number): number {
  let snapped = value;
  if (range.kind !== "float") snapped = round(value);
  else if (range.step !== null && range.step > 0) {
    snapped = range.min + round((value - range.min) / range.step) * range.step;
  }
  return clamp(snapped, range.min, range.max);
}

/** Snaps like the engine and drops floating-point dust (0.1 * 3 = 0.30000000000000004) from values the UI sends. */
export function quantize(range: Range, value: number): number {
  return clamp(Number(snap(range, value).toPrecision(12)), range.min, range.max);
}

/** Slider position (0…1) of a plain value. */
export function valueToPosition(range: Range, value: number): number {
  const span = range.max - range.min;
  if (span <= 0) return 0;
  const linear = clamp((value - range.min) / span, 0, 1);
  const skew = skewOf(range);
  return skew === 1 ? linear : linear ** skew;
}

/** Plain value at a slider position (0…1), snapped to the step. */
export function positionToValue(range: Range, position: number): number {
  const skew = skewOf(range);
  const clamped = clamp(position, 0, 1);
  const linear = skew === 1 ? clamped : clamped ** (1 / skew);
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

/** Most decimals a float is shown with, and 10^n for each (exact). */
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6] as const;
const MAX_DECIMALS = POW10.length - 1;

/** Decimals a stepped float is shown with: as many as the step has (at most six). */
function stepDecimals(step: number): number {
  let decimals = 0;
  let scaled = step;
  while (decimals < MAX_DECIMALS && Math.abs(scaled - round(scaled)) > 1e-9 * scaled) {
    scaled *= 10;
    decimals += 1;
  }
  return decimals;
}

/** Decimals that give a number of this size three significant digits (at most two). */
const magnitudeDecimals = (magnitude: number): number => (magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2);

/** `value` rounded to `decimals` (halves away from zero). */
function roundTo(value: number, decimals: number): number {
  const scale = POW10[decimals] ?? 1;
  return round(value * scale) / scale;
}

/**
 * The text a person reads for `value`, as the engine shows it: `1000 Hz`,
 * `-6.00 dB`, `-12.5 dB`, a stepped float with its step's decimals, an int
 * as a whole number, `On`/`Off`, a variant's name. The value is snapped
 * first, so the text names a value the plugin can hold. Empty for NaN and
 * infinities (the engine has no text for them).
 */
export function formatValue(param: ParameterInfo, value: number): string {
  if (!Number.isFinite(value)) return "";
  const plain = snap(param, value);
  if (param.kind === "bool") return plain >= 0.5 ? "On" : "Off";
  if (param.kind === "enum") return param.variants[plain] ?? "";
  let number: string;
  if (param.kind === "int") number = String(Math.trunc(plain));
  else {
    // Rounding can carry into the next size (99.96 → 100.0): decide on the rounded number.
    const decimals =
      param.step !== null && param.step > 0
        ? stepDecimals(param.step)
        : magnitudeDecimals(Math.abs(roundTo(plain, magnitudeDecimals(Math.abs(plain)))));
    // `+ 0` turns a rounded -0 into 0: no "-0.00".
    number = (roundTo(plain, decimals) + 0).toFixed(decimals);
  }
  return param.unit ? `${number} ${param.unit}` : number;
}

/** Why a typed text gives no value: the rules' `TextError` (`Refused` split by its `ValueError`). */
export type ParseError = "unreadable" | "notFinite" | "outOfRange" | "notWhole";

/** What `parseValue` reads: a value the parameter can hold, or why there is none. */
export type ParseResult = { ok: true; value: number } | { ok: false; error: ParseError };

/** Rust's `char::is_whitespace` (Unicode White_Space): JS's `\s` adds U+FEFF and lacks U+0085. */
const WHITESPACE = "[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const LEADING = new RegExp(`^${WHITESPACE}+`);
const TRAILING = new RegExp(`${WHITESPACE}+$`);
const trimEnd = (text: string): string => text.replace(TRAILING, "");
const trim = (text: string): string => trimEnd(text).replace(LEADING, "");

/** ASCII-only lower case, as Rust's `eq_ignore_ascii_case` compares (`toLowerCase` folds more). */
const asciiLower = (text: string): string => text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));

/** The grammar of Rust's `f64::from_str`: no hex, no separators, no empty string, `inf`/`nan` in any case. */
const RUST_FLOAT = /^[+-]?(?:inf|infinity|nan|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)$/i;

/** Rust's `str::parse::<f64>`: NaN for text it refuses is told apart by returning null. */
function parseRustFloat(text: string): number | null {
  if (!RUST_FLOAT.test(text)) return null;
  const lower = asciiLower(text);
  const sign = lower.startsWith("-") ? -1 : 1;
  const body = lower.replace(/^[+-]/, "");
  if (body === "nan") return NaN;
  if (body === "inf" || body === "infinity") return sign * Infinity;
  return Number(lower);
}

/** `text` without a trailing `suffix` (any ASCII case) and the whitespace before it. */
function stripSuffixIgnoreCase(text: string, suffix: string): string {
  if (suffix === "" || suffix.length > text.length) return text;
  const split = text.length - suffix.length;
  return asciiLower(text.slice(split)) === asciiLower(suffix) ? trimEnd(text.slice(0, split)) : text;
}

/** The number `text` names before any check (the rules' `read`), or null when it names none. */
function read(param: ParameterInfo, raw: string): number | null {
  const text = trim(raw);
  if (param.kind === "enum") {
    const index = param.variants.findIndex((variant) => asciiLower(trim(variant)) === asciiLower(text));
    if (index >= 0) return index;
  } else if (param.kind === "bool") {
    const word = asciiLower(text);
    if (word === "on" || word === "true" || word === "yes") return 1;
    if (word === "off" || word === "false" || word === "no") return 0;
  }
  let number = stripSuffixIgnoreCase(text, param.unit);
  let scale = 1;
  if (number.endsWith("k") || number.endsWith("K")) {
    number = trimEnd(number.slice(0, -1));
    scale = 1e3;
  }
  const value = parseRustFloat(number.startsWith("\u2212") ? `-${number.slice(1)}` : number);
  return value === null ? null : scale * value;
}

/**
 * The plain value a typed text names, read as the engine's text box reads it
 * (`parse_clamped`): a number with or without the unit in any case, `k` for
 * thousands, `−` as a minus; a number is clamped and snapped; a bool's word or
 * an enum's variant name (in any case) or index must be valid as it stands.
 */
export function parseValue(param: ParameterInfo, text: string): ParseResult {
  const value = read(param, text);
  if (value === null) return { ok: false, error: "unreadable" };
  if (!Number.isFinite(value)) return { ok: false, error: "notFinite" };
  if (param.kind === "float" || param.kind === "int") return { ok: true, value: snap(param, value) };
  if (value < param.min || value > param.max) return { ok: false, error: "outOfRange" };
  if (!Number.isInteger(value)) return { ok: false, error: "notWhole" };
  return { ok: true, value: snap(param, value) };
}

/** What a value box for `param` accepts, for a message after a refused text. */
export function describeAccepted(param: ParameterInfo): string {
  if (param.kind === "bool") return "on or off";
  if (param.kind === "enum") return `one of ${param.variants.join(", ")}`;
  const whole = param.kind === "int" ? "a whole number" : "a number";
  return `${whole} from ${formatValue(param, param.min)} to ${formatValue(param, param.max)}`;
}
