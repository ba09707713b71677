/**
 * The browser frame scheduler: the callback runs once, at the next animation
 * frame, or after the fallback timer when no frame comes (a hidden page).
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

describe("animationFrames", () => {
  it("runs the callback at the next frame, once", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const frames = stubFrames();
    const callback = vi.fn();
    animationFrames(callback);
    expect(callback).not.toHaveBeenCalled();
    frames.fire();
    expect(callback).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1_000);
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
