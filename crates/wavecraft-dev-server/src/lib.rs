//! The Wavecraft dev server: everything `wavecraft start` runs.
//!
//! The path of one save: [`watcher`] (debounced file events) → [`build_guard`]
//! (one build at a time, at most one pending) → [`cargo_build`] (streamed,
//! typed diagnostics) → [`session`] (load the new engine, keep parameter
//! values, hand the DSP to [`audio`], broadcast) → [`ws`] (every client, no
//! reconnect). After each good build the session also writes the UI's
//! [`parameter_types`] (`ui/src/generated/parameters.ts`).

// The crate's own unit tests count allocations per thread (audio-thread code must make none).
#[cfg(test)]
#[global_allocator]
static ALLOCATOR: wavecraft_alloc_counter::CountingAllocator =
    wavecraft_alloc_counter::CountingAllocator;

pub mod audio;
pub mod broadcasting_host;
pub mod build_guard;
pub mod cargo_build;
pub mod clients;
pub mod engine_host;
pub mod engine_ledger;
pub mod notification;
pub mod parameter_types;
pub mod process_group;
pub mod server;
pub mod session;
pub mod watcher;
pub mod ws;

pub use server::{DevServer, DevServerConfig, StartError};
pub use session::{DevEvent, Session};
