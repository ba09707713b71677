/**
 * ParameterControl: picks the control for a parameter's kind. Memoised, and
 * given a setter and gesture calls that take the id, so a list re-render
 * leaves untouched controls alone when their ParameterInfo object is the same.
 */
import type { ParameterInfo } from "@wavecraft/core";
import { memo } from "react";
import { Knob } from "./Knob";
import { ParameterSelect } from "./ParameterSelect";
import { ParameterSlider } from "./ParameterSlider";
import { ParameterToggle } from "./ParameterToggle";

/** Props of ParameterControl. */
export interface ParameterControlProps {
  param: ParameterInfo;
  /** Called with the new plain value; a returned promise (e.g. the optimistic setter's) is not awaited. */
  onChange: (id: string, value: number) => void | Promise<void>;
  /** Called when an edit gesture on `id` begins (e.g. `beginEdit` from `useAllParameters`). */
  onBeginEdit?: (id: string) => void | Promise<void>;
  /** Called when the edit gesture on `id` ends. */
  onEndEdit?: (id: string) => void | Promise<void>;
  /** Inactive (e.g. no engine connected): the control is dimmed, `aria-disabled`, and sends nothing. */
  disabled?: boolean;
  /** Float and int parameters as a knob instead of a slider. */
  knob?: boolean;
}

/** The right control for `param.kind`: slider (or knob), switch or select. */
export const ParameterControl = memo(function ParameterControl({
  param,
  onChange,
  onBeginEdit,
  onEndEdit,
  disabled = false,
  knob = false,
}: ParameterControlProps) {
  const props = {
    param,
    disabled,
    onChange: (value: number) => {
      void onChange(param.id, value);
    },
    onBeginEdit: onBeginEdit && (() => void onBeginEdit(param.id)),
    onEndEdit: onEndEdit && (() => void onEndEdit(param.id)),
  };
  if (param.kind === "bool") return <ParameterToggle {...props} />;
  if (param.kind === "enum" && param.variants.length > 0) {
    return <ParameterSelect {...props} />;
  }
  return knob ? <Knob {...props} /> : <ParameterSlider {...props} />;
});
