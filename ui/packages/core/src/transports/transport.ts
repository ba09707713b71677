/**
 * The one small interface every link to the Wavecraft server implements.
 *
 * A transport moves text frames and reports opening and closing; it knows
 * nothing about JSON-RPC, ids or retries (the IpcBridge owns those). After a
 * close, `connect()` may be called again to make a fresh attempt.
 */

/** Removes a listener that was added with one of the `on…` methods. */
export type Unsubscribe = () => void;

/** A bidirectional text channel to the server. */
export interface Transport {
  /** Where it connects, as a person should read it (e.g. the WebSocket URL). */
  readonly endpoint: string;
  /** Starts one connection attempt; ends in exactly one `onOpen` or `onClose`. */
  connect(): void;
  /** Sends one text frame; throws if the channel is not open. */
  send(text: string): void;
  /** Called with every text frame that arrives. */
  onMessage(handler: (text: string) => void): Unsubscribe;
  /** Called when an attempt succeeds. */
  onOpen(handler: () => void): Unsubscribe;
  /** Called when an attempt fails or an open channel closes. */
  onClose(handler: (reason: string) => void): Unsubscribe;
  /** Closes the current channel, if any; `onClose` fires if it was open or opening. */
  close(): void;
}

/** A set of listeners with add/remove and a safe emit. */
export class Listeners<A extends unknown[]> {
  /** One entry per `add`, so the same function added twice is two registrations. */
  private readonly handlers = new Set<{ handler: (...args: A) => void }>();

  /** Adds a listener and returns its remover, which removes this registration only and may be called again. */
  add(handler: (...args: A) => void): Unsubscribe {
    const entry = { handler };
    this.handlers.add(entry);
    return () => {
      this.handlers.delete(entry);
    };
  }

  /** Calls every listener; one that throws does not stop the others. */
  emit(...args: A): void {
    for (const { handler } of [...this.handlers]) {
      try {
        handler(...args);
      } catch (error) {
        console.error("wavecraft: listener threw", error);
      }
    }
  }

  /** How many listeners are attached. */
  get size(): number {
    return this.handlers.size;
  }
}
