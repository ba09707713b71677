/**
 * Linear amplitude ↔ dBFS. Meters arrive as linear peak/RMS; people read dB.
 * Silence has no finite dB value, so it maps to -Infinity and callers decide
 * how to show it.
 */

/** Converts a linear amplitude (1.0 = full scale) to dBFS; 0 and below give -Infinity. */
export function linearToDb(linear: number): number {
  if (!(linear > 0)) return Number.NEGATIVE_INFINITY;
  return 20 * Math.log10(linear);
}

/** Formats a dBFS value with one decimal, "-∞ dB" for silence. */
export function formatDb(db: number): string {
  if (db === Number.NEGATIVE_INFINITY) return "-∞ dB";
  return `${db.toFixed(1)} dB`;
}
