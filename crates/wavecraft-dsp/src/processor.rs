//! The traits an author implements: [`Processor`] (the audio work) and
//! [`Plugin`] (a processor plus its parameters), and the plain data the
//! runtime hands them: [`ProcessSetup`], [`Transport`], [`ProcessContext`].
//!
//! `process` runs on the audio thread: an implementation must never
//! allocate, lock, log or do I/O there. Allocation belongs in `prepare`.

use crate::buffer::AudioBuffer;
use crate::param::Params;

/// What the runtime promises before processing starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProcessSetup {
    /// Sample rate in Hz.
    pub sample_rate: f32,
    /// Largest number of frames any `process` call will receive.
    pub max_block_size: usize,
    /// Number of channels in every buffer.
    pub channels: usize,
}

/// The host's playback state at the start of a block. A CLAP host's transport is passed on;
/// `wavecraft start` and `wavecraft render` have no timeline: stopped, no tempo, and the
/// position counts samples since `prepare`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Transport {
    /// True while the host is playing.
    pub playing: bool,
    /// Tempo in beats per minute, when the host has one.
    pub tempo: Option<f64>,
    /// Position of the block's first frame: on the host's timeline when it has one (in
    /// samples), else samples since `prepare`.
    pub position_samples: i64,
}

/// Per-block information passed to `process`; plain data, never allocates.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ProcessContext {
    /// Playback state.
    pub transport: Transport,
}

/// Audio processing: prepared once per configuration, then called per block.
pub trait Processor: Send + 'static {
    /// Called off the audio thread before processing and whenever the setup changes; allocate here.
    fn prepare(&mut self, setup: &ProcessSetup);
    /// Processes one block in place; must not allocate, lock, log or do I/O.
    fn process(&mut self, buffer: &mut AudioBuffer<'_>, ctx: &ProcessContext);
    /// Clears internal state (filter memories, delay lines) without reallocating.
    fn reset(&mut self) {}
}

/// What a plugin author implements: a processor with its parameter set.
///
/// `Default` builds the plugin with every parameter at its default.
pub trait Plugin: Processor + Default {
    /// The parameter struct, usually `#[derive(Params)]`.
    type Params: Params;
    /// The parameters.
    fn params(&self) -> &Self::Params;
    /// The parameters, mutably (the runtime sets values through this).
    fn params_mut(&mut self) -> &mut Self::Params;
}
