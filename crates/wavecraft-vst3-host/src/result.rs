//! The plugin's `tresult` codes as Rust errors: which call answered what.
//! Nothing here calls the plugin.

use std::path::PathBuf;

use vst3::Steinberg::tresult;

/// A VST3 result code, named as the SDK names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vst3Result {
    /// `kResultFalse`.
    False,
    /// `kNoInterface`.
    NoInterface,
    /// `kInvalidArgument`.
    InvalidArgument,
    /// `kNotImplemented`.
    NotImplemented,
    /// `kInternalError`.
    InternalError,
    /// `kNotInitialized`.
    NotInitialized,
    /// `kOutOfMemory`.
    OutOfMemory,
    /// A code the SDK does not define.
    Other(tresult),
}

impl Vst3Result {
    /// `Ok` for `kResultOk`, else the named code.
    pub fn check(code: tresult) -> Result<(), Vst3Result> {
        Err(match code {
            vst3::Steinberg::kResultOk => return Ok(()),
            vst3::Steinberg::kResultFalse => Vst3Result::False,
            vst3::Steinberg::kNoInterface => Vst3Result::NoInterface,
            vst3::Steinberg::kInvalidArgument => Vst3Result::InvalidArgument,
            vst3::Steinberg::kNotImplemented => Vst3Result::NotImplemented,
            vst3::Steinberg::kInternalError => Vst3Result::InternalError,
            vst3::Steinberg::kNotInitialized => Vst3Result::NotInitialized,
            vst3::Steinberg::kOutOfMemory => Vst3Result::OutOfMemory,
            other => Vst3Result::Other(other),
        })
    }
}

/// Why the host could not do what a test asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The module file could not be opened.
    #[error("could not load the VST3 module {}: {source}", path.display())]
    Load {
        /// The shared library.
        path: PathBuf,
        /// What the dynamic loader said.
        source: libloading::Error,
    },
    /// The module lacks a symbol every VST3 module on this platform exports.
    #[error("{} exports no {symbol}: {source}", path.display())]
    MissingSymbol {
        /// The shared library.
        path: PathBuf,
        /// The entry point looked for.
        symbol: &'static str,
        /// What the dynamic loader said.
        source: libloading::Error,
    },
    /// `ModuleEntry` returned false.
    #[error("ModuleEntry of {} returned false", path.display())]
    ModuleEntry {
        /// The shared library.
        path: PathBuf,
    },
    /// `GetPluginFactory` returned null.
    #[error("GetPluginFactory returned no factory")]
    NoFactory,
    /// A `.vst3` bundle directory without the library for this platform.
    #[error("{} holds no module for this platform (looked for {})", bundle.display(), expected.display())]
    NotABundle {
        /// The bundle directory.
        bundle: PathBuf,
        /// The library path the VST3 layout names.
        expected: PathBuf,
    },
    /// The plugin's object lacks an interface the host needs.
    #[error("the plugin object does not implement {0}")]
    MissingInterface(&'static str),
    /// The factory has no class with that index or id.
    #[error("the factory has no class {0}")]
    NoSuchClass(String),
    /// A plugin call answered with something other than `kResultOk`.
    #[error("{call} answered {result:?}")]
    Call {
        /// The interface method called.
        call: &'static str,
        /// What it answered.
        result: Vst3Result,
    },
    /// More channels, parameters or points than the host prepared room for.
    #[error("the host has room for {capacity} {what}")]
    Capacity {
        /// What ran out.
        what: &'static str,
        /// How many fit.
        capacity: usize,
    },
    /// Buffers that do not match the prepared setup.
    #[error("buffers do not match the setup: {0}")]
    Buffers(&'static str),
}

/// `Ok` when `code` is `kResultOk`, else [`Error::Call`] naming `call`.
pub(crate) fn check(call: &'static str, code: tresult) -> Result<(), Error> {
    Vst3Result::check(code).map_err(|result| Error::Call { call, result })
}
