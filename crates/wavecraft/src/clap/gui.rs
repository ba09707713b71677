//! The CLAP `gui`, `timer-support` and `posix-fd-support` extensions: the
//! author's UI embedded in the host's window (embedded mode only), sized from
//! the author's crate metadata, and served by the same `IpcHandler` as dev
//! mode over the webview's message channel.
//!
//! Everything runs on the host's main thread. The host wakes the window in two
//! ways: its timer, and (when it offers `posix-fd-support`) the toolkit's file
//! descriptors, registered after every wake (see `gui_fds`), so a message the
//! page posts is answered as soon as it arrives rather than on the next tick.
//! Every wake pumps GTK (Linux), which answers what any instance's page posted
//! (each by its own `IpcHandler`, see `plugin_window`), and at most 60 times a
//! second tells the page which values the host changed, at most 30 times a
//! second the meters, in one script evaluation. Nothing else answers the page
//! (and on Linux nothing else runs GTK); the timer is what every host must give, so a host
//! without `timer-support` gets `false` from `create`, with a log line saying
//! why. The window is created in `set_parent` and dropped in `destroy`
//! (which unregisters the descriptors and the timer); the instance's values,
//! revisions and gestures live on across windows, and `destroy` ends any
//! gesture the page left open.

use std::cell::{Cell, RefCell};
use std::ffi::CString;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clack_extensions::gui::{
    AspectRatioStrategy, GuiApiType, GuiConfiguration, GuiResizeHints, GuiSize, PluginGuiImpl,
    Window,
};
use clack_extensions::timer::{HostTimer, PluginTimerImpl, TimerId};
use clack_plugin::host::HostMainThreadHandle;
use clack_plugin::plugin::PluginError;
use wavecraft_bridge::rpc::notification_text;
use wavecraft_bridge::{IpcHandler, StatusBoard};
use wavecraft_protocol::catalog::{
    AudioStatusChangedNotification, MeterUpdateNotification, ParameterChangedNotification,
};
use wavecraft_protocol::{AudioBackend, AudioState, AudioStatus, EngineInfo};

use super::gui_fds::HostFds;
use super::main_thread::MainThread;
use super::shared_params::SharedParams;
use super::window_params::WindowParams;
use crate::plugin_window::{self, AssetSource, PluginWindow};
use crate::{PluginInfo, WindowSize};

/// How often the host is asked to tick the window: GTK wants ~8 ms to stay fluid (with
/// `posix-fd-support` the descriptors wake it sooner; the tick stays as the fallback).
const TICK_MS: u32 = 8;
/// Least time between two pushes of host-side value changes (≤ 60 Hz).
const CHANGES_EVERY: Duration = Duration::from_millis(16);
/// Least time between two meter pushes (~30 Hz, as in dev mode).
const METERS_EVERY: Duration = Duration::from_millis(33);

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

/// The window side of one instance; lives as long as the instance.
pub struct Gui<'a> {
    /// Shared with the window's responder, which answers the page.
    handler: Rc<IpcHandler<WindowParams<'a>>>,
    status: Arc<StatusBoard>,
    /// The audio status changed since the page was last told.
    audio_changed: Cell<bool>,
    assets: AssetSource,
    size: WindowSize,
    host_timer: Option<HostTimer>,
    fds: HostFds,
    state: RefCell<GuiState<'a>>,
}

/// What changes as the host opens, sizes and closes the window.
struct GuiState<'a> {
    created: bool,
    scale: f64,
    /// Logical size.
    width: u32,
    height: u32,
    window: Option<PluginWindow<'a>>,
    timer: Option<TimerId>,
    last_changes: Instant,
    last_meters: Instant,
}

