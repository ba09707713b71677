//! The Wavecraft contract, shared by the dev server, the engine loader, the
//! plugin SDK and (through generated TypeScript) the React UI.
//!
//! This crate owns the JSON-RPC 2.0 envelope, the catalog of methods and
//! notifications with their parameter and result types, [`ParameterInfo`]
//! and the rules its values follow ([`rules`]: checking, snapping,
//! normalising, text), the error codes, and the engine ABI's version and
//! canary. It never does I/O: nothing here knows about sockets, files or
//! processes.
//!
//! Everything is camelCase on the wire.

pub mod abi;
pub mod catalog;
pub mod error_code;
pub mod jsonrpc;
pub mod parameter;
pub mod rules;
pub mod status;
#[cfg(feature = "typescript")]
pub mod typescript;

pub use abi::{AbiCanary, CanaryMismatch, EngineMetadata, EngineVTable, ENGINE_ABI_VERSION};
pub use catalog::{Method, Notification};
pub use error_code::ErrorCode;
pub use jsonrpc::{ErrorObject, JsonRpcVersion, NotificationMessage, Request, RequestId, Response};
pub use parameter::{ParameterInfo, ParameterKind};
pub use rules::ValueRules;
pub use status::{
    AudioBackend, AudioState, AudioStatus, BuildState, BuildStatus, ChannelMeter, Diagnostic,
    DiagnosticLevel, EngineInfo, MeterUpdate,
};
