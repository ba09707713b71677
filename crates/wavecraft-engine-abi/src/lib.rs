//! The C ABI between a Wavecraft host and an engine library: the whole
//! engine boundary in one place. The engine side (`wavecraft::export!`) fills
//! an [`EngineVTable`]; the host side (`wavecraft_engine_loader::EngineLibrary`)
//! reads it. Both own their `unsafe`; this crate has none and does no I/O: it
//! holds the `#[repr(C)]` types, the ABI version, the canary and the metadata
//! JSON an engine describes itself with.
//!
//! The canary travels as one line of text (`AbiCanary::to_line`) so it can be
//! read through the C ABI without trusting any Rust layout. A library carries
//! the canary it was built with; the loader compares it with its own before
//! touching anything else in the library, and a mismatch says exactly what to
//! rebuild.
//!
//! The vtable is the whole C surface between a host and an engine library.
//! Memory never crosses it in a way that needs freeing: strings handed out by
//! the library ([`AbiStr`]) are immutable library statics or owned by one
//! instance, and copied by the host before its next call on that instance. A
//! library-level failure (`metadata_json`, `create`) has no instance to keep
//! its message in, so the host lends a buffer ([`AbiMessageBuf`]) to that
//! very call and the library writes the message there: no mutable state is
//! shared between calls, so two threads may create instances at once. Every
//! entry in a library built by the SDK catches panics and reports them as
//! [`STATUS_PANICKED`] with the message behind `last_error`.

use std::fmt;

use serde::{Deserialize, Serialize};

use wavecraft_protocol::{EngineInfo, ParameterInfo};

/// Symbol every engine library exports: an [`EngineEntry`].
pub const ENGINE_ENTRY_SYMBOL: &str = "wavecraft_engine_vtable";

/// The exported entry point: returns the library's static vtable.
pub type EngineEntry = unsafe extern "C" fn() -> *const EngineVTable;

/// Status returned by vtable entries.
pub type EngineStatus = i32;
/// The call succeeded.
pub const STATUS_OK: EngineStatus = 0;
/// The author's code panicked; `last_error` has the message. The instance outputs silence.
pub const STATUS_PANICKED: EngineStatus = 1;
/// An argument was invalid (null instance, too many channels, an unknown index). A block
/// larger than prepared is not an error: the engine processes it in prepared-size pieces.
pub const STATUS_INVALID_ARGUMENT: EngineStatus = 2;

/// Most channels a process call may carry.
pub const MAX_CHANNELS: usize = 8;

/// Borrowed UTF-8 bytes owned by the engine library; valid until the next call on the same instance
/// (or, for library-level strings, while the library stays loaded).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct AbiStr {
    /// First byte (may be null when `len` is 0).
    pub ptr: *const u8,
    /// Length in bytes.
    pub len: usize,
}

/// A buffer the host lends to one call for a failure's message. The library writes at most
/// `capacity` bytes of UTF-8 at `ptr` (a longer message is cut at a character boundary) and
/// stores how many in `len`; it keeps no pointer to it after the call returns. A null
/// `*mut AbiMessageBuf`, or a null `ptr`, means the caller does not want the message.
#[repr(C)]
#[derive(Debug)]
pub struct AbiMessageBuf {
    /// Where the message goes: `capacity` writable bytes (may be null when `capacity` is 0).
    pub ptr: *mut u8,
    /// Bytes writable at `ptr`.
    pub capacity: usize,
    /// Bytes written, set by the library (0 when there is no message).
    pub len: usize,
}

/// An engine instance, opaque to the host.
#[repr(C)]
pub struct EngineHandle {
    _private: [u8; 0],
}

/// The engine vtable, version [`ENGINE_ABI_VERSION`]. `abi_version` stays the first field in every version.
#[repr(C)]
pub struct EngineVTable {
    /// [`ENGINE_ABI_VERSION`] of the library.
    pub abi_version: u32,
    /// The library's [`AbiCanary`] line.
    pub canary: unsafe extern "C" fn() -> AbiStr,
    /// The library's [`EngineMetadata`] as JSON (a library static), or empty with the reason
    /// written into the buffer.
    pub metadata_json: unsafe extern "C" fn(*mut AbiMessageBuf) -> AbiStr,
    /// A new instance with default parameter values, or null with the reason written into the
    /// buffer.
    pub create: unsafe extern "C" fn(*mut AbiMessageBuf) -> *mut EngineHandle,
    /// Frees an instance created by `create` of the same library.
    pub destroy: unsafe extern "C" fn(*mut EngineHandle),
    /// Prepares for processing: sample rate, largest block, channel count.
    pub prepare: unsafe extern "C" fn(*mut EngineHandle, f64, u32, u32) -> EngineStatus,
    /// Sets a parameter's plain value by its index in the metadata's parameter list. While no
    /// audio runs (after `prepare` or `reset`, before the next `process`) the value applies at
    /// once; once audio runs it glides by the parameter's smoothing.
    pub set_value: unsafe extern "C" fn(*mut EngineHandle, u32, f64) -> EngineStatus,
    /// Processes `frames` frames in place on `channel_count` channel pointers.
    pub process: unsafe extern "C" fn(*mut EngineHandle, *const *mut f32, u32, u32) -> EngineStatus,
    /// Clears the DSP state (filters, delay lines) and jumps smoothers to their targets.
    pub reset: unsafe extern "C" fn(*mut EngineHandle) -> EngineStatus,
    /// The last failure's message for this instance, owned by the instance (empty for null).
    pub last_error: unsafe extern "C" fn(*mut EngineHandle) -> AbiStr,
}

