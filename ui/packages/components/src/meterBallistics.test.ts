import { describe, expect, it } from "vitest";
import { advance, initialLevel, settled, type BallisticsOptions } from "./meterBallistics";

const options: BallisticsOptions = { floorDb: -60, releaseDbPerSecond: 20, peakHoldMs: 1000 };

describe("meter ballistics", () => {
  it("rises at once and falls at the release rate, never below the target", () => {
    const start = initialLevel({ peakDb: -30, rmsDb: -40 });
    expect(advance(start, { peakDb: -3, rmsDb: -10 }, 0, options)).toMatchObject({ peakDb: -3, rmsDb: -10 });
    const falling = advance(initialLevel({ peakDb: -3, rmsDb: -10 }), { peakDb: -9, rmsDb: -50 }, 250, options);
    expect(falling).toMatchObject({ peakDb: -8, rmsDb: -15 });
    expect(advance(falling, { peakDb: -9, rmsDb: -50 }, 250, options)).toMatchObject({ peakDb: -9, rmsDb: -20 });
  });

  it("drops to silence once a fall passes the floor", () => {
    const low = initialLevel({ peakDb: -59, rmsDb: -59 });
    const next = advance(low, { peakDb: -Infinity, rmsDb: -Infinity }, 100, options);
    expect(next.rmsDb).toBe(-Infinity);
    expect(next.peakDb).toBe(-Infinity);
  });

  it("holds the peak for the hold time, then falls for only the part of a step past it", () => {
    let shown = initialLevel({ peakDb: -6, rmsDb: -20 });
    const quiet = { peakDb: -40, rmsDb: -50 };
    shown = advance(shown, quiet, 900, options);
    expect(shown.holdDb).toBe(-6);
    // 100 ms more of hold, then 100 ms of falling at 20 dB/s.
    shown = advance(shown, quiet, 200, options);
    expect(shown.holdDb).toBeCloseTo(-8, 9);
    expect(settled(shown, quiet)).toBe(false);
    shown = advance(shown, quiet, 5000, options);
    expect(shown.holdDb).toBe(-40);
    expect(settled(shown, quiet)).toBe(true);
  });

  it("takes a new highest peak into the hold and starts its time again", () => {
    let shown = advance(initialLevel({ peakDb: -20, rmsDb: -30 }), { peakDb: -30, rmsDb: -30 }, 900, options);
    shown = advance(shown, { peakDb: -12, rmsDb: -30 }, 10, options);
    expect(shown).toMatchObject({ holdDb: -12, holdAgeMs: 0 });
  });
});
