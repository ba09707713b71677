/**
 * ParameterToggle: an on/off switch for bool parameters (0 = off, 1 = on).
 * Its accessible name is the parameter's name; its state is `aria-checked`
 * (the On/Off text beside the name is hidden from screen readers, which
 * announce the state themselves). Each flip is one edit gesture: begin, the
 * change, end. While `disabled` it is dimmed, `aria-disabled` and sends nothing.
 */
import type { ParameterInfo } from "@wavecraft/core";
import { useId } from "react";
import { useEditGesture } from "./editGesture";

/** Props of ParameterToggle. */
export interface ParameterToggleProps {
  param: ParameterInfo;
  onChange: (value: number) => void;
  /** Called before each change (without it, and `onEndEdit`, no gestures are reported). */
  onBeginEdit?: () => void;
  /** Called after each change. */
  onEndEdit?: () => void;
  /** Inactive (e.g. no engine connected): shown dimmed, `aria-disabled`, and sends nothing. */
  disabled?: boolean;
}

/** A switch bound to one bool parameter. */
export function ParameterToggle({ param, onChange, onBeginEdit, onEndEdit, disabled = false }: ParameterToggleProps) {
  const on = param.value >= 0.5;
  const labelId = useId();
  const edit = useEditGesture(onBeginEdit, onEndEdit);
  const classes = ["wc-toggle__button", on ? "wc-toggle__button--on" : ""].filter(Boolean).join(" ");
  return (
    <div className={disabled ? "wc-toggle wc-control--disabled" : "wc-toggle"}>
      <button
        type="button"
        role="switch"
        aria-checked={on}
        aria-labelledby={labelId}
        aria-disabled={disabled || undefined}
        className={classes}
        onClick={() => {
          if (!disabled) edit.once(() => onChange(on ? 0 : 1));
        }}
      >
        <span className="wc-control__label" id={labelId}>
          {param.name}
        </span>
        <span className="wc-control__value" aria-hidden="true">
          {on ? "On" : "Off"}
        </span>
      </button>
    </div>
  );
}
