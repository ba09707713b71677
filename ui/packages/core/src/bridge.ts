/**
 * IpcBridge: JSON-RPC 2.0 over any Transport.
 *
 * It owns request ids and timeouts, notification subscriptions, and the
 * reconnect loop (capped exponential backoff with jitter, forever). Requests
 * made while disconnected wait for the link and fail with a timeout that
 * says so (after `stop()` they fail at once); subscriptions live on the
 * bridge, so they survive reconnects.
 * It keeps why the link closed, as a LinkStatus a person can be shown.
 * It never touches React and never interprets what a method means.
 */
import { IpcConnectionError, IpcError, IpcTimeoutError } from "./errors";
import type { MethodName, NotificationMap, NotificationName, ParamsOf, ResultOf } from "./rpc";
import { Listeners, type Transport, type Unsubscribe } from "./transports/transport";
import type { JsonRpcErrorObject } from "./wire";

/** Whether the bridge has a live link. `closed` means waiting to retry (or stopped). */
export type ConnectionState = "connecting" | "open" | "closed";

/**
 * What a person should be told about the link. Unlike ConnectionState it does
 * not flip on every retry: it changes only when the situation does, and a
 * `reason` is the close that began the situation.
 */
export type LinkStatus =
  /** The first attempt since `start()` is under way. */
  | { kind: "connecting" }
  | { kind: "open" }
  /** The link was open and closed; the bridge is retrying. */
  | { kind: "lost"; reason: string }
  /** No attempt since `start()` has opened (no server there, or it refused us); the bridge is retrying. */
  | { kind: "unreachable"; reason: string; endpoint: string }
  /** `stop()` was called. */
  | { kind: "stopped" };

/** How the bridge waits between reconnect attempts. */
export interface BackoffOptions {
  /** Delay before the first retry, in ms. */
  initialMs: number;
  /** Upper bound for any delay, in ms. */
  maxMs: number;
  /** Each delay is scaled by a random factor in [1 - jitter, 1 + jitter] (then capped). */
  jitter: number;
}

/** Tunables for an IpcBridge. */
export interface IpcBridgeOptions {
  /** Default per-request timeout in ms (5000). */
  requestTimeoutMs?: number;
  /** Reconnect policy (250 ms doubling to 5 s, ±20 %). */
  backoff?: Partial<BackoffOptions>;
  /** Source of randomness for jitter, in [0, 1); injectable for tests. */
  random?: () => number;
}

/** Per-call options for `request`. */
export interface RequestOptions {
  /** Overrides the bridge's default timeout for this call. */
  timeoutMs?: number;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 5000, jitter: 0.2 };

/** The delay before reconnect attempt number `attempt` (0-based). */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const exponential = options.initialMs * 2 ** Math.min(attempt, 30);
  const jittered = exponential * (1 + options.jitter * (2 * random() - 1));
  return Math.max(0, Math.min(options.maxMs, jittered));
}

interface Pending {
  method: string;
  text: string;
  sent: boolean;
  timer: ReturnType<typeof setTimeout>;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

type NotificationHandler = (params: unknown) => void;

/** A JSON-RPC client that keeps itself connected. */
export class IpcBridge {
  private readonly timeoutMs: number;
  private readonly backoff: BackoffOptions;
  private readonly random: () => number;
  private readonly pending = new Map<number, Pending>();
  private readonly subscriptions = new Map<string, Listeners<[unknown]>>();
  private readonly stateListeners = new Listeners<[ConnectionState]>();
  private readonly statusListeners = new Listeners<[LinkStatus]>();
  private readonly detachTransport: Unsubscribe[] = [];
  private nextId = 1;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  /** Set by `stop()` until the next `start()`; before the first `start()` requests wait for the link. */
  private stopped = false;
  private currentState: ConnectionState = "closed";
  private currentStatus: LinkStatus = { kind: "stopped" };
  /** Whether the link has opened since the last `start()`. */
  private openedSinceStart = false;

  constructor(
    private readonly transport: Transport,
    options: IpcBridgeOptions = {},
  ) {
    this.timeoutMs = options.requestTimeoutMs ?? 5000;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.random = options.random ?? Math.random;
  }

  /** The link's state now. */
  get state(): ConnectionState {
    return this.currentState;
  }

  /** What to tell a person about the link now; the same object until the situation changes. */
  get status(): LinkStatus {
    return this.currentStatus;
  }

