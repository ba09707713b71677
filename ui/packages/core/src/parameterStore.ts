/**
 * ParameterStore: the UI's copy of the engine's parameter list, kept in step
 * with the server through one IpcBridge.
 *
 * It fetches on every (re)connect and on a `parametersChanged` that names
 * some id (one after a build that changed nothing is not re-fetched),
 * applies `parameterChanged` pushes, and sets values optimistically: the new
 * value shows at once and falls back to the last value the server confirmed
 * if the server refuses. Sends go through a FrameOutbox: at most one
 * `setParameter` per frame per id (the first at once), the last value always
 * sent, edit gestures in order around them.
 *
 * Every value the server reports carries its revision; per id the store
 * keeps the value with the highest one, so a `setParameter` reply or a
 * `getAllParameters` result that was overtaken by a newer `parameterChanged`
 * (replies queue behind the broadcasts other clients caused) cannot bring an
 * old value back. Revisions are compared within one connection only: a new
 * connection may be to a restarted server, whose count starts again.
 *
 * What it shows is published three ways, each only when it really changed:
 * per id (`subscribeParameter`/`getParameter`, what one control reads; the
 * object keeps its identity while what it shows is the same, so the echo and
 * the reply that confirm an optimistic value publish nothing), the list's
 * shape (`subscribeList`/`getListSnapshot`: ids, order and everything but the
 * values, for a panel that lays controls out), and everything
 * (`subscribe`/`getSnapshot`, every value; built only when read). A published
 * object's `revision` is the one its value had when the object was made.
 * No React in here; the hooks read it through `useSyncExternalStore`.
 */
import type { IpcBridge } from "./bridge";
import { FrameOutbox, animationFrames, type FrameScheduler } from "./frameOutbox";
import { sameShape, sameShown, shapeOf, type ParameterShape } from "./parameterShape";
import { Listeners, type Unsubscribe } from "./transports/transport";
import { METHODS, NOTIFICATIONS, type ParameterInfo, type ParametersChanged } from "./wire";

/** Everything the store shows: every parameter with its value (null until the first fetch), and the last failure. */
export interface ParametersSnapshot {
  parameters: ParameterInfo[] | null;
  error: Error | null;
}

/** The list's shape: every parameter without its value (null until the first fetch), and the last failure. */
export interface ParameterListSnapshot {
  parameters: readonly ParameterShape[] | null;
  error: Error | null;
}

/** Options of a ParameterStore. */
export interface ParameterStoreOptions {
  /** How value sends wait for the next frame (default: `requestAnimationFrame`); tests pass a fake. */
  scheduleFrame?: FrameScheduler;
}

interface Override {
  value: number;
  token: number;
}

/** A value the server reported, with its revision. */
interface Revised {
  value: number;
  revision: number;
}

/** What one change touched, for `commit`. */
interface Touched {
  ids: string[];
  list: boolean;
}

/** Holds the parameter list for one bridge. */
export class ParameterStore {
  /** Ids in the server's order; null until the first fetch. */
  private order: string[] | null = null;
  /** Per id, the server's info with the newest value known. */
  private readonly confirmed = new Map<string, ParameterInfo>();
  /** Per id, the newest value the server reported on this connection. */
  private readonly newest = new Map<string, Revised>();
  private readonly overrides = new Map<string, Override>();
  /** Per id, what is shown: the confirmed info, or it with the optimistic value. */
  private readonly shown = new Map<string, ParameterInfo>();
  private error: Error | null = null;
  private list: ParameterListSnapshot = { parameters: null, error: null };
  /** Built on first read after a change. */
  private all: ParametersSnapshot | null = null;
  private readonly idListeners = new Map<string, Listeners<[]>>();
  private readonly listListeners = new Listeners<[]>();
  private readonly allListeners = new Listeners<[]>();
  private readonly outbox: FrameOutbox;
  private fetchSeq = 0;
  private setSeq = 0;

  constructor(
    private readonly bridge: IpcBridge,
    options: ParameterStoreOptions = {},
  ) {
    this.outbox = new FrameOutbox(options.scheduleFrame ?? animationFrames);
  }

