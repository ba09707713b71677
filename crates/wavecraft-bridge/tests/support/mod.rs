//! Builds the engine libraries the loader tests load: the example plugin and
//! the fixtures under `test-engines/`, with real cargo builds into their own
//! target directory (so the outer `cargo test` never waits on its own lock).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use std::process::Command;
use std::sync::OnceLock;

use wavecraft_test_support::{engines_target_dir, workspace_root};

/// Runs `cargo build` with `args` into the test target directory; panics with cargo's output on failure.
pub fn cargo_build(dir: &Path, args: &[&str]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(dir)
        .arg("build")
        .args(args)
        .arg("--target-dir")
        .arg(engines_target_dir())
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo build {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The path of a built cdylib named `crate_name` in the test target directory.
pub fn library(crate_name: &str) -> PathBuf {
    static BUILT: OnceLock<()> = OnceLock::new();
    BUILT.get_or_init(|| {
        cargo_build(
            &workspace_root(),
            &[
                "-p",
                "example-plugin",
                "-p",
                "panicking-engine",
                "-p",
                "stale-abi-engine",
                "-p",
                "foreign-canary-engine",
            ],
        )
    });
    engines_target_dir().join("debug").join(format!(
        "{}{}{}",
        std::env::consts::DLL_PREFIX,
        crate_name.replace('-', "_"),
        std::env::consts::DLL_SUFFIX
    ))
}

/// RMS of a signal, in dB.
pub fn rms_db(x: &[f32]) -> f64 {
    let sum: f64 = x.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
    10.0 * (sum / x.len() as f64).log10()
}

/// A sine at `freq` Hz and `amp` amplitude.
pub fn sine(freq: f64, amp: f32, sample_rate: f64, frames: usize) -> Vec<f32> {
    (0..frames)
        .map(|i| amp * (2.0 * std::f64::consts::PI * freq * i as f64 / sample_rate).sin() as f32)
        .collect()
}
