/**
 * A parameter's shape: everything about it but its value (id, name, kind,
 * range, default, unit, group, step, skew, variants), and the comparisons
 * the parameter store uses to publish only what really changed.
 */
import type { ParameterInfo } from "./wire";

/** A parameter without its value: what lays a control out. */
export type ParameterShape = Omit<ParameterInfo, "value" | "revision">;

/** `param`'s shape, as a new object without the value. */
export function shapeOf(param: ParameterInfo): ParameterShape {
  const { id, name, kind, min, max, default: fallback, unit, group, step, skew, variants } = param;
  return { id, name, kind, min, max, default: fallback, unit, group, step, skew, variants };
}

/** Whether `a` and `b` have the same shape (values are not compared). */
export function sameShape(a: ParameterShape | undefined, b: ParameterShape | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.id === b.id &&
    a.name === b.name &&
    a.kind === b.kind &&
    a.min === b.min &&
    a.max === b.max &&
    a.default === b.default &&
    a.unit === b.unit &&
    a.group === b.group &&
    a.step === b.step &&
    a.skew === b.skew &&
    a.variants.length === b.variants.length &&
    a.variants.every((variant, index) => variant === b.variants[index])
  );
}

/** Whether `a` and `b` show the same thing: same shape and value (the revision is not shown). */
export function sameShown(a: ParameterInfo, b: ParameterInfo): boolean {
  return a.value === b.value && sameShape(a, b);
}
