/**
 * Typed maps from JSON-RPC method and notification names to their payloads,
 * derived from the generated protocol, so `bridge.request("setParameter", …)`
 * and `bridge.on("meterUpdate", …)` are checked at compile time. Types only.
 */
import type { MethodParams, MethodResults, NoParams, NotificationParams } from "./wire";

/** A method name the server answers. */
export type MethodName = keyof MethodParams;

/** A notification name the server pushes. */
export type NotificationName = keyof NotificationParams;

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
