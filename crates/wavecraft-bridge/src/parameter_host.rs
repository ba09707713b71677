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

/// Holds an engine's parameters and their current values.
pub trait ParameterHost: Send + Sync {
    /// Every parameter with its current value, in declaration order.
    fn parameters(&self) -> Vec<ParameterInfo>;
    /// One parameter with its current value.
    fn parameter(&self, id: &str) -> Option<ParameterInfo>;
    /// Checks and stores a plain value; returns the value stored. Stores nothing on error.
    fn set_parameter(&self, id: &str, value: f64) -> Result<f64, SetParameterError>;
}

impl<T: ParameterHost + ?Sized> ParameterHost for Arc<T> {
    fn parameters(&self) -> Vec<ParameterInfo> {
        (**self).parameters()
    }

    fn parameter(&self, id: &str) -> Option<ParameterInfo> {
        (**self).parameter(id)
    }

    fn set_parameter(&self, id: &str, value: f64) -> Result<f64, SetParameterError> {
        (**self).set_parameter(id, value)
    }
}
