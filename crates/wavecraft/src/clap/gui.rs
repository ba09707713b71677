//! The CLAP `gui`, `timer-support` and `posix-fd-support` extensions: the
//! plugin window of `crate::window_session` embedded in the host's window
//! (embedded mode only), translated from CLAP's calls.
//!
//! Everything runs on the host's main thread. The host wakes the window with
//! its timer and (when it offers `posix-fd-support`) the toolkit's file
//! descriptors; each wake is the session's. The timer is what every host must
//! give, so a host without `timer-support` gets `false` from `create`, with a
//! log line saying why. The window is opened in `set_parent` and closed in
//! `destroy` (which unregisters the descriptors and the timer). A page's edit
//! reaches the host through the edit ring (the audio side tells the host, or
//! the main thread's `flush` while inactive) and a flush request.

use std::cell::Cell;
use std::ffi::CString;
use std::sync::Arc;

use clack_extensions::gui::{
    AspectRatioStrategy, GuiApiType, GuiConfiguration, GuiResizeHints, GuiSize, PluginGuiImpl,
    Window,
};
use clack_extensions::log::{HostLog, LogSeverity};
use clack_extensions::params::HostParams;
use clack_extensions::timer::{HostTimer, PluginTimerImpl, TimerId};
use clack_plugin::host::HostMainThreadHandle;
use clack_plugin::plugin::PluginError;

use super::main_thread::MainThread;
use super::ClapShared;
use crate::instance::shared_params::{SharedParams, UiEdit};
use crate::plugin_window::{self, AssetSource};
use wavecraft_bridge::StatusBoard;

use crate::window_session::{
    daw_audio_started, daw_audio_stopped, FdRegistry, Physical, Session, SessionError, WindowHost,
};
use crate::PluginInfo;

/// How often the host is asked to tick the window: GTK wants ~8 ms to stay fluid (with
/// `posix-fd-support` the descriptors wake it sooner; the tick stays as the fallback).
const TICK_MS: u32 = 8;

/// The windowing API this platform embeds into.
fn platform_api() -> GuiApiType<'static> {
    if cfg!(target_os = "windows") {
        GuiApiType::WIN32
    } else if cfg!(target_os = "macos") {
        GuiApiType::COCOA
    } else {
        GuiApiType::X11
    }
}

/// The window side of one CLAP instance; lives as long as the instance.
pub struct Gui<'a> {
    session: Session<Arc<SharedParams>>,
    /// What the page's `getAudioStatus` answers: set at activation.
    status: Arc<StatusBoard>,
    shared: &'a SharedParams,
    host_timer: Option<HostTimer>,
    host_params: Option<HostParams>,
    #[cfg(unix)]
    host_fds: Option<clack_extensions::posix_fd::HostPosixFd>,
    /// Between `create` and `destroy`.
    created: Cell<bool>,
    timer: Cell<Option<TimerId>>,
}

impl<'a> Gui<'a> {
    /// The window side of an instance of the plugin `info`, whose UI files `assets` serves.
    pub fn new(
        host: &HostMainThreadHandle<'a>,
        shared: &'a ClapShared,
        info: &PluginInfo,
        assets: AssetSource,
    ) -> Self {
        let status = Arc::new(StatusBoard::new());
        Gui {
            session: Session::new(shared.arc(), info, assets, Arc::clone(&status)),
            status,
            shared,
            host_timer: host.get_extension::<HostTimer>(),
            host_params: host.get_extension::<HostParams>(),
            #[cfg(unix)]
            host_fds: host.get_extension::<clack_extensions::posix_fd::HostPosixFd>(),
            created: Cell::new(false),
            timer: Cell::new(None),
        }
    }

    /// The host activated the plugin: the page learns the DAW's audio runs, at this rate and
    /// block size.
    pub fn audio_started(&self, sample_rate: f64, max_block: u32) {
        daw_audio_started(&self.status, sample_rate, max_block);
    }

    /// The host deactivated the plugin.
    pub fn audio_stopped(&self) {
        daw_audio_stopped(&self.status);
    }

