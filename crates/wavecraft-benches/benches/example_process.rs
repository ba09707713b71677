//! What the SDK's abstractions cost on the audio path: the example plugin's
//! `process` per block (32, 64 and 512 frames, stereo, 48 kHz) against a
//! hand-written loop doing the same math with no SDK types, in one run.
//!
//! Variants, per block size:
//! - `sdk`: `ExamplePlugin` through its own `Processor::process` (the rlib);
//! - `hand_written`: [`HandWritten`], inline RBJ low-pass + TDF-II state, its
//!   own linear/log ramps, dB→gain and tanh drive with the same compensation
//!   and wet fade;
//! - `sdk_via_abi`: the same plugin through its built cdylib and the engine
//!   ABI (`wavecraft_bridge::EngineLibrary`), skipped with a note when the
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
use wavecraft_bridge::{EngineInstance, EngineLibrary};

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

/// The hand-written reference: the example's signal path with every SDK type inlined away.
mod hand {
    use super::PI;

    /// Drive (dB) over which the saturator fades in, as in the example.
    const DRIVE_FADE_DB: f32 = 6.0;
    /// Filter state below this is flushed to zero, both variables together, as in the SDK.
    const DENORMAL_THRESHOLD: f64 = 1.0e-15;

    /// A per-sample ramp in `f64` that lands on its target after `round(ms·sr/1000)` samples.
    pub struct Ramp {
        steps: u32,
        logarithmic: bool,
        current: f64,
        target: f64,
        increment: f64,
        multiplicative: bool,
        left: u32,
    }

    impl Ramp {
        pub fn new(ms: f32, logarithmic: bool, sample_rate: f32, value: f32) -> Self {
            Self {
                steps: (f64::from(ms) * f64::from(sample_rate) / 1000.0).round() as u32,
                logarithmic,
                current: f64::from(value),
                target: f64::from(value),
                increment: 0.0,
                multiplicative: false,
                left: 0,
            }
        }

        pub fn set_target(&mut self, target: f32) {
            let target = f64::from(target);
            self.target = target;
            if self.steps == 0 || self.current == target {
                self.current = target;
                self.left = 0;
                return;
            }
            self.left = self.steps;
            self.multiplicative = self.logarithmic && self.current > 0.0 && target > 0.0;
            self.increment = if self.multiplicative {
                (target / self.current).powf(1.0 / f64::from(self.steps))
            } else {
                (target - self.current) / f64::from(self.steps)
            };
        }

        #[inline(always)]
        pub fn next(&mut self) -> f32 {
            if self.left > 0 {
                self.left -= 1;
                if self.left == 0 {
                    self.current = self.target;
                } else if self.multiplicative {
                    self.current *= self.increment;
                } else {
                    self.current += self.increment;
                }
            }
            self.current as f32
        }
    }

    #[inline(always)]
    fn db_to_gain(db: f32) -> f32 {
        if db <= -100.0 {
            0.0
        } else {
            10.0_f32.powf(db * 0.05)
        }
    }

    /// Input gain → RBJ low-pass → tanh drive faded in over 6 dB → output gain, stereo.
    pub struct HandWritten {
        sample_rate: f64,
        pub input_db: Ramp,
        pub cutoff: Ramp,
        pub q: Ramp,
        pub drive_db: Ramp,
        pub output_db: Ramp,
        input_key: f32,
        input_gain: f32,
        filter_key: (f32, f32),
        b0: f64,
        b1: f64,
        b2: f64,
        a1: f64,
        a2: f64,
        drive_key: f32,
        drive: f32,
        makeup: f32,
        output_key: f32,
        output_gain: f32,
        z: [[f64; 2]; 2],
    }