impl<'a> Gui<'a> {
    /// The window side of an instance of the plugin `info`, whose UI files `assets` serves.
    pub fn new(
        host: &HostMainThreadHandle<'a>,
        shared: &'a SharedParams,
        info: &PluginInfo,
        assets: AssetSource,
    ) -> Self {
        let status = StatusBoard::new();
        status.set_engine(Some(EngineInfo {
            name: info.name.to_owned(),
            vendor: info.vendor.to_owned(),
            version: info.version.to_owned(),
            plugin_id: info.id.to_owned(),
            sdk_version: env!("CARGO_PKG_VERSION").to_owned(),
        }));
        let now = Instant::now();
        let status = Arc::new(status);
        Gui {
            handler: Rc::new(IpcHandler::new(
                WindowParams::new(shared, host.shared()),
                Arc::clone(&status),
            )),
            status,
            audio_changed: Cell::new(false),
            assets,
            size: info.window,
            host_timer: host.get_extension::<HostTimer>(),
            fds: HostFds::new(host),
            state: RefCell::new(GuiState {
                created: false,
                scale: 1.0,
                width: info.window.width,
                height: info.window.height,
                window: None,
                timer: None,
                last_changes: now,
                last_meters: now,
            }),
        }
    }

    /// The host activated the plugin: `getAudioStatus` says the DAW's audio runs, at this
    /// rate and block size (the page is told on the next tick).
    pub fn audio_started(&self, sample_rate: f64, max_block: u32) {
        self.status.set_audio(AudioStatus {
            backend: AudioBackend::Device,
            state: AudioState::Running,
            sample_rate: Some(sample_rate.round() as u32),
            block_size: Some(max_block),
            device_name: Some("the DAW".to_owned()),
            message: None,
            crash: None,
        });
        self.audio_changed.set(true);
    }

    /// The host deactivated the plugin.
    pub fn audio_stopped(&self) {
        let mut audio = self.status.audio();
        audio.state = AudioState::Stopped;
        self.status.set_audio(audio);
        self.audio_changed.set(true);
    }

    /// Whether the author's crate embeds a UI at all (else the host shows its generic one).
    pub fn has_ui(assets: AssetSource) -> bool {
        assets("index.html").is_some()
    }

