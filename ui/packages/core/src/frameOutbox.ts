/**
 * FrameOutbox: the parameter store's sends, throttled per id to one per
 * frame: a value goes out at once when its id sent none since the last
 * frame was drawn, so the engine hears the start of a drag without waiting
 * for a frame; a value set again within that frame waits, replacing any
 * value still waiting, and goes right after the frame is drawn (a page that
 * posts before its frame is drawn gets the reply only once it is, so the
 * reply would wait behind the drawing). A drag thus costs the wire at most
 * one `setParameter` per frame per id, and the last value always goes.
 *
 * Anything else for an id with something waiting (an edit gesture) waits
 * behind it, so the server sees every call in the order it was made:
 * `beginEdit`, the values, `endEdit` after the last value. A gesture with
 * nothing waiting goes at once. The outbox only orders and coalesces; it
 * never looks at what a send does, and the sends it runs must never reject.
 */

/** Runs `callback` once, after the next frame is drawn (or whenever a test says it was). */
export type FrameScheduler = (callback: () => void) => void;

/**
 * The browser's frames: a task of its own after the next frame is drawn
 * (`requestAnimationFrame`, then a message to itself), with a timer as a
 * fallback, so a value set while the page is hidden (no frames are drawn)
 * still goes out.
 */
export const animationFrames: FrameScheduler = (callback) => {
  let frame: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  // The frame's task and the timer may both come (a frame drawn just before the timer's due).
  let ran = false;
  const run = () => {
    if (ran) return;
    ran = true;
    if (frame !== null) cancelAnimationFrame(frame);
    if (timer !== null) clearTimeout(timer);
    frame = timer = null;
    callback();
  };
  timer = setTimeout(run, HIDDEN_PAGE_FALLBACK_MS);
  if (typeof requestAnimationFrame === "function") frame = requestAnimationFrame(() => afterRendering(run));
};

/** Runs `callback` in a task of its own, after the rendering of the frame whose callback asked. */
function afterRendering(callback: () => void): void {
  if (typeof MessageChannel !== "function") {
    setTimeout(callback, 0);
    return;
  }
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    callback();
  };
  channel.port2.postMessage(null);
}

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

/** Throttles sends per id to one per frame; see the module doc. */
export class FrameOutbox {
  private readonly queues = new Map<string, Queued[]>();
  /** Ids that sent a value since the last frame was drawn. */
  private readonly sentThisFrame = new Set<string>();
  private frameAsked = false;

  constructor(private readonly scheduleFrame: FrameScheduler) {}

  /**
   * Sends a value for `id` now if it sent none since the last frame was drawn; otherwise
   * queues it for right after the next one, replacing a queued value not yet sent.
   * Resolves once the send that carried it (or the value that replaced it) settled.
   */
  value(id: string, send: () => Promise<void>): Promise<void> {
    const queue = this.queues.get(id);
    const last = queue?.at(-1);
    if (last?.value) {
      last.send = send;
      return last.sent;
    }
    if (!queue && !this.sentThisFrame.has(id)) {
      this.sentThisFrame.add(id);
      this.askForFrame();
      return send();
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

  /**
   * Sends everything queued now, each id's items in order (the frame calls this; so does
   * stopping). An id that sent a value here has sent its one for the coming frame.
   */
  flush = (): void => {
    this.frameAsked = false;
    this.sentThisFrame.clear();
    const queues = [...this.queues.entries()];
    this.queues.clear();
    for (const [id, queue] of queues) {
      if (queue.some((queued) => queued.value)) this.sentThisFrame.add(id);
      for (const queued of queue) void queued.send().then(queued.settle);
    }
    if (this.sentThisFrame.size > 0) this.askForFrame();
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
