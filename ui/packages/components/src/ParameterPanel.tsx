/**
 * ParameterPanel: every parameter of the engine, grouped by `group` in the
 * order the engine lists them. Controls are keyed by id, so when a hot
 * reload adds or removes parameters the others stay mounted (focus and drag
 * survive). The panel reads the list's shape only (`useParameterList`), and
 * each control its own value (`useParameter`), so a value change re-renders
 * the one control that shows it, not the panel. While no engine is connected
 * the controls stay visible with the last values, dimmed and inactive (they
 * send nothing).
 */
import { useConnectionStatus, useParameter, useParameterList, type ParameterActions } from "@wavecraft/core";
import { memo } from "react";
import { ParameterControl } from "./ParameterControl";

/** Splits parameters into groups, keeping first-appearance order. */
export function groupParameters<P extends { group: string }>(parameters: readonly P[]): [string, P[]][] {
  const groups = new Map<string, P[]>();
  for (const param of parameters) {
    const members = groups.get(param.group);
    if (members) members.push(param);
    else groups.set(param.group, [param]);
  }
  return [...groups];
}

/** Props of ParameterPanel. */
export interface ParameterPanelProps {
  /** Ids of float and int parameters to show as knobs instead of sliders. */
  knobs?: readonly string[];
}

/** All parameters as controls, grouped; shows loading and refusal messages. */
export function ParameterPanel({ knobs = [] }: ParameterPanelProps) {
  const { parameters, error, setParameter, beginEdit, endEdit } = useParameterList();
  const inactive = useConnectionStatus().kind !== "open";
  if (parameters === null) {
    return (
      <section className="wc-panel" aria-label="Parameters" aria-busy="true">
        {error ? (
          <p role="alert" className="wc-panel__error">
            Cannot load parameters: {error.message}
          </p>
        ) : (
          <p className="wc-panel__empty">Loading parameters…</p>
        )}
      </section>
    );
  }
  return (
    <section className="wc-panel" aria-label="Parameters">
      {parameters.length === 0 && <p className="wc-panel__empty">This engine has no parameters.</p>}
      {groupParameters(parameters).map(([group, members]) => (
        <fieldset key={group} className="wc-panel__group">
          <legend className="wc-panel__legend">{group || "General"}</legend>
          {members.map((param) => (
            <PanelControl
              key={param.id}
              id={param.id}
              setParameter={setParameter}
              beginEdit={beginEdit}
              endEdit={endEdit}
              disabled={inactive}
              knob={knobs.includes(param.id)}
            />
          ))}
        </fieldset>
      ))}
      {error && (
        <p role="alert" className="wc-panel__error">
          {error.message}
        </p>
      )}
    </section>
  );
}

/** One control of the panel, subscribed to its own parameter. */
const PanelControl = memo(function PanelControl({
  id,
  setParameter,
  beginEdit,
  endEdit,
  disabled,
  knob,
}: { id: string; disabled: boolean; knob: boolean } & ParameterActions) {
  const { param } = useParameter(id);
  if (!param) return null;
  return (
    <ParameterControl
      param={param}
      onChange={setParameter}
      onBeginEdit={beginEdit}
      onEndEdit={endEdit}
      disabled={disabled}
      knob={knob}
    />
  );
});
