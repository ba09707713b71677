//! The example plugin on denormal input against normal input, per 512-frame
//! stereo block at 48 kHz: the cost clap-validator's `process-audio-denormals`
//! measures (it saw the example up to 2.3× slower on denormal input).
//!
//! Two parameter settings: `defaults` (drive 0 dB, so the saturator is
//! skipped: what clap-validator runs, and where denormal arithmetic is most
//! of the work) and `driven` (cutoff 800 Hz, drive 12 dB: `tanh` on every
//! sample, which costs more on a normal signal than on a tiny one). Two
//! paths, each on both inputs:
//! - `runner`: the example through the engine ABI linked in-process, so
//!   through the `Runner::process` that dev mode, `render` and the CLAP
//!   bundle all share, which flushes denormals to zero for the call;
//! - `bare`: the example's own `Processor::process` called directly, with
//!   the caller's (IEEE) floating-point mode: what the SDK did before.
//!
//! After criterion's report it prints each path's two medians (criterion's
//! own per-iteration samples of the measurement phase) and their ratio; the
//! target for `runner` is ≤ 1.1×. Run it with
//! `cargo bench -p wavecraft-benches --bench denormals`.

use std::cell::RefCell;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion};
use example_plugin::ExamplePlugin;
use wavecraft::prelude::*;
use wavecraft::EngineExport;
use wavecraft_engine_loader::{EngineInstance, EngineLibrary};

const SAMPLE_RATE: f32 = 48_000.0;
const FRAMES: usize = 512;
const SAMPLES: usize = 100;

/// Parameter settings by name: (index, value) pairs over the defaults. `driven` sets input dB,
/// cutoff Hz, drive dB and output dB, so every stage of the example does work.
const SETTINGS: [(&str, &[(usize, f64)]); 2] = [
    ("defaults", &[]),
    ("driven", &[(0, 3.0), (2, 800.0), (4, 12.0), (5, -3.0)]),
];

/// A deterministic xorshift.
fn xorshift(seed: u32) -> impl FnMut() -> u32 {
    let mut x = seed;
    move || {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x
    }
}

/// Two sines plus a little noise, different per side.
fn normal_input() -> [Vec<f32>; 2] {
    let mut next = xorshift(0x2545_f491);
    let mut make = |phase: f32| -> Vec<f32> {
        (0..FRAMES)
            .map(|i| {
                let t = i as f32 / SAMPLE_RATE;
                let tau = std::f32::consts::TAU;
                let noise = (next() as f32 / u32::MAX as f32 - 0.5) * 0.1;
                0.5 * (tau * 110.0 * t + phase).sin() + 0.3 * (tau * 3_100.0 * t).sin() + noise
            })
            .collect()
    };
    [make(0.0), make(1.0)]
}

/// Every sample a random non-zero subnormal `f32` of random sign.
fn denormal_input() -> [Vec<f32>; 2] {
    let mut next = xorshift(0x9e37_79b9);
    let mut make = || -> Vec<f32> {
        (0..FRAMES)
            .map(|_| {
                let bits = next();
                let sample = f32::from_bits((bits & 0x8000_0000) | (bits & 0x007f_ffff).max(1));
                assert!(sample.is_subnormal());
                sample
            })
            .collect()
    };
    [make(), make()]
}

/// The example through the engine ABI and its runner, values set before audio (so at them).
fn runner_instance(settings: &[(usize, f64)]) -> EngineInstance {
    // SAFETY: the table is the one `wavecraft::export!` emitted for the example.
    let library = unsafe { EngineLibrary::in_process(ExamplePlugin::engine_vtable()) }
        .expect("the example's in-process engine");
    let mut instance = library
        .instantiate(f64::from(SAMPLE_RATE), FRAMES as u32, 2)
        .expect("instantiate the example");
    for &(index, value) in settings {
        instance.set_value(index, value).expect("set_value");
    }
    instance
}

