//! Built-in building blocks an author composes inside their own `process`:
//! [`Gain`], [`Biquad`], [`Saturator`], [`Mix`], and the [`Chain`]
//! combinator for serial [`Processor`](crate::Processor)s.
//!
//! Each block has `prepare(sample_rate)` and `reset()`, and processes
//! per sample or per block with the (smoothed) parameter values passed in as
//! arguments, so the author's params stay the single source of truth. Blocks
//! never allocate; all state is fixed-size and lives inside the block.

pub mod biquad;
pub mod chain;
pub mod gain;
pub mod mix;
pub mod saturator;

pub use biquad::{Biquad, BiquadCoefficients, FilterKind};
pub use chain::{Chain, ProcessorExt};
pub use gain::Gain;
pub use mix::{Mix, MixLaw};
pub use saturator::{Saturator, SaturatorCurve};
