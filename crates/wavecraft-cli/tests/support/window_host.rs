//! A CLAP host with a plugin window, on clack-host: it offers
//! `timer-support` and `posix-fd-support` and runs them as a DAW's event loop
//! does (it ticks the plugin's timers at its own period and between ticks
//! waits in `poll(2)` on the descriptors the plugin registered, calling
//! `on_fd` when one is ready; each can be left out, see [`Mode`]), `log` (every message kept, where a probed window reports what its
//! page posts and shows), `params` (flush requests honoured) and an X11
//! parent window made with x11rb. The plugin's main thread is the test's
//! main thread. Audio runs block by block on the same thread when asked, a
//! block whenever one is due in real time (256 frames at 48 kHz), between
//! the loop's other work.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::CString;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use clack_extensions::gui::{GuiApiType, GuiConfiguration, PluginGui, Window};
use clack_extensions::log::{HostLog, HostLogImpl, LogSeverity};
use clack_extensions::params::{
    HostParams, HostParamsImplMainThread, HostParamsImplShared, ParamClearFlags, ParamRescanFlags,
    PluginParams,
};
use clack_extensions::posix_fd::{FdFlags, HostPosixFd, HostPosixFdImpl, PluginPosixFd};
use clack_extensions::timer::{HostTimer, HostTimerImpl, PluginTimer, TimerId};
use clack_host::events::event_types::{
    ParamGestureBeginEvent, ParamGestureEndEvent, ParamValueEvent,
};
use clack_host::prelude::*;
use serde_json::Value;

/// The example plugin's CLAP id.
const EXAMPLE_ID: &str = "dev.wavecraft.example";

/// What the host offers and how its loop runs.
#[derive(Debug, Clone, Copy)]
pub struct Mode {
    /// Offer `timer-support` (a host without it is tested too).
    pub timers: bool,
    /// Offer `posix-fd-support`: wait on the plugin's descriptors between ticks.
    pub fds: bool,
    /// The host's timer period, whatever the plugin asks (a DAW's timers have their own).
    pub tick: Duration,
}

impl Mode {
    /// A DAW's loop with both extensions, ticking every 8 ms (what the plugin asks).
    pub const DAW: Mode = Mode {
        timers: true,
        fds: true,
        tick: Duration::from_millis(8),
    };

    /// Timers only, ticking every `tick`.
    pub const fn timers_only(tick: Duration) -> Mode {
        Mode {
            timers: true,
            fds: false,
            tick,
        }
    }

    /// Timers and descriptors, ticking every `tick`.
    pub const fn with_fds(tick: Duration) -> Mode {
        Mode {
            timers: true,
            fds: true,
            tick,
        }
    }
}

/// Thread-safe host callbacks: log lines and flush requests.
pub struct Shared {
    logs: Mutex<Vec<(Instant, String)>>,
    flush_requested: std::sync::atomic::AtomicBool,
    mode: Mode,
}

impl SharedHandler<'_> for Shared {
    fn request_restart(&self) {}
    fn request_process(&self) {}
    fn request_callback(&self) {}
}

impl HostLogImpl for Shared {
    fn log(&self, _severity: LogSeverity, message: &str) {
        self.logs
            .lock()
            .unwrap()
            .push((Instant::now(), message.to_owned()));
    }
}

