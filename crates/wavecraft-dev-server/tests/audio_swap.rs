//! Hot swap on the virtual device, stepped by hand: a sine through engine A
//! (output 0 dB), then a reload to engine B (output −6 dB). No block is lost
//! or repeated, the crossfade is no steeper than a clean equal-power fade of
//! the two signals allows, and the output settles at −6 dB.

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

    // A clean fade out(n) = s(n)·g(n), g = gA·cos θ + gB·sin θ, θ from 0 to π/2 over `fade`:
    // |Δout| ≤ max|g|·max|Δs| + max|Δg|·max|s|, with max|g| = max|Δg|·fade/(π/2) = √(gA² + gB²).
    let (ga, gb) = (1.0, db_to_gain(-6.0));
    let g_max = (ga * ga + gb * gb).sqrt();
    let ds_max = amp * 2.0 * (std::f64::consts::PI * HZ / RATE).sin();
    let dg_max = g_max * std::f64::consts::FRAC_PI_2 / fade as f64;
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
