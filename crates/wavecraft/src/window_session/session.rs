//! One instance's window session: the page's `IpcHandler`, its status board,
//! the window while it is open and its size. A wake (the host's timer or one
//! of the toolkit's descriptors) pumps the toolkit — which answers what any
//! instance's page posted, each by its own handler (`plugin_window`'s
//! registry of live pages) — hands this page's edits to the format, pushes
//! host-side changes (≤ 60 Hz), audio status and meters (≤ 30 Hz) in one
//! script evaluation, then re-registers the descriptors the toolkit waits on.
//! A probed page's messages (tests only, see `plugin_window`) are logged
//! through the format at the wake after they arrive.
//! A page answered by another instance's wake has its edits handed to the
//! host at its own instance's next wake (the reply is not delayed). The
//! instance's values, revisions and gestures live on across windows; closing
//! a window ends any gesture its page left open.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use raw_window_handle::HasWindowHandle;
use wavecraft_bridge::rpc::notification_text;
use wavecraft_bridge::{IpcHandler, StatusBoard};
use wavecraft_protocol::catalog::{
    AudioStatusChangedNotification, MeterUpdateNotification, ParameterChangedNotification,
};
use wavecraft_protocol::{AudioBackend, AudioState, AudioStatus, EngineInfo};

use super::size::{Physical, Sizing};
use super::wake_fds::WakeFds;
use super::{WindowHost, WindowParams, WindowValues};
use crate::plugin_window::{self, AssetSource, PluginWindow, WindowError};
use crate::PluginInfo;

/// Least time between two pushes of host-side value changes (≤ 60 Hz).
const CHANGES_EVERY: Duration = Duration::from_millis(16);
/// Least time between two meter pushes (~30 Hz, as in dev mode).
const METERS_EVERY: Duration = Duration::from_millis(33);

/// Records on `status` that the DAW's audio runs at this rate and block size (what
/// `getAudioStatus` answers in a plugin).
pub fn daw_audio_started(status: &StatusBoard, sample_rate: f64, max_block: u32) {
    status.set_audio(AudioStatus {
        backend: AudioBackend::Device,
        state: AudioState::Running,
        sample_rate: Some(sample_rate.round() as u32),
        block_size: Some(max_block),
        device_name: Some("the DAW".to_owned()),
        message: None,
        crash: None,
    });
}

/// Records on `status` that the DAW stopped the plugin's audio.
pub fn daw_audio_stopped(status: &StatusBoard) {
    let mut audio = status.audio();
    audio.state = AudioState::Stopped;
    status.set_audio(audio);
}

