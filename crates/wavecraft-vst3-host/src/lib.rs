//! A small VST3 host for Wavecraft's tests, on the `vst3` bindings: it loads
//! a plugin module by path (or takes a `GetPluginFactory` linked into the test
//! binary), reads the factory's class info, creates a single-component effect
//! and drives it the way a DAW or the VST 3 SDK's validator does: initialize
//! with a host application, bus arrangements, processing setup, activation,
//! float blocks with sample-accurate parameter changes, parameter info and
//! text, component state through a memory stream; and the plugin window:
//! `createView`, an `IPlugFrame` with `Linux::IRunLoop`, and the run loop
//! that drives the view's timers and descriptors.
//!
//! Every `unsafe` call into the plugin lives in the module that owns that
//! part of the FFI boundary, each block with its `// SAFETY:` line; the API
//! the tests see is safe. It is a test tool (`publish = false`): it checks
//! what a test needs and reports the plugin's result codes, it does not try
//! to survive a plugin that breaks the VST3 contract.

mod component_handler;
mod factory;
mod host_application;
mod module;
mod parameter_changes;
mod plug_frame;
mod plugin;
mod processing;
mod result;
mod run_loop;
mod stream;
mod text;

pub use component_handler::{ComponentHandler, HostEvent};
pub use factory::{ClassInfo, Factory, FactoryInfo};
pub use module::{bundle_library, GetPluginFactory, LinkedModule, Module};
pub use parameter_changes::ParameterChanges;
pub use plug_frame::Editor;
pub use plugin::{ParameterInfo, Plugin};
pub use processing::{Processing, SampleSize, Setup, Speakers};
pub use result::{Error, Vst3Result};
pub use run_loop::RunLoop;
