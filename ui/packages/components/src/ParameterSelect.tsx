/**
 * ParameterSelect: a drop-down for enum parameters; the value is the variant
 * index. Each choice is one edit gesture: begin, the change, end.
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
}

/** A select listing one enum parameter's variants. */
export function ParameterSelect({ param, onChange, onBeginEdit, onEndEdit }: ParameterSelectProps) {
  const id = useId();
  const edit = useEditGesture(onBeginEdit, onEndEdit);
  return (
    <div className="wc-select">
      <label className="wc-control__label" htmlFor={id}>
        {param.name}
      </label>
      <select
        id={id}
        className="wc-select__input"
        value={String(Math.round(param.value))}
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
