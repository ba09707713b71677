//! The `wavecraft` command as a library, so every command can be tested
//! without spawning a process. `main.rs` only parses, runs and prints.
//!
//! Today it offers `render`: an engine library, or a project's freshly built
//! engine, processes a WAV file or a test signal offline into a WAV file.

#![forbid(unsafe_code)]

pub mod audio_file;
pub mod cli;
pub mod engine_build;
pub mod params;
pub mod render;
pub mod signal;
