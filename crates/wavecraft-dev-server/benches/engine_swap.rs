//! Built library → first block of the new engine, the part of the dev loop
//! that crash isolation moved into another process. In one run, the same
//! example engine library is swapped in 20 times each way, on the virtual
//! device in real time, values kept:
//! - in process (what `wavecraft start` did before the engine host): load a
//!   fresh copy, stage the parameters, instantiate and prepare, install,
//!   hand over, until the audio thread plays it;
//! - through the engine host process (what it does now): the same steps as
//!   requests over the control socket, the values in the shared mapping, and
//!   the audio thread's progress read from it.
//!
//! Prints the medians and their ratio (host / in process).
//!
//! Run: `cargo bench -p wavecraft-dev-server --bench engine_swap`

use std::sync::Arc;
use std::time::{Duration, Instant};

use wavecraft_bridge::InMemoryParameterHost;
use wavecraft_dev_server::audio::{AudioConfig, AudioRuntime, BackendChoice};
use wavecraft_dev_server::engine_host::{EngineHost, EngineHostConfig, HostCommand};
use wavecraft_engine_loader::EngineLibrary;

const SWAPS: usize = 20;

fn config() -> AudioConfig {
    AudioConfig {
        backend: BackendChoice::Virtual,
        ..AudioConfig::default()
    }
}

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1000.0
}

fn wait_until(done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "the engine never played");
        std::thread::sleep(Duration::from_micros(100));
    }
}

fn in_process(library: &std::path::Path) -> Vec<Duration> {
    let runtime = AudioRuntime::start(config()).unwrap();
    let host = InMemoryParameterHost::default();
    (0..SWAPS)
        .map(|_| {
            let started = Instant::now();
            let engine = EngineLibrary::load(library).unwrap();
            let staged = host.stage(engine.metadata().parameters.clone()).unwrap();
            let initial = staged.values().to_vec();
            runtime
                .start_engine(engine, &initial, || host.install(staged))
                .unwrap();
            wait_until(|| runtime.latest_engine_playing());
            let took = started.elapsed();
            std::thread::sleep(Duration::from_millis(30));
            runtime.collect_garbage();
            took
        })
        .collect()
}

fn through_the_host(library: &std::path::Path) -> Vec<Duration> {
    let (events, _ignored) = tokio::sync::mpsc::unbounded_channel();
    let engine = EngineHost::start(
        EngineHostConfig {
            command: HostCommand {
                program: env!("CARGO_BIN_EXE_wavecraft-engine-host").into(),
                args: Vec::new(),
            },
            audio: config(),
            memory_limit: None,
        },
        events,
    )
    .unwrap();
    let host = Arc::new(InMemoryParameterHost::with_cells(engine.cells()));
    (0..SWAPS)
        .map(|build| {
            let started = Instant::now();
            let loaded = engine.load(library).unwrap();
            engine.keep_library(&loaded.copy, build as u64).unwrap();
            let staged = host.stage(loaded.metadata.parameters.clone()).unwrap();
            let initial = staged.values().to_vec();
            engine
                .start_engine(&initial, || host.install(staged))
                .unwrap();
            wait_until(|| engine.latest_engine_playing());
            let took = started.elapsed();
            std::thread::sleep(Duration::from_millis(30));
            took
        })
        .collect()
}

fn main() {
    let library = wavecraft_test_support::workspace_engine("example-plugin");
    let local = median(in_process(&library));
    let hosted = median(through_the_host(&library));
    println!("library → first block, median of {SWAPS} swaps:");
    println!("  in process:           {local:.2} ms");
    println!("  through the host:     {hosted:.2} ms");
    println!("  ratio host / process: {:.2}", hosted / local);
}
