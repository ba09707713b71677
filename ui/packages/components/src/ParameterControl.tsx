/**
 * ParameterControl: picks the control for a parameter's kind. Memoised, and
 * given a setter that takes the id, so a list re-render leaves untouched
 * controls alone when their ParameterInfo object is the same.
 */
import type { ParameterInfo } from "@wavecraft/core";
import { memo } from "react";
import { ParameterSelect } from "./ParameterSelect";
import { ParameterSlider } from "./ParameterSlider";
import { ParameterToggle } from "./ParameterToggle";

/** Props of ParameterControl. */
export interface ParameterControlProps {
  param: ParameterInfo;
  /** Called with the new plain value; a returned promise (e.g. the optimistic setter's) is not awaited. */
  onChange: (id: string, value: number) => void | Promise<void>;
}

/** The right control for `param.kind`: slider, switch or select. */
export const ParameterControl = memo(function ParameterControl({ param, onChange }: ParameterControlProps) {
  const change = (value: number) => {
    void onChange(param.id, value);
  };
  if (param.kind === "bool") return <ParameterToggle param={param} onChange={change} />;
  if (param.kind === "enum" && param.variants.length > 0) {
    return <ParameterSelect param={param} onChange={change} />;
  }
  return <ParameterSlider param={param} onChange={change} />;
});
