//! [`Runner`]: the one safe piece of code that drives an author's [`Plugin`],
//! shared by every way a plugin is hosted (the dev engine ABI, the CLAP entry).
//!
//! Sharing it is how dev mode and a bundle keep the same rules:
//! - `prepare` sets every parameter's smoothing rate, ends any ramp, then
//!   calls the author's `prepare`;
//! - `process` hands the author blocks of at most the prepared maximum, so a
//!   host's larger blocks are split the same way everywhere, with denormals
//!   flushed to zero for the duration of the call (`crate::denormals`) and the
//!   caller's floating-point mode restored afterwards;
//! - a value set while no audio is running (after `prepare`, `reset` or
//!   [`Runner::stop`], before the next `process`) takes effect at once: there
//!   is no sound that could glide from the old value. Only values set while
//!   audio runs glide by their smoothing. So `render --set`, the values a CLAP
//!   host sets or loads before processing, and the values the dev loop hands
//!   a new engine all start there, without every caller resetting smoothers;
//! - every call into author code catches panics; after one, the runner writes
//!   silence until `prepare` or `reset`, never garbage.
//!
//! It never allocates on the audio path (`set_value`, `process`); the panic
//! message is the only allocation, and only on the panic path. It owns no
//! `unsafe` code and knows nothing about C ABIs or plugin formats.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use wavecraft_dsp::buffer::AudioBuffer;
use wavecraft_dsp::param::Params;
use wavecraft_dsp::processor::{Plugin, ProcessContext, ProcessSetup, Transport};

use crate::denormals::FlushDenormals;

/// Why a runner call did not do its work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunError {
    /// `process` was called before a successful `prepare`.
    NotPrepared,
    /// The author's code panicked (now or earlier); see [`Runner::last_error`].
    Panicked,
}

/// An author's plugin with the state every host needs around it.
pub struct Runner<P> {
    plugin: P,
    setup: Option<ProcessSetup>,
    faulted: bool,
    /// True once audio has been processed since `prepare`, `reset` or `stop`: from then on a
    /// new value glides; before, it takes effect at once.
    running: bool,
    /// The host's transport at the start of the next block.
    transport: Transport,
    last_error: String,
}

/// The text of a panic payload.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic with a non-string payload".to_owned())
}

impl<P: Plugin> Runner<P> {
    /// Builds the plugin with its defaults; a panic in `Default` becomes an error message.
    pub fn create() -> Result<Self, String> {
        catch_unwind(P::default)
            .map(|plugin| Runner {
                plugin,
                setup: None,
                faulted: false,
                running: false,
                transport: Transport::default(),
                last_error: String::new(),
            })
            .map_err(|payload| {
                format!("creating the plugin panicked: {}", panic_message(&*payload))
            })
    }

    /// The author's plugin (for reading parameter values).
    pub fn plugin(&self) -> &P {
        &self.plugin
    }

    /// The setup of the last successful `prepare`.
    pub fn setup(&self) -> Option<ProcessSetup> {
        self.setup
    }

    /// The message of the last panic, or an error a caller recorded.
    pub fn last_error(&self) -> &str {
        &self.last_error
    }

    /// Records an error message for [`Runner::last_error`] (off the audio thread only).
    pub fn set_last_error(&mut self, message: String) {
        self.last_error = message;
    }

    fn record_panic(&mut self, what: &str, payload: &(dyn Any + Send)) -> RunError {
        self.faulted = true;
        self.last_error = format!("{what} panicked: {}", panic_message(payload));
        RunError::Panicked
    }

    /// Prepares for `setup`: smoothing rate, ramps ended, the author's `prepare`; clears a fault.
    /// Values set after this and before the first `process` take effect at once.
    pub fn prepare(&mut self, setup: ProcessSetup) -> Result<(), RunError> {
        let plugin = &mut self.plugin;
        match catch_unwind(AssertUnwindSafe(|| {
            plugin.params_mut().set_sample_rate(setup.sample_rate);
            plugin.params_mut().reset_smoothing();
            plugin.prepare(&setup);
        })) {
            Ok(()) => {
                self.setup = Some(setup);
                self.faulted = false;
                self.running = false;
                self.transport = Transport::default();
                Ok(())
            }
            Err(payload) => Err(self.record_panic("prepare", &*payload)),
        }
    }

