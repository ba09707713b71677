/**
 * ParameterToggle: an on/off switch for bool parameters (0 = off, 1 = on).
 * Each flip is one edit gesture: begin, the change, end.
 */
import type { ParameterInfo } from "@wavecraft/core";
import { useEditGesture } from "./editGesture";

/** Props of ParameterToggle. */
export interface ParameterToggleProps {
  param: ParameterInfo;
  onChange: (value: number) => void;
  /** Called before each change (without it, and `onEndEdit`, no gestures are reported). */
  onBeginEdit?: () => void;
  /** Called after each change. */
  onEndEdit?: () => void;
}

/** A switch bound to one bool parameter. */
export function ParameterToggle({ param, onChange, onBeginEdit, onEndEdit }: ParameterToggleProps) {
  const on = param.value >= 0.5;
  const edit = useEditGesture(onBeginEdit, onEndEdit);
  return (
    <div className="wc-toggle">
      <button
        type="button"
        role="switch"
        aria-checked={on}
        className={on ? "wc-toggle__button wc-toggle__button--on" : "wc-toggle__button"}
        onClick={() => edit.once(() => onChange(on ? 0 : 1))}
      >
        <span className="wc-control__label">{param.name}</span>
        <span className="wc-control__value">{on ? "On" : "Off"}</span>
      </button>
    </div>
  );
}
