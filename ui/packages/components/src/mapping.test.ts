import type { ParameterInfo } from "@wavecraft/core";
import { makeParameter } from "@wavecraft/core/testing";
import { describe, expect, it } from "vitest";
import rules from "./generated/parameterRules.json";
import { formatValue, nudge, parseValue, positionToValue, quantize, snap, valueToPosition, type ParseError } from "./mapping";

const frequency = makeParameter({ id: "cutoff", min: 20, max: 20_000, default: 1000, skew: 0.25, unit: "Hz" });

describe("skew mapping", () => {
  it("follows plain = min + span * pos^(1/skew)", () => {
    expect(positionToValue(frequency, 0)).toBe(20);
    expect(positionToValue(frequency, 1)).toBe(20_000);
    expect(positionToValue(frequency, 0.5)).toBeCloseTo(20 + 19_980 * 0.5 ** 4);
    expect(valueToPosition(frequency, 20 + 19_980 * 0.5 ** 4)).toBeCloseTo(0.5);
  });

  it("round-trips value → position → value across the range", () => {
    for (const value of [20, 45.5, 440, 1000, 8000, 19_999, 20_000]) {
      expect(positionToValue(frequency, valueToPosition(frequency, value))).toBeCloseTo(value, 6);
    }
  });

  it("is linear when skew is 1 and clamps out-of-range input", () => {
    const mix = makeParameter({ id: "mix", min: 0, max: 100 });
    expect(valueToPosition(mix, 25)).toBe(0.25);
    expect(valueToPosition(mix, 250)).toBe(1);
    expect(positionToValue(mix, -1)).toBe(0);
  });
});

describe("steps", () => {
  const detune = makeParameter({ id: "detune", min: -1, max: 1, step: 0.1 });

  it("snaps to the step counted from min, without float dust", () => {
    expect(quantize(detune, 0.26)).toBe(0.3);
    expect(quantize(detune, 5)).toBe(1);
  });

  it("moves one step per arrow and 10 % per page", () => {
    expect(nudge(detune, 0.3, 1, "arrow")).toBe(0.4);
    expect(nudge(detune, -1, -1, "arrow")).toBe(-1);
    expect(nudge(detune, 0, 1, "page")).toBe(0.2);
  });

  it("moves 1 % of the travel per arrow when there is no step", () => {
    const mix = makeParameter({ id: "mix", min: 0, max: 200 });
    expect(nudge(mix, 100, 1, "arrow")).toBeCloseTo(102);
  });
});

describe("parseValue", () => {
  const gain = makeParameter({ id: "g", unit: "dB", min: -60, max: 12 });

  it("reads what a DAW user types", () => {
    for (const typed of ["1k", "1 kHz", "1000 Hz", "1khz", " 1000 "]) expect(parseValue(frequency, typed)).toEqual({ ok: true, value: 1000 });
    expect(parseValue(gain, "-6 dB")).toEqual({ ok: true, value: -6 });
    expect(parseValue(gain, "\u22126db")).toEqual({ ok: true, value: -6 });
    expect(parseValue(makeParameter({ id: "m", unit: "%", max: 100 }), "50 %")).toEqual({ ok: true, value: 50 });
  });

  it("clamps numbers like a text box and refuses what names no value", () => {
    expect(parseValue(gain, "100 dB")).toEqual({ ok: true, value: 12 });
    expect(parseValue(gain, "loud")).toEqual({ ok: false, error: "unreadable" });
    expect(parseValue(gain, "-6 Hz")).toEqual({ ok: false, error: "unreadable" });
    expect(parseValue(gain, "")).toEqual({ ok: false, error: "unreadable" });
    expect(parseValue(gain, "0x10")).toEqual({ ok: false, error: "unreadable" });
    expect(parseValue(gain, "inf")).toEqual({ ok: false, error: "notFinite" });
    const wave = makeParameter({ id: "w", kind: "enum", variants: ["Sine", "Saw"], max: 1 });
    expect(parseValue(wave, "saw")).toEqual({ ok: true, value: 1 });
    expect(parseValue(wave, "7")).toEqual({ ok: false, error: "outOfRange" });
  });
});

