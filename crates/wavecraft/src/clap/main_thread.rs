//! The main-thread side of a CLAP instance: the audio-ports, params and
//! state extensions as the host queries them, and the plugin window
//! ([`Gui`], whose extensions live in `gui`).
//!
//! Parameter changes the host flushes while the plugin is inactive land here
//! and are stored in [`SharedParams`]; activation hands them to the DSP.
//! Window edits queued while inactive are told to the host here too. A state
//! load is decoded completely before anything changes, then stored, then
//! the host is asked to rescan parameter values.

use std::io::{Read, Write};

use clack_extensions::audio_ports::{
    AudioPortFlags, AudioPortInfo, AudioPortInfoWriter, AudioPortType, PluginAudioPortsImpl,
};
use clack_extensions::params::{
    HostParams, ParamDisplayWriter, ParamInfo, ParamInfoWriter, ParamRescanFlags,
    PluginMainThreadParams,
};
use clack_extensions::state::PluginStateImpl;
use clack_plugin::events::event_types::{
    ParamGestureBeginEvent, ParamGestureEndEvent, ParamValueEvent,
};
use clack_plugin::events::io::{InputEvents, OutputEvents};
use clack_plugin::events::Pckn;
use clack_plugin::host::HostMainThreadHandle;
use clack_plugin::plugin::{PluginError, PluginMainThread};
use clack_plugin::stream::{InputStream, OutputStream};
use clack_plugin::utils::{ClapId, Cookie};

use super::gui::Gui;
use super::params::info_flags;
use super::ClapShared;
use crate::instance::shared_params::{SharedParams, UiEdit};
use crate::instance::{state, CHANNELS};
use crate::plugin_window::AssetSource;
use crate::PluginInfo;

/// The main-thread part of a CLAP instance.
pub struct MainThread<'a> {
    shared: &'a SharedParams,
    host: HostMainThreadHandle<'a>,
    host_params: Option<HostParams>,
    gui: Gui<'a>,
}

impl<'a> PluginMainThread<'a, ClapShared> for MainThread<'a> {}

impl<'a> MainThread<'a> {
    /// The main thread of an instance of plugin `info` whose shared part is `shared` and
    /// whose UI files `assets` serves.
    pub fn new(
        host: HostMainThreadHandle<'a>,
        shared: &'a ClapShared,
        info: &PluginInfo,
        assets: AssetSource,
    ) -> Self {
        let host_params = host.get_extension::<HostParams>();
        let gui = Gui::new(&host, shared, info, assets);
        let shared: &'a SharedParams = shared;
        MainThread {
            shared,
            host,
            host_params,
            gui,
        }
    }

    /// The window side of this instance.
    pub fn gui(&self) -> &Gui<'a> {
        &self.gui
    }

    /// The host, as the main thread sees it.
    pub(super) fn host(&self) -> &HostMainThreadHandle<'a> {
        &self.host
    }

    fn index_of(&self, id: ClapId) -> Option<usize> {
        self.shared.table().index_of(id.get())
    }
}

impl PluginAudioPortsImpl for MainThread<'_> {
    fn count(&self, _is_input: bool) -> u32 {
        1
    }

    fn get(&self, index: u32, is_input: bool, writer: &mut AudioPortInfoWriter) {
        if index != 0 {
            return;
        }
        writer.set(&AudioPortInfo {
            id: ClapId::new(0),
            name: if is_input { b"Input" } else { b"Output" },
            channel_count: CHANNELS,
            flags: AudioPortFlags::IS_MAIN,
            port_type: Some(AudioPortType::STEREO),
            in_place_pair: Some(ClapId::new(0)),
        });
    }
}

impl PluginMainThreadParams for MainThread<'_> {
    fn count(&self) -> u32 {
        self.shared.table().len() as u32
    }

    fn get_info(&self, param_index: u32, info: &mut ParamInfoWriter) {
        let table = self.shared.table();
        let Some(spec) = table.specs().get(param_index as usize) else {
            return;
        };
        info.set(&ParamInfo {
            id: ClapId::new(table.host_id(param_index as usize)),
            flags: info_flags(spec),
            cookie: Cookie::empty(),
            name: spec.name.as_bytes(),
            module: spec.group.as_bytes(),
            min_value: spec.min(),
            max_value: spec.max(),
            default_value: spec.default,
        });
    }

    fn get_value(&self, param_id: ClapId) -> Option<f64> {
        self.index_of(param_id)
            .map(|index| self.shared.value(index))
    }

    fn value_to_text(
        &self,
        param_id: ClapId,
        value: f64,
        writer: &mut ParamDisplayWriter,
    ) -> std::fmt::Result {
        let index = self.index_of(param_id).ok_or(std::fmt::Error)?;
        let rules = self.shared.table().specs()[index].rules();
        let text = rules.to_exact_text(value).ok_or(std::fmt::Error)?;
        std::fmt::Write::write_str(writer, &text)
    }

    fn text_to_value(&self, param_id: ClapId, text: &std::ffi::CStr) -> Option<f64> {
        let index = self.index_of(param_id)?;
        let rules = self.shared.table().specs()[index].rules();
        rules.parse_clamped(text.to_str().ok()?).ok()
    }

    fn flush(&self, input: &InputEvents, output: &mut OutputEvents) {
        let table = self.shared.table();
        self.shared.drain_edits_inactive(|edit| {
            let (UiEdit::Begin(index) | UiEdit::Value(index, _) | UiEdit::End(index)) = edit;
            let id = ClapId::new(table.host_id(index));
            let _ = match edit {
                UiEdit::Begin(_) => output.try_push(ParamGestureBeginEvent::new(0, id)),
                UiEdit::End(_) => output.try_push(ParamGestureEndEvent::new(0, id)),
                // Already stored by the window's host; the DSP takes it at activation.
                UiEdit::Value(_, value) => {
                    output.try_push(ParamValueEvent::new(0, id, Pckn::match_all(), value))
                }
            };
        });
        for event in input {
            let Some(event) = event.as_event::<ParamValueEvent>() else {
                continue;
            };
            let Some(index) = event.param_id().and_then(|id| self.index_of(id)) else {
                continue;
            };
            if let Some(value) = self.shared.table().specs()[index].sanitize(event.value()) {
                self.shared.publish(index, value);
            }
        }
    }
}

impl PluginStateImpl for MainThread<'_> {
    fn save(&self, output: &mut OutputStream) -> Result<(), PluginError> {
        output.write_all(&self.shared.save_state())?;
        Ok(())
    }

    fn load(&self, input: &mut InputStream) -> Result<(), PluginError> {
        let mut bytes = Vec::new();
        input
            .take(state::MAX_BYTES as u64 + 1)
            .read_to_end(&mut bytes)?;
        self.shared.load_state(&bytes)?;
        if let Some(host_params) = &self.host_params {
            host_params.rescan(&self.host, ParamRescanFlags::VALUES);
        }
        Ok(())
    }
}
