/**
 * This plugin's parameters, generated from its engine by `wavecraft start`
 * (after every good build) and `wavecraft bundle`. Do not edit: it is
 * rewritten. Import `useParameter` and the types from here, and tsc checks
 * every parameter id and enum variant you name.
 */
import { useParameter as useAnyParameter } from "@wavecraft/core";
import type { SingleParameter } from "@wavecraft/core";

/** Every parameter id the engine declares. */
export type ParameterId =
  | "input_gain"
  | "filter_mode"
  | "cutoff"
  | "resonance"
  | "drive"
  | "output_gain";

/** Each enum parameter's variant names (its value is the variant's index). */
export type ParameterVariants = {
  filter_mode: "Low-pass" | "High-pass" | "Band-pass" | "Peak";
};

/**
 * What the engine declares for each parameter (its current value aside). Values are
 * plain: dB are dB, Hz are Hz, an enum's value is its variant's index, a bool's 0 or 1.
 */
export const parameters = {
  input_gain: { name: "Input", kind: "float", min: -24, max: 24, default: 0, unit: "dB", group: "Input", step: null, skew: 1, variants: [] },
  filter_mode: { name: "Mode", kind: "enum", min: 0, max: 3, default: 0, unit: "", group: "Filter", step: 1, skew: 1, variants: ["Low-pass", "High-pass", "Band-pass", "Peak"] },
  cutoff: { name: "Cutoff", kind: "float", min: 20, max: 20000, default: 20000, unit: "Hz", group: "Filter", step: null, skew: 0.22990455846863825, variants: [] },
  resonance: { name: "Resonance", kind: "float", min: 0.1, max: 10, default: 0.707, unit: "", group: "Filter", step: null, skew: 0.24828311582363052, variants: [] },
  drive: { name: "Drive", kind: "float", min: 0, max: 24, default: 0, unit: "dB", group: "Drive", step: null, skew: 1, variants: [] },
  output_gain: { name: "Output", kind: "float", min: -60, max: 12, default: 0, unit: "dB", group: "Output", step: null, skew: 1, variants: [] },
} as const;

/** One parameter by id: `@wavecraft/core`'s `useParameter`, refusing ids the engine does not declare. */
export const useParameter: (id: ParameterId) => SingleParameter = useAnyParameter;
