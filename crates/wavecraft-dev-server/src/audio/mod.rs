//! The audio runtime of the dev server: runs the loaded engine's DSP on a real
//! device or, when there is none, on a paced virtual device; swaps rebuilt
//! engines in with a crossfade; reports faults and meters. `wavecraft start`
//! runs it inside the engine host process ([`crate::engine_host`]), with its
//! meters and progress counters in the mapping the dev server reads.
//!
//! Read it top-down: [`AudioRuntime`] (this file) is the whole public face.
//! It holds what the runtime reports (`Reports`: status, meters, progress,
//! readable without a lock), the control side behind one mutex
//! (`control.rs`: opening the backend, starting engines, collecting the ones
//! the audio thread hands back, replacing a failed device), and a janitor
//! thread that does the collecting and the replacing every [`JANITOR_PERIOD`].
//! Below that: `backend.rs` (a running device or virtual device and its two
//! rings), the backends themselves side by side (`device.rs`: cpal;
//! `virtual_device.rs`: the paced clock), and the per-block work
//! (`processing.rs`). The control side never touches the audio thread's data
//! except through rtrb rings and atomics, and never drops an engine on the
//! audio thread.

mod backend;
mod control;
mod device;
mod frame_ring;
mod live_input;
mod processing;
mod recorder;
mod signal;
mod virtual_device;

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{mpsc, Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use sync_wrapper::SyncWrapper;
use tokio::sync::watch;
use wavecraft_bridge::ParameterValueHandle;
use wavecraft_engine_abi::MAX_CHANNELS;
use wavecraft_engine_loader::{spawn_engine_thread, EngineLibrary, LoadError};
use wavecraft_protocol::status::{AudioStatus, MeterUpdate};

use control::Control;
pub(crate) use processing::Progress;
use signal::Signal;
use virtual_device::VirtualDevice;
pub(crate) use wavecraft_bridge::{take_levels, ChannelCells, MeterBank, ReportMemory};

pub use processing::CROSSFADE_MS;
pub use recorder::RecordError;
pub use signal::{db_to_gain, InputError, InputSource};
pub use virtual_device::MAX_LAG;

/// How often the janitor drops retired engines and checks for faults.
pub const JANITOR_PERIOD: Duration = Duration::from_millis(20);

/// The status message when Auto finds no usable device: none listed, or the listed default
/// is not there (ALSA lists a "default" PCM even without a sound card).
pub const NO_DEVICE_MESSAGE: &str =
    "no audio device found; running the virtual device (real-time paced)";

/// Added to the status message when live input was asked for but the virtual device runs.
pub const NO_LIVE_INPUT_NOTE: &str = "live input needs an audio device: playing the test signal";

/// Which backend to run (`--audio`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum BackendChoice {
    /// The device when one exists and opens, else the virtual device.
    #[default]
    Auto,
    /// The device; still falls back to the virtual device if it cannot be opened.
    Device,
    /// The virtual device.
    Virtual,
    /// No audio.
    Off,
}

/// How the virtual device keeps time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum VirtualPacing {
    /// A thread runs one block per block period of wall-clock time.
    #[default]
    RealTime,
    /// No thread: the owner runs blocks with [`AudioRuntime::step`] (tests; deterministic).
    Manual,
}

/// How to start the audio (sent to the engine host process as JSON).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AudioConfig {
    /// Which backend.
    pub backend: BackendChoice,
    /// An output device by name (`--device`); `None` is the default device.
    pub device_name: Option<String>,
    /// Sample rate in Hz.
    pub sample_rate: u32,
    /// Largest block in frames (the virtual device always runs full blocks).
    pub block_size: u32,
    /// Output channels (1 to 8).
    pub channels: u16,
    /// What the DSP is fed.
    pub input: InputSource,
    /// Feed the DSP from the default input device instead (device backend only; the
    /// virtual device, or a missing input, plays `input` and says so).
    pub live_input: bool,
    /// Write the virtual device's output to this WAV file.
    pub record: Option<PathBuf>,
    /// How the virtual device keeps time.
    pub pacing: VirtualPacing,
}

impl Default for AudioConfig {
    fn default() -> Self {
        AudioConfig {
            backend: BackendChoice::Auto,
            device_name: None,
            sample_rate: 48_000,
            block_size: 256,
            channels: 2,
            input: InputSource::default(),
            live_input: false,
            record: None,
            pacing: VirtualPacing::RealTime,
        }
    }
}

