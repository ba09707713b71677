/**
 * Parameter hooks: one parameter, the list's shape, or every parameter with
 * its value, plus an optimistic setter and the edit-gesture calls. All read
 * the provider's shared ParameterStore, so the list is fetched once however
 * many controls use it.
 *
 * Which to use: a control reads `useParameter(id)`, which re-renders only
 * when that parameter changes. A panel lays controls out with
 * `useParameterList()`, which re-renders only when the set of parameters,
 * their order or their shape (name, range, …) changes, never on a value, and
 * gives each control an id to read. `useAllParameters()` gives every value
 * and so re-renders on every change of any of them: fine for a few
 * parameters, wasteful for a panel of hundreds (its unchanged parameters keep
 * their identity, so memoised children still skip).
 */
import { useCallback, useSyncExternalStore } from "react";
import { useParameterStore } from "../context";
import type { ParameterShape } from "../parameterShape";
import type { ParameterInfo } from "../wire";

/** The setter and gesture calls every list hook gives; each takes the id and is stable. */
export interface ParameterActions {
  /** Sets a value optimistically; rolls back if the server refuses. Never rejects. */
  setParameter: (id: string, value: number) => Promise<void>;
  /** A person started editing `id` (drag, held key, text entry); the values that follow are one gesture. */
  beginEdit: (id: string) => Promise<void>;
  /** The edit gesture on `id` is over. */
  endEdit: (id: string) => Promise<void>;
}

function useParameterActions(): ParameterActions {
  const store = useParameterStore();
  const setParameter = useCallback((id: string, value: number) => store.set(id, value), [store]);
  const beginEdit = useCallback((id: string) => store.beginEdit(id), [store]);
  const endEdit = useCallback((id: string) => store.endEdit(id), [store]);
  return { setParameter, beginEdit, endEdit };
}

/** What `useParameterList` gives. */
export interface ParameterList extends ParameterActions {
  /** Every parameter's shape (no values: read those with `useParameter`), or null until the first fetch. */
  parameters: readonly ParameterShape[] | null;
  /** The last fetch, set or gesture failure (cleared by the next successful fetch or set). */
  error: Error | null;
}

/** The parameters' ids, order and shapes, for laying controls out; unchanged by value changes. */
export function useParameterList(): ParameterList {
  const store = useParameterStore();
  const { parameters, error } = useSyncExternalStore(store.subscribeList, store.getListSnapshot);
  return { parameters, error, ...useParameterActions() };
}

/** What `useAllParameters` gives. */
export interface AllParameters extends ParameterActions {
  /** Every parameter with its value, or null until the first fetch answered. */
  parameters: ParameterInfo[] | null;
  /** The last fetch, set or gesture failure (cleared by the next successful fetch or set). */
  error: Error | null;
}

/** Every parameter with its value, kept in step with the server; re-renders on any change. */
export function useAllParameters(): AllParameters {
  const store = useParameterStore();
  const { parameters, error } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return { parameters, error, ...useParameterActions() };
}

/** What `useParameter` gives. */
export interface SingleParameter {
  /** The parameter, or null while loading or when the id does not exist (any more). */
  param: ParameterInfo | null;
  /** Sets this parameter's value optimistically. */
  setValue: (value: number) => Promise<void>;
  /** A person started editing this parameter; the values that follow are one gesture. */
  beginEdit: () => Promise<void>;
  /** The edit gesture is over. */
  endEdit: () => Promise<void>;
}

/** One parameter by id; re-renders only when what it shows changes. */
export function useParameter(id: string): SingleParameter {
  const store = useParameterStore();
  const subscribe = useCallback((listener: () => void) => store.subscribeParameter(id, listener), [store, id]);
  const param = useSyncExternalStore(subscribe, () => store.getParameter(id));
  const setValue = useCallback((value: number) => store.set(id, value), [store, id]);
  const beginEdit = useCallback(() => store.beginEdit(id), [store, id]);
  const endEdit = useCallback(() => store.endEdit(id), [store, id]);
  return { param, setValue, beginEdit, endEdit };
}
