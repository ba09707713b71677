//! What the SDK's abstractions cost on the audio path: the example plugin's
//! `process` per block (32, 64 and 512 frames, stereo, 48 kHz) against a
//! hand-written loop doing the same math with no SDK types, in one run.
//!
//! Variants, per block size:
//! - `sdk`: `ExamplePlugin` through its own `Processor::process` (the rlib), plus
//!   the runner's per-block `Params::finish_block`;
//! - `hand_written`: [`HandWritten`], inline RBJ low-pass + TDF-II state, its
//!   own linear/log ramps, dB→gain and tanh drive with the same compensation
//!   and wet fade;
//! - `sdk_via_abi`: the same plugin through its built cdylib and the engine
//!   ABI (`wavecraft_engine_loader::EngineLibrary`), skipped with a note when the
//!   library is not found next to this bench binary.
//!
//! Two scenarios: `steady` sets new targets once (the ramps finish during
//! warm-up, so it measures the settled state), `ramping` retargets every
//! block so every parameter ramps on every sample (the per-sample
//! coefficient path). Before measuring, the bench asserts that all variants
//! produce the same samples within 1e-4, so the comparison is honest.

use std::f64::consts::PI;
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use example_plugin::ExamplePlugin;
use wavecraft::prelude::*;
use wavecraft_engine_loader::{EngineInstance, EngineLibrary};

const SAMPLE_RATE: f32 = 48_000.0;
const MAX_BLOCK: usize = 512;
const BLOCK_SIZES: [usize; 3] = [32, 64, 512];
const TOLERANCE: f32 = 1e-4;

/// Parameter indices in the example's field order (what the engine ABI addresses).
const INPUT_GAIN: usize = 0;
const CUTOFF: usize = 2;
const DRIVE: usize = 4;
const OUTPUT_GAIN: usize = 5;

/// One set of targets: input dB, cutoff Hz, drive dB, output dB.
#[derive(Clone, Copy)]
struct Targets {
    input_db: f32,
    cutoff: f32,
    drive_db: f32,
    output_db: f32,
}

/// The steady scenario's targets; the ramping scenario alternates them with [`ALTERNATE`].
const TARGETS: Targets = Targets {
    input_db: 3.0,
    cutoff: 800.0,
    drive_db: 12.0,
    output_db: -3.0,
};
const ALTERNATE: Targets = Targets {
    input_db: 1.5,
    cutoff: 1_200.0,
    drive_db: 9.0,
    output_db: -4.5,
};

mod hand;

use hand::HandWritten;

/// Stereo test signal: two sines plus a little deterministic noise, different per side.
fn test_signal() -> [Vec<f32>; 2] {
    let mut seed = 0x2545_f491_u32;
    let mut noise = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        (seed as f32 / u32::MAX as f32 - 0.5) * 0.1
    };
    let mut make = |phase: f32| -> Vec<f32> {
        (0..MAX_BLOCK)
            .map(|i| {
                let t = i as f32 / SAMPLE_RATE;
                let tau = std::f32::consts::TAU;
                0.5 * (tau * 110.0 * t + phase).sin() + 0.3 * (tau * 3_100.0 * t).sin() + noise()
            })
            .collect()
    };
    [make(0.0), make(1.0)]
}

/// The example plugin driven as the runtime drives it: sample rate and smoothing set, then prepared.
fn sdk_plugin() -> ExamplePlugin {
    let mut plugin = ExamplePlugin::default();
    plugin.params_mut().set_sample_rate(SAMPLE_RATE);
    plugin.params_mut().reset_smoothing();
    plugin.prepare(&ProcessSetup {
        sample_rate: SAMPLE_RATE,
        max_block_size: MAX_BLOCK,
        channels: 2,
    });
    plugin
}

fn set_sdk(plugin: &mut ExamplePlugin, t: Targets) {
    let p = plugin.params_mut();
    p.input_gain.set_plain(f64::from(t.input_db));
    p.cutoff.set_plain(f64::from(t.cutoff));
    p.drive.set_plain(f64::from(t.drive_db));
    p.output_gain.set_plain(f64::from(t.output_db));
}

