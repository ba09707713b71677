/**
 * Parameter hooks: the whole list, or one parameter, plus an optimistic
 * setter and the edit-gesture calls. Both read the provider's shared
 * ParameterStore, so the list is fetched once however many controls use it.
 */
import { useCallback, useSyncExternalStore } from "react";
import { useParameterStore } from "../context";
import type { ParameterInfo } from "../wire";

/** What `useAllParameters` gives. */
export interface AllParameters {
  /** Every parameter, or null until the first fetch answered. */
  parameters: ParameterInfo[] | null;
  /** The last fetch or set failure (cleared by the next success). */
  error: Error | null;
  /** Sets a value optimistically; rolls back if the server refuses. Never rejects. */
  setParameter: (id: string, value: number) => Promise<void>;
  /** A person started editing `id` (drag, held key, text entry); the values that follow are one gesture. */
  beginEdit: (id: string) => Promise<void>;
  /** The edit gesture on `id` is over. */
  endEdit: (id: string) => Promise<void>;
}

/** Every parameter, kept in step with the server. */
export function useAllParameters(): AllParameters {
  const store = useParameterStore();
  const { parameters, error } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const setParameter = useCallback((id: string, value: number) => store.set(id, value), [store]);
  const beginEdit = useCallback((id: string) => store.beginEdit(id), [store]);
  const endEdit = useCallback((id: string) => store.endEdit(id), [store]);
  return { parameters, error, setParameter, beginEdit, endEdit };
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

/** One parameter by id. */
export function useParameter(id: string): SingleParameter {
  const store = useParameterStore();
  const param = useSyncExternalStore(
    store.subscribe,
    () => store.getSnapshot().parameters?.find((candidate) => candidate.id === id) ?? null,
  );
  const setValue = useCallback((value: number) => store.set(id, value), [store, id]);
  const beginEdit = useCallback(() => store.beginEdit(id), [store, id]);
  const endEdit = useCallback(() => store.endEdit(id), [store, id]);
  return { param, setValue, beginEdit, endEdit };
}
