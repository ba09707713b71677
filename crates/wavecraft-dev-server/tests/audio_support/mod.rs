//! Shared helpers of the audio runtime tests: engines (the example plugin
//! linked in-process, the panicking fixture built as a real cdylib into its
//! own target directory), parameter hosts, and level maths.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use wavecraft::EngineExport;
use wavecraft_bridge::{InMemoryParameterHost, ParameterHost, ParameterValueHandle};
use wavecraft_dev_server::audio::{AudioConfig, BackendChoice, InputSource, VirtualPacing};
use wavecraft_engine_loader::EngineLibrary;

/// The panicking fixture's cdylib, built once per test binary.
pub fn panicking_engine() -> PathBuf {
    wavecraft_test_support::workspace_engine("panicking-engine")
}

/// The example plugin, linked into this test binary (a fresh, independent library each call).
pub fn example_engine() -> Arc<EngineLibrary> {
    // SAFETY: the table comes from `wavecraft::export!` in the example crate.
    unsafe { EngineLibrary::in_process(example_plugin::ExamplePlugin::engine_vtable()) }.unwrap()
}

/// A parameter host for `library`'s parameters, and its value handles in metadata order.
pub fn host_for(library: &EngineLibrary) -> (InMemoryParameterHost, Vec<ParameterValueHandle>) {
    let params = library.metadata().parameters.clone();
    let host = InMemoryParameterHost::new(params.clone()).unwrap();
    let handles = params
        .iter()
        .map(|p| host.value_handle(&p.id).unwrap())
        .collect();
    (host, handles)
}

/// Sets a parameter, panicking if refused.
pub fn set(host: &InMemoryParameterHost, id: &str, value: f64) {
    host.set_parameter(id, value).unwrap();
}

/// A manually stepped virtual device with a sine input.
pub fn manual_config(hz: f64, level_db: f64) -> AudioConfig {
    AudioConfig {
        backend: BackendChoice::Virtual,
        pacing: VirtualPacing::Manual,
        input: InputSource::Sine { hz, level_db },
        ..AudioConfig::default()
    }
}

/// Linear amplitude to dB.
pub fn db(x: f64) -> f64 {
    20.0 * x.log10()
}

/// RMS of a signal (linear).
pub fn rms(x: &[f32]) -> f64 {
    (x.iter().map(|&s| f64::from(s) * f64::from(s)).sum::<f64>() / x.len() as f64).sqrt()
}

/// Channel `c` of interleaved `frames`.
pub fn channel(interleaved: &[f32], channels: usize, c: usize) -> Vec<f32> {
    interleaved
        .iter()
        .skip(c)
        .step_by(channels)
        .copied()
        .collect()
}