/// What an engine library says about itself, from the author's own crate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EngineMetadata {
    /// Plugin name.
    pub name: String,
    /// Plugin vendor.
    pub vendor: String,
    /// Plugin version (the author's crate version).
    pub version: String,
    /// Stable unique plugin id.
    pub plugin_id: String,
    /// Wavecraft SDK version it was built with.
    pub sdk_version: String,
    /// Its parameters in index order, each with `value` at its default.
    pub parameters: Vec<ParameterInfo>,
}

impl EngineMetadata {
    /// The part of the metadata the UI shows.
    pub fn engine_info(&self) -> EngineInfo {
        EngineInfo {
            name: self.name.clone(),
            vendor: self.vendor.clone(),
            version: self.version.clone(),
            plugin_id: self.plugin_id.clone(),
            sdk_version: self.sdk_version.clone(),
        }
    }
}

/// Version of the engine vtable layout. Bumped whenever the vtable changes shape.
/// v2: `metadata_json` and `create` write their failure into a host-lent [`AbiMessageBuf`]
/// instead of a library-wide error string read through `last_error(null)`.
pub const ENGINE_ABI_VERSION: u32 = 2;

/// The sample type the DSP runs on.
pub const FLOAT_TYPE: &str = "f32";

/// What an engine library was built with, compared by the host that loads it. The ABI version,
/// the SDK version (this crate's; the SDK's crates share one version, so it stands for the
/// protocol too: the metadata JSON and the vtable's contract) and the float type must match; the compiler need not, since nothing
/// Rust-shaped crosses the `repr(C)` vtable, and a difference is only reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbiCanary {
    /// [`ENGINE_ABI_VERSION`] at build time.
    pub abi_version: u32,
    /// Version of the Wavecraft SDK crates (this crate's version, shared by all of them).
    pub sdk_version: String,
    /// `rustc --version` of the compiler that built it (information, never a refusal).
    pub rustc_version: String,
    /// The sample type ("f32").
    pub float_type: String,
}

/// Why a library's canary was refused, with what to rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CanaryMismatch {
    /// The canary line could not be read at all.
    Unreadable(String),
    /// The ABI version, the SDK (protocol) version or the float type differs.
    Differs {
        /// The host's canary.
        host: Box<AbiCanary>,
        /// The engine's canary.
        engine: Box<AbiCanary>,
    },
}

impl fmt::Display for CanaryMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CanaryMismatch::Unreadable(line) => write!(
                f,
                "the engine's ABI canary is unreadable ({line:?}); it was not built with a \
                 compatible Wavecraft SDK. Rebuild the engine against this SDK (cargo clean -p \
                 <your engine>, then build again)"
            ),
            CanaryMismatch::Differs { host, engine } => {
                let mut parts = Vec::new();
                if host.abi_version != engine.abi_version {
                    parts.push(format!(
                        "engine ABI v{} but this host speaks v{}",
                        engine.abi_version, host.abi_version
                    ));
                }
                if host.sdk_version != engine.sdk_version {
                    parts.push(format!(
                        "engine built with Wavecraft SDK {} (its protocol) but this host is {}",
                        engine.sdk_version, host.sdk_version
                    ));
                }
                if host.float_type != engine.float_type {
                    parts.push(format!(
                        "engine processes {} but this host expects {}",
                        engine.float_type, host.float_type
                    ));
                }
                write!(
                    f,
                    "the engine library does not match this host: {}. Rebuild the engine against \
                     Wavecraft SDK {} (the version of this wavecraft CLI: point the engine's \
                     `wavecraft` dependency at it, then build again), or use the wavecraft CLI \
                     of the engine's SDK",
                    parts.join("; "),
                    host.sdk_version
                )
            }
        }
    }
}

impl std::error::Error for CanaryMismatch {}

