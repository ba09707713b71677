//! Wavecraft: write an audio-effect plugin's DSP in Rust, its UI in React.
//!
//! A plugin is a type implementing [`Plugin`](dsp::processor::Plugin) (a
//! [`Processor`](dsp::processor::Processor) plus a `#[derive(Params)]`
//! struct), exported with [`export!`]:
//!
//! ```ignore
//! use wavecraft::prelude::*;
//!
//! #[derive(Params)]
//! pub struct GainParams { pub gain: FloatParam }
//! // … impl Default for GainParams, a Plugin type owning it …
//! wavecraft::export!(GainPlugin);
//! ```
//!
//! `export!` emits the versioned dev engine ABI (what `wavecraft start` and
//! `wavecraft render` load). The plugin's name, vendor and id come from the
//! author's own Cargo.toml (`[package.metadata.wavecraft]`), its version from
//! the author's crate version.

mod engine_abi;
mod metadata;

pub use wavecraft_dsp as dsp;
pub use wavecraft_macros::Params;

pub use metadata::PluginInfo;

/// Implemented by `export!` for the exported plugin type: its dev engine ABI table.
///
/// The same table the cdylib exports as `wavecraft_engine_vtable`, reachable
/// in-process, so a test can drive a plugin through the exact ABI code path
/// under its own allocator.
pub trait EngineExport {
    /// The static vtable.
    fn engine_vtable() -> &'static wavecraft_protocol::abi::EngineVTable;
}

/// Everything a plugin author usually needs, in one import.
pub mod prelude {
    pub use crate::dsp::buffer::AudioBuffer;
    pub use crate::dsp::param::{
        BoolParam, EnumParam, FloatParam, FloatRange, IntParam, Param, Params, SmoothingStyle,
    };
    pub use crate::dsp::processor::{Plugin, ProcessContext, ProcessSetup, Processor, Transport};
    pub use crate::dsp::processors::{
        Biquad, Chain, FilterKind, Gain, Mix, MixLaw, ProcessorExt, Saturator, SaturatorCurve,
    };
    pub use crate::dsp::util::{db_to_gain, gain_to_db};
    pub use crate::Params;
}

/// Items the `export!` macro expands to. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::engine_abi::{vtable, Export};
    pub use wavecraft_macros::plugin_info;
    pub use wavecraft_protocol::abi::EngineVTable;
}

/// Exports a plugin type as a Wavecraft engine library.
///
/// Put it once in the crate root of a `cdylib` crate. It emits the
/// `wavecraft_engine_vtable` symbol of the dev engine ABI. (The CLAP entry
/// will be emitted here too, behind a cargo feature that only
/// `wavecraft bundle` turns on, so dev builds never pay for it.)
#[macro_export]
macro_rules! export {
    ($plugin:ty) => {
        const _: () = {
            static INFO: $crate::PluginInfo = $crate::__private::plugin_info!();
            static METADATA: ::std::sync::OnceLock<::std::string::String> =
                ::std::sync::OnceLock::new();

            struct Exported;

            impl $crate::__private::Export for Exported {
                type Plugin = $plugin;
                fn info() -> &'static $crate::PluginInfo {
                    &INFO
                }
                fn metadata_cell() -> &'static ::std::sync::OnceLock<::std::string::String> {
                    &METADATA
                }
            }

            static VTABLE: $crate::__private::EngineVTable =
                $crate::__private::vtable::<Exported>();

            impl $crate::EngineExport for $plugin {
                fn engine_vtable() -> &'static $crate::__private::EngineVTable {
                    &VTABLE
                }
            }

            /// The dev engine ABI entry point.
            #[no_mangle]
            pub extern "C" fn wavecraft_engine_vtable() -> *const $crate::__private::EngineVTable {
                &VTABLE
            }
        };
    };
}
