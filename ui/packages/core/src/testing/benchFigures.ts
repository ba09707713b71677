/**
 * Figures for `npm run bench`: each bench records how long every measured
 * run took (warm-up runs are dropped), and the last one prints the median of
 * each with its ratio to the baseline measured in the same run. Timing only;
 * nothing here asserts.
 */

/** Bench options that keep only the measured runs in `samples` and call `after` when they are done. */
export function measuredRuns(samples: number[], after?: () => void) {
  return {
    setup: (_task: unknown, mode: "run" | "warmup") => {
      if (mode === "run") samples.length = 0;
    },
    teardown: (_task: unknown, mode: "run" | "warmup") => {
      if (mode === "run") after?.();
    },
  };
}

/** Runs `work`, appending how long it took (ms) to `into`. */
export async function timed(into: number[], work: () => void | Promise<void>): Promise<void> {
  const started = performance.now();
  await work();
  into.push(performance.now() - started);
}

/** The median of `samples` (NaN for none). */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Prints `title` and, per row, the median, the sample count and the ratio to the last row. */
export function printMedians(title: string, rows: [string, readonly number[]][]): void {
  const baseline = median(rows.at(-1)?.[1] ?? []);
  const lines = rows.map(([name, samples]) => {
    const value = median(samples);
    const ratio = name === rows.at(-1)?.[0] ? "baseline" : `${(baseline / value).toFixed(1)}× faster than the baseline`;
    return `  ${name}: median ${value.toFixed(3)} ms over ${samples.length} runs (${ratio})`;
  });
  console.log(`\n${title}\n${lines.join("\n")}`);
}
