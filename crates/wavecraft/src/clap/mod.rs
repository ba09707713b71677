//! The CLAP plugin entry: what `export!` emits when the `clap` feature is on
//! (only `wavecraft bundle` turns it on, so dev builds never compile it).
//!
//! Built on clack, which owns every `unsafe` line and `extern "C"` function of
//! the CLAP ABI; this module and its children contain no `unsafe` at all.
//! The split follows CLAP's thread model:
//! - `crate::instance`: what every format shares (the parameter table and its host ids,
//!   every current value in atomics, the state format);
//! - [`main_thread`]: audio ports, params (info, text, inactive `flush`) and state;
//! - [`audio_thread`]: the author's plugin in a `Runner` (shared with the dev ABI),
//!   sample-accurate events, active `flush`;
//! - [`params`]: CLAP's parameter flags;
//! - [`gui`]: the plugin window (the `gui`, `timer-support` and `posix-fd-support`
//!   extensions) over the format-neutral `crate::window_session`.
//!
//! The descriptor comes from the author's crate metadata (`PluginInfo`); the
//! features are `audio-effect` and `stereo`. A plugin whose bundle embeds a
//! UI offers the `gui` extension (the webview itself is `crate::plugin_window`);
//! one without shows the host's generic parameter UI.

#![forbid(unsafe_code)]

pub mod audio_thread;
pub mod gui;
pub mod main_thread;
pub mod params;

use std::fmt;
use std::marker::PhantomData;
use std::panic::catch_unwind;
use std::sync::Arc;

use clack_extensions::audio_ports::PluginAudioPorts;
use clack_extensions::gui::PluginGui;
use clack_extensions::params::PluginParams;
use clack_extensions::state::PluginState;
use clack_extensions::timer::PluginTimer;
use clack_plugin::entry::DefaultPluginFactory;
use clack_plugin::extensions::PluginExtensions;
use clack_plugin::host::{HostMainThreadHandle, HostSharedHandle};
use clack_plugin::plugin::features::{AUDIO_EFFECT, STEREO};
use clack_plugin::plugin::{Plugin, PluginDescriptor, PluginError};
use wavecraft_dsp::param::Params;
use wavecraft_dsp::processor::Plugin as _;

use crate::engine_abi::Export;
use crate::instance::param_table::ParamTable;
use crate::instance::shared_params::SharedParams;
use crate::runner::panic_message;
use audio_thread::AudioThread;
use clack_plugin::plugin::PluginShared;
use gui::Gui;
use main_thread::MainThread;

/// The clack plugin type for an exported Wavecraft plugin `E`; `export!` names it.
pub struct ClapPlugin<E>(PhantomData<fn() -> E>);

/// An error reported to the host (clack logs it through the host's log extension).
#[derive(Debug)]
pub struct ClapError(pub String);

impl fmt::Display for ClapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ClapError {}

/// What clack shares between one CLAP instance's threads: the parameter table and values, in
/// an `Arc` so the plugin window (whose page lives in a registry no call's borrow outlives)
/// holds them too.
pub struct ClapShared(Arc<SharedParams>);

impl ClapShared {
    /// Another owner of the shared parameters.
    pub fn arc(&self) -> Arc<SharedParams> {
        Arc::clone(&self.0)
    }
}

impl std::ops::Deref for ClapShared {
    type Target = SharedParams;

    fn deref(&self) -> &SharedParams {
        &self.0
    }
}

impl PluginShared<'_> for ClapShared {}

impl<E: Export> Plugin for ClapPlugin<E> {
    type AudioProcessor<'a> = AudioThread<'a, E::Plugin>;
    type Shared<'a> = ClapShared;
    type MainThread<'a> = MainThread<'a>;

    fn declare_extensions(builder: &mut PluginExtensions<Self>, _shared: Option<&ClapShared>) {
        builder
            .register::<PluginAudioPorts>()
            .register::<PluginParams>()
            .register::<PluginState>();
        if Gui::has_ui(E::ui_asset) {
            builder.register::<PluginGui>().register::<PluginTimer>();
            #[cfg(unix)]
            builder.register::<clack_extensions::posix_fd::PluginPosixFd>();
        }
    }
}

/// The CLAP descriptor of a plugin with identity `info`.
pub fn descriptor(info: &crate::PluginInfo) -> PluginDescriptor {
    PluginDescriptor::new(info.id, info.name)
        .with_vendor(info.vendor)
        .with_version(info.version)
        .with_features([AUDIO_EFFECT, STEREO])
}

impl<E: Export> DefaultPluginFactory for ClapPlugin<E> {
    fn get_descriptor() -> PluginDescriptor {
        descriptor(E::info())
    }

    fn new_shared(_host: HostSharedHandle<'_>) -> Result<ClapShared, PluginError> {
        let specs = catch_unwind(|| E::Plugin::default().params().specs()).map_err(|payload| {
            ClapError(format!(
                "creating the plugin panicked: {}",
                panic_message(&*payload)
            ))
        })?;
        Ok(ClapShared(Arc::new(SharedParams::new(ParamTable::new(
            specs,
        )?))))
    }

    fn new_main_thread<'a>(
        host: HostMainThreadHandle<'a>,
        shared: &'a ClapShared,
    ) -> Result<MainThread<'a>, PluginError> {
        Ok(MainThread::new(host, shared, E::info(), E::ui_asset))
    }
}