impl HostParamsImplShared for Shared {
    fn request_flush(&self) {
        self.flush_requested
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// Main-thread host callbacks: the plugin's timers and descriptors.
#[derive(Default)]
pub struct Main {
    timers: RefCell<BTreeSet<u32>>,
    next_timer: Cell<u32>,
    fds: RefCell<BTreeMap<i32, FdFlags>>,
}

impl MainThreadHandler<'_> for Main {}

impl HostTimerImpl for Main {
    fn register_timer(&self, _period_ms: u32) -> Result<TimerId, HostError> {
        let id = self.next_timer.get() + 1;
        self.next_timer.set(id);
        self.timers.borrow_mut().insert(id);
        Ok(TimerId(id))
    }

    fn unregister_timer(&self, timer_id: TimerId) -> Result<(), HostError> {
        if self.timers.borrow_mut().remove(&timer_id.0) {
            Ok(())
        } else {
            Err(HostError::Message("no such timer"))
        }
    }
}

impl HostPosixFdImpl for Main {
    fn register_fd(&self, fd: i32, flags: FdFlags) -> Result<(), HostError> {
        match self.fds.borrow_mut().entry(fd) {
            std::collections::btree_map::Entry::Occupied(_) => {
                Err(HostError::Message("descriptor registered twice"))
            }
            std::collections::btree_map::Entry::Vacant(entry) => {
                entry.insert(flags);
                Ok(())
            }
        }
    }

    fn modify_fd(&self, fd: i32, flags: FdFlags) -> Result<(), HostError> {
        match self.fds.borrow_mut().get_mut(&fd) {
            Some(had) => {
                *had = flags;
                Ok(())
            }
            None => Err(HostError::Message("modify of an unregistered descriptor")),
        }
    }

    fn unregister_fd(&self, fd: i32) -> Result<(), HostError> {
        match self.fds.borrow_mut().remove(&fd) {
            Some(_) => Ok(()),
            None => Err(HostError::Message(
                "unregister of an unregistered descriptor",
            )),
        }
    }
}

impl HostParamsImplMainThread for Main {
    fn rescan(&self, _flags: ParamRescanFlags) {}
    fn clear(&self, _param_id: ClapId, _flags: ParamClearFlags) {}
}

/// The host type.
pub struct WindowHost;

impl HostHandlers for WindowHost {
    type Shared<'a> = Shared;
    type MainThread<'a> = Main;
    type AudioProcessor<'a> = ();

    fn declare_extensions(builder: &mut HostExtensions<Self>, shared: &Shared) {
        builder.register::<HostParams>().register::<HostLog>();
        if shared.mode.timers {
            builder.register::<HostTimer>();
        }
        if shared.mode.fds {
            builder.register::<HostPosixFd>();
        }
    }
}

/// What the host heard from the plugin about a parameter, in order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Heard {
    /// Gesture begin on this id.
    Begin(u32),
    /// A value for this id.
    Value(u32, f64),
    /// Gesture end on this id.
    End(u32),
}

/// Block size and rate of the audio this host runs.
pub const BLOCK: usize = 256;
/// Sample rate.
pub const RATE: f64 = 48_000.0;
/// How long one block plays.
const BLOCK_TIME: Duration = Duration::from_nanos(BLOCK as u64 * 1_000_000_000 / RATE as u64);

/// One example instance with its window and, when running, its audio.
pub struct Instance {
    instance: PluginInstance<WindowHost>,
    gui: PluginGui,
    timer: PluginTimer,
    posix_fd: PluginPosixFd,
    params: PluginParams,
    mode: Mode,
    next_tick: Instant,
    next_block: Instant,
    audio: Option<StartedPluginAudioProcessor<WindowHost>>,
    phase: f32,
    heard: Vec<Heard>,
    /// RMS of every processed block's left channel, in order.
    pub block_rms: Vec<f32>,
    /// How many times `on_fd` was called.
    pub fd_wakes: usize,
    /// When the last [`Instance::open`] called each `gui` function, and when each returned.
    pub opened: Vec<(&'static str, SystemTime)>,
    /// The scale [`Instance::open`] gives `gui.set_scale` (1 unless a test sets it).
    pub scale: f64,
}

impl Instance {
    /// Loads the bundle at `path` and instantiates the example in a DAW-like host ([`Mode::DAW`]).
    pub fn new(path: &Path) -> Self {
        Self::in_host(path, Mode::DAW)
    }

    /// Loads the bundle at `path` and instantiates the example in a host running as `mode` says.
    pub fn in_host(path: &Path, mode: Mode) -> Self {
        // SAFETY: the library is the example this suite just bundled; loading it has no
        // preconditions beyond a valid library file.
        let entry = unsafe { PluginEntry::load(path) }.expect("load the .clap");
        let info = HostInfo::new("wavecraft window tests", "Wavecraft", "", "0.1.0").unwrap();
        let id = CString::new(EXAMPLE_ID).unwrap();
        let mut instance = PluginInstance::<WindowHost>::new(
            |_| Shared {
                logs: Mutex::default(),
                flush_requested: Default::default(),
                mode,
            },
            |_| Main::default(),
            &entry,
            &id,
            &info,
        )
        .expect("instantiate");
        let handle = instance.plugin_handle();
        let gui = handle
            .get_extension::<PluginGui>()
            .expect("the bundled example offers the gui extension");
        let timer = handle
            .get_extension::<PluginTimer>()
            .expect("and timer-support");
        let posix_fd = handle
            .get_extension::<PluginPosixFd>()
            .expect("and posix-fd-support");
        let params = handle.get_extension::<PluginParams>().expect("and params");
        Instance {
            instance,
            gui,
            timer,
            posix_fd,
            params,
            mode,
            next_tick: Instant::now(),
            next_block: Instant::now(),
            audio: None,
            phase: 0.0,
            heard: Vec::new(),
            block_rms: Vec::new(),
            fd_wakes: 0,
            opened: Vec::new(),
            scale: 1.0,
        }
    }

