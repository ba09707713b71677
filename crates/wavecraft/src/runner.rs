//! [`Runner`]: the one safe piece of code that drives an author's [`Plugin`],
//! shared by every way a plugin is hosted (the dev engine ABI, the CLAP entry).
//!
//! Sharing it is how dev mode and a bundle keep the same rules:
//! - `prepare` sets every parameter's smoothing rate, ends any ramp, then
//!   calls the author's `prepare`;
//! - `process` hands the author blocks of at most the prepared maximum, so a
//!   host's larger blocks are split the same way everywhere;
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
    position: i64,
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
                position: 0,
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
                self.position = 0;
                Ok(())
            }
            Err(payload) => Err(self.record_panic("prepare", &*payload)),
        }
    }

    /// Sets parameter `index` to a plain value (the caller checks the index); allocation-free.
    pub fn set_value(&mut self, index: usize, value: f64) -> Result<(), RunError> {
        let params = self.plugin.params_mut();
        match catch_unwind(AssertUnwindSafe(|| {
            params.param_mut(index).set_plain(value)
        })) {
            Ok(()) => Ok(()),
            Err(payload) => Err(self.record_panic("set_value", &*payload)),
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
        let plugin = &mut self.plugin;
        let position = &mut self.position;
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            buffer.for_each_block(setup.max_block_size, |_, block| {
                let ctx = ProcessContext {
                    transport: Transport {
                        position_samples: *position,
                        ..Default::default()
                    },
                };
                plugin.process(block, &ctx);
                *position += block.frames() as i64;
            });
        }));
        match outcome {
            Ok(()) => Ok(()),
            Err(payload) => {
                buffer.clear();
                Err(self.record_panic("process", &*payload))
            }
        }
    }

    /// Ends every ramp and clears the author's DSP state; clears a fault.
    pub fn reset(&mut self) -> Result<(), RunError> {
        let plugin = &mut self.plugin;
        match catch_unwind(AssertUnwindSafe(|| {
            plugin.params_mut().reset_smoothing();
            plugin.reset();
        })) {
            Ok(()) => {
                self.faulted = false;
                Ok(())
            }
            Err(payload) => Err(self.record_panic("reset", &*payload)),
        }
    }
}