describe("formatValue", () => {
  it("shows the unit, variant names and On/Off", () => {
    expect(formatValue(frequency, 1000)).toBe("1000 Hz");
    expect(formatValue(frequency, 99.96)).toBe("100 Hz");
    expect(formatValue(makeParameter({ id: "g", unit: "dB", min: -60, max: 12 }), -6.5)).toBe("-6.50 dB");
    expect(formatValue(makeParameter({ id: "m", kind: "enum", variants: ["Lo", "Hi"], max: 1 }), 1)).toBe("Hi");
    expect(formatValue(makeParameter({ id: "b", kind: "bool" }), 1)).toBe("On");
  });
});

/** One parameter of the fixture the Rust rules write (`cargo xtask gen-ts`). */
interface FixtureParameter {
  info: ParameterInfo;
  /** [value, text, snapped, position] as Rust computes them. */
  values: [number, string, number, number][];
  /** [position, value] as Rust computes them. */
  positions: [number, number][];
  /** [typed text, the value Rust's `parse_clamped` reads or why it refuses]. */
  parses: [string, number | ParseError][];
}

const fixture = rules.parameters as unknown as FixtureParameter[];

describe("the port of the engine's parameter rules", () => {
  it("shows and snaps every value exactly as Rust does, and maps positions alike", () => {
    const differences: string[] = [];
    let checked = 0;
    for (const { info, values, positions } of fixture) {
      const tolerance = 1e-9 * Math.max(1, info.max - info.min);
      for (const [value, text, snapped, position] of values) {
        const shown = formatValue(info, value);
        if (shown !== text) differences.push(`${info.id} text of ${value}: "${shown}", Rust "${text}"`);
        const held = snap(info, value);
        if (held !== snapped) differences.push(`${info.id} snap of ${value}: ${held}, Rust ${snapped}`);
        const at = valueToPosition(info, value);
        if (!(Math.abs(at - position) <= 1e-12)) differences.push(`${info.id} position of ${value}: ${at}, Rust ${position}`);
        checked += 1;
      }
      for (const [position, value] of positions) {
        const got = positionToValue(info, position);
        if (!(Math.abs(got - value) <= tolerance)) differences.push(`${info.id} value at ${position}: ${got}, Rust ${value}`);
        checked += 1;
      }
    }
    expect(differences.slice(0, 20)).toEqual([]);
    expect(checked).toBeGreaterThan(4000);
  });

  it("reads every typed text to the value Rust reads, or refuses it for the same reason", () => {
    const differences: string[] = [];
    const outcomes = new Set<string>();
    let checked = 0;
    for (const { info, parses } of fixture) {
      for (const [text, expected] of parses) {
        const read = parseValue(info, text);
        const got = read.ok ? read.value : read.error;
        if (got !== expected) differences.push(`${info.id} ${JSON.stringify(text)}: ${got}, Rust ${expected}`);
        outcomes.add(typeof expected === "number" ? "value" : expected);
        checked += 1;
      }
    }
    expect(differences.slice(0, 20)).toEqual([]);
    expect(outcomes).toEqual(new Set(["value", "unreadable", "notFinite", "outOfRange", "notWhole"]));
    expect(checked).toBeGreaterThan(2000);
  });

  it("covers every kind and every unit the examples use", () => {
    expect(new Set(fixture.map(({ info }) => info.kind))).toEqual(new Set(["float", "int", "bool", "enum"]));
    const units = new Set(fixture.map(({ info }) => info.unit));
    for (const unit of ["", "dB", "Hz", "%", "ms", "s", "st", "voices"]) expect(units).toContain(unit);
  });
});