    /// Whether the author's crate embeds a UI at all (else the host shows its generic one).
    pub fn has_ui(assets: AssetSource) -> bool {
        Session::<Arc<SharedParams>>::has_ui(assets)
    }

    /// What the session needs from this host during one call.
    fn host<'h>(&'h self, host: &'h HostMainThreadHandle<'a>) -> ClapWindowHost<'h, 'a> {
        ClapWindowHost { gui: self, host }
    }

    fn create(
        &self,
        host: &HostMainThreadHandle<'a>,
        config: GuiConfiguration,
    ) -> Result<(), PluginError> {
        if !is_supported(&config) {
            return Err(PluginError::Message(
                "the plugin window embeds into the host's window only (x11, cocoa or win32)",
            ));
        }
        if self.created.get() {
            return Err(PluginError::Message(
                "gui.create called twice without gui.destroy",
            ));
        }
        let Some(host_timer) = &self.host_timer else {
            return Err(PluginError::Message(
                "the host offers no timer-support extension: the plugin window needs the \
                 host's timer to answer its page (and, on Linux, to run GTK), so the host's \
                 generic UI is shown instead",
            ));
        };
        plugin_window::init_toolkit().map_err(|e| PluginError::Error(e.into()))?;
        let timer = host_timer
            .register_timer(host, TICK_MS)
            .map_err(|_| PluginError::Message("the host refused to register a timer"))?;
        self.created.set(true);
        self.timer.set(Some(timer));
        Ok(())
    }

    fn destroy(&self, host: &HostMainThreadHandle<'a>) {
        self.created.set(false);
        self.session.close(&self.host(host));
        if let (Some(timer), Some(host_timer)) = (self.timer.take(), &self.host_timer) {
            let _ = host_timer.unregister_timer(host, timer);
        }
    }

    fn set_parent(&self, parent: Window) -> Result<(), PluginError> {
        if !self.created.get() {
            return Err(PluginError::Message("set_parent before create"));
        }
        self.session.open(&parent).map_err(plugin_error)
    }

    fn resize_hints(&self) -> GuiResizeHints {
        let resizable = self.session.sizing().resizable();
        GuiResizeHints {
            can_resize_horizontally: resizable,
            can_resize_vertically: resizable,
            strategy: AspectRatioStrategy::Disregard,
        }
    }

    /// One wake (timer tick or descriptor), between `create` and `destroy`.
    fn wake(&self, host: &HostMainThreadHandle<'a>) {
        if self.created.get() {
            self.session.wake(&self.host(host));
        }
    }
}

/// The CLAP host as the session sees it during one main-thread call.
struct ClapWindowHost<'h, 'a> {
    gui: &'h Gui<'a>,
    host: &'h HostMainThreadHandle<'a>,
}

impl WindowHost for ClapWindowHost<'_, '_> {
    fn edit(&self, edit: UiEdit) {
        let shared = self.gui.shared;
        if !shared.push_edit(edit) {
            // The audio side has not taken edits for EDIT_RING pushes (no blocks, no flush):
            // values still reach it as a reload; the host misses this event only.
            shared.request_reload();
        }
        if let Some(host_params) = &self.gui.host_params {
            host_params.request_flush(self.host);
        }
    }

    fn fds(&self) -> Option<&dyn FdRegistry> {
        #[cfg(unix)]
        if self.gui.host_fds.is_some() {
            return Some(self);
        }
        None
    }

    fn log_probe(&self, message: &str) {
        let text = message.replace('\0', " ");
        if let (Some(log), Ok(text)) = (self.host.get_extension::<HostLog>(), CString::new(text)) {
            log.log(self.host, LogSeverity::Debug, &text);
        }
    }
}

#[cfg(unix)]
impl FdRegistry for ClapWindowHost<'_, '_> {
    fn register(&self, fd: i32, interest: crate::window_session::Interest) -> bool {
        self.gui
            .host_fds
            .as_ref()
            .is_some_and(|ext| ext.register_fd(self.host, fd, fd_flags(interest)).is_ok())
    }

