//! The `wavecraft` command as a library, so every command can be tested
//! without spawning a process. `main.rs` only parses, runs and prints.
//!
//! Today it offers `create` (a new project from the SDK's template), `start`
//! (the dev loop), `render` (an engine library, or a project's freshly built
//! engine, processes a WAV file or a test signal offline into a WAV file) and
//! `bundle` (the project's engine built as CLAP and VST3 plugins, its UI embedded).

#![forbid(unsafe_code)]

pub mod audio_file;
pub mod bundle;
pub mod cli;
pub mod create;
pub mod engine_build;
pub mod params;
pub mod project_name;
pub mod render;
pub mod signal;
pub mod start;
pub mod start_ui;
pub mod template;
pub mod terminal;
pub mod ui_build;
