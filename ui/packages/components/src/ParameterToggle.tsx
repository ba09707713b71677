/** ParameterToggle: an on/off switch for bool parameters (0 = off, 1 = on). */
import type { ParameterInfo } from "@wavecraft/core";

/** Props of ParameterToggle. */
export interface ParameterToggleProps {
  param: ParameterInfo;
  onChange: (value: number) => void;
}

/** A switch bound to one bool parameter. */
export function ParameterToggle({ param, onChange }: ParameterToggleProps) {
  const on = param.value >= 0.5;
  return (
    <div className="wc-toggle">
      <button
        type="button"
        role="switch"
        aria-checked={on}
        className={on ? "wc-toggle__button wc-toggle__button--on" : "wc-toggle__button"}
        onClick={() => onChange(on ? 0 : 1)}
      >
        <span className="wc-control__label">{param.name}</span>
        <span className="wc-control__value">{on ? "On" : "Off"}</span>
      </button>
    </div>
  );
}