    /// Sets parameter `index` to a plain value (the caller checks the index); allocation-free.
    ///
    /// While audio runs the value glides by the parameter's smoothing; while none runs (after
    /// `prepare`, `reset` or `stop`, before the next `process`) it takes effect at once.
    pub fn set_value(&mut self, index: usize, value: f64) -> Result<(), RunError> {
        let params = self.plugin.params_mut();
        let glide = self.running;
        match catch_unwind(AssertUnwindSafe(|| {
            let param = params.param_mut(index);
            param.set_plain(value);
            if !glide {
                param.reset_smoothing();
            }
        })) {
            Ok(()) => Ok(()),
            Err(payload) => Err(self.record_panic("set_value", &*payload)),
        }
    }

    /// Takes the host's transport for the blocks that follow: whether it plays, its tempo, and
    /// its timeline position in seconds (converted to samples at the prepared rate; `None`
    /// keeps counting). Without a host transport (the dev loop) the transport is stopped,
    /// tempo-less, and the position counts samples since `prepare`. Allocation-free. Only a
    /// plugin host has a transport, so only the plugin-format builds (CLAP, VST3) have this.
    #[cfg(feature = "plugin-format")]
    pub fn set_transport(
        &mut self,
        playing: bool,
        tempo: Option<f64>,
        position_seconds: Option<f64>,
    ) {
        self.transport.playing = playing;
        self.transport.tempo = tempo;
        if let (Some(seconds), Some(setup)) = (position_seconds, self.setup) {
            self.transport.position_samples =
                (seconds * f64::from(setup.sample_rate)).round() as i64;
        }
    }

    /// Processes `buffer` in place, in blocks of at most the prepared maximum; allocation-free.
    ///
    /// After a panic (now or in an earlier call) the buffer holds silence.
    pub fn process(&mut self, buffer: &mut AudioBuffer<'_>) -> Result<(), RunError> {
        let Some(setup) = self.setup else {
            return Err(RunError::NotPrepared);
        };
        if self.faulted {
            buffer.clear();
            return Err(RunError::Panicked);
        }
        if buffer.frames() > 0 {
            self.running = true;
        }
        let plugin = &mut self.plugin;
        let transport = &mut self.transport;
        // Held across the author's code, dropped (the caller's mode back) before returning, also
        // after a caught panic.
        let flush = FlushDenormals::enable();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            buffer.for_each_block(setup.max_block_size, |_, block| {
                let ctx = ProcessContext {
                    transport: *transport,
                };
                plugin.process(block, &ctx);
                // Every parameter's smoothing reaches the block's end, read or not.
                plugin.params_mut().finish_block(block.frames());
                transport.position_samples += block.frames() as i64;
            });
        }));
        drop(flush);
        match outcome {
            Ok(()) => Ok(()),
            Err(payload) => {
                buffer.clear();
                Err(self.record_panic("process", &*payload))
            }
        }
    }

    /// The host stopped the audio (CLAP's `stop_processing`, VST3's `setProcessing(false)`: the
    /// next block need not follow the last). Values set before the next `process` take effect
    /// at once. Allocation-free. Only a plugin host stops and restarts the audio, so only the
    /// plugin-format builds have this (the dev loop, which never stops, resets instead).
    #[cfg(any(test, feature = "plugin-format"))]
    pub fn stop(&mut self) {
        self.running = false;
    }

    /// Ends every ramp and clears the author's DSP state; clears a fault. Values set after this
    /// and before the next `process` take effect at once.
    pub fn reset(&mut self) -> Result<(), RunError> {
        let plugin = &mut self.plugin;
        match catch_unwind(AssertUnwindSafe(|| {
            plugin.params_mut().reset_smoothing();
            plugin.reset();
        })) {
            Ok(()) => {
                self.faulted = false;
                self.running = false;
                Ok(())
            }
            Err(payload) => Err(self.record_panic("reset", &*payload)),
        }
    }
}

// The transport only moves under a plugin host, so these tests need a plugin format.
#[cfg(all(test, feature = "plugin-format"))]
mod tests {
    use super::*;
    use wavecraft_dsp::processor::Processor;
    use wavecraft_dsp::AudioBuffer;

    #[derive(crate::Params, Default)]
    #[params(crate = "::wavecraft_dsp")]
    struct NoParams {}

    /// Records the transport of every block it processes.
    #[derive(Default)]
    struct Witness {
        params: NoParams,
        seen: Vec<Transport>,
    }