impl AbiCanary {
    /// The canary of the code being compiled right now.
    pub fn current() -> AbiCanary {
        AbiCanary {
            abi_version: ENGINE_ABI_VERSION,
            sdk_version: env!("CARGO_PKG_VERSION").to_owned(),
            rustc_version: env!("WAVECRAFT_RUSTC_VERSION").to_owned(),
            float_type: FLOAT_TYPE.to_owned(),
        }
    }

    /// The one-line text form carried across the C ABI.
    pub fn to_line(&self) -> String {
        format!(
            "wavecraft-abi={};sdk={};float={};rustc={}",
            self.abi_version, self.sdk_version, self.float_type, self.rustc_version
        )
    }

    /// Reads the text form back.
    pub fn parse(line: &str) -> Result<AbiCanary, CanaryMismatch> {
        let unreadable = || CanaryMismatch::Unreadable(line.to_owned());
        let mut fields = line.splitn(4, ';');
        let mut field = |key: &str| {
            fields
                .next()
                .and_then(|f| f.strip_prefix(key))
                .and_then(|f| f.strip_prefix('='))
                .map(str::to_owned)
                .ok_or_else(unreadable)
        };
        let abi = field("wavecraft-abi")?;
        let sdk_version = field("sdk")?;
        let float_type = field("float")?;
        let rustc_version = field("rustc")?;
        Ok(AbiCanary {
            abi_version: abi.parse().map_err(|_| unreadable())?,
            sdk_version,
            rustc_version,
            float_type,
        })
    }

    /// Accepts an engine's canary line when its ABI version, SDK (protocol) version and float
    /// type match this (the host's) canary, and returns it; the compiler may differ (see
    /// [`AbiCanary::compiler_note`]).
    pub fn check(&self, engine_line: &str) -> Result<AbiCanary, CanaryMismatch> {
        let engine = AbiCanary::parse(engine_line)?;
        if engine.abi_version == self.abi_version
            && engine.sdk_version == self.sdk_version
            && engine.float_type == self.float_type
        {
            Ok(engine)
        } else {
            Err(CanaryMismatch::Differs {
                host: Box::new(self.clone()),
                engine: Box::new(engine),
            })
        }
    }

    /// A line of information when `engine` was built by another compiler than this host:
    /// not a reason to refuse it (the vtable is `repr(C)`, strings are copied), but worth a
    /// mention. `None` when the compilers are the same.
    pub fn compiler_note(&self, engine: &AbiCanary) -> Option<String> {
        (engine.rustc_version != self.rustc_version).then(|| {
            format!(
                "the engine was built by {} and this wavecraft by {}; that is fine (the engine \
                 ABI is plain C), mentioned in case something else differs",
                engine.rustc_version, self.rustc_version
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_round_trips_and_matches_itself() {
        let c = AbiCanary::current();
        assert!(c.rustc_version.starts_with("rustc "), "{}", c.rustc_version);
        assert_eq!(AbiCanary::parse(&c.to_line()), Ok(c.clone()));
        assert_eq!(c.check(&c.to_line()), Ok(c.clone()));
        assert_eq!(c.compiler_note(&c), None);
    }

    #[test]
    fn another_compiler_is_accepted_with_a_note() {
        let host = AbiCanary::current();
        let mut engine = host.clone();
        engine.rustc_version = "rustc 1.0.0 (a28077b28 2015-05-13)".into();
        assert_eq!(host.check(&engine.to_line()), Ok(engine.clone()));
        let note = host.compiler_note(&engine).unwrap();
        assert!(
            note.contains("rustc 1.0.0") && note.contains(&host.rustc_version),
            "{note}"
        );
    }

    #[test]
    fn mismatch_names_what_differs_and_what_to_rebuild() {
        let host = AbiCanary::current();
        for (what, change) in [
            (
                "engine ABI v",
                (|e: &mut AbiCanary| e.abi_version += 1) as fn(&mut AbiCanary),
            ),
            ("Wavecraft SDK 0.0.1", |e| e.sdk_version = "0.0.1".into()),
            ("engine processes f64", |e| e.float_type = "f64".into()),
        ] {
            let mut engine = host.clone();
            change(&mut engine);
            engine.rustc_version = "rustc 1.0.0".into();
            let err = host.check(&engine.to_line()).unwrap_err().to_string();
            assert!(err.contains(what), "{err}");
            assert!(
                err.contains(&format!(
                    "Rebuild the engine against Wavecraft SDK {}",
                    host.sdk_version
                )),
                "{err}"
            );
            assert!(!err.contains("rustc"), "the compiler is no reason: {err}");
        }
    }

    #[test]
    fn garbage_is_unreadable() {
        let host = AbiCanary::current();
        for line in [
            "",
            "hello",
            "wavecraft-abi=x;sdk=1;float=f32;rustc=r",
            "sdk=1",
        ] {
            assert!(
                matches!(host.check(line), Err(CanaryMismatch::Unreadable(_))),
                "{line}"
            );
        }
    }
}
