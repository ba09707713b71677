//! The control side of the audio runtime: the backend that runs, the
//! producer end of the engine hand-over, the consumer end of the return ring,
//! and the status. Everything here runs off the audio thread, under one mutex
//! that the audio thread never touches: instantiating and preparing engines,
//! dropping the ones that come back (library last), turning faults into
//! status, and falling back to the virtual device when the device fails.

use std::sync::{mpsc, Arc, Mutex, PoisonError};

use rtrb::{Consumer, Producer, RingBuffer};
use tokio::sync::watch;
use wavecraft_bridge::{EngineFault, EngineLibrary, ParameterValueHandle};
use wavecraft_protocol::status::{AudioBackend, AudioState, AudioStatus};

use super::device::{self, DeviceStream};
use super::meters::MeterBank;
use super::processing::{AudioCore, Engine, Progress, Retired};
use super::recorder::Recorder;
use super::signal::Signal;
use super::virtual_device::{VirtualClock, VirtualDevice};
use super::{AudioConfig, AudioError, VirtualPacing, NO_LIVE_INPUT_NOTE};

/// Engines in flight to the audio thread before `load` answers [`AudioError::Busy`].
const ARRIVAL_SLOTS: usize = 4;
/// Retired engines the control side may lag behind by.
const RETURN_SLOTS: usize = 16;

/// The running backend; its handle is held for its `Drop`, which stops and joins the audio thread.
pub(super) enum Backend {
    Device {
        _stream: DeviceStream,
    },
    Virtual {
        _clock: VirtualClock,
    },
    /// The device lives in the runtime, stepped by its owner.
    Manual,
    Off,
}

pub(super) struct Control {
    // Field order is drop order: the backend (and its audio thread) stops first.
    pub(super) backend: Backend,
    pub(super) arrivals: Option<Producer<Engine>>,
    pub(super) returns: Option<Consumer<Retired>>,
    pub(super) device_errors: Option<mpsc::Receiver<String>>,
    pub(super) recorder: Option<Recorder>,
    pub(super) generation: u64,
    /// The status message of the backend itself (e.g. why it is virtual), restored on recovery.
    pub(super) base_message: Option<String>,
    pub(super) last: Option<(Arc<EngineLibrary>, Vec<ParameterValueHandle>)>,
}

pub(super) struct Shared {
    pub(super) config: AudioConfig,
    pub(super) signal: Signal,
    pub(super) status: watch::Sender<AudioStatus>,
    pub(super) meters: Arc<MeterBank>,
    pub(super) progress: Arc<Progress>,
    pub(super) control: Mutex<Control>,
}

struct Pipeline {
    core: AudioCore,
    arrivals: Producer<Engine>,
    returns: Consumer<Retired>,
}

fn pipeline(
    shared_cfg: &AudioConfig,
    meters: &Arc<MeterBank>,
    progress: &Arc<Progress>,
) -> Pipeline {
    let (arrivals, arrivals_rx) = RingBuffer::new(ARRIVAL_SLOTS);
    let (returns_tx, returns) = RingBuffer::new(RETURN_SLOTS);
    let core = AudioCore::new(
        shared_cfg.sample_rate,
        shared_cfg.block_size as usize,
        usize::from(shared_cfg.channels),
        arrivals_rx,
        returns_tx,
        Arc::clone(meters),
        Arc::clone(progress),
    );
    Pipeline {
        core,
        arrivals,
        returns,
    }
}

