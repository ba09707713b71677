//! The supervisor's restart limit: a host killed from outside (the OOM
//! killer, say) is reported and restarted, at most `MAX_RESTARTS` times per
//! `RESTART_WINDOW`; past that it gives up until it is asked for a host again
//! (the next build), which then starts one.

use std::time::{Duration, Instant};

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use tokio::sync::mpsc::UnboundedReceiver;
use wavecraft_dev_server::audio::{AudioConfig, BackendChoice};
use wavecraft_dev_server::engine_host::{
    EngineHost, EngineHostConfig, HostCommand, HostEvent, MAX_RESTARTS,
};

fn next_event(events: &mut UnboundedReceiver<HostEvent>) -> HostEvent {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(event) = events.try_recv() {
            return event;
        }
        assert!(Instant::now() < deadline, "no host event within 20 s");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn restarts_stop_at_the_limit_and_the_next_request_starts_a_host() {
    let (tx, mut events) = tokio::sync::mpsc::unbounded_channel();
    let engine = EngineHost::start(
        EngineHostConfig {
            command: HostCommand {
                program: env!("CARGO_BIN_EXE_wavecraft-engine-host").into(),
                args: Vec::new(),
            },
            audio: AudioConfig {
                backend: BackendChoice::Virtual,
                ..AudioConfig::default()
            },
            memory_limit: None,
        },
        tx,
    )
    .unwrap();
    // The first start counts as one of the window's starts.
    for restart in 1..MAX_RESTARTS {
        let pid = engine.pid().expect("a host runs");
        kill(Pid::from_raw(pid as i32), Signal::SIGKILL).unwrap();
        match next_event(&mut events) {
            HostEvent::Crashed(exit) => {
                assert_eq!(exit.signal.as_deref(), Some("SIGKILL"), "{exit:?}");
            }
            other => panic!("restart {restart}: {other:?}"),
        }
        assert_eq!(next_event(&mut events), HostEvent::Restarted);
        assert_ne!(engine.pid(), Some(pid));
    }
    let pid = engine.pid().expect("a host runs");
    kill(Pid::from_raw(pid as i32), Signal::SIGKILL).unwrap();
    assert!(matches!(next_event(&mut events), HostEvent::Crashed(_)));
    match next_event(&mut events) {
        HostEvent::GaveUp(why) => assert!(why.contains("next build"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(engine.pid(), None);
    // A request (the next build's load) starts a host again.
    let missing = engine.load(std::path::Path::new("/nonexistent/libnothing.so"));
    assert!(missing.is_err());
    assert!(engine.pid().is_some(), "the load did not start a host");
    engine.stop();
    assert_eq!(engine.pid(), None);
}
