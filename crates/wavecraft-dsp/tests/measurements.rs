//! Measured responses of the built-in processors: levels are RMS over whole
//! cycles after the filters have settled, compared with what the design
//! promises. Run with `--nocapture` to see the figures.

mod common;

use common::{rms_db, sine};
use wavecraft_dsp::blocks::{Biquad, FilterKind, Gain};
use wavecraft_dsp::AudioBuffer;

const SR: f32 = 48_000.0;
/// One second of signal; the first 100 ms are left out of measurements as settling time.
const FRAMES: usize = 48_000;
const SETTLE: usize = 4_800;

/// Runs `kind` at `freq`/`q`/`gain_db` over a stereo sine at `tone` Hz and returns the level change per channel in dB.
fn filter_change_db(kind: FilterKind, freq: f32, q: f32, gain_db: f32, tone: f32) -> [f64; 2] {
    let input = sine(tone, SR, FRAMES, 0.5);
    let mut left = input.clone();
    let mut right: Vec<f32> = input.iter().map(|s| -s).collect();
    let mut filter = Biquad::new(kind);
    filter.prepare(SR);
    filter.set(freq, q, gain_db);
    let mut slices: [&mut [f32]; 2] = [&mut left, &mut right];
    let mut buffer = AudioBuffer::new(&mut slices);
    filter.process_block(&mut buffer);
    let reference = rms_db(&input[SETTLE..]);
    [
        rms_db(&left[SETTLE..]) - reference,
        rms_db(&right[SETTLE..]) - reference,
    ]
}

#[test]
fn minus_6_db_gain_lowers_a_1_khz_sine_by_6_02_db() {
    let input = sine(1_000.0, SR, FRAMES, 0.5);
    let mut output = input.clone();
    let mut slices: [&mut [f32]; 1] = [&mut output];
    let mut buffer = AudioBuffer::new(&mut slices);
    let mut gain = Gain::new();
    gain.prepare(SR);
    gain.process_block(&mut buffer, &vec![-6.0; FRAMES]);
    let change = rms_db(&output) - rms_db(&input);
    println!("gain -6 dB: RMS change {change:.4} dB");
    assert!((change + 6.02).abs() <= 0.05, "measured {change} dB");
}

#[test]
fn low_pass_at_1_khz_attenuates_10_khz_by_at_least_35_db() {
    let change = filter_change_db(FilterKind::LowPass, 1_000.0, 0.707, 0.0, 10_000.0);
    println!(
        "low-pass 1 kHz, 10 kHz tone: {:.2} dB / {:.2} dB",
        change[0], change[1]
    );
    assert!(change.iter().all(|&c| c <= -35.0), "measured {change:?}");
}

#[test]
fn low_pass_passes_the_band_below_cutoff() {
    let change = filter_change_db(FilterKind::LowPass, 1_000.0, 0.707, 0.0, 100.0);
    println!("low-pass 1 kHz, 100 Hz tone: {:.3} dB", change[0]);
    assert!(change[0].abs() <= 0.1, "measured {change:?}");
}

#[test]
fn high_pass_at_1_khz_passes_10_khz_within_half_a_db() {
    let change = filter_change_db(FilterKind::HighPass, 1_000.0, 0.707, 0.0, 10_000.0);
    println!(
        "high-pass 1 kHz, 10 kHz tone: {:.3} dB / {:.3} dB",
        change[0], change[1]
    );
    assert!(
        change.iter().all(|&c| c.abs() <= 0.5),
        "measured {change:?}"
    );
    let stop = filter_change_db(FilterKind::HighPass, 1_000.0, 0.707, 0.0, 100.0);
    println!("high-pass 1 kHz, 100 Hz tone: {:.2} dB", stop[0]);
    assert!(stop[0] <= -35.0, "measured {stop:?}");
}

#[test]
fn peak_plus_6_db_boosts_its_centre_by_6_db() {
    let change = filter_change_db(FilterKind::Peak, 1_000.0, 1.0, 6.0, 1_000.0);
    println!(
        "peak +6 dB at 1 kHz, 1 kHz tone: {:.3} dB / {:.3} dB",
        change[0], change[1]
    );
    assert!(
        change.iter().all(|&c| (c - 6.0).abs() <= 0.2),
        "measured {change:?}"
    );
    let far = filter_change_db(FilterKind::Peak, 1_000.0, 1.0, 6.0, 15_000.0);
    println!("peak +6 dB at 1 kHz, 15 kHz tone: {:.3} dB", far[0]);
    assert!(far[0].abs() <= 0.5, "measured {far:?}");
}

#[test]
fn band_pass_is_unity_at_its_centre() {
    let change = filter_change_db(FilterKind::BandPass, 2_000.0, 2.0, 0.0, 2_000.0);
    println!("band-pass 2 kHz, 2 kHz tone: {:.3} dB", change[0]);
    assert!(change[0].abs() <= 0.2, "measured {change:?}");
}
