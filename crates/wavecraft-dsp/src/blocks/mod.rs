//! Built-in building blocks an author calls inside their own `process`:
//! [`Gain`], [`Biquad`], [`Saturator`], [`Mix`].
//!
//! They are not [`Processor`](crate::Processor)s: a block owns no parameters.
//! Each has `prepare(sample_rate)` and `reset()`, and processes per sample or
//! per block with the (smoothed) parameter values passed in as arguments, so
//! the author's params stay the single source of truth. Blocks never
//! allocate; all state is fixed-size and lives inside the block.

pub mod biquad;
pub mod gain;
pub mod mix;
pub mod saturator;

pub use biquad::{Biquad, BiquadCoefficients, FilterKind};
pub use gain::Gain;
pub use mix::{Mix, MixLaw};
pub use saturator::{Saturator, SaturatorCurve};