    /// `gui.create` (embedded X11) alone: whether the plugin accepted.
    pub fn try_create(&mut self) -> bool {
        let gui = self.gui;
        let x11 = GuiConfiguration {
            api_type: GuiApiType::X11,
            is_floating: false,
        };
        gui.create(&self.instance.plugin_handle(), x11).is_ok()
    }

    /// Creates the GUI (embedded X11), sizes it and embeds it in `parent`.
    pub fn open(&mut self, parent: u32) -> (u32, u32) {
        let gui = self.gui;
        let handle = self.instance.plugin_handle();
        let x11 = GuiConfiguration {
            api_type: GuiApiType::X11,
            is_floating: false,
        };
        assert!(gui.is_api_supported(&handle, x11));
        let mut opened = vec![("gui.create", SystemTime::now())];
        gui.create(&handle, x11).expect("gui.create");
        opened.push(("gui.create returned", SystemTime::now()));
        gui.set_scale(&handle, self.scale).expect("set_scale");
        let size = gui.get_size(&handle).expect("get_size");
        opened.push(("gui.set_parent", SystemTime::now()));
        // SAFETY: `parent` is a window this test created and keeps until after `destroy`.
        unsafe { gui.set_parent(&handle, Window::from_x11_handle(parent.into())) }
            .expect("set_parent");
        opened.push(("gui.set_parent returned", SystemTime::now()));
        gui.show(&handle).expect("show");
        opened.push(("gui.show returned", SystemTime::now()));
        self.opened = opened;
        (size.width, size.height)
    }

    /// `gui.set_scale(scale)` on the open window; the size the plugin then asks for.
    pub fn set_scale(&mut self, scale: f64) -> (u32, u32) {
        let gui = self.gui;
        let handle = self.instance.plugin_handle();
        gui.set_scale(&handle, scale).expect("set_scale");
        self.scale = scale;
        let size = gui.get_size(&handle).expect("get_size");
        (size.width, size.height)
    }

    /// Shows or hides the window.
    pub fn set_visible(&mut self, visible: bool) {
        let gui = self.gui;
        let handle = self.instance.plugin_handle();
        if visible {
            gui.show(&handle).expect("show");
        } else {
            gui.hide(&handle).expect("hide");
        }
    }

    /// What the plugin answers about sizing: can it resize, `adjust_size(w, h)`, and whether
    /// `set_size(w, h)` is accepted.
    pub fn sizing(&mut self, width: u32, height: u32) -> (bool, Option<(u32, u32)>, bool) {
        let gui = self.gui;
        let handle = self.instance.plugin_handle();
        let asked = clack_extensions::gui::GuiSize { width, height };
        (
            gui.can_resize(&handle),
            gui.adjust_size(&handle, asked)
                .map(|size| (size.width, size.height)),
            gui.set_size(&handle, asked).is_ok(),
        )
    }

    /// Destroys the GUI.
    pub fn close(&mut self) {
        let gui = self.gui;
        gui.destroy(&self.instance.plugin_handle());
    }

    /// Activates and starts processing (a sine at 440 Hz, −12 dBFS, on both channels).
    pub fn start_audio(&mut self) {
        let config = PluginAudioConfiguration {
            sample_rate: RATE,
            min_frames_count: 1,
            max_frames_count: BLOCK as u32,
        };
        let stopped = self.instance.activate(|_, _| (), config).expect("activate");
        self.audio = Some(stopped.start_processing().expect("start processing"));
        self.next_block = Instant::now();
    }

    /// One timer tick: every timer of the plugin ticks, a requested flush is honoured (by the
    /// next block when audio runs).
    pub fn tick(&mut self) {
        let timers: Vec<u32> = self
            .instance
            .access_handler(|main| main.timers.borrow().iter().copied().collect());
        for id in timers {
            self.timer
                .on_timer(&self.instance.plugin_handle(), TimerId(id));
        }
        let requested = self.instance.access_shared_handler(|shared| {
            shared
                .flush_requested
                .swap(false, std::sync::atomic::Ordering::SeqCst)
        });
        if self.audio.is_none() && requested {
            let mut out = EventBuffer::new();
            let params = self.params;
            let mut handle = self.instance.inactive_plugin_handle().expect("inactive");
            params.flush(
                &mut handle,
                &InputEvents::empty(),
                &mut OutputEvents::from_buffer(&mut out),
            );
            self.hear(&out);
        }
    }