impl Shared {
    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, Control> {
        self.control.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs the virtual device (`message` says why, when it replaces a device) and returns its
    /// status, with the live-input note when live input was asked for, and the device itself
    /// when manually paced.
    pub(super) fn run_virtual(
        &self,
        control: &mut Control,
        message: Option<String>,
    ) -> Result<(AudioStatus, Option<VirtualDevice>), AudioError> {
        let manual = self.start_virtual(control)?;
        let message = match (message, self.config.live_input) {
            (Some(why), true) => Some(format!("{why}; {NO_LIVE_INPUT_NOTE}")),
            (None, true) => Some(NO_LIVE_INPUT_NOTE.to_owned()),
            (message, false) => message,
        };
        let status = AudioStatus {
            backend: AudioBackend::Virtual,
            state: AudioState::Running,
            sample_rate: Some(self.config.sample_rate),
            block_size: Some(self.config.block_size),
            device_name: None,
            message,
        };
        Ok((status, manual))
    }

    /// Starts the virtual device; returns it when manually paced.
    pub(super) fn start_virtual(
        &self,
        control: &mut Control,
    ) -> Result<Option<VirtualDevice>, AudioError> {
        let p = pipeline(&self.config, &self.meters, &self.progress);
        let tap = match &self.config.record {
            Some(path) if control.recorder.is_none() => {
                let (recorder, tap) =
                    Recorder::start(path, self.config.sample_rate, self.config.channels)?;
                control.recorder = Some(recorder);
                Some(tap)
            }
            _ => None,
        };
        let device = VirtualDevice::new(
            p.core,
            self.signal.clone(),
            usize::from(self.config.channels),
            tap,
        );
        control.arrivals = Some(p.arrivals);
        control.returns = Some(p.returns);
        match self.config.pacing {
            VirtualPacing::Manual => {
                control.backend = Backend::Manual;
                Ok(Some(device))
            }
            VirtualPacing::RealTime => {
                control.backend = Backend::Virtual {
                    _clock: VirtualClock::start(device, self.config.sample_rate)?,
                };
                Ok(None)
            }
        }
    }

    /// Opens the device; `Err` says why it is unusable.
    pub(super) fn start_device(
        &self,
        control: &mut Control,
    ) -> Result<AudioStatus, device::Unusable> {
        let p = pipeline(&self.config, &self.meters, &self.progress);
        let (errors_tx, errors_rx) = mpsc::channel();
        let request = device::DeviceRequest {
            name: self.config.device_name.clone(),
            sample_rate: self.config.sample_rate,
            channels: self.config.channels,
            live_input: self.config.live_input,
        };
        let stream = device::open(request, p.core, self.signal.clone(), errors_tx)?;
        let status = AudioStatus {
            backend: AudioBackend::Device,
            state: AudioState::Running,
            sample_rate: Some(self.config.sample_rate),
            block_size: Some(self.config.block_size),
            device_name: Some(stream.name.clone()),
            message: stream.input_note.clone(),
        };
        control.backend = Backend::Device { _stream: stream };
        control.arrivals = Some(p.arrivals);
        control.returns = Some(p.returns);
        control.device_errors = Some(errors_rx);
        Ok(status)
    }

    /// Plays `library` with the values its handles hold now (the fall-back's reload).
    pub(super) fn load(
        &self,
        control: &mut Control,
        library: Arc<EngineLibrary>,
        values: Vec<ParameterValueHandle>,
    ) -> Result<(), AudioError> {
        let initial: Vec<f64> = values.iter().map(ParameterValueHandle::get).collect();
        self.start(control, library, &initial, || ((), values))
    }

    /// Instantiates and prepares `library` off the audio thread, gives it `initial` (parameter
    /// `i` of its metadata) with its smoothers at those values, and only when that worked and
    /// the audio thread has room for it calls `install` for the handles it reads from then on,
    /// and hands it over. On an error `install` was not called: nothing changed.
    pub(super) fn start<T>(
        &self,
        control: &mut Control,
        library: Arc<EngineLibrary>,
        initial: &[f64],
        install: impl FnOnce() -> (T, Vec<ParameterValueHandle>),
    ) -> Result<T, AudioError> {
        let expected = library.metadata().parameters.len();
        if initial.len() != expected {
            return Err(AudioError::ParameterCount {
                expected,
                got: initial.len(),
            });
        }
        let Some(arrivals) = control.arrivals.as_mut() else {
            return Ok(install().0);
        };
        let cfg = &self.config;
        let mut instance = library.instantiate(
            f64::from(cfg.sample_rate),
            cfg.block_size,
            u32::from(cfg.channels),
        )?;
        // Values set before the engine's first block apply at once, smoothers included: the
        // new engine starts at the kept values instead of gliding from its defaults.
        for (i, &v) in initial.iter().enumerate() {
            if instance.set_value(i, v) == Err(EngineFault::Panicked) {
                return Err(AudioError::Apply(instance.last_error()));
            }
        }
        // Only this function pushes, under the control lock: a free slot now is free at the push.
        if arrivals.slots() == 0 {
            return Err(AudioError::Busy);
        }
        let (installed, handles) = install();
        if handles.len() != expected {
            return Err(AudioError::ParameterCount {
                expected,
                got: handles.len(),
            });
        }
        let generation = control.generation + 1;
        let engine = Engine {
            instance,
            handles: handles.clone(),
            applied: initial.to_vec(),
            generation,
        };
        // On `Full` the engine comes back in the error and is dropped here, off the audio thread.
        arrivals.push(engine).map_err(|_| AudioError::Busy)?;
        control.generation = generation;
        control.last = Some((library, handles));
        let message = control.base_message.clone();
        self.status.send_if_modified(|s| {
            let changed = s.state != AudioState::Running || s.message != message;
            s.state = AudioState::Running;
            s.message = message;
            changed
        });
        Ok(installed)
    }

    pub(super) fn collect(&self, control: &mut Control) {
        if let Some(returns) = control.returns.as_mut() {
            while let Ok(retired) = returns.pop() {
                if retired.faulted && retired.engine.generation == control.generation {
                    let message = format!(
                        "the engine's DSP faulted and is silenced until the next good build: {}",
                        retired.engine.instance.last_error()
                    );
                    self.status.send_modify(|s| {
                        s.state = AudioState::Faulted;
                        s.message = Some(message);
                    });
                }
                // The instance goes first and takes its library's last reference with it.
                drop(retired);
            }
        }
        let lost = control
            .device_errors
            .as_ref()
            .and_then(|errors| errors.try_recv().ok());
        if let Some(error) = lost {
            self.fall_back(control, &error);
        }
    }

    /// The device failed: stop it, run the virtual device, and reload the last engine there.
    fn fall_back(&self, control: &mut Control, error: &str) {
        control.backend = Backend::Off;
        control.device_errors = None;
        control.arrivals = None;
        control.returns = None;
        let message =
            format!("audio device failed ({error}); running the virtual device (real-time paced)");
        // Only the virtual backend is manually paced (`check`), so no device comes back here.
        let status = match self.run_virtual(control, Some(message.clone())) {
            Ok((status, _)) => status,
            Err(e) => AudioStatus {
                state: AudioState::Faulted,
                message: Some(format!(
                    "audio device failed ({error}) and the virtual device did not start: {e}"
                )),
                ..AudioStatus::default()
            },
        };
        control.base_message = status.message.clone();
        self.status.send_replace(status);
        if let Some((library, values)) = control.last.take() {
            if let Err(e) = self.load(control, library, values) {
                self.status.send_modify(|s| {
                    s.state = AudioState::Faulted;
                    s.message = Some(format!("{message}; reloading the engine failed: {e}"));
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{mpsc, Arc};
    use std::time::{Duration, Instant};

    use wavecraft_bridge::{EngineLibrary, InMemoryParameterHost};
    use wavecraft_protocol::status::{AudioBackend, AudioState};

    use super::super::{AudioConfig, AudioRuntime, BackendChoice, InputSource};

    fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !done() {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// What happens when cpal reports a stream error (a device unplugged): the
    /// runtime stops that backend, runs the virtual device, says why, and plays
    /// the engine that was playing. The error is injected on the channel cpal's
    /// error callback feeds; the callback itself needs audio hardware.
    #[test]
    fn a_failed_device_falls_back_to_the_virtual_device_with_the_engine_reloaded() {
        let runtime = AudioRuntime::start(AudioConfig {
            backend: BackendChoice::Virtual,
            input: InputSource::Sine {
                hz: 1_000.0,
                level_db: -6.0,
            },
            ..AudioConfig::default()
        })
        .unwrap();
        let library =
            EngineLibrary::load(wavecraft_test_support::workspace_engine("example-plugin"))
                .unwrap();
        let parameters = library.metadata().parameters.clone();
        let host = InMemoryParameterHost::new(parameters.clone()).unwrap();
        let handles = parameters
            .iter()
            .map(|p| host.value_handle(&p.id).unwrap())
            .collect();
        runtime.load(Arc::clone(&library), handles).unwrap();
        wait_for("the engine to play", || runtime.latest_engine_playing());

        let (errors, lost) = mpsc::channel();
        runtime.shared.lock().device_errors = Some(lost);
        errors
            .send("The requested device is no longer available".to_owned())
            .unwrap();
        // Whoever collects first (this call or the janitor) falls back under the lock.
        runtime.collect_garbage();

        let status = runtime.status();
        assert_eq!(status.backend, AudioBackend::Virtual, "{status:?}");
        assert_eq!(status.state, AudioState::Running, "{status:?}");
        assert_eq!(
            status.message.as_deref(),
            Some(
                "audio device failed (The requested device is no longer available); \
                 running the virtual device (real-time paced)"
            )
        );
        assert!(runtime.shared.lock().device_errors.is_none());
        // The same library plays again as a new instance on the new device.
        assert_eq!(runtime.shared.lock().generation, 2);
        wait_for("the reloaded engine to play", || {
            runtime.latest_engine_playing()
        });
        let blocks = runtime.blocks_processed();
        wait_for("the virtual device to keep running", || {
            runtime.blocks_processed() >= blocks + 10
        });
        // Meter a 100 ms window of the new device's output: the example at its defaults is
        // transparent, so the -6 dBFS sine reads -6 dB.
        runtime.take_meters();
        std::thread::sleep(Duration::from_millis(100));
        let meters = runtime.take_meters();
        assert_eq!(meters.channels.len(), 2);
        for channel in &meters.channels {
            let peak_db = 20.0 * channel.peak.log10();
            assert!((peak_db + 6.0).abs() < 0.1, "peak {peak_db:.2} dBFS");
        }
    }
}