fn set_hand(hand: &mut HandWritten, t: Targets) {
    hand.input_db.set_target(t.input_db);
    hand.cutoff.set_target(t.cutoff);
    hand.drive_db.set_target(t.drive_db);
    hand.output_db.set_target(t.output_db);
}

fn set_abi(instance: &mut EngineInstance, t: Targets) {
    for (index, value) in [
        (INPUT_GAIN, t.input_db),
        (CUTOFF, t.cutoff),
        (DRIVE, t.drive_db),
        (OUTPUT_GAIN, t.output_db),
    ] {
        instance
            .set_value(index, f64::from(value))
            .expect("set_value");
    }
}

/// One block through the plugin as the runner runs it: `process`, then every parameter's
/// smoothing advanced to the block's end.
fn process_sdk(plugin: &mut ExamplePlugin, left: &mut [f32], right: &mut [f32]) {
    let frames = left.len();
    let mut channels: [&mut [f32]; 2] = [left, right];
    let mut buffer = AudioBuffer::new(&mut channels);
    plugin.process(&mut buffer, &ProcessContext::default());
    plugin.params_mut().finish_block(frames);
}

/// The example's cdylib, built by the same `cargo bench` as this binary (or named by `WAVECRAFT_EXAMPLE_CDYLIB`).
fn find_cdylib() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("WAVECRAFT_EXAMPLE_CDYLIB") {
        return Some(PathBuf::from(path));
    }
    let name = format!(
        "{}example_plugin{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    let deps = std::env::current_exe().ok()?.parent()?.to_path_buf();
    [deps.join(&name), deps.parent()?.join(&name)]
        .into_iter()
        .find(|path| path.is_file())
}

fn abi_instance() -> Option<EngineInstance> {
    let Some(path) = find_cdylib() else {
        eprintln!("sdk_via_abi skipped: no example_plugin cdylib next to the bench binary");
        return None;
    };
    let loaded = EngineLibrary::load(&path).and_then(|library: Arc<EngineLibrary>| {
        library.instantiate(f64::from(SAMPLE_RATE), MAX_BLOCK as u32, 2)
    });
    match loaded {
        Ok(instance) => Some(instance),
        Err(error) => {
            eprintln!("sdk_via_abi skipped: {}: {error}", path.display());
            None
        }
    }
}

fn max_difference(a: &[f32], b: &[f32]) -> f32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

/// Runs every variant from fresh over `blocks` blocks of `frames` and asserts they agree within [`TOLERANCE`].
///
/// With `ramping`, targets alternate every block as in the `ramping` scenario.
fn assert_same_output(input: &[Vec<f32>; 2], frames: usize, blocks: usize, ramping: bool) {
    let mut sdk = sdk_plugin();
    let mut hand = HandWritten::new(SAMPLE_RATE);
    let mut abi = abi_instance();
    // The bare plugin and the hand-written loop glide from the defaults to the first targets.
    // Through the ABI, values set before any audio start at their targets (the runner's rule),
    // so that instance first plays one block of silence (which leaves its state at rest) to be
    // running like the other two.
    if let Some(abi) = abi.as_mut() {
        let mut silence = [vec![0.0f32; frames], vec![0.0f32; frames]];
        let [l, r] = &mut silence;
        abi.process(&mut [&mut l[..], &mut r[..]])
            .expect("abi process");
    }
    let mut worst = (0.0_f32, 0.0_f32);
    for block in 0..blocks {
        let targets = if ramping && block % 2 == 1 {
            ALTERNATE
        } else {
            TARGETS
        };
        if ramping || block == 0 {
            set_sdk(&mut sdk, targets);
            set_hand(&mut hand, targets);
            if let Some(abi) = abi.as_mut() {
                set_abi(abi, targets);
            }
        }
        let mut s = [input[0][..frames].to_vec(), input[1][..frames].to_vec()];
        let mut h = s.clone();
        let [sl, sr] = &mut s;
        process_sdk(&mut sdk, sl, sr);
        assert!(
            max_difference(sl, &input[0][..frames]) > 1e-3,
            "the plugin left the signal unchanged: nothing would be measured"
        );
        let [hl, hr] = &mut h;
        hand.process(hl, hr);
        for ch in 0..2 {
            let diff = max_difference(&s[ch], &h[ch]);
            assert!(
                diff <= TOLERANCE,
                "hand_written differs from sdk by {diff} (block {block} of {frames}, channel {ch}, ramping {ramping})"
            );
            worst.0 = worst.0.max(diff);
        }
        if let Some(abi) = abi.as_mut() {
            let mut a = [input[0][..frames].to_vec(), input[1][..frames].to_vec()];
            let [al, ar] = &mut a;
            abi.process(&mut [&mut al[..], &mut ar[..]])
                .expect("abi process");
            for ch in 0..2 {
                let diff = max_difference(&s[ch], &a[ch]);
                assert!(
                    diff <= TOLERANCE,
                    "sdk_via_abi differs from sdk by {diff} (block {block} of {frames}, channel {ch})"
                );
                worst.1 = worst.1.max(diff);
            }
        }
    }
    eprintln!(
        "equivalence ({frames}×{blocks}, ramping {ramping}): max |sdk − hand_written| = {:e}, max |sdk − abi| = {:e}",
        worst.0, worst.1
    );
}

