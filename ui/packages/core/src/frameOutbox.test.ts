/**
 * The browser frame scheduler: the callback runs once, in a task of its own
 * after the next animation frame is drawn (not inside the frame's callback,
 * which runs before the drawing), or after the fallback timer when no frame
 * comes (a hidden page).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { animationFrames } from "./frameOutbox";

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

/** A requestAnimationFrame the test fires by hand. */
function stubFrames() {
  const frames = new Map<number, FrameRequestCallback>();
  let next = 1;
  vi.stubGlobal("requestAnimationFrame", (callback: FrameRequestCallback) => {
    frames.set(next, callback);
    return next++;
  });
  vi.stubGlobal("cancelAnimationFrame", (id: number) => frames.delete(id));
  return {
    fire: () => {
      const waiting = [...frames.values()];
      frames.clear();
      for (const callback of waiting) callback(performance.now());
    },
    get waiting() {
      return frames.size;
    },
  };
}

/** Lets `count` rounds of the page's tasks (messages to itself, as the scheduler posts) run. */
async function tasks(count: number): Promise<void> {
  for (let turn = 0; turn < count; turn++) {
    await new Promise<void>((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
}

describe("animationFrames", () => {
  it("runs the callback after the next frame is drawn, once", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const frames = stubFrames();
    const callback = vi.fn();
    animationFrames(callback);
    expect(callback).not.toHaveBeenCalled();
    frames.fire();
    // The frame's callback only asks for a task; the drawing comes first.
    expect(callback).not.toHaveBeenCalled();
    await tasks(10);
    expect(callback).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1_000);
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it("runs it once when the timer comes between the frame and its task", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const frames = stubFrames();
    const callback = vi.fn();
    animationFrames(callback);
    frames.fire();
    vi.advanceTimersByTime(100);
    expect(callback).toHaveBeenCalledTimes(1);
    await tasks(10);
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it("runs it after the fallback timer when no frame comes, once", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const frames = stubFrames();
    const callback = vi.fn();
    animationFrames(callback);
    vi.advanceTimersByTime(99);
    expect(callback).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(callback).toHaveBeenCalledTimes(1);
    expect(frames.waiting).toBe(0);
    frames.fire();
    expect(callback).toHaveBeenCalledTimes(1);
  });
});
