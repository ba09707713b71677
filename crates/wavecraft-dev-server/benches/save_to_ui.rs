//! End-to-end latency of the dev loop on a project laid out as `wavecraft
//! create` writes one: save an engine source file (a real edit: a parameter's
//! range) → a WebSocket client receives `parametersChanged`, median of 10
//! edits. In the same run, the same kind of edit built by the dev build's own
//! cargo command (`BuildSpec::cargo_args`, same target directory) and by a
//! bare `cargo build --lib` (what an author would type; its own target
//! directory). Prints the medians, the dev server's own overhead (save →
//! UI minus its cargo run: watch, debounce, load, start, broadcast) and the
//! save → `buildStarted` part of it.
//!
//! Run: `cargo bench -p wavecraft-dev-server --bench save_to_ui`

use std::process::Command;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;
use wavecraft_cargo::cargo_program;
use wavecraft_dev_server::cargo_build::BuildSpec;
use wavecraft_dev_server::{DevEvent, DevServer, DevServerConfig};
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
    let bare_target = wavecraft_test_support::workspace_root().join("target/bench-latency-bare");
    let lib_rs = project.lib_rs();
    let original = std::fs::read_to_string(&lib_rs).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();

    // Dev loop: save → parametersChanged.
    let (dev, started): (Vec<Duration>, Vec<Duration>) = runtime.block_on(async {
        let mut config = DevServerConfig::new(project.path());
        config.port = 0;
        config.target_dir = Some(target.clone());
        let (server, mut events) = DevServer::start(config).await.unwrap();
        let (mut socket, _) = tokio_tungstenite::connect_async(server.ws_url())
            .await
            .unwrap();
        let first = next_method(&mut socket, "buildFinished").await;
        assert_eq!(first["params"]["ok"], true, "first build failed: {first}");
        let mut times = Vec::new();
        let mut started = Vec::new();
        for n in 0..EDITS {
            while events.try_recv().is_ok() {}
            let saved = Instant::now();
            std::fs::write(&lib_rs, edited(&original, n)).unwrap();
            loop {
                if let DevEvent::BuildStarted { .. } = events.recv().await.unwrap() {
                    started.push(saved.elapsed());
                    break;
                }
            }
            next_method(&mut socket, "parametersChanged").await;
            times.push(saved.elapsed());
            next_method(&mut socket, "buildFinished").await;
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        let _ = socket.close(None).await;
        server.shutdown().await;
        (times, started)
    });

    // Baselines: the same kind of edit built by the dev build's own command (same target
    // directory), and by a bare `cargo build --lib` (its own target directory, warmed first).
    let spec = BuildSpec {
        manifest_path: project.manifest_path(),
        target_dir: target.clone(),
    };
    let time_cargo = |args: &[std::ffi::OsString], n: usize| {
        std::fs::write(&lib_rs, edited(&original, n)).unwrap();
        let started = Instant::now();
        let status = Command::new(cargo_program())
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        started.elapsed()
    };
    let dev_cargo: Vec<Duration> = (0..EDITS)
        .map(|n| time_cargo(&spec.cargo_args(), EDITS + n))
        .collect();
    let bare_args: Vec<std::ffi::OsString> =
        ["build", "--lib", "--message-format=json", "--manifest-path"]
            .map(Into::into)
            .into_iter()
            .chain([
                project.manifest_path().into(),
                "--target-dir".into(),
                bare_target.into(),
            ])
            .collect();
    time_cargo(&bare_args, 3 * EDITS);
    let bare: Vec<Duration> = (0..EDITS)
        .map(|n| time_cargo(&bare_args, 2 * EDITS + n))
        .collect();

    let list = |v: &[Duration]| v.iter().map(|d| ms(*d).round()).collect::<Vec<_>>();
    println!(
        "save → parametersChanged, {EDITS} edits (ms): {:?}",
        list(&dev)
    );
    println!(
        "save → buildStarted,      {EDITS} edits (ms): {:?}",
        list(&started)
    );
    println!(
        "dev build's cargo command, {EDITS} edits (ms): {:?}",
        list(&dev_cargo)
    );
    println!(
        "bare cargo build --lib,   {EDITS} edits (ms): {:?}",
        list(&bare)
    );
    let (dev_m, cargo_m, bare_m) = (median(dev), median(dev_cargo), median(bare));
    println!("median save → parametersChanged: {:.0} ms", ms(dev_m));
    println!(
        "median save → buildStarted:      {:.1} ms",
        ms(median(started))
    );
    println!("median dev build (cargo alone):  {:.0} ms", ms(cargo_m));
    println!("median bare cargo build --lib:   {:.0} ms", ms(bare_m));
    println!(
        "dev server overhead (save → UI minus its cargo run): {:.0} ms",
        ms(dev_m) - ms(cargo_m)
    );
    println!(
        "save → UI / bare cargo build --lib: {:.2}",
        dev_m.as_secs_f64() / bare_m.as_secs_f64()
    );
}
