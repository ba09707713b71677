//! The `ParameterHost` trait: where parameter values live and the one place
//! a value is checked before it is stored.

use std::sync::Arc;

use wavecraft_protocol::parameter::ValueError;
use wavecraft_protocol::ParameterInfo;

/// Why `set_parameter` stored nothing.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SetParameterError {
    /// No parameter has this id.
    #[error("no parameter with id {0:?}")]
    NotFound(String),
    /// The value is not allowed for this parameter.
    #[error("parameter {id:?} refused the value: {reason}")]
    Refused {
        /// The parameter's id.
        id: String,
        /// What was wrong with the value.
        reason: ValueError,
    },
}

/// No parameter has this id (a gesture named an id the host does not hold).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no parameter with id {0:?}")]
pub struct UnknownParameter(pub String);

/// A value as the host stored it, with the revision it was stamped with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoredValue {
    /// The plain value stored (snapped to the parameter's step).
    pub value: f64,
    /// Its revision: higher than any this id had before.
    pub revision: u64,
}

/// Holds an engine's parameters and their current values.
pub trait ParameterHost: Send + Sync {
    /// Every parameter with its current value and revision, in declaration order.
    fn parameters(&self) -> Vec<ParameterInfo>;
    /// One parameter with its current value and revision.
    fn parameter(&self, id: &str) -> Option<ParameterInfo>;
    /// Checks and stores a plain value under a new revision; returns what was stored.
    /// Stores nothing on error.
    fn set_parameter(&self, id: &str, value: f64) -> Result<StoredValue, SetParameterError>;
    /// A person started an edit gesture on `id` (a drag, a held key, a text entry); a plugin
    /// host turns it into the DAW's gesture begin. Starting one already open is no change.
    fn begin_edit(&self, id: &str) -> Result<(), UnknownParameter>;
    /// The edit gesture on `id` is over. Ending one that is not open is no change.
    fn end_edit(&self, id: &str) -> Result<(), UnknownParameter>;
}

impl<T: ParameterHost + ?Sized> ParameterHost for Arc<T> {
    fn parameters(&self) -> Vec<ParameterInfo> {
        (**self).parameters()
    }

    fn parameter(&self, id: &str) -> Option<ParameterInfo> {
        (**self).parameter(id)
    }

    fn set_parameter(&self, id: &str, value: f64) -> Result<StoredValue, SetParameterError> {
        (**self).set_parameter(id, value)
    }

    fn begin_edit(&self, id: &str) -> Result<(), UnknownParameter> {
        (**self).begin_edit(id)
    }

    fn end_edit(&self, id: &str) -> Result<(), UnknownParameter> {
        (**self).end_edit(id)
    }
}