    /// Sends a host parameter change: in the next block when audio runs, else by flush.
    pub fn host_change(&mut self, id: u32, value: f64) {
        let event = ParamValueEvent::new(0, ClapId::new(id), Pckn::match_all(), value);
        if self.audio.is_some() {
            self.process(&[event]);
        } else {
            let mut out = EventBuffer::new();
            let params = self.params;
            let mut handle = self.instance.inactive_plugin_handle().expect("inactive");
            params.flush(
                &mut handle,
                &InputEvents::from_buffer(&event),
                &mut OutputEvents::from_buffer(&mut out),
            );
        }
    }

    /// Processes every block that is due by `now` in real time (none when audio is stopped).
    fn run_audio(&mut self, now: Instant) {
        while self.audio.is_some() && now >= self.next_block {
            self.process(&[]);
            self.next_block += BLOCK_TIME;
        }
    }

    fn process(&mut self, events: &[ParamValueEvent]) {
        let events = events.to_vec();
        let tone: Vec<f32> = (0..BLOCK)
            .map(|_| {
                let s = 0.25 * (self.phase * std::f32::consts::TAU).sin();
                self.phase = (self.phase + 440.0 / RATE as f32).fract();
                s
            })
            .collect();
        let mut input = [tone.clone(), tone];
        let mut output = vec![vec![0.0f32; BLOCK]; 2];
        let mut input_ports = AudioPorts::with_capacity(2, 1);
        let mut output_ports = AudioPorts::with_capacity(2, 1);
        let input_audio = input_ports.with_input_buffers([AudioPortBuffer {
            latency: 0,
            channels: AudioPortBufferType::f32_input_only(
                input
                    .iter_mut()
                    .map(|b| InputChannel::from_buffer(b, false)),
            ),
        }]);
        let mut output_audio = output_ports.with_output_buffers([AudioPortBuffer {
            latency: 0,
            channels: AudioPortBufferType::f32_output_only(output.iter_mut().map(|b| &mut b[..])),
        }]);
        let mut out = EventBuffer::new();
        self.audio
            .as_mut()
            .expect("audio runs")
            .process(
                &input_audio,
                &mut output_audio,
                &InputEvents::from_buffer(&events),
                &mut OutputEvents::from_buffer(&mut out),
                None,
                None,
            )
            .expect("process");
        self.hear(&out);
        let rms = (output[0].iter().map(|s| s * s).sum::<f32>() / BLOCK as f32).sqrt();
        self.block_rms.push(rms);
    }

    fn hear(&mut self, out: &EventBuffer) {
        for event in out {
            if let Some(e) = event.as_event::<ParamGestureBeginEvent>() {
                self.heard
                    .push(Heard::Begin(e.param_id().map_or(u32::MAX, |id| id.get())));
            } else if let Some(e) = event.as_event::<ParamGestureEndEvent>() {
                self.heard
                    .push(Heard::End(e.param_id().map_or(u32::MAX, |id| id.get())));
            } else if let Some(e) = event.as_event::<ParamValueEvent>() {
                self.heard.push(Heard::Value(
                    e.param_id().map_or(u32::MAX, |id| id.get()),
                    e.value(),
                ));
            }
        }
    }

    /// Every parameter output event the plugin sent so far.
    pub fn heard(&self) -> &[Heard] {
        &self.heard
    }

    /// The CLAP id of the parameter named `name`.
    pub fn param_id(&mut self, name: &str) -> u32 {
        let params = self.params;
        let handle = self.instance.plugin_handle();
        (0..params.count(&handle))
            .find_map(|i| {
                let mut buffer = clack_extensions::params::ParamInfoBuffer::new();
                let info = params.get_info(&handle, i, &mut buffer)?;
                (info.name == name.as_bytes()).then(|| info.id.get())
            })
            .unwrap_or_else(|| panic!("no parameter named {name}"))
    }

    /// The host-visible value of a parameter.
    pub fn value(&mut self, id: u32) -> f64 {
        let params = self.params;
        params
            .get_value(&self.instance.plugin_handle(), ClapId::new(id))
            .expect("value")
    }

