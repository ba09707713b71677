/** ParameterSelect: a drop-down for enum parameters; the value is the variant index. */
import type { ParameterInfo } from "@wavecraft/core";
import { useId } from "react";

/** Props of ParameterSelect. */
export interface ParameterSelectProps {
  param: ParameterInfo;
  onChange: (value: number) => void;
}

/** A select listing one enum parameter's variants. */
export function ParameterSelect({ param, onChange }: ParameterSelectProps) {
  const id = useId();
  return (
    <div className="wc-select">
      <label className="wc-control__label" htmlFor={id}>
        {param.name}
      </label>
      <select
        id={id}
        className="wc-select__input"
        value={String(Math.round(param.value))}
        onChange={(event) => onChange(Number(event.target.value))}
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
