//! Helpers shared by the integration tests: test signals, level
//! measurement, and three small `Processor` stages (gain → low-pass →
//! saturator) driven by smoothed parameters the way an author writes them.
//! Each test binary uses a subset, hence the `dead_code` allowance.
#![allow(dead_code)]

use wavecraft_dsp::blocks::{Biquad, FilterKind, Gain, Saturator, SaturatorCurve};
use wavecraft_dsp::param::{FloatParam, FloatRange, Param, SmoothingStyle};
use wavecraft_dsp::{AudioBuffer, ProcessContext, ProcessSetup, Processor};

/// Frames per chunk when a stage fills per-frame parameter values on the stack.
const SCRATCH: usize = 64;

/// `frames` samples of a sine at `freq` Hz and amplitude `amplitude`.
pub fn sine(freq: f32, sample_rate: f32, frames: usize, amplitude: f32) -> Vec<f32> {
    (0..frames)
        .map(|n| {
            let phase =
                2.0 * std::f64::consts::PI * f64::from(freq) * n as f64 / f64::from(sample_rate);
            amplitude * phase.sin() as f32
        })
        .collect()
}

/// Deterministic white-ish noise in `-amplitude..amplitude` (a linear congruential generator).
pub fn noise(frames: usize, amplitude: f32, seed: u32) -> Vec<f32> {
    let mut state = seed;
    (0..frames)
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            amplitude * ((state >> 8) as f32 / (1u32 << 24) as f32 * 2.0 - 1.0)
        })
        .collect()
}

/// RMS level of `samples` in dBFS.
pub fn rms_db(samples: &[f32]) -> f64 {
    let power = samples
        .iter()
        .map(|&s| f64::from(s) * f64::from(s))
        .sum::<f64>()
        / samples.len() as f64;
    10.0 * power.log10()
}

/// A gain stage: a dB parameter with linear smoothing, applied per block through `Gain::process_block`.
pub struct GainStage {
    pub gain_db: FloatParam,
    gain: Gain,
}

impl GainStage {
    pub fn new() -> Self {
        Self {
            gain_db: FloatParam::new("gain", "Gain", FloatRange::linear(-60.0, 12.0), 0.0)
                .unit("dB")
                .smoothing(SmoothingStyle::Linear { ms: 20.0 }),
            gain: Gain::new(),
        }
    }
}

impl Processor for GainStage {
    fn prepare(&mut self, setup: &ProcessSetup) {
        self.gain_db.set_sample_rate(setup.sample_rate);
        self.gain.prepare(setup.sample_rate);
    }

    fn process(&mut self, buffer: &mut AudioBuffer<'_>, _ctx: &ProcessContext) {
        let mut values = [0.0_f32; SCRATCH];
        buffer.for_each_block(SCRATCH, |_, block| {
            let values = &mut values[..block.frames()];
            self.gain_db.smoothed_block(values);
            self.gain_db.finish_block(values.len());
            self.gain.process_block(block, values);
        });
    }

    fn reset(&mut self) {
        self.gain_db.reset_smoothing();
        self.gain.reset();
    }
}

/// A low-pass stage: a cutoff parameter with logarithmic smoothing, applied per frame.
pub struct LowPassStage {
    pub cutoff_hz: FloatParam,
    filter: Biquad,
}

impl LowPassStage {
    pub fn new() -> Self {
        Self {
            cutoff_hz: FloatParam::new(
                "cutoff",
                "Cutoff",
                FloatRange::centred(20.0, 20_000.0, 1_000.0),
                5_000.0,
            )
            .unit("Hz")
            .smoothing(SmoothingStyle::Logarithmic { ms: 50.0 }),
            filter: Biquad::new(FilterKind::LowPass),
        }
    }
}

impl Processor for LowPassStage {
    fn prepare(&mut self, setup: &ProcessSetup) {
        self.cutoff_hz.set_sample_rate(setup.sample_rate);
        self.filter.prepare(setup.sample_rate);
    }

    fn process(&mut self, buffer: &mut AudioBuffer<'_>, _ctx: &ProcessContext) {
        for frame in 0..buffer.frames() {
            self.filter
                .set(self.cutoff_hz.smoothed_at(frame), 0.707, 0.0);
            for channel in 0..buffer.channels() {
                let sample = &mut buffer.channel_mut(channel)[frame];
                *sample = self.filter.process_sample(channel, *sample);
            }
        }
        // A stage outside a runner ends its own parameter's block.
        self.cutoff_hz.finish_block(buffer.frames());
    }

    fn reset(&mut self) {
        self.cutoff_hz.reset_smoothing();
        self.filter.reset();
    }
}

/// A saturator stage: a drive parameter with linear smoothing, applied per block.
pub struct SaturatorStage {
    pub drive_db: FloatParam,
    saturator: Saturator,
}

impl SaturatorStage {
    pub fn new() -> Self {
        Self {
            drive_db: FloatParam::new("drive", "Drive", FloatRange::linear(0.0, 24.0), 0.0)
                .unit("dB")
                .smoothing(SmoothingStyle::Linear { ms: 30.0 }),
            saturator: Saturator::new(SaturatorCurve::Tanh),
        }
    }
}

impl Processor for SaturatorStage {
    fn prepare(&mut self, setup: &ProcessSetup) {
        self.drive_db.set_sample_rate(setup.sample_rate);
        self.saturator.prepare(setup.sample_rate);
    }

    fn process(&mut self, buffer: &mut AudioBuffer<'_>, _ctx: &ProcessContext) {
        let mut values = [0.0_f32; SCRATCH];
        buffer.for_each_block(SCRATCH, |_, block| {
            let values = &mut values[..block.frames()];
            self.drive_db.smoothed_block(values);
            self.drive_db.finish_block(values.len());
            self.saturator.process_block(block, values);
        });
    }

    fn reset(&mut self) {
        self.drive_db.reset_smoothing();
        self.saturator.reset();
    }
}
