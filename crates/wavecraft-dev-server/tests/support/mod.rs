//! Shared helpers for the dev server's integration tests: a temp copy of the
//! example project, a WebSocket client, and waiting for notifications.

#![allow(dead_code)]

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use wavecraft_dev_server::audio::{AudioConfig, BackendChoice};
use wavecraft_dev_server::engine_host::EngineHost;
use wavecraft_dev_server::{DevEvent, DevServer, DevServerConfig};
pub use wavecraft_test_support::{engines_target_dir, ExampleProject};

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A JSON-RPC client over a real WebSocket.
pub struct Client {
    pub socket: Socket,
    next_id: u64,
    /// Notifications received while waiting for responses.
    pub notifications: Vec<Value>,
}

impl Client {
    /// Connects and returns once the server has registered this client for
    /// broadcasts. The server registers a socket only after the handshake
    /// has completed, so an answered `ping` is what proves it.
    pub async fn connect(url: &str) -> Client {
        let (socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
        let mut client = Client {
            socket,
            next_id: 1,
            notifications: Vec::new(),
        };
        let pong = client.call("ping", json!({})).await;
        assert_eq!(pong["result"], "pong", "{pong}");
        client
    }

    pub async fn send_text(&mut self, text: &str) {
        self.socket.send(Message::Text(text.into())).await.unwrap();
    }

    /// The next text frame, parsed.
    pub async fn next_json(&mut self) -> Value {
        loop {
            let msg = tokio::time::timeout(Duration::from_secs(120), self.socket.next())
                .await
                .expect("a message within the deadline")
                .expect("socket open")
                .expect("no socket error");
            if let Message::Text(t) = msg {
                return serde_json::from_str(t.as_str()).unwrap();
            }
        }
    }

    /// Sends a request and waits for its response, keeping notifications that arrive meanwhile.
    pub async fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let request = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send_text(&request.to_string()).await;
        loop {
            let v = self.next_json().await;
            if v.get("id") == Some(&json!(id)) {
                return v;
            }
            self.notifications.push(v);
        }
    }

    /// Waits for a notification named `method` (checking those already received first).
    pub async fn notification(&mut self, method: &str) -> Value {
        if let Some(i) = self
            .notifications
            .iter()
            .position(|n| n["method"] == method)
        {
            return self.notifications.remove(i);
        }
        loop {
            let v = self.next_json().await;
            if v["method"] == method {
                return v;
            }
            self.notifications.push(v);
        }
    }
}

/// Waits for the dev server's first build to end; panics with the
/// diagnostics when it failed. The server's event stream buffers, so unlike a
/// socket connected afterwards it cannot miss a build that ended early; and
/// the server broadcasts before it emits the event, so a client connected
/// after this returns receives nothing from that first build.
pub async fn first_build_succeeds(events: &mut UnboundedReceiver<DevEvent>) {
    loop {
        let event = tokio::time::timeout(Duration::from_secs(300), events.recv())
            .await
            .expect("the first build ends within the deadline")
            .expect("the dev server is running");
        match event {
            DevEvent::EngineSwapped { .. } => return,
            DevEvent::BuildFailed { diagnostics, .. } => {
                panic!("the first build failed: {diagnostics:?}")
            }
            _ => {}
        }
    }
}

/// A dev server on `project` (ephemeral port, the shared engines target directory) playing
/// the virtual device in real time, once its first build plays.
pub async fn start_with_virtual_audio(
    project: &ExampleProject,
) -> (DevServer, UnboundedReceiver<DevEvent>) {
    let mut config = DevServerConfig::new(project.path());
    config.port = 0;
    config.target_dir = Some(engines_target_dir());
    config.audio = Some(AudioConfig {
        backend: BackendChoice::Virtual,
        ..AudioConfig::default()
    });
    let (server, mut events) = DevServer::start(config).await.unwrap();
    first_build_succeeds(&mut events).await;
    latest_engine_plays(server.audio().expect("audio is on")).await;
    (server, events)
}

/// Waits (up to 10 s) until the audio thread plays the newest engine handed to it.
pub async fn latest_engine_plays(audio: &EngineHost) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !audio.latest_engine_playing() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the newest engine never played"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}
