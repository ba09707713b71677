/**
 * ParameterStore: the UI's copy of the engine's parameter list, kept in step
 * with the server through one IpcBridge.
 *
 * It fetches on every (re)connect and on `parametersChanged`, applies
 * `parameterChanged` pushes, and sets values optimistically: the new value
 * shows at once and falls back to the last value the server confirmed if the
 * server refuses. Unchanged parameters keep their object identity across
 * fetches, so memoised controls do not re-render. No React in here; the
 * hooks read it through `useSyncExternalStore`.
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

/** Holds the parameter list for one bridge. */
export class ParameterStore {
  private confirmed: ParameterInfo[] | null = null;
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
        if (state === "open") void this.refresh();
      }),
      this.bridge.on(NOTIFICATIONS.parametersChanged, () => void this.refresh()),
      this.bridge.on(NOTIFICATIONS.parameterChanged, ({ id, value }) => {
        if (this.confirm(id, value)) this.publish(this.snapshot.error);
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
      this.confirmed = parameters;
      const ids = new Set(parameters.map((param) => param.id));
      for (const id of this.overrides.keys()) if (!ids.has(id)) this.overrides.delete(id);
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
      this.confirm(result.id, result.value);
      this.publish(null);
    } catch (error) {
      if (this.overrides.get(id)?.token === token) this.overrides.delete(id);
      this.publish(asError(error));
    }
  }

  /** Records a value the server vouched for; returns whether anything changed. */
  private confirm(id: string, value: number): boolean {
    if (!this.confirmed) return false;
    let touched = false;
    this.confirmed = this.confirmed.map((param) => {
      if (param.id !== id || param.value === value) return param;
      touched = true;
      return { ...param, value };
    });
    return touched;
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
