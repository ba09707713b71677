//! A running backend: the audio device (cpal) or the paced virtual device,
//! and the control side's ends of the two rings to its audio thread —
//! engines in, retired engines back. Opening one builds the audio core it
//! runs; dropping one stops its audio thread first, then the rings go with
//! whatever they still hold.

use std::sync::mpsc;

use rtrb::{Consumer, Producer, RingBuffer};
use wavecraft_protocol::status::{AudioBackend, AudioState, AudioStatus};

use super::device::{self, DeviceStream};
use super::processing::{AudioCore, Engine, Retired};
use super::recorder::Recorder;
use super::virtual_device::{VirtualClock, VirtualDevice};
use super::{AudioError, Sources, VirtualPacing, NO_LIVE_INPUT_NOTE};

/// Engines in flight to the audio thread before a hand-over must wait.
const ARRIVAL_SLOTS: usize = 4;
/// Retired engines the control side may lag behind by.
const RETURN_SLOTS: usize = 16;

/// What runs the audio thread; held for its `Drop`, which stops and joins that thread.
enum Runner {
    Device {
        _stream: DeviceStream,
    },
    Virtual {
        _clock: VirtualClock,
    },
    /// The virtual device lives with the runtime's owner, who steps it.
    Manual,
}

/// A running backend with the control side's ends of its rings.
pub(super) struct Backend {
    // Field order is drop order: the audio thread stops before its rings go.
    _runner: Runner,
    arrivals: Producer<Engine>,
    returns: Consumer<Retired>,
    /// Stream errors cpal reports for the device (a device unplugged).
    device_errors: Option<mpsc::Receiver<String>>,
}

/// The core a backend runs, and the control side's ends of its rings.
fn core(sources: &Sources) -> (AudioCore, Producer<Engine>, Consumer<Retired>) {
    let config = &sources.config;
    let (arrivals, arrivals_rx) = RingBuffer::new(ARRIVAL_SLOTS);
    let (returns_tx, returns) = RingBuffer::new(RETURN_SLOTS);
    let core = AudioCore::new(
        config.sample_rate,
        config.block_size as usize,
        usize::from(config.channels),
        arrivals_rx,
        returns_tx,
        sources.reports.meters.clone(),
        sources.reports.progress.clone(),
    );
    (core, arrivals, returns)
}

impl Backend {
    /// Opens the audio device; `Err` says why it is unusable.
    pub(super) fn open_device(
        sources: &Sources,
    ) -> Result<(Backend, AudioStatus), device::Unusable> {
        let config = &sources.config;
        let (core, arrivals, returns) = core(sources);
        let (errors_tx, errors_rx) = mpsc::channel();
        let request = device::DeviceRequest {
            name: config.device_name.clone(),
            sample_rate: config.sample_rate,
            channels: config.channels,
            live_input: config.live_input,
        };
        let stream = device::open(request, core, sources.signal.clone(), errors_tx)?;
        let status = AudioStatus {
            backend: AudioBackend::Device,
            state: AudioState::Running,
            sample_rate: Some(config.sample_rate),
            block_size: Some(config.block_size),
            device_name: Some(stream.name.clone()),
            message: stream.input_note.clone(),
            crash: None,
        };
        let backend = Backend {
            _runner: Runner::Device { _stream: stream },
            arrivals,
            returns,
            device_errors: Some(errors_rx),
        };
        Ok((backend, status))
    }

    /// Runs the virtual device (`why` says why, when it replaces a device), recording into
    /// `recorder` when the configuration asks for a recording and none runs yet. Returns its
    /// status (with the live-input note when live input was asked for) and, when manually
    /// paced, the device itself for the owner to step.
    pub(super) fn open_virtual(
        sources: &Sources,
        recorder: &mut Option<Recorder>,
        why: Option<String>,
    ) -> Result<(Backend, AudioStatus, Option<VirtualDevice>), AudioError> {
        let config = &sources.config;
        let (core, arrivals, returns) = core(sources);
        let tap = match &config.record {
            Some(path) if recorder.is_none() => {
                let (started, tap) = Recorder::start(path, config.sample_rate, config.channels)?;
                *recorder = Some(started);
                Some(tap)
            }
            _ => None,
        };
        let device = VirtualDevice::new(
            core,
            sources.signal.clone(),
            usize::from(config.channels),
            tap,
        );
        let (runner, manual) = match config.pacing {
            VirtualPacing::Manual => (Runner::Manual, Some(device)),
            VirtualPacing::RealTime => (
                Runner::Virtual {
                    _clock: VirtualClock::start(device, config.sample_rate)?,
                },
                None,
            ),
        };
        let message = match (why, config.live_input) {
            (Some(why), true) => Some(format!("{why}; {NO_LIVE_INPUT_NOTE}")),
            (None, true) => Some(NO_LIVE_INPUT_NOTE.to_owned()),
            (why, false) => why,
        };
        let status = AudioStatus {
            backend: AudioBackend::Virtual,
            state: AudioState::Running,
            sample_rate: Some(config.sample_rate),
            block_size: Some(config.block_size),
            device_name: None,
            message,
            crash: None,
        };
        let backend = Backend {
            _runner: runner,
            arrivals,
            returns,
            device_errors: None,
        };
        Ok((backend, status, manual))
    }

    /// True when the audio thread can take another engine now.
    pub(super) fn has_room(&self) -> bool {
        self.arrivals.slots() > 0
    }

    /// Hands `engine` to the audio thread; gives it back when the ring is full.
    pub(super) fn hand_over(&mut self, engine: Engine) -> Result<(), Engine> {
        self.arrivals
            .push(engine)
            .map_err(|rtrb::PushError::Full(engine)| engine)
    }

    /// The next engine the audio thread handed back, if any.
    pub(super) fn next_retired(&mut self) -> Option<Retired> {
        self.returns.pop().ok()
    }

    /// Why the device stopped working, once cpal has said so.
    pub(super) fn lost_device(&self) -> Option<String> {
        self.device_errors.as_ref()?.try_recv().ok()
    }

    /// Listens to `errors` as if cpal's error callback fed them (tests: no hardware here).
    #[cfg(test)]
    pub(super) fn listen_to_device_errors(&mut self, errors: mpsc::Receiver<String>) {
        self.device_errors = Some(errors);
    }
}
