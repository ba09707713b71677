//! What a slider drag feels like through the real dev server: a WebSocket
//! client on loopback sends `setParameter`, `ping` and `getAllParameters`, one
//! request at a time, 2,000 of each, and times each request → its reply. The
//! server runs as `wavecraft start` does: the example engine built and loaded,
//! the virtual audio device playing it in real time, meter frames pushed to
//! the client (~30 Hz) while it measures. Prints p50/p99 per method.
//!
//! Run: `cargo bench -p wavecraft-dev-server --bench ws_round_trip`

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;
use wavecraft_dev_server::audio::{AudioConfig, BackendChoice};
use wavecraft_dev_server::{DevEvent, DevServer, DevServerConfig};
use wavecraft_test_support::ExampleProject;

const ROUNDS: usize = 2_000;

/// A method and the params of its `i`-th request.
type Case = (&'static str, fn(usize) -> Value);

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn main() {
    let project = ExampleProject::new("round-trip-probe");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut config = DevServerConfig::new(project.path());
        config.port = 0;
        config.target_dir = Some(wavecraft_test_support::engines_target_dir());
        config.audio = Some(AudioConfig {
            backend: BackendChoice::Virtual,
            ..AudioConfig::default()
        });
        let (server, mut events) = DevServer::start(config).await.unwrap();
        loop {
            match events.recv().await.expect("the server runs") {
                DevEvent::EngineSwapped { .. } => break,
                DevEvent::BuildFailed { diagnostics, .. } => {
                    panic!("build failed: {diagnostics:?}")
                }
                _ => {}
            }
        }
        let (mut socket, _) = tokio_tungstenite::connect_async(server.ws_url())
            .await
            .unwrap();
        let mut meters = 0usize;
        let mut next_id = 0u64;
        let cases: [Case; 3] = [
            (
                "setParameter",
                |i| json!({"id": "output_gain", "value": -((i % 24) as f64)}),
            ),
            ("ping", |_| json!({})),
            ("getAllParameters", |_| json!({})),
        ];
        for (method, params) in &cases {
            let mut times = Vec::with_capacity(ROUNDS);
            for i in 0..ROUNDS {
                next_id += 1;
                let request =
                    json!({"jsonrpc": "2.0", "id": next_id, "method": method, "params": params(i)})
                        .to_string();
                let sent = Instant::now();
                socket.send(Message::Text(request.into())).await.unwrap();
                loop {
                    let Message::Text(text) = socket.next().await.unwrap().unwrap() else {
                        continue;
                    };
                    let reply: Value = serde_json::from_str(text.as_str()).unwrap();
                    if reply["id"] == json!(next_id) {
                        assert!(reply.get("result").is_some(), "{reply}");
                        times.push(sent.elapsed());
                        break;
                    }
                    if reply["method"] == "meterUpdate" {
                        meters += 1;
                    }
                }
            }
            times.sort();
            println!(
                "{method:<17} {ROUNDS} round trips: p50 {:.3} ms  p99 {:.3} ms  max {:.3} ms",
                percentile(&times, 0.5),
                percentile(&times, 0.99),
                percentile(&times, 1.0),
            );
        }
        println!("meter frames received meanwhile: {meters}");
        assert!(
            meters > 0,
            "no meter frames arrived: the audio was not running"
        );
        let _ = socket.close(None).await;
        server.shutdown().await;
    });
}
