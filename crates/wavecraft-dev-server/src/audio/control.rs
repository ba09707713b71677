//! The control side of the audio runtime: everything off the audio thread,
//! under one mutex the audio thread never touches. It opens the backend
//! `--audio` asks for, starts engines (instantiate, prepare and give values
//! here; then hand over), drops the engines the audio thread hands back
//! (library last) and turns their faults into status, and replaces a failed
//! device with the virtual device, playing the last engine again.

use std::sync::Arc;

use wavecraft_bridge::ParameterValueHandle;
use wavecraft_engine_loader::{EngineFault, EngineLibrary};
use wavecraft_protocol::status::{AudioState, AudioStatus};

use super::backend::Backend;
use super::processing::Engine;
use super::recorder::Recorder;
use super::virtual_device::VirtualDevice;
use super::{AudioError, BackendChoice, Sources, NO_DEVICE_MESSAGE};

/// The control side's state. See the module docs.
pub(super) struct Control {
    // Field order is drop order: the backend (and its audio thread) stops first.
    /// `None` with the audio off.
    backend: Option<Backend>,
    recorder: Option<Recorder>,
    sources: Sources,
    /// Generation of the newest engine handed over (0: none yet).
    generation: u64,
    /// The status message of the backend itself (e.g. why it is virtual), restored when an
    /// engine starts after a fault.
    base_message: Option<String>,
    /// The newest engine's library and value handles, played again after a device failure.
    last: Option<(Arc<EngineLibrary>, Vec<ParameterValueHandle>)>,
}

impl Control {
    /// Opens the backend `sources.config` asks for (no audio device is never an error: the
    /// virtual device runs instead) and publishes its status. Returns the manually paced
    /// virtual device, when that is what runs, for the runtime's owner to step.
    pub(super) fn open(sources: Sources) -> Result<(Control, Option<VirtualDevice>), AudioError> {
        let mut recorder = None;
        let config = &sources.config;
        let (backend, status, manual) = match config.backend {
            BackendChoice::Off => {
                let status = AudioStatus {
                    message: Some("audio is off".into()),
                    ..AudioStatus::default()
                };
                (None, status, None)
            }
            BackendChoice::Virtual => {
                let (backend, status, manual) =
                    Backend::open_virtual(&sources, &mut recorder, None)?;
                (Some(backend), status, manual)
            }
            BackendChoice::Auto | BackendChoice::Device => {
                match Backend::open_device(&sources) {
                    Ok((backend, status)) => (Some(backend), status, None),
                    Err(unusable) => {
                        let why = if config.backend == BackendChoice::Auto && unusable.absent {
                            NO_DEVICE_MESSAGE.to_string()
                        } else {
                            format!(
                                "{}; running the virtual device (real-time paced)",
                                unusable.reason
                            )
                        };
                        // Device backends are real-time (`check`): no manual device comes back.
                        let (backend, status, _) =
                            Backend::open_virtual(&sources, &mut recorder, Some(why))?;
                        (Some(backend), status, None)
                    }
                }
            }
        };
        let control = Control {
            backend,
            recorder,
            base_message: status.message.clone(),
            sources,
            generation: 0,
            last: None,
        };
        control.sources.reports.status.send_replace(status);
        Ok((control, manual))
    }

    /// Generation of the newest engine handed over (0: none yet).
    pub(super) fn generation(&self) -> u64 {
        self.generation
    }

