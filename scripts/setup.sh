#!/usr/bin/env bash
# Installs the system packages Wavecraft's commands need on a fresh Debian
# machine, only those missing: Node.js/npm (the UI), gcc and pkg-config
# (crates that build C), ALSA headers (the audio backend, cpal), chromium
# (the end-to-end suite drives Debian's chromium; no browser download), git
# (`wavecraft create` runs `git init`), WebKitGTK and GTK 3 headers (the plugin
# window's webview, built into every bundle on Linux) and xvfb with xauth (the
# plugin-window tests need an X11 display; `cargo xtask test` starts one with
# `xvfb-run -a` when DISPLAY is unset). The Rust toolchain is assumed (1.91 or
# newer, the workspace's rust-version; checked, not installed).
# npm packages are installed by the commands themselves (`npm ci` from lockfiles).
set -euo pipefail

# at_least VERSION MAJOR MINOR: whether a MAJOR.MINOR.x version string is at least MAJOR.MINOR.
at_least() {
  local major="${1%%.*}" rest="${1#*.}"
  local minor="${rest%%.*}"
  [ "$major" -gt "$2" ] || { [ "$major" -eq "$2" ] && [ "$minor" -ge "$3" ]; }
}

# notify (the dev server's watcher) needs Rust 1.91: the workspace's rust-version.
rust="$(rustc --version 2>/dev/null | cut -d' ' -f2 || true)"
if ! at_least "${rust:-0.0.0}" 1 91; then
  echo "setup: Rust ${rust:-(not found)} is too old or missing: Wavecraft needs 1.91 or newer (rustup update stable)" >&2
  exit 1
fi

need=()
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
command -v cc >/dev/null || need+=(gcc)
command -v pkg-config >/dev/null || need+=(pkg-config)
pkg-config --exists alsa 2>/dev/null || need+=(libasound2-dev)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v git >/dev/null || need+=(git)
pkg-config --exists webkit2gtk-4.1 2>/dev/null || need+=(libwebkit2gtk-4.1-dev)
pkg-config --exists javascriptcoregtk-4.1 2>/dev/null || need+=(libjavascriptcoregtk-4.1-dev)
pkg-config --exists libsoup-3.0 2>/dev/null || need+=(libsoup-3.0-dev)
pkg-config --exists gtk+-3.0 2>/dev/null || need+=(libgtk-3-dev)
command -v xvfb-run >/dev/null || need+=(xvfb)
command -v xauth >/dev/null || need+=(xauth)

check_node() {
  # Vite 7 and Vitest 4 need Node.js 20.19 or newer (Debian 12's own nodejs is 18).
  local v
  v="$(node -p 'process.versions.node' 2>/dev/null || echo 0.0.0)"
  if ! at_least "$v" 20 19; then
    echo "setup: Node.js $v is too old: the UI tooling needs 20.19 or newer (install it from nodejs.org or NodeSource)" >&2
    exit 1
  fi
}

if [ "${#need[@]}" -eq 0 ]; then
  check_node
  exit 0
fi
echo "setup: installing ${need[*]}" >&2
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: run as root, or install: ${need[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq "${need[@]}"
check_node
