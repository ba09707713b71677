/**
 * NativeTransport: the link inside a plugin window, where the UI runs in a
 * webview (wry) instead of a browser tab.
 *
 * Outgoing frames go through `window.ipc.postMessage(text)` (wry's channel
 * to Rust). Incoming frames arrive when the Rust side evaluates
 * `window.__WAVECRAFT_IPC__.receive(text)`, so this transport installs that
 * receiver on connect and removes it on close. The channel lives as long as
 * the page, so it opens at once and never drops by itself. If the page is
 * not inside a plugin window there is no channel, and construction throws:
 * there is no fallback that pretends to talk to an engine.
 *
 * The plugin window (`crates/wavecraft/src/plugin_window`) implements the
 * other side, served by the same `IpcHandler` as dev mode, and
 * `defaultTransport` picks this transport whenever `window.ipc` exists, so
 * the author's UI code is the same in the browser and in the DAW.
 */
import { Listeners, type Transport, type Unsubscribe } from "./transport";

/** The outgoing half that the webview host injects. */
export interface NativeIpcChannel {
  postMessage(text: string): void;
}

/** The incoming half that this transport installs for the host to call. */
export interface NativeIpcReceiver {
  receive(text: string): void;
}

/** Global name under which the receiver is installed. */
export const NATIVE_RECEIVER_NAME = "__WAVECRAFT_IPC__";

type NativeGlobal = Record<string, unknown> & { ipc?: Partial<NativeIpcChannel> };

/** Talks to the plugin host through the webview's message channel. */
export class NativeTransport implements Transport {
  readonly endpoint = "the plugin host";
  private readonly channel: NativeIpcChannel;
  private readonly messages = new Listeners<[string]>();
  private readonly opens = new Listeners<[]>();
  private readonly closes = new Listeners<[string]>();
  private open = false;

  /**
   * @param scope the global object holding `ipc` (defaults to `globalThis`).
   * @throws Error when `scope.ipc.postMessage` is missing (not in a plugin window).
   */
  constructor(private readonly scope: NativeGlobal = globalThis) {
    const ipc = scope.ipc;
    if (!ipc || typeof ipc.postMessage !== "function") {
      throw new Error(
        "Wavecraft native IPC channel not found: window.ipc.postMessage is missing. " +
          "NativeTransport only works inside a Wavecraft plugin window; in a browser use WebSocketTransport.",
      );
    }
    const post = ipc.postMessage.bind(ipc);
    this.channel = { postMessage: post };
  }

  connect(): void {
    const receiver: NativeIpcReceiver = { receive: (text) => this.messages.emit(text) };
    this.scope[NATIVE_RECEIVER_NAME] = receiver;
    this.open = true;
    queueMicrotask(() => {
      if (this.open) this.opens.emit();
    });
  }

  send(text: string): void {
    if (!this.open) throw new Error("native IPC channel is not connected");
    this.channel.postMessage(text);
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
    Reflect.deleteProperty(this.scope, NATIVE_RECEIVER_NAME);
    this.closes.emit("native channel closed");
  }
}
