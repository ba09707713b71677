#!/usr/bin/env bash
# Measures the CPU that `wavecraft start` uses while idling on the example
# plugin (nothing saved, no browser): with the virtual audio backend running
# the DSP in real time, and, as the baseline of the same run, with
# `--audio off` (the same server, watcher and Vite, no audio).
#
# For each mode: starts the CLI on examples/example-plugin (debug build, as
# the README's main command runs it), waits for the first engine to run,
# lets it settle, then samples the wavecraft process's CPU time (all its
# threads: user + system, from /proc/PID/stat) over WINDOWS windows of
# SECONDS seconds. Vite is a separate node process and is not counted.
# Prints each window and the median, in % of one core.
#
# Usage: scripts/measure-idle-cpu.sh     (WINDOWS=7 SECONDS_PER_WINDOW=5 to change)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
windows="${WINDOWS:-5}"
seconds="${SECONDS_PER_WINDOW:-4}"
ticks="$(getconf CLK_TCK)"

cd "$repo"
cargo build --quiet -p wavecraft-cli
bin="${CARGO_TARGET_DIR:-target}/debug/wavecraft"

# CPU time of a process and all its threads, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

median() {
  sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

measure() {
  local mode="$1" log pid waited=0
  log="$(mktemp "${TMPDIR:-/tmp}/wavecraft-idle.XXXXXX")"
  "$bin" start examples/example-plugin --no-open --audio "$mode" --port 9317 --ui-port 5317 2>"$log" &
  pid=$!
  until grep -q "running after" "$log"; do
    if ! kill -0 "$pid" 2>/dev/null || [ "$waited" -gt 3000 ]; then
      echo "measure-idle-cpu: wavecraft start --audio $mode did not get its engine running:" >&2
      cat "$log" >&2
      kill -INT "$pid" 2>/dev/null || true
      exit 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  sleep 2
  local samples=()
  for window in $(seq 1 "$windows"); do
    local before after
    before="$(cpu_ticks "$pid")"
    sleep "$seconds"
    after="$(cpu_ticks "$pid")"
    samples+=("$(awk -v d=$((after - before)) -v t="$ticks" -v s="$seconds" 'BEGIN { printf "%.2f", 100 * d / t / s }')")
    echo "  --audio $mode window $window: ${samples[-1]} % of a core" >&2
  done
  grep -m1 "audio " "$log" | sed 's/^/  /' >&2
  kill -INT "$pid"
  wait "$pid" || true
  rm -f "$log"
  printf '%s\n' "${samples[@]}" | median
}

off="$(measure off)"
virtual="$(measure virtual)"
echo "median CPU of wavecraft start idling on the example ($windows × ${seconds} s, % of one core):"
echo "  --audio off (baseline): $off %"
echo "  --audio virtual:        $virtual %"
awk -v a="$virtual" -v b="$off" 'BEGIN { printf "  the virtual backend running the example: +%.2f %% of a core\n", a - b }'
