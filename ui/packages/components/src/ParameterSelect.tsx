/**
 * ParameterSelect: a drop-down for enum parameters; the value is the variant
 * index. Each choice is one edit gesture: begin, the change, end. While
 * `disabled` it is dimmed and disabled (a native select cannot be changed
 * then), so it sends nothing.
 */
import type { ParameterInfo } from "@wavecraft/core";
import { useId } from "react";
import { useEditGesture } from "./editGesture";

/** Props of ParameterSelect. */
export interface ParameterSelectProps {
  param: ParameterInfo;
  onChange: (value: number) => void;
  /** Called before each change (without it, and `onEndEdit`, no gestures are reported). */
  onBeginEdit?: () => void;
  /** Called after each change. */
  onEndEdit?: () => void;
  /** Inactive (e.g. no engine connected): shown dimmed and disabled, and sends nothing. */
  disabled?: boolean;
}

/** A select listing one enum parameter's variants. */
export function ParameterSelect({ param, onChange, onBeginEdit, onEndEdit, disabled = false }: ParameterSelectProps) {
  const id = useId();
  const edit = useEditGesture(onBeginEdit, onEndEdit);
  return (
    <div className={disabled ? "wc-select wc-control--disabled" : "wc-select"}>
      <label className="wc-control__label" htmlFor={id}>
        {param.name}
      </label>
      <select
        id={id}
        className="wc-select__input"
        value={String(Math.round(param.value))}
        disabled={disabled}
        onChange={(event) => {
          const value = Number(event.target.value);
          edit.once(() => onChange(value));
        }}
      >
        {param.variants.map((variant, index) => (
          <option key={variant} value={String(index)}>
            {variant}
          </option>
        ))}
      </select>
    </div>
  );
}