  /** Starts following the server; returns the function that stops it (and sends what is queued). */
  start(): Unsubscribe {
    const stops = [
      this.bridge.onStateChange((state) => {
        if (state !== "open") return;
        this.newest.clear();
        void this.refresh();
      }),
      this.bridge.on(NOTIFICATIONS.parametersChanged, (diff) => {
        if (namesAnyId(diff)) void this.refresh();
      }),
      this.bridge.on(NOTIFICATIONS.parameterChanged, (change) => this.commit(this.confirm(change))),
    ];
    if (this.bridge.state === "open") void this.refresh();
    return () => {
      for (const stop of stops) stop();
      this.outbox.flush();
    };
  }

  /** Adds a listener for any change of what `getSnapshot` gives. */
  subscribe = (listener: () => void): Unsubscribe => this.allListeners.add(listener);

  /** Every parameter with its value, and the last failure (immutable; a new object after each change). */
  getSnapshot = (): ParametersSnapshot => {
    this.all ??= {
      parameters: this.order?.map((id) => this.shown.get(id) as ParameterInfo) ?? null,
      error: this.error,
    };
    return this.all;
  };

  /** Adds a listener for changes of `id` only. */
  subscribeParameter(id: string, listener: () => void): Unsubscribe {
    let listeners = this.idListeners.get(id);
    if (!listeners) {
      listeners = new Listeners<[]>();
      this.idListeners.set(id, listeners);
    }
    const remove = listeners.add(listener);
    const own = listeners;
    return () => {
      remove();
      if (own.size === 0 && this.idListeners.get(id) === own) this.idListeners.delete(id);
    };
  }

  /** What is shown for `id`, or null while loading or when the id does not exist (any more). */
  getParameter(id: string): ParameterInfo | null {
    return this.shown.get(id) ?? null;
  }

  /** Adds a listener for changes of the list's shape or of the last failure. */
  subscribeList = (listener: () => void): Unsubscribe => this.listListeners.add(listener);

  /** The list's shape and the last failure; the same object until either changes. */
  getListSnapshot = (): ParameterListSnapshot => this.list;

  /** Re-fetches the whole list; a newer fetch wins over an older one. */
  async refresh(): Promise<void> {
    const seq = ++this.fetchSeq;
    try {
      const { parameters } = await this.bridge.request(METHODS.getAllParameters);
      if (seq !== this.fetchSeq) return;
      this.commit(this.replaceAll(parameters));
    } catch (error) {
      if (seq === this.fetchSeq) this.fail(error);
    }
  }

  /**
   * Sets a value optimistically: shown at once, sent at once unless this id sent one since
   * the last frame was drawn, else right after the next frame (a newer value before then
   * replaces it). Resolves once the server answered the send that
   * carried it; never rejects: a refusal rolls the value back and lands in the error.
   */
  set(id: string, value: number): Promise<void> {
    const token = ++this.setSeq;
    this.overrides.set(id, { value, token });
    this.commit({ ids: this.reshow(id), list: false });
    return this.outbox.value(id, () => this.send(id, value, token));
  }

  /**
   * Tells the server a person started editing `id` (pressed a slider, holds a key), so a
   * plugin host can open a DAW automation gesture; `endEdit` closes it. Goes after any value
   * still queued for `id`. Resolves once the server answered; never rejects: a failure lands
   * in the error.
   */
  beginEdit(id: string): Promise<void> {
    return this.outbox.after(id, () => this.gesture(METHODS.beginEdit, id));
  }

  /** Tells the server the edit `beginEdit` started is over, after the edit's last value. Never rejects. */
  endEdit(id: string): Promise<void> {
    return this.outbox.after(id, () => this.gesture(METHODS.endEdit, id));
  }

  private async send(id: string, value: number, token: number): Promise<void> {
    try {
      const result = await this.bridge.request(METHODS.setParameter, { id, value });
      if (this.overrides.get(id)?.token === token) this.overrides.delete(id);
      const touched = this.confirm(result);
      touched.ids.push(...this.reshow(id));
      touched.list = this.setError(null);
      this.commit(touched);
    } catch (error) {
      if (this.overrides.get(id)?.token === token) this.overrides.delete(id);
      this.commit({ ids: this.reshow(id), list: this.setError(asError(error)) });
    }
  }

  private async gesture(method: typeof METHODS.beginEdit | typeof METHODS.endEdit, id: string): Promise<void> {
    try {
      await this.bridge.request(method, { id });
    } catch (error) {
      this.fail(error);
    }
  }