  /** Connects and keeps reconnecting until `stop()`. Calling it again is harmless. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopped = false;
    this.detachTransport.push(
      this.transport.onOpen(() => this.handleOpen()),
      this.transport.onClose((reason) => this.handleClose(reason)),
      this.transport.onMessage((text) => this.handleMessage(text)),
    );
    this.attempt = 0;
    this.openedSinceStart = false;
    this.setStatus({ kind: "connecting" });
    this.connectNow();
  }

  /** Closes the link, stops retrying and fails every pending request. `start()` may follow. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.stopped = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    for (const detach of this.detachTransport.splice(0)) detach();
    this.transport.close();
    this.failPending(() => true, "the bridge was stopped");
    this.setState("closed");
    this.setStatus({ kind: "stopped" });
  }

  /**
   * Calls `method` and resolves with its result. While the link is down the
   * request waits for it (until its timeout). Rejects with IpcError (the
   * server refused), IpcTimeoutError, or IpcConnectionError (the link or the
   * bridge closed after the request was sent, or at once when the bridge
   * has been stopped).
   */
  request<M extends MethodName>(
    method: M,
    ...args: ParamsOf<M> extends undefined ? [params?: undefined, options?: RequestOptions] : [params: ParamsOf<M>, options?: RequestOptions]
  ): Promise<ResultOf<M>> {
    const [params, options] = args;
    if (this.stopped) {
      return Promise.reject(new IpcConnectionError(method, "the bridge was stopped; call start() to connect again"));
    }
    const id = this.nextId++;
    const timeoutMs = options?.timeoutMs ?? this.timeoutMs;
    // Methods without params get `{}`: the server's NoParams accepts exactly that.
    const message = { jsonrpc: "2.0", id, method, params: params ?? {} };
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const pending: Pending = {
        method,
        text: JSON.stringify(message),
        sent: false,
        resolve: resolve as (value: unknown) => void,
        reject,
        timer: setTimeout(() => {
          this.pending.delete(id);
          reject(new IpcTimeoutError(method, timeoutMs, pending.sent));
        }, timeoutMs),
      };
      this.pending.set(id, pending);
      if (this.currentState === "open") this.trySend(pending);
    });
  }

  /** Subscribes to notification `method`; returns the unsubscriber (idempotent). Survives reconnects. */
  on<N extends NotificationName>(method: N, handler: (params: NotificationMap[N]) => void): Unsubscribe {
    let listeners = this.subscriptions.get(method);
    if (!listeners) {
      listeners = new Listeners<[unknown]>();
      this.subscriptions.set(method, listeners);
    }
    const remove = listeners.add(handler as NotificationHandler);
    return () => {
      remove();
      // A second call must not drop a set created later for newer subscribers.
      if (listeners.size === 0 && this.subscriptions.get(method) === listeners) this.subscriptions.delete(method);
    };
  }

  /** Calls `listener` on every state change; returns the unsubscriber. */
  onStateChange(listener: (state: ConnectionState) => void): Unsubscribe {
    return this.stateListeners.add(listener);
  }

  /** Calls `listener` when `status` changes kind (a retry that fails again changes nothing). */
  onStatusChange(listener: (status: LinkStatus) => void): Unsubscribe {
    return this.statusListeners.add(listener);
  }

  private connectNow(): void {
    this.retryTimer = null;
    this.setState("connecting");
    this.transport.connect();
  }

  private handleOpen(): void {
    this.attempt = 0;
    this.openedSinceStart = true;
    // Queued requests go first, in the order they were made: a listener told
    // of the open below may send at once, and must not overtake them.
    for (const pending of this.pending.values()) {
      if (!pending.sent) this.trySend(pending);
    }
    this.setState("open");
    this.setStatus({ kind: "open" });
  }

  private handleClose(reason: string): void {
    if (!this.running) return;
    this.failPending((pending) => pending.sent, "the connection closed before the answer arrived");
    this.setState("closed");
    this.setStatus(
      this.openedSinceStart
        ? { kind: "lost", reason }
        : { kind: "unreachable", reason, endpoint: this.transport.endpoint },
    );
    if (this.retryTimer !== null) return;
    const delay = backoffDelay(this.attempt, this.backoff, this.random);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this.connectNow(), delay);
  }

  private handleMessage(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      console.error("wavecraft: ignoring a frame that is not JSON", text);
      return;
    }
    const messages = Array.isArray(parsed) ? parsed : [parsed];
    for (const message of messages) this.dispatch(message);
  }

  private dispatch(message: unknown): void {
    if (typeof message !== "object" || message === null) return;
    const record = message as Record<string, unknown>;
    if (typeof record.method === "string" && record.id === undefined) {
      this.subscriptions.get(record.method)?.emit(record.params);
      return;
    }
    if (typeof record.id !== "number") return;
    const pending = this.pending.get(record.id);
    if (!pending) return;
    const error = record.error as JsonRpcErrorObject | undefined;
    if (error) {
      this.settle(record.id, pending, new IpcError(pending.method, error.code, error.message, error.data));
    } else {
      this.settle(record.id, pending, null, record.result);
    }
  }

  private trySend(pending: Pending): void {
    try {
      this.transport.send(pending.text);
      pending.sent = true;
    } catch {
      // The link closed under us; the request stays queued for the next open.
    }
  }

  private settle(id: number, pending: Pending, error: Error | null, result?: unknown): void {
    clearTimeout(pending.timer);
    this.pending.delete(id);
    if (error) pending.reject(error);
    else pending.resolve(result);
  }

  private failPending(which: (pending: Pending) => boolean, reason: string): void {
    for (const [id, pending] of [...this.pending]) {
      if (which(pending)) this.settle(id, pending, new IpcConnectionError(pending.method, reason));
    }
  }

  private setState(state: ConnectionState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.stateListeners.emit(state);
  }

  /** Keeps the current status while its kind is unchanged, so retries are not re-announced. */
  private setStatus(status: LinkStatus): void {
    if (status.kind === this.currentStatus.kind) return;
    this.currentStatus = status;
    this.statusListeners.emit(status);
  }
}
