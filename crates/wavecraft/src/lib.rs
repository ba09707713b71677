//! Wavecraft: write an audio-effect plugin's DSP in Rust, its UI in React.
//!
//! A plugin is a type implementing [`Plugin`](dsp::processor::Plugin) (a
//! [`Processor`](dsp::processor::Processor) plus a `#[derive(Params)]`
//! struct), exported with [`export!`]:
//!
//! ```
//! use wavecraft::prelude::*;
//!
//! #[derive(Params)]
//! pub struct GainParams {
//!     pub gain: FloatParam,
//! }
//!
//! impl Default for GainParams {
//!     fn default() -> Self {
//!         Self {
//!             gain: FloatParam::new("gain", "Gain", FloatRange::linear(-24.0, 24.0), 0.0)
//!                 .unit("dB")
//!                 .smoothing(SmoothingStyle::Linear { ms: 20.0 }),
//!         }
//!     }
//! }
//!
//! #[derive(Default)]
//! pub struct GainPlugin {
//!     params: GainParams,
//!     gain: Gain,
//! }
//!
//! impl Processor for GainPlugin {
//!     fn prepare(&mut self, setup: &ProcessSetup) {
//!         self.gain.prepare(setup.sample_rate);
//!     }
//!
//!     fn process(&mut self, buffer: &mut AudioBuffer<'_>, _ctx: &ProcessContext) {
//!         for frame in 0..buffer.frames() {
//!             let db = self.params.gain.smoothed_at(frame);
//!             for channel in 0..buffer.channels() {
//!                 let x = buffer.channel(channel)[frame];
//!                 buffer.channel_mut(channel)[frame] = self.gain.process_sample(x, db);
//!             }
//!         }
//!     }
//!
//!     fn reset(&mut self) {
//!         self.gain.reset();
//!     }
//! }
//!
//! impl Plugin for GainPlugin {
//!     type Params = GainParams;
//!     fn params(&self) -> &GainParams {
//!         &self.params
//!     }
//!     fn params_mut(&mut self) -> &mut GainParams {
//!         &mut self.params
//!     }
//! }
//!
//! wavecraft::export!(GainPlugin);
//! # fn main() {}
//! ```
//!
//! `export!` emits the versioned dev engine ABI (what `wavecraft start` and
//! `wavecraft render` load) and, with the `clap` and `vst3` features, the CLAP and VST3
//! plugin entries. The plugin's name, vendor and id come from the
//! author's own Cargo.toml (`[package.metadata.wavecraft]`), its version from
//! the author's crate version.

#[cfg(feature = "clap")]
pub mod clap;
#[cfg(feature = "plugin-format")]
pub mod instance;
#[cfg(feature = "vst3")]
pub mod vst3;

// Unit tests prove audio-thread paths allocation-free (`clap::audio_thread`).
#[cfg(all(test, feature = "plugin-format"))]
#[global_allocator]
static ALLOCATOR: wavecraft_alloc_counter::CountingAllocator =
    wavecraft_alloc_counter::CountingAllocator;
mod denormals;
mod engine_abi;
mod metadata;
#[cfg(feature = "plugin-format")]
mod plugin_window;
#[cfg(feature = "plugin-format")]
mod resident;
mod runner;
mod ui_assets;
#[cfg(feature = "plugin-format")]
mod window_session;

pub use wavecraft_dsp as dsp;
pub use wavecraft_macros::Params;

pub use metadata::{parameter_info, PluginInfo, WindowSize};
pub use ui_assets::UiAsset;

/// Implemented by `export!` for the exported plugin type: its dev engine ABI table.
///
/// The same table the cdylib exports as `wavecraft_engine_vtable`, reachable
/// in-process, so a test can drive a plugin through the exact ABI code path
/// under its own allocator.
pub trait EngineExport {
    /// The static vtable.
    fn engine_vtable() -> &'static wavecraft_engine_abi::EngineVTable;
}

/// Everything a plugin author usually needs, in one import.
pub mod prelude {
    pub use crate::dsp::blocks::{
        Biquad, FilterKind, Gain, Mix, MixLaw, Saturator, SaturatorCurve,
    };
    pub use crate::dsp::buffer::AudioBuffer;
    pub use crate::dsp::param::{
        BoolParam, EnumParam, FloatParam, FloatRange, IntParam, Param, Params, SmoothingStyle,
    };
    pub use crate::dsp::processor::{Plugin, ProcessContext, ProcessSetup, Processor, Transport};
    pub use crate::dsp::util::{db_to_gain, gain_to_db};
    pub use crate::Params;
}

/// Items the `export!` macro expands to. Not a public API.
#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "clap")]
    pub use crate::clap::ClapPlugin;
    pub use crate::engine_abi::{vtable, Export};
    #[cfg(feature = "vst3")]
    pub use crate::vst3::plugin_factory;
    #[cfg(feature = "clap")]
    pub use clack_plugin;
    #[cfg(feature = "plugin-format")]
    pub use rust_embed::{self, RustEmbed};
    pub use wavecraft_engine_abi::EngineVTable;
    pub use wavecraft_macros::plugin_info;
}

/// Emits the CLAP entry (`clap_entry`) for an `Export` type; called by `export!`.
///
/// Defined twice, on the SDK's own `clap` feature, because a `#[cfg]` inside
/// `export!`'s expansion would be evaluated in the author's crate, which has
/// no such feature. Not a public API.
#[cfg(feature = "clap")]
#[doc(hidden)]
#[macro_export]
macro_rules! __export_clap {
    ($exported:ty) => {
        $crate::__private::clack_plugin::clack_export_entry!(
            $crate::__private::clack_plugin::entry::SinglePluginEntry<
                $crate::__private::ClapPlugin<$exported>,
            >
        );
    };
}

