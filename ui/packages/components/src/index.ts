/**
 * @wavecraft/components: ready-made controls for a Wavecraft plugin UI.
 * They render what the @wavecraft/core hooks give them; styles live in
 * `@wavecraft/components/styles.css`.
 */
export { BuildStatusOverlay, diagnosticLocation } from "./BuildStatusOverlay";
export { ConnectionStatus } from "./ConnectionStatus";
export type { ConnectionStatusProps } from "./ConnectionStatus";
export { Meter } from "./Meter";
export type { MeterProps } from "./Meter";
export { ParameterControl } from "./ParameterControl";
export type { ParameterControlProps } from "./ParameterControl";
export { ParameterPanel, groupParameters } from "./ParameterPanel";
export { ParameterSelect } from "./ParameterSelect";
export type { ParameterSelectProps } from "./ParameterSelect";
export { ParameterSlider } from "./ParameterSlider";
export type { ParameterSliderProps } from "./ParameterSlider";
export { ParameterToggle } from "./ParameterToggle";
export type { ParameterToggleProps } from "./ParameterToggle";
export { effectiveStep, formatValue, nudge, positionToValue, quantize, valueToPosition } from "./mapping";
export type { NudgeSize } from "./mapping";