    fn physical(&self, state: &GuiState<'a>) -> GuiSize {
        GuiSize {
            width: (f64::from(state.width) * state.scale).round() as u32,
            height: (f64::from(state.height) * state.scale).round() as u32,
        }
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
        if self.state.borrow().created {
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
        let mut state = self.state.borrow_mut();
        state.created = true;
        state.timer = Some(timer);
        Ok(())
    }

    fn destroy(&self, host: &HostMainThreadHandle<'a>) {
        let mut state = self.state.borrow_mut();
        state.window = None;
        state.created = false;
        self.fds.clear(host);
        if let (Some(timer), Some(host_timer)) = (state.timer.take(), &self.host_timer) {
            let _ = host_timer.unregister_timer(host, timer);
        }
        self.handler.host().end_open_edits();
    }

    fn set_parent(
        &self,
        host: &HostMainThreadHandle<'a>,
        parent: Window,
    ) -> Result<(), PluginError> {
        let mut state = self.state.borrow_mut();
        if !state.created {
            return Err(PluginError::Message("set_parent before create"));
        }
        let size = self.physical(&state);
        state.window = None;
        let handler = Rc::clone(&self.handler);
        let host = *host;
        let window = PluginWindow::open(
            &parent,
            self.assets,
            size.width,
            size.height,
            Box::new(move |message| handler.handle(message)),
            Box::new(move |line| log_probe(&host, line)),
        )
        .map_err(|e| PluginError::Error(Box::new(e)))?;
        state.window = Some(window);
        Ok(())
    }

    fn resize_hints(&self) -> GuiResizeHints {
        GuiResizeHints {
            can_resize_horizontally: self.size.resizable,
            can_resize_vertically: self.size.resizable,
            strategy: AspectRatioStrategy::Disregard,
        }
    }

    /// The size closest to `size` (physical) that the window can take.
    fn adjust(&self, state: &GuiState<'a>, size: GuiSize) -> GuiSize {
        if !self.size.resizable {
            return self.physical(state);
        }
        let min = |side: u32| (f64::from(side) * state.scale).round() as u32;
        GuiSize {
            width: size.width.max(min(self.size.min_width)),
            height: size.height.max(min(self.size.min_height)),
        }
    }

    fn set_size(&self, size: GuiSize) -> Result<(), PluginError> {
        let mut state = self.state.borrow_mut();
        if self.adjust(&state, size) != size {
            return Err(PluginError::Message(
                "the window cannot take that size (call adjust_size first)",
            ));
        }
        state.width = (f64::from(size.width) / state.scale).round() as u32;
        state.height = (f64::from(size.height) / state.scale).round() as u32;
        if let Some(window) = &state.window {
            window
                .set_size(size.width, size.height)
                .map_err(|e| PluginError::Error(Box::new(e)))?;
        }
        Ok(())
    }

    fn set_visible(&self, visible: bool) -> Result<(), PluginError> {
        match &self.state.borrow().window {
            Some(window) => window
                .set_visible(visible)
                .map_err(|e| PluginError::Error(Box::new(e))),
            None => Err(PluginError::Message("no window to show or hide")),
        }
    }

    /// One wake (timer tick or descriptor): pump the toolkit, answer the page, push changes
    /// and meters, then tell the host which descriptors the toolkit waits on now.
    fn wake(&self, host: &HostMainThreadHandle<'a>) {
        if !self.state.borrow().created {
            return;
        }
        self.tick();
        self.fds.sync(host);
    }

    fn tick(&self) {
        plugin_window::pump();
        let mut state = self.state.borrow_mut();
        let now = Instant::now();
        if state.window.is_none() {
            return;
        }
        let mut out = Vec::new();
        if now.duration_since(state.last_changes) >= CHANGES_EVERY {
            out.extend(
                self.handler
                    .host()
                    .changes()
                    .iter()
                    .map(notification_text::<ParameterChangedNotification>),
            );
            state.last_changes = now;
        }
        if self.audio_changed.take() {
            out.push(notification_text::<AudioStatusChangedNotification>(
                &self.status.audio(),
            ));
        }
        if now.duration_since(state.last_meters) >= METERS_EVERY {
            let meters = self.handler.host().meters();
            out.push(notification_text::<MeterUpdateNotification>(&meters));
            state.last_meters = now;
        }
        if let Some(window) = &state.window {
            // One script evaluation for all of them. The page may be gone between two
            // ticks; the next window asks for everything again.
            let _ = window.send_all(&out);
        }
    }
}

/// Hands a message of a probed page (see `plugin_window`) to the host's log, where a test
/// host reads it.
fn log_probe(host: &HostMainThreadHandle, message: &str) {
    use clack_extensions::log::{HostLog, LogSeverity};
    let text = message.replace('\0', " ");
    if let (Some(log), Ok(text)) = (host.get_extension::<HostLog>(), CString::new(text)) {
        log.log(host, LogSeverity::Debug, &text);
    }
}

fn is_supported(config: &GuiConfiguration) -> bool {
    !config.is_floating && config.api_type == platform_api()
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
        if !(scale.is_finite() && scale > 0.0) {
            return Err(PluginError::Message("the scale must be a positive number"));
        }
        let gui = self.gui();
        let mut state = gui.state.borrow_mut();
        state.scale = scale;
        let size = gui.physical(&state);
        match &state.window {
            Some(window) => window
                .set_size(size.width, size.height)
                .map_err(|e| PluginError::Error(Box::new(e))),
            None => Ok(()),
        }
    }

    fn get_size(&self) -> Option<GuiSize> {
        let gui = self.gui();
        let state = gui.state.borrow();
        Some(gui.physical(&state))
    }

    fn can_resize(&self) -> bool {
        self.gui().size.resizable
    }

    fn get_resize_hints(&self) -> Option<GuiResizeHints> {
        Some(self.gui().resize_hints())
    }

    fn adjust_size(&self, size: GuiSize) -> Option<GuiSize> {
        let gui = self.gui();
        let state = gui.state.borrow();
        Some(gui.adjust(&state, size))
    }

    fn set_size(&self, size: GuiSize) -> Result<(), PluginError> {
        self.gui().set_size(size)
    }

    fn set_parent(&self, window: Window) -> Result<(), PluginError> {
        self.gui().set_parent(self.host(), window)
    }

    fn set_transient(&self, _window: Window) -> Result<(), PluginError> {
        Err(PluginError::Message("the plugin window does not float"))
    }

    fn show(&self) -> Result<(), PluginError> {
        self.gui().set_visible(true)
    }

    fn hide(&self) -> Result<(), PluginError> {
        self.gui().set_visible(false)
    }
}

impl PluginTimerImpl for MainThread<'_> {
    fn on_timer(&self, timer_id: TimerId) {
        let gui = self.gui();
        if gui.state.borrow().timer == Some(timer_id) {
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
