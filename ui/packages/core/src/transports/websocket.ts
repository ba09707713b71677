/**
 * WebSocketTransport: the dev server link, one WebSocket per attempt.
 * Reconnection policy lives in the IpcBridge, never here.
 */
import { Listeners, type Transport, type Unsubscribe } from "./transport";

/** Talks to the dev server over a browser WebSocket. */
export class WebSocketTransport implements Transport {
  private socket: WebSocket | null = null;
  private readonly messages = new Listeners<[string]>();
  private readonly opens = new Listeners<[]>();
  private readonly closes = new Listeners<[string]>();

  /** @param url e.g. `ws://127.0.0.1:9000/ws` (see `resolveWebSocketUrl`). */
  constructor(readonly url: string) {}

  get endpoint(): string {
    return this.url;
  }

  connect(): void {
    this.detach();
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url);
    } catch (error) {
      // A malformed URL throws synchronously; report it as a failed attempt.
      queueMicrotask(() => this.closes.emit(`cannot open ${this.url}: ${String(error)}`));
      return;
    }
    this.socket = socket;
    socket.onopen = () => this.opens.emit();
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data === "string") this.messages.emit(event.data);
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket === socket) this.socket = null;
      // A refused handshake (e.g. 403 for a foreign Origin) reaches a page only as code 1006, no reason.
      this.closes.emit(`closed with code ${event.code}${event.reason ? `: ${event.reason}` : ""}`);
    };
  }

  send(text: string): void {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
      throw new Error(`WebSocket to ${this.url} is not open`);
    }
    this.socket.send(text);
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
    this.socket?.close();
  }

  /** Forgets a previous socket so its late events cannot confuse a new attempt. */
  private detach(): void {
    const old = this.socket;
    if (!old) return;
    old.onopen = null;
    old.onmessage = null;
    old.onclose = null;
    old.close();
    this.socket = null;
  }
}
