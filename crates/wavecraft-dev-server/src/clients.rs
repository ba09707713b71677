//! The connected WebSocket clients and their outgoing queues.
//!
//! Each client has a bounded queue; sending never waits. A client whose queue
//! is full (it stopped reading) or closed is dropped on the spot, so a slow or
//! dead client can never stall the others, the build loop or the audio.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use tokio::sync::mpsc;

/// Messages a client may have waiting before it counts as too slow and is dropped.
pub const QUEUE_CAPACITY: usize = 1024;

/// Identifies one connection.
pub type ClientId = u64;

/// The registry of connected clients.
#[derive(Debug, Default)]
pub struct Clients {
    queues: Mutex<HashMap<ClientId, mpsc::Sender<String>>>,
    next: AtomicU64,
}

impl Clients {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a client; its messages arrive on the returned receiver.
    pub fn register(&self) -> (ClientId, mpsc::Receiver<String>) {
        let (tx, rx) = mpsc::channel(QUEUE_CAPACITY);
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.queues
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, tx);
        (id, rx)
    }

    /// Removes a client; its receiver ends, which closes its socket.
    pub fn unregister(&self, id: ClientId) {
        self.queues
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&id);
    }

    /// Queues `text` for one client; drops the client and returns false when its queue is full or closed.
    pub fn send_to(&self, id: ClientId, text: String) -> bool {
        let mut queues = self.queues.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(queue) = queues.get(&id) else {
            return false;
        };
        if queue.try_send(text).is_ok() {
            true
        } else {
            queues.remove(&id);
            false
        }
    }

    /// Queues `text` for every client, dropping those that cannot take it.
    pub fn broadcast(&self, text: &str) {
        self.queues
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|_, queue| queue.try_send(text.to_owned()).is_ok());
    }

    /// How many clients are connected.
    pub fn len(&self) -> usize {
        self.queues
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// True when no client is connected.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_queue_drops_only_that_client() {
        let clients = Clients::new();
        let (slow, _slow_rx) = clients.register();
        let (fast, mut fast_rx) = clients.register();
        for i in 0..QUEUE_CAPACITY {
            clients.broadcast(&format!("m{i}"));
            while fast_rx.try_recv().is_ok() {}
        }
        assert_eq!(clients.len(), 2);
        clients.broadcast("one too many");
        assert_eq!(clients.len(), 1);
        assert!(!clients.send_to(slow, "x".into()));
        assert!(clients.send_to(fast, "y".into()));
        assert_eq!(fast_rx.try_recv().unwrap(), "one too many");
    }
}
