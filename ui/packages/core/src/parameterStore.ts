/**
 * ParameterStore: the UI's copy of the engine's parameter list, kept in step
 * with the server through one IpcBridge.
 *
 * It fetches on every (re)connect and on `parametersChanged`, applies
 * `parameterChanged` pushes, and sets values optimistically: the new value
 * shows at once and falls back to the last value the server confirmed if the
 * server refuses. Every value the server reports carries its revision; per id
 * the store keeps the value with the highest one, so a `setParameter` reply or
 * a `getAllParameters` result that was overtaken by a newer `parameterChanged`
 * (replies queue behind the broadcasts other clients caused) cannot bring an
 * old value back. Revisions are compared within one connection only: a new
 * connection may be to a restarted server, whose count starts again.
 * Unchanged parameters keep their object identity across fetches, so
 * memoised controls do not re-render. No React in here; the hooks read it
 * through `useSyncExternalStore`.
 */
import type { IpcBridge } from "./bridge";
import { Listeners, type Unsubscribe } from "./transports/transport";
import { METHODS, NOTIFICATIONS, type ParameterInfo } from "./wire";

/** What the hooks read: the list (null until the first fetch) and the last failure. */
export interface ParametersSnapshot {
  parameters: ParameterInfo[] | null;
  error: Error | null;
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

/** Holds the parameter list for one bridge. */
export class ParameterStore {
  private confirmed: ParameterInfo[] | null = null;
  /** Per id, the newest value the server reported on this connection. */
  private readonly newest = new Map<string, Revised>();
  private readonly overrides = new Map<string, Override>();
  private snapshot: ParametersSnapshot = { parameters: null, error: null };
  private readonly listeners = new Listeners<[]>();
  private fetchSeq = 0;
  private setSeq = 0;

  constructor(private readonly bridge: IpcBridge) {}

  /** Starts following the server; returns the function that stops it. */
  start(): Unsubscribe {
    const stops = [
      this.bridge.onStateChange((state) => {
        if (state !== "open") return;
        this.newest.clear();
        void this.refresh();
      }),
      this.bridge.on(NOTIFICATIONS.parametersChanged, () => void this.refresh()),
      this.bridge.on(NOTIFICATIONS.parameterChanged, (change) => {
        if (this.confirm(change)) this.publish(this.snapshot.error);
      }),
    ];
    if (this.bridge.state === "open") void this.refresh();
    return () => {
      for (const stop of stops) stop();
    };
  }

  /** Adds a change listener (for `useSyncExternalStore`). */
  subscribe = (listener: () => void): Unsubscribe => this.listeners.add(listener);

  /** The current immutable snapshot (for `useSyncExternalStore`). */
  getSnapshot = (): ParametersSnapshot => this.snapshot;

  /** Re-fetches the whole list; a newer fetch wins over an older one. */
  async refresh(): Promise<void> {
    const seq = ++this.fetchSeq;
    try {
      const { parameters } = await this.bridge.request(METHODS.getAllParameters);
      if (seq !== this.fetchSeq) return;
      const ids = new Set(parameters.map((param) => param.id));
      for (const id of this.newest.keys()) if (!ids.has(id)) this.newest.delete(id);
      for (const id of this.overrides.keys()) if (!ids.has(id)) this.overrides.delete(id);
      for (const param of parameters) this.remember(param.id, param);
      this.confirmed = parameters.map((param) => this.newestOf(param));
      this.publish(null);
    } catch (error) {
      if (seq === this.fetchSeq) this.publish(asError(error));
    }
  }

  /**
   * Sets a value optimistically. Resolves once the server answered; never
   * rejects: a refusal rolls the value back and lands in `snapshot.error`.
   */
  async set(id: string, value: number): Promise<void> {
    const token = ++this.setSeq;
    this.overrides.set(id, { value, token });
    this.publish(this.snapshot.error);
    try {
      const result = await this.bridge.request(METHODS.setParameter, { id, value });
      if (this.overrides.get(id)?.token === token) this.overrides.delete(id);
      this.confirm(result);
      this.publish(null);
    } catch (error) {
      if (this.overrides.get(id)?.token === token) this.overrides.delete(id);
      this.publish(asError(error));
    }
  }

  /**
   * Tells the server a person started editing `id` (pressed a slider, holds a key), so a
   * plugin host can open a DAW automation gesture; `endEdit` closes it. Resolves once the
   * server answered; never rejects: a failure lands in `snapshot.error`.
   */
  async beginEdit(id: string): Promise<void> {
    await this.gesture(METHODS.beginEdit, id);
  }

  /** Tells the server the edit `beginEdit` started is over. Never rejects, like `beginEdit`. */
  async endEdit(id: string): Promise<void> {
    await this.gesture(METHODS.endEdit, id);
  }

  private async gesture(method: typeof METHODS.beginEdit | typeof METHODS.endEdit, id: string): Promise<void> {
    try {
      await this.bridge.request(method, { id });
    } catch (error) {
      this.publish(asError(error));
    }
  }

  /** Records a value the server reported unless a newer one is known; returns whether the list changed. */
  private confirm({ id, value, revision }: { id: string } & Revised): boolean {
    if (!this.remember(id, { value, revision }) || !this.confirmed) return false;
    let touched = false;
    this.confirmed = this.confirmed.map((param) => {
      if (param.id !== id) return param;
      touched = true;
      return this.newestOf(param);
    });
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
  private newestOf(param: ParameterInfo): ParameterInfo {
    const newest = this.newest.get(param.id);
    if (!newest || (newest.value === param.value && newest.revision === param.revision)) return param;
    return { ...param, value: newest.value, revision: newest.revision };
  }

  private publish(error: Error | null): void {
    const parameters =
      this.confirmed?.map((param) => {
        const override = this.overrides.get(param.id);
        return override && override.value !== param.value ? { ...param, value: override.value } : param;
      }) ?? null;
    this.snapshot = { parameters: this.reuse(parameters), error };
    this.listeners.emit();
  }

  /** Keeps the previous snapshot's objects where nothing changed, so memo works. */
  private reuse(next: ParameterInfo[] | null): ParameterInfo[] | null {
    const before = this.snapshot.parameters;
    if (!next || !before) return next;
    const byId = new Map(before.map((param) => [param.id, param]));
    return next.map((param) => {
      const old = byId.get(param.id);
      return old && sameParameter(old, param) ? old : param;
    });
  }
}

function sameParameter(a: ParameterInfo, b: ParameterInfo): boolean {
  return (
    a.id === b.id &&
    a.name === b.name &&
    a.kind === b.kind &&
    a.min === b.min &&
    a.max === b.max &&
    a.default === b.default &&
    a.value === b.value &&
    a.revision === b.revision &&
    a.unit === b.unit &&
    a.group === b.group &&
    a.step === b.step &&
    a.skew === b.skew &&
    a.variants.length === b.variants.length &&
    a.variants.every((variant, index) => variant === b.variants[index])
  );
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
