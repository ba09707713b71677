//! The bridge between the UI and an engine's parameters.
//!
//! [`ParameterHost`] is where parameter values live; [`InMemoryParameterHost`]
//! is the host the dev server uses, safe under concurrent readers and writers
//! and readable from an audio thread without locking; [`MeterBank`] carries
//! levels from an audio thread to whoever pushes `meterUpdate`. [`IpcHandler`] turns
//! JSON-RPC text into JSON-RPC text over a host and a [`StatusBoard`]; it knows
//! nothing about the transport that carries the text, and never panics.
//! It is what dev mode and a plugin window share; loading engine libraries
//! is `wavecraft-engine-loader`'s job.

mod in_memory_host;
mod ipc_handler;
mod meters;
mod parameter_host;
mod report_memory;
pub mod rpc;
mod status_board;
mod value_cell;

pub use in_memory_host::{InMemoryParameterHost, ReplaceError, StagedParameters};
pub use ipc_handler::IpcHandler;
pub use meters::{take_levels, ChannelCells, MeterBank};
pub use parameter_host::{ParameterHost, SetParameterError, StoredValue, UnknownParameter};
pub use report_memory::ReportMemory;
pub use status_board::StatusBoard;
pub use value_cell::{CellAllocator, CellMemory, HeapCells, ParameterValueHandle, ValueCell};
