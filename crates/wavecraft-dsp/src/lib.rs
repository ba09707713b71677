//! What a Wavecraft plugin's DSP is written against.
//!
//! This crate owns the [`Processor`] and [`Plugin`] traits, the parameter
//! model ([`param`]: ranges, specs, smoothing and the field types a params
//! struct is made of), the [`AudioBuffer`] view and a set of built-in
//! [`blocks`] (gain, filter, saturator, mix) an author calls inside their own
//! `process`, and [`chain`] to run the author's own [`Processor`]s in series.
//!
//! Its one dependency is `wavecraft-protocol`, for the parameter rules
//! (`wavecraft_protocol::rules`: checks, snapping, normalisation, text) that
//! the host, the CLI and the plugin formats share. It must never allocate,
//! lock, log or do I/O on the audio path (`process`, `set_plain`, smoothing
//! and every built-in processor's per-sample work); `tests/no_alloc.rs`
//! proves it with a counting allocator. It knows nothing about sockets, files, processes or plugin
//! formats, and contains no `unsafe` code.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod blocks;
pub mod buffer;
pub mod chain;
pub mod param;
pub mod processor;
pub mod util;

pub use buffer::{AudioBuffer, ChannelsMut, MAX_CHANNELS};
pub use processor::{Plugin, ProcessContext, ProcessSetup, Processor, Transport};
