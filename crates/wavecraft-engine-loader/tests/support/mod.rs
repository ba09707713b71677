//! Level maths for the loader tests (engines are built by `wavecraft_test_support`).

#![allow(dead_code)]

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