/// Why the audio runtime refused something.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    /// The configuration cannot run.
    #[error("invalid audio configuration: {0}")]
    Config(String),
    /// The input WAV is unusable.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The recording could not start.
    #[error(transparent)]
    Record(#[from] RecordError),
    /// A thread could not be started.
    #[error("could not start an audio thread: {0}")]
    Thread(#[from] std::io::Error),
    /// The engine could not be instantiated or prepared.
    #[error(transparent)]
    Engine(#[from] LoadError),
    /// The engine panicked while being given its values.
    #[error("the engine panicked while applying parameter values: {0}")]
    Apply(String),
    /// The value handles do not match the engine's parameter list.
    #[error("the engine has {expected} parameters but {got} value handles were given")]
    ParameterCount {
        /// The engine's parameter count.
        expected: usize,
        /// Handles given.
        got: usize,
    },
    /// The audio thread has not taken the engines already handed to it.
    #[error("the audio thread has not taken the previous engines yet; try again")]
    Busy,
    /// [`AudioRuntime::step`] on a runtime that is not manually paced.
    #[error("step() needs a virtual device with manual pacing")]
    NotManual,
}

/// What the runtime reports: the status (written by the control side), meters and progress
/// (written by the audio thread). Anyone reads them without the control lock.
struct Reports {
    status: watch::Sender<AudioStatus>,
    meters: Arc<MeterBank>,
    progress: ReportMemory<Progress>,
}

/// Where a runtime's meters and progress counters live.
pub(crate) struct ReportPlacement {
    /// The meter cells, one per output channel.
    pub(crate) meters: MeterBank,
    /// The progress counters.
    pub(crate) progress: ReportMemory<Progress>,
}

/// What every backend of one runtime is built from.
struct Sources {
    config: AudioConfig,
    signal: Signal,
    reports: Arc<Reports>,
}

/// The janitor thread; dropping it stops and joins the thread.
struct Janitor {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Janitor {
    /// Every [`JANITOR_PERIOD`]: drop the engines the audio thread handed back, then replace a
    /// failed device. Both run the author's code (drops, a reload): an engine thread.
    fn start(control: Arc<Mutex<Control>>) -> std::io::Result<Janitor> {
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = spawn_engine_thread("wavecraft-audio-janitor", move || {
            while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(JANITOR_PERIOD) {
                let mut control = lock(&control);
                control.collect_retired();
                control.recover_lost_device();
            }
        })?;
        Ok(Janitor {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Janitor {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn lock(control: &Mutex<Control>) -> MutexGuard<'_, Control> {
    control.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The running audio: backend, engine hand-over, status and meters.
pub struct AudioRuntime {
    // Field order is drop order: the janitor stops, then a manually paced device (and the
    // engines in it), then the control side (its backend's audio thread first).
    _janitor: Option<Janitor>,
    /// The manually paced virtual device; only `step` (`&mut self`) reaches it.
    manual: Option<SyncWrapper<VirtualDevice>>,
    control: Arc<Mutex<Control>>,
    reports: Arc<Reports>,
}

impl std::fmt::Debug for AudioRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AudioRuntime")
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}

fn check(config: &AudioConfig) -> Result<(), AudioError> {
    if !(8_000..=384_000).contains(&config.sample_rate) {
        return Err(AudioError::Config(format!(
            "sample rate {} Hz is outside 8000..=384000",
            config.sample_rate
        )));
    }
    if !(1..=8_192).contains(&config.block_size) {
        return Err(AudioError::Config(format!(
            "block size {} is outside 1..=8192",
            config.block_size
        )));
    }
    if config.channels == 0 || usize::from(config.channels) > MAX_CHANNELS {
        return Err(AudioError::Config(format!(
            "{} channels; 1 to {MAX_CHANNELS} are supported",
            config.channels
        )));
    }
    if config.pacing == VirtualPacing::Manual && config.backend != BackendChoice::Virtual {
        // A device, or the virtual device replacing a failed one, must keep time by itself.
        return Err(AudioError::Config(
            "manual pacing steps the virtual device: choose the virtual backend".into(),
        ));
    }
    Ok(())
}

impl AudioRuntime {
    /// Starts the backend `config` asks for. No audio device is never an error.
    pub fn start(config: AudioConfig) -> Result<AudioRuntime, AudioError> {
        let placement = ReportPlacement {
            meters: MeterBank::new(usize::from(config.channels)),
            progress: ReportMemory::Heap(Arc::new(Progress::default())),
        };
        Self::start_reporting_to(config, placement)
    }

    /// [`start`](Self::start), with the meters and progress counters where `placement` says.
    pub(crate) fn start_reporting_to(
        config: AudioConfig,
        placement: ReportPlacement,
    ) -> Result<AudioRuntime, AudioError> {
        check(&config)?;
        let signal = Signal::new(&config.input, config.sample_rate)?;
        let reports = Arc::new(Reports {
            status: watch::channel(AudioStatus::default()).0,
            meters: Arc::new(placement.meters),
            progress: placement.progress,
        });
        let audio_on = config.backend != BackendChoice::Off;
        let sources = Sources {
            config,
            signal,
            reports: Arc::clone(&reports),
        };
        let (control, manual) = Control::open(sources)?;
        let control = Arc::new(Mutex::new(control));
        let janitor = if audio_on {
            Some(Janitor::start(Arc::clone(&control))?)
        } else {
            None
        };
        Ok(AudioRuntime {
            _janitor: janitor,
            manual: manual.map(SyncWrapper::new),
            control,
            reports,
        })
    }

    fn control(&self) -> MutexGuard<'_, Control> {
        lock(&self.control)
    }

    /// Starts a rebuilt engine without changing anything until it runs: instantiates and
    /// prepares `library` off the audio thread with `initial` (parameter `i` of its metadata),
    /// then — only if that worked and the audio thread can take it — calls `install` (which
    /// installs the engine's parameter list and returns its value handles) and hands the engine
    /// to the audio thread, which crossfades to it on its next block. On an error `install` was
    /// never called and the previous engine plays on. With the backend off, only `install` runs.
    pub fn start_engine<T>(
        &self,
        library: Arc<EngineLibrary>,
        initial: &[f64],
        install: impl FnOnce() -> (T, Vec<ParameterValueHandle>),
    ) -> Result<T, AudioError> {
        self.control().start_engine(library, initial, install)
    }

    /// Instantiates `library` off the audio thread with every current value (`values[i]` is
    /// parameter `i` of its metadata) and hands it to the audio thread, which crossfades to it.
    /// Also recovers from a fault. With the backend off it does nothing.
    pub fn load(
        &self,
        library: Arc<EngineLibrary>,
        values: Vec<ParameterValueHandle>,
    ) -> Result<(), AudioError> {
        self.control().load(library, values)
    }

    /// Drops engines the audio thread handed back, turns faults into status, and replaces a
    /// failed device: the janitor's work, which it does every [`JANITOR_PERIOD`]; calling it
    /// more often is harmless.
    pub fn collect_garbage(&self) {
        let mut control = self.control();
        control.collect_retired();
        control.recover_lost_device();
    }

    /// The current status.
    pub fn status(&self) -> AudioStatus {
        self.reports.status.borrow().clone()
    }

    /// A receiver that sees every status change.
    pub fn subscribe(&self) -> watch::Receiver<AudioStatus> {
        self.reports.status.subscribe()
    }

    /// Peak and RMS per output channel since the last call (linear; 1.0 = 0 dBFS), and resets them.
    pub fn take_meters(&self) -> MeterUpdate {
        self.reports.meters.take()
    }

    /// Blocks the audio thread has processed since start.
    pub fn blocks_processed(&self) -> u64 {
        self.reports.progress.blocks.load(Ordering::Relaxed)
    }

    /// True once the audio thread plays (fades to) the engine of the latest `load`.
    pub fn latest_engine_playing(&self) -> bool {
        let generation = self.control().generation();
        generation > 0 && self.reports.progress.adopted.load(Ordering::Acquire) == generation
    }

    /// Runs one block of a manually paced virtual device and returns its interleaved output.
    pub fn step(&mut self) -> Result<&[f32], AudioError> {
        match self.manual.as_mut() {
            Some(device) => Ok(device.get_mut().step()),
            None => Err(AudioError::NotManual),
        }
    }
}
