/**
 * @wavecraft/components: ready-made controls for a Wavecraft plugin UI.
 * They render what the @wavecraft/core hooks give them; styles live in
 * `@wavecraft/components/styles.css`.
 */
export { BuildStatusOverlay, diagnosticLocation } from "./BuildStatusOverlay";
export { ConnectionStatus } from "./ConnectionStatus";
export { EngineCrashNotice } from "./EngineCrashNotice";
export type { ConnectionStatusProps } from "./ConnectionStatus";
export { Knob } from "./Knob";
export type { KnobProps } from "./Knob";
export { KNOB_DRAG_SPAN_PX, KNOB_FINE_FACTOR, KNOB_WHEEL_IDLE_MS } from "./knobGeometry";
export { Meter } from "./Meter";
export type { MeterProps } from "./Meter";
export { METER_PEAK_HOLD_MS, METER_RELEASE_DB_PER_S } from "./meterBallistics";
export { ParameterControl } from "./ParameterControl";
export type { ParameterControlProps } from "./ParameterControl";
export { ParameterPanel, groupParameters } from "./ParameterPanel";
export type { ParameterPanelProps } from "./ParameterPanel";
export { ParameterSelect } from "./ParameterSelect";
export type { ParameterSelectProps } from "./ParameterSelect";
export { ParameterSlider } from "./ParameterSlider";
export type { ParameterSliderProps } from "./ParameterSlider";
export { ParameterToggle } from "./ParameterToggle";
export type { ParameterToggleProps } from "./ParameterToggle";
export { ValueEntry } from "./ValueEntry";
export type { ValueEntryProps } from "./ValueEntry";
export type { ValueControlProps } from "./valueControl";
export {
  describeAccepted,
  effectiveStep,
  formatValue,
  nudge,
  parseValue,
  positionToValue,
  quantize,
  valueToPosition,
} from "./mapping";
export type { NudgeSize, ParseError, ParseResult } from "./mapping";