    impl HandWritten {
        pub fn new(sample_rate: f32) -> Self {
            let gain = |value| Ramp::new(20.0, false, sample_rate, value);
            let mut this = Self {
                sample_rate: f64::from(sample_rate),
                input_db: gain(0.0),
                cutoff: Ramp::new(30.0, true, sample_rate, 20_000.0),
                q: Ramp::new(30.0, true, sample_rate, 0.707),
                drive_db: gain(0.0),
                output_db: gain(0.0),
                input_key: 0.0,
                input_gain: 1.0,
                filter_key: (0.0, 0.0),
                b0: 0.0,
                b1: 0.0,
                b2: 0.0,
                a1: 0.0,
                a2: 0.0,
                drive_key: 0.0,
                drive: 1.0,
                makeup: 1.0,
                output_key: 0.0,
                output_gain: 1.0,
                z: [[0.0; 2]; 2],
            };
            this.low_pass(20_000.0, 0.707);
            this
        }

        /// RBJ cookbook low-pass, `a0` divided out, in `f64`.
        #[inline(always)]
        fn low_pass(&mut self, frequency: f32, q: f32) {
            self.filter_key = (frequency, q);
            let frequency = f64::from(frequency).clamp(1.0, f64::from(0.49_f32) * self.sample_rate);
            let q = f64::from(q).max(f64::from(0.025_f32));
            let (sin_w0, cos_w0) = (2.0 * PI * frequency / self.sample_rate).sin_cos();
            let alpha = sin_w0 / (2.0 * q);
            let a0 = 1.0 + alpha;
            let b = (1.0 - cos_w0) / 2.0;
            self.b0 = b / a0;
            self.b1 = (1.0 - cos_w0) / a0;
            self.b2 = b / a0;
            self.a1 = -2.0 * cos_w0 / a0;
            self.a2 = (1.0 - alpha) / a0;
        }

        #[inline(always)]
        fn channel(&mut self, channel: usize, x: f32, wet: f32) -> f32 {
            let x = f64::from(x * self.input_gain);
            let z = &mut self.z[channel];
            let y = self.b0 * x + z[0];
            let z1 = self.b1 * x - self.a1 * y + z[1];
            let z2 = self.b2 * x - self.a2 * y;
            *z = if z1.abs() < DENORMAL_THRESHOLD && z2.abs() < DENORMAL_THRESHOLD {
                [0.0, 0.0]
            } else {
                [z1, z2]
            };
            let y = y as f32;
            let driven = if wet > 0.0 {
                let saturated = (y * self.drive).tanh() * self.makeup;
                y + (saturated - y) * wet
            } else {
                y
            };
            driven * self.output_gain
        }

        /// Processes a stereo block in place.
        pub fn process(&mut self, left: &mut [f32], right: &mut [f32]) {
            for (l, r) in left.iter_mut().zip(right.iter_mut()) {
                let input_db = self.input_db.next();
                let cutoff = self.cutoff.next();
                let q = self.q.next();
                let drive_db = self.drive_db.next();
                let output_db = self.output_db.next();
                if input_db != self.input_key {
                    self.input_key = input_db;
                    self.input_gain = db_to_gain(input_db);
                }
                if (cutoff, q) != self.filter_key {
                    self.low_pass(cutoff, q);
                }
                if drive_db != self.drive_key {
                    self.drive_key = drive_db;
                    self.drive = db_to_gain(drive_db).max(f32::EPSILON);
                    self.makeup = 1.0 / self.drive;
                }
                if output_db != self.output_key {
                    self.output_key = output_db;
                    self.output_gain = db_to_gain(output_db);
                }
                let wet = (drive_db / DRIVE_FADE_DB).clamp(0.0, 1.0);
                *l = self.channel(0, *l, wet);
                *r = self.channel(1, *r, wet);
            }
        }
    }
}

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

fn process_sdk(plugin: &mut ExamplePlugin, left: &mut [f32], right: &mut [f32]) {
    let mut channels: [&mut [f32]; 2] = [left, right];
    let mut buffer = AudioBuffer::new(&mut channels);
    plugin.process(&mut buffer, &ProcessContext::default());
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