/// Why the session refused a host's call.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The call does not fit the session's state or the author's limits.
    #[error("{0}")]
    Refused(&'static str),
    /// The window could not open.
    #[error(transparent)]
    Window(#[from] WindowError),
    /// The webview refused a change.
    #[error("the webview refused: {0}")]
    Webview(#[from] wry::Error),
}

/// The window side of one instance; lives as long as the instance.
pub struct Session<S: WindowValues + 'static> {
    /// Shared with the open window's responder, which answers the page.
    handler: Rc<IpcHandler<WindowParams<S>>>,
    status: Arc<StatusBoard>,
    /// The audio status the page was last told of.
    told_audio: RefCell<AudioStatus>,
    assets: AssetSource,
    sizing: Cell<Sizing>,
    window: RefCell<Option<PluginWindow>>,
    /// Messages of a probed page, logged through the format at the next wake.
    probe_lines: Rc<RefCell<VecDeque<String>>>,
    fds: WakeFds,
    last_changes: Cell<Instant>,
    last_meters: Cell<Instant>,
}

impl<S: WindowValues + 'static> Session<S> {
    /// The window side of an instance of the plugin `info` over the values `shared`, whose UI
    /// files `assets` serves; `getAudioStatus` answers from `status`, which the format's audio
    /// side updates (see [`daw_audio_started`]); the page is told when it changes.
    pub fn new(
        shared: S,
        info: &PluginInfo,
        assets: AssetSource,
        status: Arc<StatusBoard>,
    ) -> Self {
        status.set_engine(Some(EngineInfo {
            name: info.name.to_owned(),
            vendor: info.vendor.to_owned(),
            version: info.version.to_owned(),
            plugin_id: info.id.to_owned(),
            sdk_version: env!("CARGO_PKG_VERSION").to_owned(),
        }));
        let now = Instant::now();
        Session {
            handler: Rc::new(IpcHandler::new(
                WindowParams::new(shared),
                Arc::clone(&status),
            )),
            told_audio: RefCell::new(status.audio()),
            status,
            assets,
            sizing: Cell::new(Sizing::new(info.window)),
            window: RefCell::new(None),
            probe_lines: Rc::default(),
            fds: WakeFds::default(),
            last_changes: Cell::new(now),
            last_meters: Cell::new(now),
        }
    }

    /// Whether the author's crate embeds a UI at all (else the host shows its generic one).
    pub fn has_ui(assets: AssetSource) -> bool {
        assets("index.html").is_some()
    }

    /// Opens the window as a child of `parent`, at the current size (replacing an open one).
    pub fn open(&self, parent: &impl HasWindowHandle) -> Result<(), SessionError> {
        let size = self.size();
        self.window.borrow_mut().take();
        let handler = Rc::clone(&self.handler);
        let probe_lines = Rc::clone(&self.probe_lines);
        let window = PluginWindow::open(
            parent,
            self.assets,
            size.width,
            size.height,
            Box::new(move |message| handler.handle(message)),
            Box::new(move |line| probe_lines.borrow_mut().push_back(line.to_owned())),
        )?;
        window.set_scale(self.sizing.get().scale())?;
        *self.window.borrow_mut() = Some(window);
        Ok(())
    }

    /// Whether a window is open.
    pub fn is_open(&self) -> bool {
        self.window.borrow().is_some()
    }

    /// Closes the window (if open), ends every gesture its page left open and unregisters
    /// the wake descriptors.
    pub fn close(&self, host: &dyn WindowHost) {
        self.window.borrow_mut().take();
        self.handler.host().end_open_edits();
        self.hand_over_edits(host);
        if let Some(registry) = host.fds() {
            self.fds.clear(registry);
        }
    }

    /// The window's size negotiation (read-only copy).
    pub fn sizing(&self) -> Sizing {
        self.sizing.get()
    }

    /// The current size in physical pixels.
    pub fn size(&self) -> Physical {
        self.sizing.get().physical()
    }

    /// Sets the host's scale: an open window is resized to match and its page zoomed to
    /// keep its logical size (CLAP `set_scale`, VST3 `setContentScaleFactor`).
    pub fn set_scale(&self, scale: f64) -> Result<(), SessionError> {
        let mut sizing = self.sizing.get();
        sizing.set_scale(scale).map_err(SessionError::Refused)?;
        self.sizing.set(sizing);
        if let Some(window) = &*self.window.borrow() {
            window.set_scale(scale)?;
        }
        self.resize_window()
    }

    /// Takes `size` (physical), which must be one the window can take exactly.
    pub fn set_size(&self, size: Physical) -> Result<(), SessionError> {
        let mut sizing = self.sizing.get();
        sizing.set_physical(size).map_err(SessionError::Refused)?;
        self.sizing.set(sizing);
        self.resize_window()
    }

    fn resize_window(&self) -> Result<(), SessionError> {
        let size = self.size();
        if let Some(window) = &*self.window.borrow() {
            window.set_size(size.width, size.height)?;
        }
        Ok(())
    }

    /// Shows or hides the open window (CLAP `show` / `hide`).
    #[cfg(feature = "clap")]
    pub fn set_visible(&self, visible: bool) -> Result<(), SessionError> {
        match &*self.window.borrow() {
            Some(window) => Ok(window.set_visible(visible)?),
            None => Err(SessionError::Refused("no window to show or hide")),
        }
    }

    /// One wake (timer tick or descriptor): pump the toolkit (which answers the pages), hand
    /// the page's edits to the host, push changes and meters, then tell the host which
    /// descriptors the toolkit waits on now.
    pub fn wake(&self, host: &dyn WindowHost) {
        plugin_window::pump();
        self.hand_over_edits(host);
        let probed: Vec<String> = self.probe_lines.borrow_mut().drain(..).collect();
        for line in probed {
            host.log_probe(&line);
        }
        if !self.is_open() {
            return;
        }
        self.push();
        if let Some(registry) = host.fds() {
            self.fds.sync(registry);
        }
    }

    /// Pushes what changed host-side (≤ 60 Hz), the audio status, and the meters (≤ 30 Hz).
    fn push(&self) {
        let now = Instant::now();
        let mut out = Vec::new();
        if now.duration_since(self.last_changes.get()) >= CHANGES_EVERY {
            out.extend(
                self.handler
                    .host()
                    .changes()
                    .iter()
                    .map(notification_text::<ParameterChangedNotification>),
            );
            self.last_changes.set(now);
        }
        let audio = self.status.audio();
        if *self.told_audio.borrow() != audio {
            out.push(notification_text::<AudioStatusChangedNotification>(&audio));
            *self.told_audio.borrow_mut() = audio;
        }
        if now.duration_since(self.last_meters.get()) >= METERS_EVERY {
            let meters = self.handler.host().meters();
            out.push(notification_text::<MeterUpdateNotification>(&meters));
            self.last_meters.set(now);
        }
        if let Some(window) = &*self.window.borrow() {
            // One script evaluation for all of them. The page may be gone between two wakes;
            // the next window asks for everything.
            let _ = window.send_all(&out);
        }
    }

    fn hand_over_edits(&self, host: &dyn WindowHost) {
        for edit in self.handler.host().take_edits() {
            host.edit(edit);
        }
    }
}
