//! End-to-end latency of the dev loop: save an engine source file → a
//! WebSocket client receives `parametersChanged`, median of 10 edits, beside
//! the bare `cargo build --lib` time of the same edits measured in the same
//! run (same target directory, same kind of edit). Prints both medians and
//! their difference: the dev server's own overhead (watch, debounce, load,
//! parameter swap, broadcast).
//!
//! Run: `cargo bench -p wavecraft-dev-server --bench save_to_ui`

use std::process::Command;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;
use wavecraft_dev_server::{DevServer, DevServerConfig};
use wavecraft_test_support::ExampleProject;

const EDITS: usize = 10;

/// The example's source with the output gain's maximum changed, so each edit changes the metadata.
fn edited(original: &str, n: usize) -> String {
    let anchor = "FloatRange::linear(-60.0, 12.0)";
    assert!(
        original.contains(anchor),
        "the example changed; update the bench's edit"
    );
    original.replace(anchor, &format!("FloatRange::linear(-60.0, {}.5)", 12 + n))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn next_method(
    socket: &mut (impl StreamExt<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin),
    method: &str,
) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(300), socket.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        if let Message::Text(t) = msg {
            let v: Value = serde_json::from_str(t.as_str()).unwrap();
            if v["method"] == method {
                return v;
            }
        }
    }
}

fn main() {
    let project = ExampleProject::new("latency-probe");
    let target = wavecraft_test_support::workspace_root().join("target/bench-latency");
    let lib_rs = project.lib_rs();
    let original = std::fs::read_to_string(&lib_rs).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();

    // Dev loop: save → parametersChanged.
    let dev: Vec<Duration> = runtime.block_on(async {
        let mut config = DevServerConfig::new(project.path());
        config.port = 0;
        config.target_dir = Some(target.clone());
        let (server, _events) = DevServer::start(config).await.unwrap();
        let (mut socket, _) = tokio_tungstenite::connect_async(server.ws_url())
            .await
            .unwrap();
        let first = next_method(&mut socket, "buildFinished").await;
        assert_eq!(first["params"]["ok"], true, "first build failed: {first}");
        let mut times = Vec::new();
        for n in 0..EDITS {
            let saved = Instant::now();
            std::fs::write(&lib_rs, edited(&original, n)).unwrap();
            next_method(&mut socket, "parametersChanged").await;
            times.push(saved.elapsed());
            next_method(&mut socket, "buildFinished").await;
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        let _ = socket.close(None).await;
        server.shutdown().await;
        times
    });

    // Baseline: the same edits, bare cargo build, same target directory.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut bare = Vec::new();
    for n in 0..EDITS {
        std::fs::write(&lib_rs, edited(&original, EDITS + n)).unwrap();
        let started = Instant::now();
        let status = Command::new(&cargo)
            .args(["build", "--lib", "--message-format=json", "--manifest-path"])
            .arg(project.manifest_path())
            .arg("--target-dir")
            .arg(&target)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        bare.push(started.elapsed());
        assert!(status.success());
    }

    let (dev_m, bare_m) = (median(dev.clone()), median(bare.clone()));
    println!(
        "save → parametersChanged, {EDITS} edits (ms): {:?}",
        dev.iter().map(|d| ms(*d).round()).collect::<Vec<_>>()
    );
    println!(
        "bare cargo build --lib, {EDITS} edits (ms): {:?}",
        bare.iter().map(|d| ms(*d).round()).collect::<Vec<_>>()
    );
    println!("median save → parametersChanged: {:.0} ms", ms(dev_m));
    println!("median bare cargo build:         {:.0} ms", ms(bare_m));
    println!(
        "difference (dev server overhead): {:.0} ms",
        ms(dev_m) - ms(bare_m)
    );
    println!("ratio: {:.2}", dev_m.as_secs_f64() / bare_m.as_secs_f64());
}
