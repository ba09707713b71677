//! The Wavecraft contract, shared by the dev server, the engine loader, the
//! plugin SDK and (through generated TypeScript) the React UI.
//!
//! This crate owns the wire format only: the JSON-RPC 2.0 envelope, the
//! catalog of methods and notifications with their parameter and result
//! types (one declaration, see [`catalog`]), [`ParameterInfo`] and the rules
//! its values follow ([`rules`]: checking, snapping, normalising, text), and
//! the error codes. It never does I/O: nothing here knows about sockets,
//! files or processes. The C ABI between a host and an engine library is not
//! wire format: it lives in `wavecraft-engine-abi`.
//!
//! Everything is camelCase on the wire.

pub mod catalog;
pub mod error_code;
pub mod jsonrpc;
pub mod parameter;
pub mod rules;
pub mod status;
#[cfg(feature = "typescript")]
pub mod typescript;

pub use catalog::{Method, Notification};
pub use error_code::ErrorCode;
pub use jsonrpc::{ErrorObject, JsonRpcVersion, NotificationMessage, Request, RequestId, Response};
pub use parameter::{ParameterInfo, ParameterKind};
pub use rules::ValueRules;
pub use status::{
    AudioBackend, AudioState, AudioStatus, BuildState, BuildStatus, ChannelMeter, Diagnostic,
    DiagnosticLevel, EngineCrash, EngineInfo, MeterUpdate,
};
