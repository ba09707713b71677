#!/usr/bin/env bash
# Measures the incremental *debug* rebuild of the example plugin after a
# one-line code change, two ways in the same run: the dev build `wavecraft
# start` runs (its exact arguments, from BuildSpec::cargo_args: the cdylib
# only, line tables instead of full debuginfo, into engine/target/wavecraft-dev)
# and a bare `cargo build --lib` (what an author types, into engine/target).
#
# Copies examples/example-plugin to a temp dir (its own workspace, with the
# SDK path dependencies pointed at this checkout's crates/ and this checkout's
# Cargo.lock), builds it once each way to warm the caches, then RUNS times
# (default 5) changes `const DRIVE_FADE_DB: f32 = 6.0;` to 6.0001, 6.0002, …
# (a real code change, not a comment) and times each build after its own
# edit. Prints each run, the medians in ms and their ratio.
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
mapfile -d '' dev_args < <(cd "$repo" && cargo run -q -p wavecraft-dev-server --example dev_build_args -- "$manifest" "$engine/target/wavecraft-dev")
[ "${#dev_args[@]}" -gt 0 ] || { echo "measure-rebuild: could not get the dev build's arguments" >&2; exit 1; }
bare_build() { cargo build --lib --quiet --manifest-path "$manifest"; }
dev_build() { cargo "${dev_args[@]}" >/dev/null 2>&1; }

now_ns() { date +%s%N; }
median() {
  printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

echo "warm-up builds of $engine (debug) …"
bare_build
dev_build

edit=0
timed() {
  edit=$((edit + 1))
  local value
  value="6.$(printf '%04d' "$edit")"
  sed -i -E "s/^${constant}[0-9.]+;/${constant}${value};/" "$lib"
  grep -q "^${constant}${value};" "$lib"
  local start
  start=$(now_ns)
  "$1"
  echo $((($(now_ns) - start) / 1000000))
}

bare=()
dev=()
for run in $(seq 1 "$runs"); do
  b=$(timed bare_build)
  d=$(timed dev_build)
  bare+=("$b")
  dev+=("$d")
  echo "run $run: bare cargo build --lib $b ms, dev build $d ms"
done

bare_median=$(median "${bare[@]}")
dev_median=$(median "${dev[@]}")
echo "median of $runs incremental debug rebuilds: bare cargo build --lib $bare_median ms, dev build $dev_median ms"
awk -v d="$dev_median" -v b="$bare_median" 'BEGIN { printf "dev build / bare build: %.2f\n", d / b }'