    /// Instantiates and prepares `library`, gives it `initial` (parameter `i` of its
    /// metadata), and only when that worked and the audio thread has room for it calls
    /// `install` for the handles it reads from then on, and hands it over. On an error
    /// `install` was not called: nothing changed. With the audio off, only `install` runs.
    pub(super) fn start_engine<T>(
        &mut self,
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
        let Some(backend) = self.backend.as_mut() else {
            return Ok(install().0);
        };
        let config = &self.sources.config;
        let mut instance = library.instantiate(
            f64::from(config.sample_rate),
            config.block_size,
            u32::from(config.channels),
        )?;
        // Values set before the engine's first block apply at once, smoothers included: the
        // new engine starts at the kept values instead of gliding from its defaults.
        for (i, &v) in initial.iter().enumerate() {
            if instance.set_value(i, v) == Err(EngineFault::Panicked) {
                return Err(AudioError::Apply(instance.last_error()));
            }
        }
        // Only this function hands over, under the control lock: room now is room below.
        if !backend.has_room() {
            return Err(AudioError::Busy);
        }
        let (installed, handles) = install();
        if handles.len() != expected {
            return Err(AudioError::ParameterCount {
                expected,
                got: handles.len(),
            });
        }
        let generation = self.generation + 1;
        let engine = Engine {
            instance,
            handles: handles.clone(),
            applied: initial.to_vec(),
            generation,
        };
        // A full ring gives the engine back; it is dropped here, off the audio thread.
        backend
            .hand_over(engine)
            .map_err(|_full| AudioError::Busy)?;
        self.generation = generation;
        self.last = Some((library, handles));
        let message = self.base_message.clone();
        self.sources.reports.status.send_if_modified(|s| {
            let changed = s.state != AudioState::Running || s.message != message;
            s.state = AudioState::Running;
            s.message = message;
            changed
        });
        Ok(installed)
    }

    /// Plays `library` with the values its handles hold now.
    pub(super) fn load(
        &mut self,
        library: Arc<EngineLibrary>,
        values: Vec<ParameterValueHandle>,
    ) -> Result<(), AudioError> {
        let initial: Vec<f64> = values.iter().map(ParameterValueHandle::get).collect();
        self.start_engine(library, &initial, || ((), values))
    }

    /// Drops the engines the audio thread handed back (each instance takes its library's last
    /// reference with it), reporting a fault of the newest one as status.
    pub(super) fn collect_retired(&mut self) {
        let Some(backend) = self.backend.as_mut() else {
            return;
        };
        while let Some(retired) = backend.next_retired() {
            if retired.faulted && retired.engine.generation == self.generation {
                let message = format!(
                    "the engine's DSP faulted and is silenced until the next good build: {}",
                    retired.engine.instance.last_error()
                );
                self.sources.reports.status.send_modify(|s| {
                    s.state = AudioState::Faulted;
                    s.message = Some(message);
                });
            }
        }
    }

    /// When the device has failed: stops it, runs the virtual device, says why, and plays the
    /// last engine again there.
    pub(super) fn recover_lost_device(&mut self) {
        let Some(error) = self.backend.as_ref().and_then(Backend::lost_device) else {
            return;
        };
        self.backend = None;
        let message =
            format!("audio device failed ({error}); running the virtual device (real-time paced)");
        // Only the virtual backend is manually paced (`check`), so no device comes back here.
        let status =
            match Backend::open_virtual(&self.sources, &mut self.recorder, Some(message.clone())) {
                Ok((backend, status, _)) => {
                    self.backend = Some(backend);
                    status
                }
                Err(e) => AudioStatus {
                    state: AudioState::Faulted,
                    message: Some(format!(
                        "audio device failed ({error}) and the virtual device did not start: {e}"
                    )),
                    ..AudioStatus::default()
                },
            };
        self.base_message = status.message.clone();
        self.sources.reports.status.send_replace(status);
        if let Some((library, values)) = self.last.take() {
            if let Err(e) = self.load(library, values) {
                self.sources.reports.status.send_modify(|s| {
                    s.state = AudioState::Faulted;
                    s.message = Some(format!("{message}; reloading the engine failed: {e}"));
                });
            }
        }
    }

    /// Listens to `errors` as if cpal's error callback fed them (tests: no hardware here).
    #[cfg(test)]
    fn listen_to_device_errors(&mut self, errors: std::sync::mpsc::Receiver<String>) {
        if let Some(backend) = self.backend.as_mut() {
            backend.listen_to_device_errors(errors);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{mpsc, Arc};
    use std::time::{Duration, Instant};

    use wavecraft_bridge::InMemoryParameterHost;
    use wavecraft_engine_loader::EngineLibrary;
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
        runtime.control().listen_to_device_errors(lost);
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
        // The same library plays again as a new instance on the new device.
        assert_eq!(runtime.control().generation(), 2);
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