    /// Every log line so far with when it arrived.
    pub fn logs(&self) -> Vec<(Instant, String)> {
        self.instance
            .access_shared_handler(|shared| shared.logs.lock().unwrap().clone())
    }

    /// The newest probe report of the page (text and sliders), if any.
    pub fn probe(&self) -> Option<Value> {
        self.logs().iter().rev().find_map(|(_, line)| {
            let json = line.strip_prefix("wavecraft-probe:")?;
            serde_json::from_str(json).ok()
        })
    }

    /// The descriptors the plugin has registered now, and what for.
    pub fn fds(&mut self) -> Vec<(i32, FdFlags)> {
        self.instance
            .access_handler(|main| main.fds.borrow().iter().map(|(f, w)| (*f, *w)).collect())
    }

    /// Tells the plugin its descriptor `fd` is ready for `flags`.
    fn on_fd(&mut self, fd: i32, flags: FdFlags) {
        self.fd_wakes += 1;
        self.posix_fd
            .on_fd(&self.instance.plugin_handle(), fd, flags);
    }

    /// How many timers the plugin has registered now.
    pub fn timers(&mut self) -> usize {
        self.instance
            .access_handler(|main| main.timers.borrow().len())
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        if let Some(audio) = self.audio.take() {
            self.instance.deactivate(audio.stop_processing());
        }
    }
}

/// Runs the host's loop for every instance until `done` holds or `timeout` passes; `true` if
/// it held. Each instance's timers tick at its mode's period; between ticks the loop waits in
/// `poll(2)` on every registered descriptor and calls `on_fd` for each one that is ready.
/// Audio blocks are processed when due. `done` is asked after every round of ticks.
pub fn drive(
    instances: &mut [&mut Instance],
    timeout: Duration,
    mut done: impl FnMut(&mut [&mut Instance]) -> bool,
) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        let now = Instant::now();
        let mut ticked = false;
        for instance in instances.iter_mut() {
            instance.run_audio(now);
            if now >= instance.next_tick {
                instance.tick();
                instance.next_tick = now + instance.mode.tick;
                ticked = true;
            }
        }
        if ticked && done(instances) {
            return true;
        }
        if now > deadline {
            return false;
        }
        let wake_at = instances
            .iter()
            .map(|i| match i.audio {
                Some(_) => i.next_tick.min(i.next_block),
                None => i.next_tick,
            })
            .min()
            .unwrap_or(now)
            .min(deadline);
        for (owner, fd, flags) in wait(instances, wake_at) {
            instances[owner].on_fd(fd, flags);
        }
    }
}

/// Waits until `until` or until a registered descriptor is ready: (instance, fd, what).
fn wait(instances: &mut [&mut Instance], until: Instant) -> Vec<(usize, i32, FdFlags)> {
    use nix::poll::{ppoll, PollFd, PollFlags};
    use std::os::fd::BorrowedFd;
    let watched: Vec<(usize, i32, FdFlags)> = instances
        .iter_mut()
        .enumerate()
        .flat_map(|(owner, i)| i.fds().into_iter().map(move |(fd, w)| (owner, fd, w)))
        .collect();
    let mut polled: Vec<PollFd> = watched
        .iter()
        .map(|(_, fd, wants)| {
            let mut events = PollFlags::empty();
            events.set(PollFlags::POLLIN, wants.contains(FdFlags::READ));
            events.set(PollFlags::POLLOUT, wants.contains(FdFlags::WRITE));
            // SAFETY: the plugin keeps every registered descriptor open until it unregisters it,
            // and it unregisters only on this thread, not during this call.
            PollFd::new(unsafe { BorrowedFd::borrow_raw(*fd) }, events)
        })
        .collect();
    let left = until.saturating_duration_since(Instant::now());
    match ppoll(&mut polled, Some(left.into()), None) {
        Ok(n) if n > 0 => {}
        _ => return Vec::new(),
    }
    watched
        .iter()
        .zip(&polled)
        .filter_map(|((owner, fd, _), p)| {
            let got = p.revents()?;
            let mut flags = FdFlags::empty();
            flags.set(FdFlags::READ, got.contains(PollFlags::POLLIN));
            flags.set(FdFlags::WRITE, got.contains(PollFlags::POLLOUT));
            flags.set(
                FdFlags::ERROR,
                got.intersects(PollFlags::POLLERR | PollFlags::POLLHUP | PollFlags::POLLNVAL),
            );
            (!flags.is_empty()).then_some((*owner, *fd, flags))
        })
        .collect()
}