    impl Processor for Witness {
        fn prepare(&mut self, _: &ProcessSetup) {}
        fn process(&mut self, _: &mut AudioBuffer<'_>, ctx: &ProcessContext) {
            self.seen.push(ctx.transport);
        }
    }

    impl Plugin for Witness {
        type Params = NoParams;
        fn params(&self) -> &NoParams {
            &self.params
        }
        fn params_mut(&mut self) -> &mut NoParams {
            &mut self.params
        }
    }

    fn run(runner: &mut Runner<Witness>, frames: usize) {
        let mut samples = vec![0.0f32; frames];
        let mut channels: [&mut [f32]; 1] = [&mut samples];
        runner
            .process(&mut AudioBuffer::new(&mut channels))
            .unwrap();
    }

    #[test]
    fn blocks_see_the_host_transport_and_the_position_advances() {
        let mut runner = Runner::<Witness>::create().unwrap();
        runner
            .prepare(ProcessSetup {
                sample_rate: 48_000.0,
                max_block_size: 64,
                channels: 1,
            })
            .unwrap();
        run(&mut runner, 100);
        runner.set_transport(true, Some(128.0), Some(2.0));
        run(&mut runner, 10);
        runner.set_transport(false, None, None);
        run(&mut runner, 10);
        let seen = &runner.plugin().seen;
        let stopped = Transport::default();
        assert_eq!(seen[0], stopped, "no host transport: stopped, from 0");
        assert_eq!(
            seen[1].position_samples, 64,
            "split blocks advance the position"
        );
        let playing = Transport {
            playing: true,
            tempo: Some(128.0),
            position_samples: 96_000,
        };
        assert_eq!(seen[2], playing);
        assert_eq!(
            seen[3],
            Transport {
                position_samples: 96_010,
                ..stopped
            },
            "stopped again; no position given, so it keeps counting"
        );
    }
}

#[cfg(test)]
mod rule_tests {
    use super::*;
    use std::hint::black_box;
    use wavecraft_dsp::param::{FloatParam, FloatRange, SmoothingStyle};
    use wavecraft_dsp::processor::Processor;

    #[derive(crate::Params)]
    #[params(crate = "::wavecraft_dsp")]
    struct LevelParams {
        level: FloatParam,
    }

    impl Default for LevelParams {
        fn default() -> Self {
            Self {
                level: FloatParam::new("level", "Level", FloatRange::linear(0.0, 1.0), 0.0)
                    .smoothing(SmoothingStyle::Linear { ms: 10.0 }),
            }
        }
    }

    /// Writes the smoothed level into every sample, and records whether a subnormal product
    /// came out as zero (denormals flushed) during `process`.
    #[derive(Default)]
    struct Probe {
        params: LevelParams,
        flushed: Vec<bool>,
    }

    /// The smallest positive subnormal `f32` times one: zero only while denormals are flushed.
    fn subnormal_product() -> f32 {
        black_box(f32::from_bits(1)) * black_box(1.0f32)
    }

    impl Processor for Probe {
        fn prepare(&mut self, _: &ProcessSetup) {}
        fn process(&mut self, buffer: &mut AudioBuffer<'_>, _: &ProcessContext) {
            self.flushed.push(subnormal_product() == 0.0);
            for frame in 0..buffer.frames() {
                buffer.channel_mut(0)[frame] = self.params.level.smoothed_at(frame);
            }
        }
    }

    impl Plugin for Probe {
        type Params = LevelParams;
        fn params(&self) -> &LevelParams {
            &self.params
        }
        fn params_mut(&mut self) -> &mut LevelParams {
            &mut self.params
        }
    }

    /// Reads the smoothed level `reads` times per frame (0: not at all) into every sample.
    #[derive(Default)]
    struct Reader {
        params: LevelParams,
        reads: usize,
    }

    impl Processor for Reader {
        fn prepare(&mut self, _: &ProcessSetup) {}
        fn process(&mut self, buffer: &mut AudioBuffer<'_>, _: &ProcessContext) {
            for frame in 0..buffer.frames() {
                let mut value = -1.0;
                for _ in 0..self.reads {
                    value = self.params.level.smoothed_at(frame);
                }
                buffer.channel_mut(0)[frame] = value;
            }
        }
    }

    impl Plugin for Reader {
        type Params = LevelParams;
        fn params(&self) -> &LevelParams {
            &self.params
        }
        fn params_mut(&mut self) -> &mut LevelParams {
            &mut self.params
        }
    }