  /** Takes a fetched list: new shapes, ids gone, and each value unless a newer one is known. */
  private replaceAll(parameters: ParameterInfo[]): Touched {
    const ids = new Set(parameters.map((param) => param.id));
    const touched: Touched = { ids: [], list: this.setError(null) };
    for (const id of this.newest.keys()) if (!ids.has(id)) this.newest.delete(id);
    for (const id of this.overrides.keys()) if (!ids.has(id)) this.overrides.delete(id);
    for (const id of this.confirmed.keys()) {
      if (ids.has(id)) continue;
      this.confirmed.delete(id);
      touched.ids.push(...this.reshow(id));
    }
    for (const param of parameters) {
      this.remember(param.id, param);
      this.confirmed.set(param.id, this.withNewest(param));
      touched.ids.push(...this.reshow(param.id));
    }
    this.order = parameters.map((param) => param.id);
    touched.list = this.reshape() || touched.list;
    return touched;
  }

  /** Records a value the server reported unless a newer one is known. */
  private confirm({ id, value, revision }: { id: string } & Revised): Touched {
    const touched: Touched = { ids: [], list: false };
    const info = this.confirmed.get(id);
    if (!this.remember(id, { value, revision }) || !info) return touched;
    this.confirmed.set(id, this.withNewest(info));
    touched.ids.push(...this.reshow(id));
    return touched;
  }

  /** Keeps `reported` as the newest value of `id` unless one as new is known; returns whether it did. */
  private remember(id: string, reported: Revised): boolean {
    const known = this.newest.get(id);
    if (known && known.revision >= reported.revision) return false;
    this.newest.set(id, { value: reported.value, revision: reported.revision });
    return true;
  }

  /** `param` with the newest value and revision known for its id. */
  private withNewest(param: ParameterInfo): ParameterInfo {
    const newest = this.newest.get(param.id);
    if (!newest || (newest.value === param.value && newest.revision === param.revision)) return param;
    return { ...param, value: newest.value, revision: newest.revision };
  }

  /** Recomputes what `id` shows; returns `[id]` when that changed, else `[]`. */
  private reshow(id: string): string[] {
    const info = this.confirmed.get(id);
    const before = this.shown.get(id);
    if (!info) {
      if (!before) return [];
      this.shown.delete(id);
      return [id];
    }
    const override = this.overrides.get(id);
    const next = override && override.value !== info.value ? { ...info, value: override.value } : info;
    if (before && sameShown(before, next)) return [];
    this.shown.set(id, next);
    return [id];
  }

  /** Rebuilds the list's shape if ids, order or any shape changed; returns whether it did. */
  private reshape(): boolean {
    const order = this.order ?? [];
    const before = this.list.parameters;
    const same =
      before !== null &&
      before.length === order.length &&
      order.every((id, index) => before[index]?.id === id && sameShape(before[index], this.confirmed.get(id)));
    if (same) return false;
    const old = new Map(before?.map((shape) => [shape.id, shape]));
    const shapes = order.map((id) => {
      const info = this.confirmed.get(id) as ParameterInfo;
      const kept = old.get(id);
      return kept && sameShape(kept, info) ? kept : shapeOf(info);
    });
    this.list = { parameters: shapes, error: this.error };
    return true;
  }

  /** Sets the last failure; returns whether it changed. */
  private setError(error: Error | null): boolean {
    if (this.error === error) return false;
    this.error = error;
    this.list = { parameters: this.list.parameters, error };
    return true;
  }

  private fail(error: unknown): void {
    this.commit({ ids: [], list: this.setError(asError(error)) });
  }

  /** Tells the listeners of what changed: each id's, the list's, and everything's. */
  private commit({ ids, list }: Touched): void {
    if (ids.length === 0 && !list) return;
    this.all = null;
    for (const id of ids) this.idListeners.get(id)?.emit();
    if (list) this.listListeners.emit();
    this.allListeners.emit();
  }
}

/** Whether a `parametersChanged` says anything changed (an unchanged build's says nothing). */
function namesAnyId({ added, removed, changed }: ParametersChanged): boolean {
  return added.length > 0 || removed.length > 0 || changed.length > 0;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
