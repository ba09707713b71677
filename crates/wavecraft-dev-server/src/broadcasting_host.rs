//! A [`ParameterHost`] that tells every client when a value changes, so two
//! browser tabs (or a browser and a script) stay in step: notifications leave
//! in the order the values were stored, so the last `parameterChanged` every
//! client sees for an id is the stored value.

use std::sync::{Arc, Mutex, PoisonError};

use wavecraft_bridge::{
    InMemoryParameterHost, ParameterHost, SetParameterError, StoredValue, UnknownParameter,
};
use wavecraft_protocol::catalog::{ParameterChanged, ParameterChangedNotification};
use wavecraft_protocol::ParameterInfo;

use crate::clients::Clients;
use crate::notification::notification_text;

/// The session's host, broadcasting `parameterChanged` after every accepted set.
#[derive(Debug, Clone)]
pub struct BroadcastingHost {
    inner: Arc<InMemoryParameterHost>,
    clients: Arc<Clients>,
    /// Held from storing a value until its notification is queued to every client.
    in_order: Arc<Mutex<()>>,
}

impl BroadcastingHost {
    /// Wraps `inner`, announcing changes to `clients`.
    pub fn new(inner: Arc<InMemoryParameterHost>, clients: Arc<Clients>) -> Self {
        BroadcastingHost {
            inner,
            clients,
            in_order: Arc::default(),
        }
    }
}

impl ParameterHost for BroadcastingHost {
    fn parameters(&self) -> Vec<ParameterInfo> {
        self.inner.parameters()
    }

    fn parameter(&self, id: &str) -> Option<ParameterInfo> {
        self.inner.parameter(id)
    }

    fn set_parameter(&self, id: &str, value: f64) -> Result<StoredValue, SetParameterError> {
        let _in_order = self.in_order.lock().unwrap_or_else(PoisonError::into_inner);
        let stored = self.inner.set_parameter(id, value)?;
        self.clients
            .broadcast(&notification_text::<ParameterChangedNotification>(
                &ParameterChanged {
                    id: id.to_owned(),
                    value: stored.value,
                    revision: stored.revision,
                },
            ));
        Ok(stored)
    }

    fn begin_edit(&self, id: &str) -> Result<(), UnknownParameter> {
        self.inner.begin_edit(id)
    }

    fn end_edit(&self, id: &str) -> Result<(), UnknownParameter> {
        self.inner.end_edit(id)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Barrier;

    use wavecraft_protocol::ParameterInfo;

    use super::*;

    fn last_value(queue: &mut tokio::sync::mpsc::Receiver<String>) -> f64 {
        let mut last = None;
        while let Ok(text) = queue.try_recv() {
            last = Some(text);
        }
        let message: serde_json::Value =
            serde_json::from_str(&last.expect("a notification")).unwrap();
        message["params"]["value"].as_f64().unwrap()
    }

    /// Two tabs set the same parameter at the same moment, many times over: after each
    /// round, the last notification every client holds is the value the host stored.
    #[test]
    fn the_last_notification_is_the_stored_value() {
        let info: ParameterInfo = serde_json::from_value(serde_json::json!({
            "id": "gain", "name": "Gain", "kind": "float", "min": 0.0, "max": 1000.0,
            "default": 0.0, "value": 0.0, "unit": "", "group": "", "step": null,
            "skew": 1.0, "variants": []
        }))
        .unwrap();
        let inner = Arc::new(InMemoryParameterHost::new(vec![info]).unwrap());
        let clients = Arc::new(Clients::new());
        let (_, mut tab_a) = clients.register();
        let (_, mut tab_b) = clients.register();
        let host = BroadcastingHost::new(Arc::clone(&inner), clients);
        let rounds = 4_000;
        let barrier = Arc::new(Barrier::new(3));
        let writers: Vec<_> = [0.0, 500.0]
            .into_iter()
            .map(|base| {
                let host = host.clone();
                let barrier = Arc::clone(&barrier);
                std::thread::spawn(move || {
                    for round in 0..rounds {
                        barrier.wait();
                        host.set_parameter("gain", base + f64::from(round % 400))
                            .unwrap();
                        barrier.wait();
                    }
                })
            })
            .collect();
        let mut mismatches = 0;
        for _ in 0..rounds {
            barrier.wait();
            barrier.wait();
            let stored = inner.parameter("gain").unwrap().value;
            for tab in [&mut tab_a, &mut tab_b] {
                if last_value(tab) != stored {
                    mismatches += 1;
                }
            }
        }
        for writer in writers {
            writer.join().unwrap();
        }
        assert_eq!(
            mismatches, 0,
            "a tab ended on a stale value {mismatches} times"
        );
    }
}
