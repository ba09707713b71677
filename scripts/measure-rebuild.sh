#!/usr/bin/env bash
# Measures the incremental *debug* rebuild of the example plugin's cdylib after
# a one-line code change: what one save costs in `wavecraft start`'s loop.
#
# Copies examples/example-plugin to a temp dir (its own workspace, with the
# SDK path dependencies pointed at this checkout's crates/ and this checkout's
# Cargo.lock), builds it once to warm the cache, then RUNS times (default 5)
# changes `const DRIVE_FADE_DB: f32 = 6.0;` to 6.0001, 6.0002, … (a real code
# change, not a comment) and times `cargo build --lib` as the dev server runs
# it, with the copy's own target dir. Prints each run and the median in ms.
# Never writes to the checkout.
#
# Usage: scripts/measure-rebuild.sh            (RUNS=7 scripts/measure-rebuild.sh for more runs)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-5}"
source_dir="$repo/examples/example-plugin"
constant='const DRIVE_FADE_DB: f32 = '

work="$(mktemp -d "${TMPDIR:-/tmp}/wavecraft-rebuild.XXXXXX")"
trap 'rm -rf "$work"' EXIT

cp -R "$source_dir" "$work/example-plugin"
rm -rf "$work/example-plugin/engine/target"
engine="$work/example-plugin/engine"
manifest="$engine/Cargo.toml"
lib="$engine/src/lib.rs"

# Point every relative path into this checkout's crates/ at its absolute path.
sed -i -E "s#path = \"(\.\./)+crates/#path = \"$repo/crates/#g" "$manifest"
if grep -q 'path = "\.\.' "$manifest"; then
  echo "measure-rebuild: a relative path dependency is left in $manifest" >&2
  exit 1
fi
# The copy is its own workspace root, and resolves to the checkout's versions.
printf '\n[workspace]\n' >>"$manifest"
cp "$repo/Cargo.lock" "$engine/Cargo.lock"

if ! grep -q "^$constant" "$lib"; then
  echo "measure-rebuild: \`$constant…\` not found in $lib; update this script" >&2
  exit 1
fi

# The real dev loop builds into the project's own target dir, not a shared one.
unset CARGO_TARGET_DIR
build() {
  cargo build --lib --quiet --manifest-path "$manifest"
}

now_ns() { date +%s%N; }

echo "warm-up build of $engine (debug) …"
start=$(now_ns)
build
echo "warm-up: $(((($(now_ns) - start)) / 1000000)) ms"

times=()
for run in $(seq 1 "$runs"); do
  value="6.$(printf '%04d' "$run")"
  sed -i -E "s/^${constant}[0-9.]+;/${constant}${value};/" "$lib"
  grep -q "^${constant}${value};" "$lib"
  start=$(now_ns)
  build
  ms=$((($(now_ns) - start) / 1000000))
  times+=("$ms")
  echo "run $run (DRIVE_FADE_DB = $value): $ms ms"
done

median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }')
echo "median of $runs incremental debug rebuilds: $median ms"
