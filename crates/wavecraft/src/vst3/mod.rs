//! The VST3 plugin entry (feature `vst3`). This branch holds its plugin window:
//! [`view`] (`IPlugView`) and [`run_loop`] (the host's `Linux::IRunLoop`).

#[cfg(target_os = "linux")]
pub mod run_loop;
pub mod view;
