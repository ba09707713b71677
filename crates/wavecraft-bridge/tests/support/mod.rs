//! Helpers of the loader tests: cargo builds of temp engines into the shared
//! engine target directory (so the outer `cargo test` never waits on its own
//! lock), and level maths. Workspace engines come from
//! `wavecraft_test_support::workspace_engine`.

#![allow(dead_code)]

use std::path::Path;

use std::process::Command;

use wavecraft_test_support::engines_target_dir;

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