    fn modify(&self, fd: i32, interest: crate::window_session::Interest) -> bool {
        self.gui
            .host_fds
            .as_ref()
            .is_some_and(|ext| ext.modify_fd(self.host, fd, fd_flags(interest)).is_ok())
    }

    fn unregister(&self, fd: i32) {
        if let Some(ext) = &self.gui.host_fds {
            let _ = ext.unregister_fd(self.host, fd);
        }
    }
}

#[cfg(unix)]
fn fd_flags(interest: crate::window_session::Interest) -> clack_extensions::posix_fd::FdFlags {
    use clack_extensions::posix_fd::FdFlags;
    let mut flags = FdFlags::empty();
    flags.set(FdFlags::READ, interest.read);
    flags.set(FdFlags::WRITE, interest.write);
    flags.set(FdFlags::ERROR, interest.error);
    flags
}

fn plugin_error(error: SessionError) -> PluginError {
    match error {
        SessionError::Refused(message) => PluginError::Message(message),
        other => PluginError::Error(Box::new(other)),
    }
}

fn is_supported(config: &GuiConfiguration) -> bool {
    !config.is_floating && config.api_type == platform_api()
}

fn gui_size(size: Physical) -> GuiSize {
    GuiSize {
        width: size.width,
        height: size.height,
    }
}

fn physical(size: GuiSize) -> Physical {
    Physical {
        width: size.width,
        height: size.height,
    }
}

impl PluginGuiImpl for MainThread<'_> {
    fn is_api_supported(&self, configuration: GuiConfiguration) -> bool {
        is_supported(&configuration)
    }

    fn get_preferred_api(&self) -> Option<GuiConfiguration<'_>> {
        Some(GuiConfiguration {
            api_type: platform_api(),
            is_floating: false,
        })
    }

    fn create(&self, configuration: GuiConfiguration) -> Result<(), PluginError> {
        self.gui().create(self.host(), configuration)
    }

    fn destroy(&self) {
        self.gui().destroy(self.host());
    }

    fn set_scale(&self, scale: f64) -> Result<(), PluginError> {
        self.gui().session.set_scale(scale).map_err(plugin_error)
    }

    fn get_size(&self) -> Option<GuiSize> {
        Some(gui_size(self.gui().session.size()))
    }

    fn can_resize(&self) -> bool {
        self.gui().session.sizing().resizable()
    }

    fn get_resize_hints(&self) -> Option<GuiResizeHints> {
        Some(self.gui().resize_hints())
    }

    fn adjust_size(&self, size: GuiSize) -> Option<GuiSize> {
        Some(gui_size(self.gui().session.sizing().adjust(physical(size))))
    }

    fn set_size(&self, size: GuiSize) -> Result<(), PluginError> {
        self.gui()
            .session
            .set_size(physical(size))
            .map_err(plugin_error)
    }

    fn set_parent(&self, window: Window) -> Result<(), PluginError> {
        self.gui().set_parent(window)
    }

    fn set_transient(&self, _window: Window) -> Result<(), PluginError> {
        Err(PluginError::Message("the plugin window does not float"))
    }

    fn show(&self) -> Result<(), PluginError> {
        self.gui().session.set_visible(true).map_err(plugin_error)
    }

    fn hide(&self) -> Result<(), PluginError> {
        self.gui().session.set_visible(false).map_err(plugin_error)
    }
}

impl PluginTimerImpl for MainThread<'_> {
    fn on_timer(&self, timer_id: TimerId) {
        let gui = self.gui();
        if gui.timer.get() == Some(timer_id) {
            gui.wake(self.host());
        }
    }
}

#[cfg(unix)]
impl clack_extensions::posix_fd::PluginPosixFdImpl for MainThread<'_> {
    fn on_fd(&self, _fd: std::os::unix::io::RawFd, _flags: clack_extensions::posix_fd::FdFlags) {
        self.gui().wake(self.host());
    }
}
