//! A [`ParameterHost`] that tells every client when a value changes, so two
//! browser tabs (or a browser and a script) stay in step.

use std::sync::Arc;

use wavecraft_bridge::{InMemoryParameterHost, ParameterHost, SetParameterError};
use wavecraft_protocol::catalog::{ParameterChanged, ParameterChangedNotification};
use wavecraft_protocol::ParameterInfo;

use crate::clients::Clients;
use crate::notify::notification_text;

/// The session's host, broadcasting `parameterChanged` after every accepted set.
#[derive(Debug, Clone)]
pub struct BroadcastingHost {
    inner: Arc<InMemoryParameterHost>,
    clients: Arc<Clients>,
}

impl BroadcastingHost {
    /// Wraps `inner`, announcing changes to `clients`.
    pub fn new(inner: Arc<InMemoryParameterHost>, clients: Arc<Clients>) -> Self {
        BroadcastingHost { inner, clients }
    }
}

impl ParameterHost for BroadcastingHost {
    fn parameters(&self) -> Vec<ParameterInfo> {
        self.inner.parameters()
    }

    fn parameter(&self, id: &str) -> Option<ParameterInfo> {
        self.inner.parameter(id)
    }

    fn set_parameter(&self, id: &str, value: f64) -> Result<f64, SetParameterError> {
        let stored = self.inner.set_parameter(id, value)?;
        self.clients
            .broadcast(&notification_text::<ParameterChangedNotification>(
                &ParameterChanged {
                    id: id.to_owned(),
                    value: stored,
                },
            ));
        Ok(stored)
    }
}
