/**
 * Frames that come when a test says so: a FrameScheduler for the parameter
 * store (and WavecraftProvider's `scheduleFrame`) that holds every callback
 * until `next()`, so tests decide which sets fall into one frame.
 */
import type { FrameScheduler } from "../frameOutbox";

/** A manual frame clock. */
export interface ManualFrames {
  /** Pass this as `scheduleFrame`. */
  schedule: FrameScheduler;
  /** Runs the callbacks waiting for the next frame (not those they ask for). */
  next(): void;
  /** How many callbacks wait for the next frame. */
  readonly waiting: number;
}

/** Creates a manual frame clock. */
export function createManualFrames(): ManualFrames {
  const queue: (() => void)[] = [];
  return {
    schedule: (callback) => {
      queue.push(callback);
    },
    next: () => {
      for (const callback of queue.splice(0)) callback();
    },
    get waiting() {
      return queue.length;
    },
  };
}
