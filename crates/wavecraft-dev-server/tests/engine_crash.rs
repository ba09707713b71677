//! Crash isolation through the whole dev server: fixture engines (the example
//! project with one edit each) that segfault in `process`, overflow the stack
//! in `Default`, `abort()`, loop forever in `process`, or allocate without
//! bound under the host's memory limit. For each: the dev server keeps serving
//! its WebSocket client, the client is told (`audioStatusChanged` with the
//! crash: signal, stage, the build), the last good engine plays again with
//! the values kept (meters move) within [`RECOVERY_BOUND`] of the crash being
//! reported, the host is a new process, and the next good build swaps in as
//! usual and clears the crash. Ctrl-C (shutdown) with a hung host leaves no
//! process behind.

mod support;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{Client, ExampleProject};
use wavecraft_dev_server::audio::{AudioConfig, BackendChoice};
use wavecraft_dev_server::{DevServer, DevServerConfig};

/// From the crash reaching the client to the last good engine's meters moving again.
const RECOVERY_BOUND: Duration = Duration::from_secs(10);

/// How a fixture's crash must look.
struct Expected {
    /// The signal that ended the host.
    signal: &'static str,
    /// Part of the crash's cause.
    cause: &'static str,
    /// Part of what the host was doing.
    stage: &'static [&'static str],
    /// Part of the host's last stderr line, when Rust says something before dying.
    last_output: Option<&'static str>,
}

const PROCESS_START: &str = "let p = &mut self.params;";
const DEFAULT_START: &str = "let gain_smoothing = SmoothingStyle::Linear { ms: 20.0 };";

/// `original` with `code` inserted before `anchor` (panics when the example changed).
fn insert(original: &str, anchor: &str, code: &str) -> String {
    assert_eq!(
        original.matches(anchor).count(),
        1,
        "the example changed: {anchor}"
    );
    original.replace(anchor, &format!("{code}\n        {anchor}"))
}

async fn start(project: &ExampleProject, memory_limit: Option<u64>) -> DevServer {
    let mut config = DevServerConfig::new(project.path());
    config.port = 0;
    config.target_dir = Some(support::engines_target_dir());
    config.engine_host.program = env!("CARGO_BIN_EXE_wavecraft-engine-host").into();
    if memory_limit.is_some() {
        config.memory_limit = memory_limit;
    }
    config.audio = Some(AudioConfig {
        backend: BackendChoice::Virtual,
        ..AudioConfig::default()
    });
    let (server, mut events) = DevServer::start(config).await.unwrap();
    support::first_build_succeeds(&mut events).await;
    support::latest_engine_plays(server.audio().expect("audio is on")).await;
    server
}

/// The next `audioStatusChanged` whose crash satisfies `done`.
async fn crash_status(c: &mut Client, done: impl Fn(&Value) -> bool) -> Value {
    loop {
        let n = c.notification("audioStatusChanged").await;
        let crash = &n["params"]["crash"];
        if !crash.is_null() && done(crash) {
            return n["params"].clone();
        }
    }
}

/// Waits for a meter frame with signal on channel 0.
async fn meters_move(c: &mut Client) {
    c.notifications.retain(|n| n["method"] != "meterUpdate");
    loop {
        let frame = c.notification("meterUpdate").await;
        if frame["params"]["channels"][0]["peak"].as_f64().unwrap() > 0.01 {
            return;
        }
    }
}

/// Whether process `pid` exists (or is an unreaped zombie of ours).
fn alive(pid: u32) -> bool {
    let pid = nix::unistd::Pid::from_raw(i32::try_from(pid).unwrap());
    nix::sys::signal::kill(pid, None).is_ok()
}