/// The bare example, prepared and at the same values, called without the runner.
fn bare_plugin(settings: &[(usize, f64)]) -> ExamplePlugin {
    let mut plugin = ExamplePlugin::default();
    let params = plugin.params_mut();
    params.set_sample_rate(SAMPLE_RATE);
    for &(index, value) in settings {
        params.param_mut(index).set_plain(value);
    }
    params.reset_smoothing();
    plugin.prepare(&ProcessSetup {
        sample_rate: SAMPLE_RATE,
        max_block_size: FRAMES,
        channels: 2,
    });
    plugin
}

/// Benchmarks `block` (one block, input copied in first) and returns the median time per block
/// over criterion's measurement samples.
fn median_of(
    group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>,
    id: &str,
    mut block: impl FnMut(),
) -> Duration {
    let per_iteration = RefCell::new(Vec::new());
    group.bench_function(id, |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                block();
            }
            let elapsed = start.elapsed();
            per_iteration
                .borrow_mut()
                .push(elapsed.as_secs_f64() / iters as f64);
            elapsed
        })
    });
    // Warm-up calls come first; the last `SAMPLES` calls are the measurement.
    let all = per_iteration.into_inner();
    let mut measured = all[all.len().saturating_sub(SAMPLES)..].to_vec();
    measured.sort_by(f64::total_cmp);
    let mid = measured.len() / 2;
    let median = if measured.len() % 2 == 0 && mid > 0 {
        (measured[mid - 1] + measured[mid]) / 2.0
    } else {
        measured[mid]
    };
    Duration::from_secs_f64(median)
}

fn bench(c: &mut Criterion) {
    let inputs = [("normal", normal_input()), ("denormal", denormal_input())];
    let mut group = c.benchmark_group("denormals");
    group
        .sample_size(SAMPLES)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    let mut left = vec![0.0f32; FRAMES];
    let mut right = vec![0.0f32; FRAMES];
    let mut medians = Vec::new();

    for (setting, values) in SETTINGS {
        for (input_name, input) in &inputs {
            let mut instance = runner_instance(values);
            let id = format!("{setting}/runner/{input_name}");
            let median = median_of(&mut group, &id, || {
                left.copy_from_slice(&input[0]);
                right.copy_from_slice(&input[1]);
                instance
                    .process(&mut [&mut left[..], &mut right[..]])
                    .expect("process");
                black_box((&left, &right));
            });
            medians.push((setting, "runner", *input_name, median));

            let mut plugin = bare_plugin(values);
            let id = format!("{setting}/bare/{input_name}");
            let median = median_of(&mut group, &id, || {
                left.copy_from_slice(&input[0]);
                right.copy_from_slice(&input[1]);
                let mut channels: [&mut [f32]; 2] = [&mut left, &mut right];
                plugin.process(
                    &mut AudioBuffer::new(&mut channels),
                    &ProcessContext::default(),
                );
                black_box((&left, &right));
            });
            medians.push((setting, "bare", *input_name, median));
        }
    }
    group.finish();

    println!("\nexample, {FRAMES}-frame stereo blocks at 48 kHz, median per block:");
    for (setting, _) in SETTINGS {
        for path in ["runner", "bare"] {
            let of = |input: &str| {
                medians
                    .iter()
                    .find(|m| m.0 == setting && m.1 == path && m.2 == input)
                    .map(|m| m.3)
                    .expect("measured")
            };
            let (normal, denormal) = (of("normal"), of("denormal"));
            let ratio = denormal.as_secs_f64() / normal.as_secs_f64();
            let note = if path == "runner" {
                "denormals flushed: dev, render, bundles; target <= 1.1x"
            } else {
                "called directly in IEEE mode: before"
            };
            println!(
                "  {setting:<8} {path:<6}  normal {:>8.2} us  denormal {:>8.2} us  ratio {ratio:.3}x  ({note})",
                normal.as_secs_f64() * 1e6,
                denormal.as_secs_f64() * 1e6,
            );
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
