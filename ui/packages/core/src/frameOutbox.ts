/**
 * FrameOutbox: the parameter store's sends, held per id until the next
 * animation frame so a drag costs the wire at most one `setParameter` per
 * frame per id, and always the last value.
 *
 * A value queued for an id whose newest queued item is a value not yet sent
 * replaces it (both callers wait for the one send). Anything else for that id
 * (an edit gesture) waits behind what is queued, so the server sees every
 * call in the order it was made: `beginEdit`, the values, `endEdit` after
 * the last value. A gesture with nothing queued before it goes at once. The
 * outbox only orders and coalesces; it never looks at what a send does, and
 * the sends it runs must never reject.
 */

/** Runs `callback` once, at the next frame (or whenever a test says the frame has come). */
export type FrameScheduler = (callback: () => void) => void;

/**
 * The browser's frames: `requestAnimationFrame`, with a timer as a fallback, so
 * a value set while the page is hidden (no frames are drawn) still goes out.
 */
export const animationFrames: FrameScheduler = (callback) => {
  let frame: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    if (frame !== null) cancelAnimationFrame(frame);
    if (timer !== null) clearTimeout(timer);
    frame = timer = null;
    callback();
  };
  timer = setTimeout(run, HIDDEN_PAGE_FALLBACK_MS);
  if (typeof requestAnimationFrame === "function") frame = requestAnimationFrame(run);
};

/** How long a queued send waits when no frame comes (a hidden page draws none). */
const HIDDEN_PAGE_FALLBACK_MS = 100;

/** One queued send and everyone waiting for it. */
interface Queued {
  send: () => Promise<void>;
  /** A value (replaceable by a newer value) rather than a gesture. */
  value: boolean;
  sent: Promise<void>;
  settle: () => void;
}

/** Holds sends per id until the next frame; see the module doc. */
export class FrameOutbox {
  private readonly queues = new Map<string, Queued[]>();
  private frameAsked = false;

  constructor(private readonly scheduleFrame: FrameScheduler) {}

  /**
   * Queues a value send for `id`'s next frame, replacing a queued value not yet sent.
   * Resolves once the send that carried it (or the value that replaced it) settled.
   */
  value(id: string, send: () => Promise<void>): Promise<void> {
    const queue = this.queues.get(id);
    const last = queue?.at(-1);
    if (last?.value) {
      last.send = send;
      return last.sent;
    }
    const queued = this.enqueue(id, send, true);
    this.askForFrame();
    return queued;
  }

  /** Runs `send` now when nothing is queued for `id`, otherwise right after what is. */
  after(id: string, send: () => Promise<void>): Promise<void> {
    if (!this.queues.has(id)) return send();
    return this.enqueue(id, send, false);
  }

  /** Sends everything queued now, each id's items in order (the frame calls this; so does stopping). */
  flush = (): void => {
    this.frameAsked = false;
    const queues = [...this.queues.values()];
    this.queues.clear();
    for (const queue of queues) {
      for (const queued of queue) void queued.send().then(queued.settle);
    }
  };

  private enqueue(id: string, send: () => Promise<void>, value: boolean): Promise<void> {
    let settle = () => {};
    const sent = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const queue = this.queues.get(id);
    const queued = { send, value, sent, settle };
    if (queue) queue.push(queued);
    else this.queues.set(id, [queued]);
    return sent;
  }

  private askForFrame(): void {
    if (this.frameAsked) return;
    this.frameAsked = true;
    this.scheduleFrame(this.flush);
  }
}