/// Runs one fixture: good build, crashing build, recovery, fixed build.
async fn crash_recover_and_fix(
    package: &str,
    memory_limit: Option<u64>,
    crashing: impl Fn(&str) -> String,
    expected: Expected,
) {
    let project = ExampleProject::new(package);
    let original = project.source();
    let server = start(&project, memory_limit).await;
    let engine = server.engine_host();
    let first_host = engine.pid().expect("a host runs");
    let mut c = Client::connect(&server.ws_url()).await;
    c.call("setParameter", json!({"id": "drive", "value": 9.5}))
        .await;

    project.write_source(&crashing(&original));
    let crashed = tokio::time::timeout(Duration::from_secs(300), crash_status(&mut c, |_| true))
        .await
        .expect("the crash is reported");
    let reported = Instant::now();
    let crash = &crashed["crash"];
    assert_eq!(crash["signal"], expected.signal, "{crashed}");
    assert!(
        crash["cause"].as_str().unwrap().contains(expected.cause),
        "{crashed}"
    );
    let stage = crash["stage"].as_str().unwrap();
    assert!(
        expected.stage.iter().any(|s| stage.contains(s)),
        "{crashed}"
    );
    assert_eq!(crash["build"], 2, "the crashing build is blamed: {crashed}");
    if let Some(words) = expected.last_output {
        assert!(
            crash["lastOutput"].as_str().unwrap_or("").contains(words),
            "{crashed}"
        );
    }

    // The last good engine plays again in a new host, values kept, and the server serves on.
    let recovered = tokio::time::timeout(
        RECOVERY_BOUND,
        crash_status(&mut c, |crash| {
            crash["recovery"]
                .as_str()
                .unwrap()
                .starts_with("restarted with build 1")
        }),
    )
    .await
    .expect("the last good build is restored within the bound");
    assert_eq!(recovered["state"], "running", "{recovered}");
    tokio::time::timeout(
        RECOVERY_BOUND.saturating_sub(reported.elapsed()),
        meters_move(&mut c),
    )
    .await
    .expect("the restored engine's meters move within the bound");
    eprintln!(
        "{package}: crash reported → restored engine's meters move: {} ms",
        reported.elapsed().as_millis()
    );
    let second_host = engine.pid().expect("a host runs again");
    assert_ne!(first_host, second_host);
    assert!(!alive(first_host), "the crashed host is gone");
    assert!(engine.latest_engine_playing());
    let drive = c.call("getParameter", json!({"id": "drive"})).await;
    assert_eq!(drive["result"]["value"], 9.5, "{drive}");
    let status = c.call("getAudioStatus", json!({})).await;
    assert_eq!(status["result"]["crash"]["build"], 2, "{status}");

    // The next good build swaps in as usual and clears the crash.
    c.notifications.clear();
    project.write_source(&original.replace(
        "FloatRange::linear(-60.0, 12.0)",
        "FloatRange::linear(-60.0, 6.0)",
    ));
    let changed = c.notification("parametersChanged").await;
    assert_eq!(changed["params"]["changed"], json!(["output_gain"]));
    assert_eq!(c.notification("buildFinished").await["params"]["ok"], true);
    support::latest_engine_plays(engine).await;
    let status = c.call("getAudioStatus", json!({})).await;
    assert!(status["result"].get("crash").is_none(), "{status}");
    let drive = c.call("getParameter", json!({"id": "drive"})).await;
    assert_eq!(drive["result"]["value"], 9.5, "{drive}");
    server.shutdown().await;
    assert!(!alive(second_host), "shutdown left the host running");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_segfault_in_process_is_survived() {
    crash_recover_and_fix(
        "crash-segfault-probe",
        None,
        |s| {
            insert(
                s,
                PROCESS_START,
                "unsafe { std::ptr::write_volatile(16usize as *mut u64, 1) };",
            )
        },
        Expected {
            signal: "SIGSEGV",
            cause: "invalid memory access",
            stage: &["processing audio", "starting the engine"],
            last_output: None,
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_abort_is_survived() {
    crash_recover_and_fix(
        "crash-abort-probe",
        None,
        |s| insert(s, PROCESS_START, "std::process::abort();"),
        Expected {
            signal: "SIGABRT",
            cause: "SIGABRT",
            stage: &["processing audio", "starting the engine"],
            last_output: None,
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stack_overflow_in_default_is_survived() {
    crash_recover_and_fix(
        "crash-stack-probe",
        None,
        |s| {
            let s = insert(s, DEFAULT_START, "std::hint::black_box(overflow(0));");
            format!(
                "{s}\n#[allow(unconditional_recursion)]\nfn overflow(n: u64) -> u64 {{\n    \
                 let frame = std::hint::black_box([n; 4096]);\n    overflow(n + 1) + frame[7]\n}}\n"
            )
        },
        Expected {
            signal: "SIGABRT",
            cause: "SIGABRT",
            stage: &["loading the library", "starting the engine"],
            last_output: Some("stack overflow"),
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_endless_process_is_killed_as_hung() {
    crash_recover_and_fix(
        "crash-hang-probe",
        None,
        |s| insert(s, PROCESS_START, "loop { std::hint::black_box(0u8); }"),
        Expected {
            signal: "SIGKILL",
            cause: "hung",
            stage: &["processing audio"],
            last_output: None,
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn runaway_memory_hits_the_host_limit_and_is_survived() {
    crash_recover_and_fix(
        "crash-memory-probe",
        Some(1 << 30),
        |s| {
            insert(
                s,
                PROCESS_START,
                "let mut hoard = Vec::new();\n        \
                 loop { hoard.push(vec![0u8; 1 << 24]); std::hint::black_box(&hoard); }",
            )
        },
        Expected {
            signal: "SIGABRT",
            cause: "SIGABRT",
            stage: &["processing audio"],
            last_output: Some("memory allocation of"),
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn shutdown_with_a_hung_host_leaves_no_process() {
    let project = ExampleProject::new("crash-shutdown-probe");
    let original = project.source();
    let server = start(&project, None).await;
    let mut c = Client::connect(&server.ws_url()).await;
    project.write_source(&insert(
        &original,
        PROCESS_START,
        "loop { std::hint::black_box(0u8); }",
    ));
    // The hanging engine swaps in; shut down before the supervisor notices the hang.
    assert_eq!(c.notification("buildFinished").await["params"]["ok"], true);
    let host = server.engine_host().pid().expect("a host runs");
    server.shutdown().await;
    assert!(!alive(host), "the hung host was left running");
}
