//! Hot swap on the virtual device, stepped by hand: a sine through engine A
//! (output 0 dB), then a reload to engine B (output −6 dB). No block is lost
//! or repeated, the crossfade is no steeper than a clean fade of the two
//! signals allows, and the output settles at −6 dB. And a reload of an
//! unchanged engine keeps the level flat through the fade, without a click.

mod audio_support;

use audio_support::*;
use wavecraft_dev_server::audio::{db_to_gain, AudioRuntime, CROSSFADE_MS};

const HZ: f64 = 440.0;
const LEVEL_DB: f64 = -6.0;
const RATE: f64 = 48_000.0;
const BLOCK: usize = 256;

#[test]
fn audio_reload_crossfades_without_a_gap_or_a_click_and_settles_at_the_new_gain() {
    let mut runtime = AudioRuntime::start(manual_config(HZ, LEVEL_DB)).unwrap();
    let a = example_engine();
    let (_host_a, handles_a) = host_for(&a);
    runtime.load(a, handles_a).unwrap();

    let mut left = Vec::new();
    for _ in 0..40 {
        left.extend(channel(runtime.step().unwrap(), 2, 0));
    }
    let b = example_engine();
    let (host_b, handles_b) = host_for(&b);
    set(&host_b, "output_gain", -6.0);
    runtime.load(b, handles_b).unwrap();
    assert!(
        !runtime.latest_engine_playing(),
        "not taken before the next block"
    );
    for _ in 0..40 {
        left.extend(channel(runtime.step().unwrap(), 2, 0));
    }
    assert!(runtime.latest_engine_playing());
    assert_eq!(runtime.blocks_processed(), 80);
    assert_eq!(left.len(), 80 * BLOCK);

    let amp = db_to_gain(LEVEL_DB);
    let reference = |n: usize| amp * (std::f64::consts::TAU * HZ * n as f64 / RATE).sin();
    let fade = (RATE * CROSSFADE_MS / 1000.0) as usize;
    let swap = 40 * BLOCK;

    // Every sample sits at its own place in time: a lost or repeated 256-frame block would
    // shift the 440 Hz phase by 2.1 rad, an error near 1.7 × the amplitude.
    let error = |range: std::ops::Range<usize>, gain: f64| {
        range
            .map(|n| (f64::from(left[n]) - gain * reference(n)).abs())
            .fold(0.0, f64::max)
    };
    let before = error(10 * BLOCK..swap, 1.0);
    let after = error(swap + fade + BLOCK..left.len(), db_to_gain(-6.0));
    eprintln!(
        "max deviation from the reference sine: A {before:.5}, B {after:.5} (amplitude {amp:.3})"
    );
    assert!(before < 0.02 * amp && after < 0.02 * amp);

    // A clean fade out(n) = s(n)·g(n), g = gA·cos²θ + gB·sin²θ, θ from 0 to π/2 over `fade`:
    // |Δout| ≤ max|g|·max|Δs| + max|Δg|·max|s|, with max|g| = max(gA, gB) and
    // dg/dθ = (gB − gA)·sin 2θ, so max|Δg| = |gB − gA|·(π/2)/fade.
    let (ga, gb) = (1.0, db_to_gain(-6.0));
    let g_max = f64::max(ga, gb);
    let ds_max = amp * 2.0 * (std::f64::consts::PI * HZ / RATE).sin();
    let dg_max = (gb - ga).abs() * std::f64::consts::FRAC_PI_2 / fade as f64;
    let bound = (g_max * ds_max + dg_max * amp) * 1.02; // 2 % for the filter's ripple
    let largest_step = (swap..swap + fade + 1)
        .map(|n| (left[n] - left[n - 1]).abs())
        .fold(0.0f32, f32::max);
    eprintln!("largest step in the crossfade: {largest_step:.5} (bound {bound:.5}; the sine alone {ds_max:.5})");
    assert!(f64::from(largest_step) < bound);

    let settled = rms(&left[left.len() - 20 * BLOCK..]);
    let input = amp / std::f64::consts::SQRT_2;
    let gain_db = db(settled / input);
    eprintln!("settled gain: {gain_db:.3} dB");
    assert!((gain_db + 6.0).abs() < 0.1, "settled at {gain_db} dB");

    runtime.collect_garbage();
}

/// Level of `x` around each sample: the RMS of a window of `period` samples (one period of the
/// test sine, so a steady sine reads the same at every offset), for every window in `range`.
fn window_levels(x: &[f32], period: usize, range: std::ops::Range<usize>) -> Vec<f64> {
    range.map(|start| rms(&x[start..start + period])).collect()
}

#[test]
fn reloading_an_unchanged_engine_keeps_the_level_flat_and_adds_no_step() {
    // 480 Hz at 48 kHz: exactly 100 samples per period, so a one-period window reads a steady
    // sine's level exactly at every offset and sees a bump anywhere inside the 480-sample fade.
    const SINE_HZ: f64 = 480.0;
    const PERIOD: usize = 100;
    let mut runtime = AudioRuntime::start(manual_config(SINE_HZ, -12.0)).unwrap();
    let a = example_engine();
    let (_host_a, handles_a) = host_for(&a);
    runtime.load(a, handles_a).unwrap();
    let mut left = Vec::new();
    for _ in 0..20 {
        left.extend(channel(runtime.step().unwrap(), 2, 0));
    }
    // The same engine again, with the same (default) values: what a rebuild without a DSP
    // change hands the audio thread.
    let b = example_engine();
    let (_host_b, handles_b) = host_for(&b);
    runtime.load(b, handles_b).unwrap();
    for _ in 0..20 {
        left.extend(channel(runtime.step().unwrap(), 2, 0));
    }
    assert!(runtime.latest_engine_playing());
    let swap = 20 * BLOCK;
    let fade = (RATE * CROSSFADE_MS / 1000.0) as usize;

    // The steady level and the largest sample step of the sine through engine A alone: the bound
    // a clean swap must stay within.
    let steady = rms(&left[10 * BLOCK..10 * BLOCK + 10 * PERIOD]);
    let clean_step = (10 * BLOCK + 1..swap)
        .map(|n| (left[n] - left[n - 1]).abs())
        .fold(0.0f32, f32::max);
    // Every window that overlaps the fade, from one period before it to one after.
    let levels = window_levels(&left, PERIOD, swap - PERIOD..swap + fade + PERIOD);
    let (low, high) = levels
        .iter()
        .map(|&l| db(l / steady))
        .fold((f64::MAX, f64::MIN), |(lo, hi), d| (lo.min(d), hi.max(d)));
    let swap_step = (swap - PERIOD..swap + fade + PERIOD)
        .map(|n| (left[n] - left[n - 1]).abs())
        .fold(0.0f32, f32::max);
    eprintln!(
        "level through the swap: {low:+.6} dB .. {high:+.6} dB (steady {:.2} dBFS RMS); \
         largest step {swap_step:.6} (the sine alone {clean_step:.6})",
        db(steady)
    );
    assert!(
        low > -0.1 && high < 0.1,
        "level moved {low:+.3} .. {high:+.3} dB"
    );
    assert!(
        swap_step <= clean_step * 1.001,
        "step {swap_step} above the clean sine's {clean_step}"
    );
    runtime.collect_garbage();
}
