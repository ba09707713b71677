//! The parameter model: how a plugin declares its parameters and how the
//! host, the UI and the audio thread reach them.
//!
//! An author writes a struct of [`FloatParam`], [`IntParam`], [`BoolParam`]
//! and [`EnumParam`] fields and derives [`Params`] for it
//! (`#[derive(Params)]` from `wavecraft-macros`), which numbers the fields in
//! declaration order. Indexed access, [`Param::set_plain`] and smoothing never
//! allocate; only [`Params::specs`] and [`Params::validate_ids`] do, and they
//! are never called from the audio thread.

pub mod range;
pub mod smoothing;
pub mod spec;
pub mod values;

use std::fmt;

use wavecraft_protocol::parameter::is_valid_id;

pub use range::FloatRange;
pub use smoothing::{Smoother, SmoothingStyle};
pub use spec::{ParamKind, ParamSpec};
pub use values::{BoolParam, EnumParam, FloatParam, IntParam};
pub use wavecraft_protocol::parameter::ValueError;
pub use wavecraft_protocol::rules::{TextError, ValueRules};

/// One parameter as the host side sees it, whatever its kind.
pub trait Param: Send {
    /// The parameter's static description.
    fn spec(&self) -> &ParamSpec;
    /// The current (target) plain value.
    fn plain(&self) -> f64;
    /// Sets the plain value and starts smoothing towards it.
    ///
    /// The value is clamped into range, rounded for discrete kinds and snapped
    /// to the step; NaN and infinities are ignored. Refusing bad values with a
    /// message is the job of [`ParamSpec::validate`] at the edge, before this.
    fn set_plain(&mut self, value: f64);
    /// Tells the smoother the sample rate it ramps at.
    fn set_sample_rate(&mut self, sample_rate: f32);
    /// Ends any ramp: the smoothed value jumps to the current value.
    fn reset_smoothing(&mut self);
    /// True while the smoothed value is still ramping.
    fn is_smoothing(&self) -> bool;
    /// The block of `frames` frames ended: advance the smoothing to its end, however many
    /// frames were read, so the next block starts at frame 0. The runner calls this after
    /// every block; a parameter type without smoothing keeps the default (nothing to do).
    fn finish_block(&mut self, frames: usize) {
        let _ = frames;
    }
}

/// Something wrong with a parameter id, found by [`Params::validate_ids`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdProblem {
    /// Two parameters share an id.
    Duplicate {
        /// The shared id.
        id: &'static str,
        /// Index of the first parameter with it.
        first: usize,
        /// Index of the later parameter with it.
        second: usize,
    },
    /// The id is not snake_case (`[a-z][a-z0-9]*(_[a-z0-9]+)*`, the protocol's `is_valid_id`).
    NotSnakeCase {
        /// The offending id.
        id: &'static str,
        /// Index of the parameter.
        index: usize,
    },
}

impl fmt::Display for IdProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Duplicate { id, first, second } => write!(
                f,
                "parameter id `{id}` is used by both parameter {first} and parameter {second}"
            ),
            Self::NotSnakeCase { id, index } => write!(
                f,
                "parameter id `{id}` (parameter {index}) is not snake_case, e.g. `cutoff_hz`"
            ),
        }
    }
}

/// A plugin's parameter set, indexed in field order; implemented by `#[derive(Params)]`.
pub trait Params: Send + 'static {
    /// Number of parameters.
    fn count(&self) -> usize;

    /// The parameter at `index`; panics if `index >= count()`.
    fn param(&self, index: usize) -> &dyn Param;

    /// The parameter at `index`, mutably; panics if `index >= count()`.
    fn param_mut(&mut self, index: usize) -> &mut dyn Param;

    /// Copies of every parameter's spec, in index order (allocates: not for the audio thread).
    fn specs(&self) -> Vec<ParamSpec> {
        (0..self.count()).map(|i| *self.param(i).spec()).collect()
    }

    /// Index of the parameter with the given id.
    fn index_of(&self, id: &str) -> Option<usize> {
        (0..self.count()).find(|&i| self.param(i).spec().id == id)
    }

    /// Sets the smoothing sample rate of every parameter.
    fn set_sample_rate(&mut self, sample_rate: f32) {
        for i in 0..self.count() {
            self.param_mut(i).set_sample_rate(sample_rate);
        }
    }

    /// Advances every parameter's smoothing to the end of a block of `frames` frames (the
    /// runner calls this after each block; allocation-free).
    fn finish_block(&mut self, frames: usize) {
        for i in 0..self.count() {
            self.param_mut(i).finish_block(frames);
        }
    }

    /// Ends every parameter's ramp.
    fn reset_smoothing(&mut self) {
        for i in 0..self.count() {
            self.param_mut(i).reset_smoothing();
        }
    }

    /// Reports duplicate and non-snake_case ids (ids are runtime values, so the derive cannot).
    fn validate_ids(&self) -> Result<(), Vec<IdProblem>> {
        let problems = id_problems((0..self.count()).map(|index| self.param(index).spec().id));
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

/// Every id (in parameter order) that is not snake_case or repeats an earlier one: the rule
/// for a plugin's ids wherever they are published (dev engine, CLAP).
pub fn id_problems(ids: impl IntoIterator<Item = &'static str>) -> Vec<IdProblem> {
    let ids: Vec<&'static str> = ids.into_iter().collect();
    let mut problems = Vec::new();
    for (index, &id) in ids.iter().enumerate() {
        if !is_valid_id(id) {
            problems.push(IdProblem::NotSnakeCase { id, index });
        }
        if let Some(first) = ids[..index].iter().position(|&earlier| earlier == id) {
            problems.push(IdProblem::Duplicate {
                id,
                first,
                second: index,
            });
        }
    }
    problems
}
