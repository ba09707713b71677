/**
 * Meter ballistics: how a shown level follows the pushed one. A rise shows at
 * once (fast attack); a fall is slowed to a fixed release rate in dB per
 * second, so a level the eye can read decays smoothly between the ~30 pushes
 * a second. The peak hold keeps the highest peak for a fixed time, then falls
 * at the same rate until it meets the shown peak. Below the meter's floor
 * there is nothing to animate: a level that falls past it jumps to where it
 * is going (silence is -Infinity). Pure numbers; no React, no timers.
 */

/** How fast a shown level falls, in dB per second. */
export const METER_RELEASE_DB_PER_S = 24;
/** How long the peak hold stays put after a new highest peak, in ms. */
export const METER_PEAK_HOLD_MS = 1500;

/** The ballistics' settings. */
export interface BallisticsOptions {
  /** Level below which nothing is drawn, in dBFS. */
  floorDb: number;
  /** Fall rate of the shown levels and of the hold once it lets go, in dB/s. */
  releaseDbPerSecond: number;
  /** How long the hold stays put, in ms. */
  peakHoldMs: number;
}

/** One channel as shown: levels in dBFS and how long the hold has stayed put. */
export interface ShownLevel {
  peakDb: number;
  rmsDb: number;
  holdDb: number;
  holdAgeMs: number;
}

/** What the latest push says for one channel, in dBFS. */
export interface TargetLevel {
  peakDb: number;
  rmsDb: number;
}

/** The first shown state for a channel: exactly its level, the hold on its peak. */
export function initialLevel(target: TargetLevel): ShownLevel {
  return { peakDb: target.peakDb, rmsDb: target.rmsDb, holdDb: target.peakDb, holdAgeMs: 0 };
}

/** `shown` moved toward `target` by at most `fall` dB downwards; rises at once. */
function follow(shown: number, target: number, fall: number, floorDb: number): number {
  if (target >= shown) return target;
  const fallen = shown - fall;
  if (fallen <= target) return target;
  return fallen <= floorDb ? target : fallen;
}

/** The shown state `elapsedMs` after `shown`, following `target`. */
export function advance(shown: ShownLevel, target: TargetLevel, elapsedMs: number, options: BallisticsOptions): ShownLevel {
  const fall = (options.releaseDbPerSecond * Math.max(0, elapsedMs)) / 1000;
  const peakDb = follow(shown.peakDb, target.peakDb, fall, options.floorDb);
  const rmsDb = follow(shown.rmsDb, target.rmsDb, fall, options.floorDb);
  if (target.peakDb >= shown.holdDb) return { peakDb, rmsDb, holdDb: target.peakDb, holdAgeMs: 0 };
  const holdAgeMs = shown.holdAgeMs + Math.max(0, elapsedMs);
  // The part of this step spent past the hold time is spent falling.
  const fallingMs = Math.min(Math.max(0, elapsedMs), holdAgeMs - options.peakHoldMs);
  const holdFall = fallingMs > 0 ? (options.releaseDbPerSecond * fallingMs) / 1000 : 0;
  const holdDb = follow(shown.holdDb, peakDb, holdFall, options.floorDb);
  return { peakDb, rmsDb, holdDb, holdAgeMs };
}

/** True when another step would change nothing the meter draws. */
export function settled(shown: ShownLevel, target: TargetLevel): boolean {
  return shown.peakDb === target.peakDb && shown.rmsDb === target.rmsDb && shown.holdDb === shown.peakDb;
}
