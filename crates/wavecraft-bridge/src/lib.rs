//! The bridge between the UI and an engine's parameters.
//!
//! [`ParameterHost`] is where parameter values live; [`InMemoryParameterHost`]
//! is the host the dev server uses, safe under concurrent readers and writers
//! and readable from an audio thread without locking. [`IpcHandler`] turns
//! JSON-RPC text into JSON-RPC text over a host and a [`StatusBoard`]; it knows
//! nothing about the transport that carries the text, and never panics.
//! [`EngineLibrary`] loads a plugin's engine cdylib through the C ABI, and
//! [`spawn_engine_thread`] gives the threads that call into it enough stack.

mod engine_loader;
mod engine_thread;
mod in_memory_host;
mod ipc_handler;
mod parameter_host;
pub mod rpc;
mod status_board;

pub use engine_loader::{EngineFault, EngineInstance, EngineLibrary, LoadError, COPIES_DIR};
pub use engine_thread::{spawn_engine_thread, ENGINE_STACK_BYTES};
pub use in_memory_host::{
    InMemoryParameterHost, ParameterValueHandle, ReplaceError, StagedParameters,
};
pub use ipc_handler::IpcHandler;
pub use parameter_host::{ParameterHost, SetParameterError};
pub use status_board::StatusBoard;