    /// Three 64-frame blocks of a ramp to 1.0 started while running, reading `reads[b]` times
    /// per frame in block `b`.
    fn ramp_blocks(reads: [usize; 3]) -> Vec<[f32; 64]> {
        let mut runner = Runner::<Reader>::create().unwrap();
        runner
            .prepare(ProcessSetup {
                sample_rate: 48_000.0,
                max_block_size: 64,
                channels: 1,
            })
            .unwrap();
        let mut block = [0.0f32; 64];
        let mut channels: [&mut [f32]; 1] = [&mut block];
        runner
            .process(&mut AudioBuffer::new(&mut channels))
            .unwrap();
        runner.set_value(0, 1.0).unwrap();
        reads
            .into_iter()
            .map(|reads| {
                runner.plugin.reads = reads;
                let mut block = [0.0f32; 64];
                let mut channels: [&mut [f32]; 1] = [&mut block];
                runner
                    .process(&mut AudioBuffer::new(&mut channels))
                    .unwrap();
                block
            })
            .collect()
    }

    /// A smoothed value depends on the frame alone: reading it twice per frame does not run
    /// the ramp twice as fast, and a block that never reads it does not hold the ramp back.
    #[test]
    fn a_smoothed_value_depends_on_its_frame_not_on_how_often_it_is_read() {
        let once = ramp_blocks([1, 1, 1]);
        // 10 ms at 48 kHz: 480 equal steps, one per frame.
        for (b, block) in once.iter().enumerate() {
            for (f, &value) in block.iter().enumerate() {
                let expected = (b * 64 + f + 1) as f32 / 480.0;
                assert!(
                    (value - expected).abs() < 1e-6,
                    "block {b} frame {f}: {value}"
                );
            }
        }
        assert_eq!(ramp_blocks([2, 2, 2]), once);
        let skipped = ramp_blocks([1, 0, 1]);
        assert_eq!(skipped[1], [-1.0; 64], "block 2 never read the level");
        assert_eq!(skipped[2], once[2]);
    }

    fn prepared() -> Runner<Probe> {
        let mut runner = Runner::<Probe>::create().unwrap();
        runner
            .prepare(ProcessSetup {
                sample_rate: 48_000.0,
                max_block_size: 64,
                channels: 1,
            })
            .unwrap();
        runner
    }

    /// The first sample of one processed block of 64 frames.
    fn first_sample(runner: &mut Runner<Probe>) -> f32 {
        let mut samples = [0.0f32; 64];
        let mut channels: [&mut [f32]; 1] = [&mut samples];
        runner
            .process(&mut AudioBuffer::new(&mut channels))
            .unwrap();
        samples[0]
    }

    #[test]
    fn values_set_before_audio_start_there_and_values_set_while_it_runs_glide() {
        let mut runner = prepared();
        runner.set_value(0, 0.5).unwrap();
        assert_eq!(
            first_sample(&mut runner),
            0.5,
            "set after prepare: no glide"
        );
        runner.set_value(0, 1.0).unwrap();
        let gliding = first_sample(&mut runner);
        assert!(
            gliding > 0.5 && gliding < 0.6,
            "set while running glides: {gliding}"
        );

        runner.stop();
        runner.set_value(0, 0.25).unwrap();
        assert_eq!(
            first_sample(&mut runner),
            0.25,
            "set while stopped: no glide"
        );

        runner.reset().unwrap();
        runner.set_value(0, 0.75).unwrap();
        assert_eq!(first_sample(&mut runner), 0.75, "set after reset: no glide");

        let mut runner = prepared();
        runner.set_value(0, 0.5).unwrap();
        runner
            .prepare(ProcessSetup {
                sample_rate: 44_100.0,
                max_block_size: 64,
                channels: 1,
            })
            .unwrap();
        assert_eq!(
            first_sample(&mut runner),
            0.5,
            "a value set before prepare is kept"
        );
    }

    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    #[test]
    fn process_runs_with_denormals_flushed_and_gives_the_callers_mode_back() {
        let mut runner = prepared();
        assert!(
            subnormal_product() > 0.0,
            "the test thread keeps subnormals"
        );
        first_sample(&mut runner);
        first_sample(&mut runner);
        assert_eq!(runner.plugin().flushed, [true, true]);
        assert!(subnormal_product() > 0.0, "the caller's mode is restored");
    }
}