/// Without the `clap` feature there is no CLAP entry: dev builds never compile it.
#[cfg(not(feature = "clap"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __export_clap {
    ($exported:ty) => {};
}

/// Emits the VST3 entry points for an `Export` type; called by `export!`.
///
/// `GetPluginFactory` everywhere; `ModuleEntry`/`ModuleExit` on Linux (tested),
/// `bundleEntry`/`bundleExit` on macOS and `InitDll`/`ExitDll` on Windows (by `cfg`,
/// untested here). Nothing needs setting up or tearing down: each answers `true`. Defined
/// twice on the SDK's `vst3` feature, as [`__export_clap!`] is. Not a public API.
#[cfg(feature = "vst3")]
#[doc(hidden)]
#[macro_export]
macro_rules! __export_vst3 {
    ($exported:ty) => {
        /// The VST3 factory.
        #[no_mangle]
        pub extern "system" fn GetPluginFactory() -> *mut ::std::ffi::c_void {
            $crate::__private::plugin_factory::<$exported>()
        }

        /// Called by a Linux host after loading the module.
        #[cfg(target_os = "linux")]
        #[no_mangle]
        pub extern "system" fn ModuleEntry(_library: *mut ::std::ffi::c_void) -> bool {
            true
        }

        /// Called by a Linux host before unloading the module.
        #[cfg(target_os = "linux")]
        #[no_mangle]
        pub extern "system" fn ModuleExit() -> bool {
            true
        }

        /// Called by a macOS host after loading the bundle (untested).
        #[cfg(target_os = "macos")]
        #[no_mangle]
        pub extern "system" fn bundleEntry(_bundle: *mut ::std::ffi::c_void) -> bool {
            true
        }

        /// Called by a macOS host before unloading the bundle (untested).
        #[cfg(target_os = "macos")]
        #[no_mangle]
        pub extern "system" fn bundleExit() -> bool {
            true
        }

        /// Called by a Windows host after loading the DLL (untested).
        #[cfg(target_os = "windows")]
        #[no_mangle]
        pub extern "system" fn InitDll() -> bool {
            true
        }

        /// Called by a Windows host before unloading the DLL (untested).
        #[cfg(target_os = "windows")]
        #[no_mangle]
        pub extern "system" fn ExitDll() -> bool {
            true
        }
    };
}

/// Without the `vst3` feature there is no VST3 entry: dev builds never compile it.
#[cfg(not(feature = "vst3"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __export_vst3 {
    ($exported:ty) => {};
}

/// Embeds the author's UI (the files in the folder `WAVECRAFT_UI_DIST` names when the crate
/// is compiled) and answers `Export::ui_asset` from them; called by `export!` inside its
/// `Export` impl.
///
/// Only bundles compile it (the `clap` or `vst3` feature); `wavecraft bundle` sets
/// `WAVECRAFT_UI_DIST` to the UI's production build and `WAVECRAFT_UI_DIGEST` to a digest of
/// its files. Without `WAVECRAFT_UI_DIST` nothing is embedded and every lookup is `None`.
/// Both variables are read through `option_env!` so that rustc records them and cargo
/// recompiles the author's crate when either changes (the files themselves are tracked by
/// the `include_bytes!` rust-embed emits). The generated code names this crate
/// `::wavecraft`, as `#[derive(Params)]` does. Not a public API.
#[cfg(feature = "plugin-format")]
#[doc(hidden)]
#[macro_export]
macro_rules! __export_ui {
    () => {
        fn ui_asset(path: &str) -> ::std::option::Option<$crate::UiAsset> {
            const _: ::std::option::Option<&str> = ::std::option_env!("WAVECRAFT_UI_DIST");
            const _: ::std::option::Option<&str> = ::std::option_env!("WAVECRAFT_UI_DIGEST");
            #[derive($crate::__private::RustEmbed)]
            #[folder = "$WAVECRAFT_UI_DIST"]
            #[allow_missing = true]
            #[crate_path = "::wavecraft::__private::rust_embed"]
            struct UiFiles;
            UiFiles::get(path).map(|file| $crate::UiAsset {
                mime: ::std::borrow::Cow::Owned(file.metadata.mimetype().to_owned()),
                bytes: file.data,
            })
        }
    };
}

/// Without a plugin format nothing is embedded: `Export::ui_asset` keeps its `None`.
#[cfg(not(feature = "plugin-format"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __export_ui {
    () => {};
}

/// Exports a plugin type as a Wavecraft engine library.
///
/// Put it once in the crate root of a `cdylib` crate. It emits the
/// `wavecraft_engine_vtable` symbol of the dev engine ABI and, when this
/// crate's `clap` feature is on (`wavecraft bundle` builds with
/// `--features wavecraft/clap`), the CLAP entry `clap_entry`; dev builds never
/// compile the CLAP code. With the `vst3` feature it emits the VST3 entry
/// (`GetPluginFactory` and the platform's module entry/exit) the same way. The author's
/// crate needs no feature of its own.
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
                $crate::__export_ui!();
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

            $crate::__export_clap!(Exported);
            $crate::__export_vst3!(Exported);
        };
    };
}
