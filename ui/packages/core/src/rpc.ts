/**
 * Typed maps from JSON-RPC method and notification names to their payloads.
 * Every name and map comes from the generated protocol, which the Rust
 * catalog's one declaration produces: callers pass `METHODS.setParameter` or
 * `NOTIFICATIONS.meterUpdate`, and `bridge.request(METHODS.setParameter, …)`
 * is checked at compile time. Types only.
 */
import type { METHODS, MethodParams, MethodResults, NoParams, NOTIFICATIONS, NotificationParams } from "./wire";

/** A method name the server answers (a value of the generated `METHODS`). */
export type MethodName = (typeof METHODS)[keyof typeof METHODS];

/** A notification name the server pushes (a value of the generated `NOTIFICATIONS`). */
export type NotificationName = (typeof NOTIFICATIONS)[keyof typeof NOTIFICATIONS];

/** Payload of each notification, by name. */
export type NotificationMap = NotificationParams;

/** Params a caller passes to method `M`: `undefined` for methods that take none. */
export type ParamsOf<M extends MethodName> = MethodParams[M] extends NoParams
  ? NoParams extends MethodParams[M]
    ? undefined
    : MethodParams[M]
  : MethodParams[M];

/** What the server receives as params of method `M` (`{}` for methods that take none). */
export type WireParamsOf<M extends MethodName> = MethodParams[M];

/** Result of method `M`. */
export type ResultOf<M extends MethodName> = MethodResults[M];
