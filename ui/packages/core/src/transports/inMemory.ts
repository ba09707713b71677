/**
 * InMemoryTransport and its scripted server: a whole Wavecraft link inside
 * one process, for tests and storybook-like harnesses. No socket is opened.
 *
 * The server side answers requests with handlers the test registers,
 * pushes notifications, and can drop the link and refuse reconnects until
 * restored. Frames are delivered on a later microtask, never re-entrantly,
 * like a real socket.
 */
import type { MethodName, NotificationMap, NotificationName, ResultOf, WireParamsOf } from "../rpc";
import {
  ERROR_CODES,
  METHODS,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
  type JsonValue,
} from "../wire";
import { Listeners, type Transport, type Unsubscribe } from "./transport";

/** Thrown by a server handler to answer with a JSON-RPC error. */
export class RpcFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: JsonValue,
  ) {
    super(message);
    this.name = "RpcFailure";
  }
}

type Handler = (params: unknown) => unknown;

/** A handler for every method: a method the catalog gains and this lacks does not type-check. */
export type MethodHandlers = {
  [M in MethodName]: (params: WireParamsOf<M>) => ResultOf<M> | Promise<ResultOf<M>>;
};

const later = (fn: () => void): void => {
  void Promise.resolve().then(fn);
};

/** The scripted server end of an in-memory link. */
export class InMemoryServer {
  /** Every request received, in arrival order (notifications included). */
  readonly requests: (JsonRpcRequest | JsonRpcNotification)[] = [];
  private readonly handlers = new Map<string, Handler>();
  private client: InMemoryTransport | null = null;
  private accepting: boolean;
  private epoch = 0;
  private openCount = 0;

  constructor(options: { accepting?: boolean } = {}) {
    this.accepting = options.accepting ?? true;
  }

  /** Answers `method` with `handler`'s result (or its `RpcFailure`). Replaces a previous handler. */
  handle<M extends MethodName>(
    method: M,
    handler: (params: WireParamsOf<M>) => ResultOf<M> | Promise<ResultOf<M>>,
  ): this {
    this.handlers.set(method, handler as Handler);
    return this;
  }

  /** Answers every method of the catalog, one handler each. */
  handleAll(handlers: MethodHandlers): this {
    for (const method of Object.values(METHODS)) this.handlers.set(method, handlers[method] as Handler);
    return this;
  }

  /** Pushes a notification; returns false when no client is connected. */
  notify<N extends NotificationName>(method: N, params: NotificationMap[N]): boolean {
    const client = this.client;
    if (!client) return false;
    client.deliver(JSON.stringify({ jsonrpc: "2.0", method, params }));
    return true;
  }

  /** Closes the link from the server side and refuses new connections until `restore()`. */
  drop(reason = "dropped by server"): void {
    this.accepting = false;
    const client = this.client;
    this.client = null;
    this.epoch += 1;
    client?.remoteClosed(reason);
  }

  /** Accepts connections again. */
  restore(): void {
    this.accepting = true;
  }

  /** Whether a client is connected now. */
  get connected(): boolean {
    return this.client !== null;
  }

  /** How many connections have been accepted so far. */
  get connectionCount(): number {
    return this.openCount;
  }

  /** Requests received for `method`. */
  callsTo(method: string): (JsonRpcRequest | JsonRpcNotification)[] {
    return this.requests.filter((request) => request.method === method);
  }

  /** @internal called by the transport when it tries to connect. */
  accept(client: InMemoryTransport): boolean {
    if (!this.accepting) return false;
    this.client = client;
    this.openCount += 1;
    this.epoch += 1;
    return true;
  }

  /** @internal called by the transport when it closes its end. */
  disconnect(client: InMemoryTransport): void {
    if (this.client !== client) return;
    this.client = null;
    this.epoch += 1;
  }

  /** @internal called with every frame the client sends. */
  receive(text: string): void {
    let request: JsonRpcRequest | JsonRpcNotification;
    try {
      request = JSON.parse(text) as JsonRpcRequest | JsonRpcNotification;
    } catch {
      this.reply({ jsonrpc: "2.0", id: null, error: { code: ERROR_CODES.parseError, message: "parse error" } });
      return;
    }
    this.requests.push(request);
    if (!("id" in request)) return;
    const { id } = request;
    const handler = this.handlers.get(request.method);
    if (!handler) {
      this.reply({
        jsonrpc: "2.0",
        id,
        error: { code: ERROR_CODES.methodNotFound, message: `method not found: ${request.method}` },
      });
      return;
    }
    const epoch = this.epoch;
    void Promise.resolve()
      .then(() => handler(request.params))
      .then(
        (result): JsonRpcResponse => ({ jsonrpc: "2.0", id, result: result as JsonValue }),
        (error: unknown): JsonRpcResponse => {
          const failure =
            error instanceof RpcFailure
              ? { code: error.code, message: error.message, data: error.data }
              : { code: ERROR_CODES.internalError, message: String(error) };
          return { jsonrpc: "2.0", id, error: failure };
        },
      )
      .then((response) => {
        // An answer computed for a connection that has since dropped is lost, as on a socket.
        if (epoch === this.epoch) this.reply(response);
      });
  }

  private reply(response: JsonRpcResponse): void {
    this.client?.deliver(JSON.stringify(response));
  }
}

/** The client end of an in-memory link; pass it to an IpcBridge. */
export class InMemoryTransport implements Transport {
  readonly endpoint = "the in-memory server";
  private readonly messages = new Listeners<[string]>();
  private readonly opens = new Listeners<[]>();
  private readonly closes = new Listeners<[string]>();
  private open = false;

  constructor(private readonly server: InMemoryServer) {}

  connect(): void {
    later(() => {
      if (this.open) return;
      if (this.server.accept(this)) {
        this.open = true;
        this.opens.emit();
      } else {
        this.closes.emit("connection refused");
      }
    });
  }

  send(text: string): void {
    if (!this.open) throw new Error("in-memory transport is not open");
    later(() => this.server.receive(text));
  }

  onMessage(handler: (text: string) => void): Unsubscribe {
    return this.messages.add(handler);
  }

  onOpen(handler: () => void): Unsubscribe {
    return this.opens.add(handler);
  }

  onClose(handler: (reason: string) => void): Unsubscribe {
    return this.closes.add(handler);
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.server.disconnect(this);
    later(() => this.closes.emit("closed by client"));
  }

  /** @internal a frame from the server. */
  deliver(text: string): void {
    later(() => {
      if (this.open) this.messages.emit(text);
    });
  }

  /** @internal the server closed the link. */
  remoteClosed(reason: string): void {
    if (!this.open) return;
    this.open = false;
    later(() => this.closes.emit(reason));
  }
}

/** Creates a connected pair: the transport for the bridge and the server for the test. */
export function createInMemoryLink(options: { accepting?: boolean } = {}): {
  transport: InMemoryTransport;
  server: InMemoryServer;
} {
  const server = new InMemoryServer(options);
  return { transport: new InMemoryTransport(server), server };
}
