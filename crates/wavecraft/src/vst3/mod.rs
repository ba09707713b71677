//! The VST3 plugin entry: what `export!` emits when the `vst3` feature is on (only
//! `wavecraft bundle` turns it on, so dev builds never compile it).
//!
//! The only place with `unsafe` for VST3, each block with its `// SAFETY:` line, all of it
//! translating raw host calls into safe ones:
//! - [`factory`]: `IPluginFactory3`, one class ("Audio Module Class", "Fx") whose id is
//!   derived from the plugin id (`wavecraft_identity::vst3_class_id`);
//! - [`component`] and [`controller`]: one object per instance, a single-component
//!   effect (`IComponent` + `IAudioProcessor` + `IEditController`);
//! - [`process_data`]: the host's buffers, parameter queues and transport in `process`;
//! - [`stream`]: the host's `IBStream` for component state.
//!
//! Below them everything is safe Rust: [`audio`] (the `Runner`, sample-accurate parameter
//! points, output cleaning), [`params`] (the parameter rules seen as VST3 wants them) and
//! [`strings`], over `crate::instance` (values, ids, state format shared with the CLAP).
//! The plugin window is [`view`] (`IPlugView`, what `createView("editor")` answers, over
//! `crate::window_session`) and [`run_loop`] (the host's `Linux::IRunLoop` waking it);
//! both have `unsafe` for the same reason as the files above.

pub mod audio;
pub mod component;
pub mod controller;
pub mod factory;
pub mod params;
pub mod process_data;
#[cfg(target_os = "linux")]
pub mod run_loop;
pub mod stream;
pub mod strings;
pub mod view;

use std::ffi::c_void;

use crate::engine_abi::Export;

/// The factory `GetPluginFactory` returns for exported plugin `E` (one reference, the host's).
pub fn plugin_factory<E: Export>() -> *mut c_void {
    crate::resident::stay_loaded();
    factory::Factory::<E>::into_raw().cast()
}
