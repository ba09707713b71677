//! A panic in the engine's `process`: the output goes silent (not garbage),
//! the status says Faulted with the panic's message, the runtime keeps
//! running, and the next load of a good engine brings the sound back.

mod audio_support;

use audio_support::*;
use wavecraft_dev_server::audio::AudioRuntime;
use wavecraft_engine_loader::EngineLibrary;
use wavecraft_protocol::status::AudioState;

#[test]
fn audio_panicking_engine_goes_silent_is_reported_and_a_good_load_recovers() {
    let mut runtime = AudioRuntime::start(manual_config(440.0, -12.0)).unwrap();
    let mut changes = runtime.subscribe();
    changes.mark_unchanged();

    let fixture = EngineLibrary::load(panicking_engine()).unwrap();
    let (host, handles) = host_for(&fixture);
    runtime.load(fixture, handles).unwrap();
    let mut out = Vec::new();
    for _ in 0..10 {
        out.extend_from_slice(runtime.step().unwrap());
    }
    assert!(
        rms(&out[out.len() / 2..]) > 0.1,
        "the fixture passes the sine through"
    );

    set(&host, "explode", 1.0);
    out.clear();
    for _ in 0..10 {
        out.extend_from_slice(runtime.step().unwrap());
    }
    assert!(
        out.iter().all(|&s| s == 0.0),
        "silence from the faulting block on"
    );

    runtime.collect_garbage();
    let status = runtime.status();
    assert_eq!(status.state, AudioState::Faulted);
    let message = status.message.unwrap();
    assert!(
        message.contains("the fixture exploded on purpose"),
        "{message}"
    );
    assert!(
        changes.has_changed().unwrap(),
        "subscribers hear of the fault"
    );
    assert_eq!(changes.borrow_and_update().state, AudioState::Faulted);

    // Still alive: blocks keep coming, silent.
    assert!(runtime.step().unwrap().iter().all(|&s| s == 0.0));

    let good = example_engine();
    let (_good_host, good_handles) = host_for(&good);
    runtime.load(good, good_handles).unwrap();
    assert_eq!(runtime.status().state, AudioState::Running);
    assert_eq!(runtime.status().message, None);
    out.clear();
    for _ in 0..20 {
        out.extend_from_slice(runtime.step().unwrap());
    }
    let level = db(rms(&out[out.len() / 2..]));
    assert!((level - -15.05).abs() < 0.2, "sound is back at {level} dB");
}
