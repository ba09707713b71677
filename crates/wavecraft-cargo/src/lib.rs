//! Cargo's output, typed: the JSON messages of `--message-format=json` (through
//! `cargo_metadata`'s [`Message`] types) turned into the protocol's
//! [`Diagnostic`](wavecraft_protocol::Diagnostic)s and the engine's built library, and the
//! dep-info files that list what a build read.
//!
//! The dev server (`wavecraft start`) and the CLI (`render`, `bundle`) both build engines
//! with cargo; this crate is the one place either reads what cargo wrote. It parses and
//! never runs cargo or touches a library it finds.

pub mod dep_info;
mod messages;

use std::ffi::OsString;

pub use cargo_metadata::{Artifact, CompilerMessage, Message};
pub use messages::{diagnostic, engine_library, parse_line, BuiltLibrary};

/// The cargo that runs builds: `$CARGO` when set (under cargo itself), else `cargo` on PATH.
pub fn cargo_program() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}