fn bench_scenario(c: &mut Criterion, input: &[Vec<f32>; 2], ramping: bool) {
    let mut group = c.benchmark_group(if ramping { "ramping" } else { "steady" });
    for frames in BLOCK_SIZES {
        let mut left = input[0][..frames].to_vec();
        let mut right = input[1][..frames].to_vec();
        let (in_l, in_r) = (&input[0][..frames], &input[1][..frames]);
        // Alternates the targets per block when ramping, so every sample ramps.
        let mut flip = false;
        let mut next_targets = move || {
            flip = !flip;
            if flip {
                TARGETS
            } else {
                ALTERNATE
            }
        };

        let mut sdk = sdk_plugin();
        set_sdk(&mut sdk, TARGETS);
        group.bench_function(BenchmarkId::new("sdk", frames), |b| {
            b.iter(|| {
                if ramping {
                    set_sdk(&mut sdk, next_targets());
                }
                left.copy_from_slice(in_l);
                right.copy_from_slice(in_r);
                process_sdk(&mut sdk, &mut left, &mut right);
                black_box((&left, &right));
            })
        });

        let mut hand = HandWritten::new(SAMPLE_RATE);
        set_hand(&mut hand, TARGETS);
        group.bench_function(BenchmarkId::new("hand_written", frames), |b| {
            b.iter(|| {
                if ramping {
                    set_hand(&mut hand, next_targets());
                }
                left.copy_from_slice(in_l);
                right.copy_from_slice(in_r);
                hand.process(&mut left, &mut right);
                black_box((&left, &right));
            })
        });

        if let Some(mut abi) = abi_instance() {
            set_abi(&mut abi, TARGETS);
            group.bench_function(BenchmarkId::new("sdk_via_abi", frames), |b| {
                b.iter(|| {
                    if ramping {
                        set_abi(&mut abi, next_targets());
                    }
                    left.copy_from_slice(in_l);
                    right.copy_from_slice(in_r);
                    abi.process(&mut [&mut left[..], &mut right[..]])
                        .expect("abi process");
                    black_box((&left, &right));
                })
            });
        }
    }
    group.finish();
}

fn bench(c: &mut Criterion) {
    let input = test_signal();
    // 8 × 512 frames covers every ramp (30 ms = 1440 samples) and the settled state after it.
    assert_same_output(&input, MAX_BLOCK, 8, false);
    assert_same_output(&input, 64, 64, false);
    assert_same_output(&input, 64, 32, true);
    bench_scenario(c, &input, false);
    bench_scenario(c, &input, true);
}

criterion_group!(benches, bench);
criterion_main!(benches);
