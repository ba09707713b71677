//! The engine host process: the dev server's own process never maps an
//! engine library (the host does), and an audio configuration the host cannot
//! run stops `DevServer::start` with the host's reason.

mod support;

use support::ExampleProject;
use wavecraft_dev_server::audio::{AudioConfig, BackendChoice};
use wavecraft_dev_server::{DevServer, DevServerConfig, StartError};
use wavecraft_engine_loader::COPIES_DIR;

fn config(project: &ExampleProject, audio: AudioConfig) -> DevServerConfig {
    let mut config = DevServerConfig::new(project.path());
    config.port = 0;
    config.target_dir = Some(support::engines_target_dir());
    config.engine_host.program = env!("CARGO_BIN_EXE_wavecraft-engine-host").into();
    config.audio = Some(audio);
    config
}

/// Lines of `/proc/<pid>/maps` that map a loaded engine copy.
fn engine_mappings(pid: &str) -> Vec<String> {
    std::fs::read_to_string(format!("/proc/{pid}/maps"))
        .unwrap()
        .lines()
        .filter(|l| l.contains(&format!("{COPIES_DIR}/")))
        .map(str::to_owned)
        .collect()
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread")]
async fn the_engine_is_mapped_in_the_host_and_never_in_the_dev_server() {
    let project = ExampleProject::new("isolation-maps-probe");
    let virtual_audio = AudioConfig {
        backend: BackendChoice::Virtual,
        ..AudioConfig::default()
    };
    let (server, mut events) = DevServer::start(config(&project, virtual_audio))
        .await
        .unwrap();
    support::first_build_succeeds(&mut events).await;
    let engine = server.engine_host();
    support::latest_engine_plays(engine).await;
    let host = engine.pid().expect("a host runs").to_string();
    assert!(
        engine_mappings(&host)
            .iter()
            .any(|l| l.contains("isolation_maps_probe")),
        "the host has not mapped the engine: {:?}",
        engine_mappings(&host)
    );
    assert_eq!(engine_mappings("self"), Vec::<String>::new());
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_audio_configuration_the_host_cannot_run_stops_start_with_its_reason() {
    let project = ExampleProject::new("isolation-config-probe");
    let bad = AudioConfig {
        backend: BackendChoice::Virtual,
        sample_rate: 1_000,
        ..AudioConfig::default()
    };
    let error = DevServer::start(config(&project, bad))
        .await
        .err()
        .expect("the host refuses the configuration");
    assert!(matches!(error, StartError::EngineHost(_)), "{error}");
    assert!(
        error.to_string().contains("sample rate 1000 Hz is outside"),
        "{error}"
    );
}
