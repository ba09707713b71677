//! The session: what one `wavecraft start` holds — the parameter host, the
//! status board, the loaded engine — and what happens after each build.
//!
//! After a good build: load the library (fresh copy) → stage its parameter
//! list (checked, values kept by id, not installed yet) → the audio runtime
//! creates and prepares the new instance off the audio thread with those
//! values → only then install the list and hand the engine to the audio
//! thread, which crossfades to it → record the engine → broadcast
//! `parametersChanged` then `buildFinished{ok:true}`. So the UI is told "ok"
//! only about an engine that runs. Before those broadcasts it writes the UI's
//! typed parameter ids ([`crate::parameter_types`]) when they changed; a
//! failure to write them is a warning of that build, never a failed swap. After a failed build, a library that will
//! not load, or an engine that fails to start (its `prepare` panicked, say),
//! everything keeps running on the previous engine with its parameters and
//! `buildFinished{ok:false}` carries the diagnostics.
//!
//! The author's code runs only in the engine host process ([`EngineHost`]).
//! When that process ends (a crash, an abort, a hang we killed), the session
//! blames the build it was running or swapping in (kept in the
//! [`EngineLedger`]), tells the terminal and the browser (`audioStatusChanged`
//! with the crash), and once the supervisor has a fresh host, swaps the newest
//! build that never crashed back in, values kept, the same way a build swaps in.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use tokio::sync::mpsc;
use wavecraft_bridge::{InMemoryParameterHost, StatusBoard};
use wavecraft_protocol::catalog::{
    BuildFinished, BuildFinishedNotification, BuildProgress, BuildProgressNotification,
    BuildStarted, BuildStartedNotification, ParametersChanged, ParametersChangedNotification,
};
use wavecraft_protocol::{BuildState, BuildStatus, Diagnostic, DiagnosticLevel, EngineCrash};

use crate::build_guard::GuardEvent;
use crate::cargo_build::BuildOutcome;
use crate::clients::Clients;
use crate::engine_host::{EngineHost, EngineHostError, LoadedEngine};
use crate::engine_ledger::{BuildRecord, EngineLedger};
use crate::notification::notification_text;
use crate::parameter_types;

mod recovery;

/// What the terminal shows, reported by the session as it happens.
#[derive(Debug, Clone)]
pub enum DevEvent {
    /// A build started for these files.
    BuildStarted {
        /// Changed files (empty for the first build).
        files: Vec<String>,
    },
    /// A line of cargo's progress.
    BuildProgress(String),
    /// A newer save superseded the running build.
    BuildSuperseded,
    /// The new engine runs.
    EngineSwapped {
        /// Build plus load time.
        duration_ms: u32,
        /// How the parameters changed.
        diff: ParametersChanged,
        /// Warnings from the build.
        warnings: Vec<Diagnostic>,
        /// The engine's name and version.
        engine: String,
        /// What the loader noted without refusing the engine (another rustc built it), when
        /// it differs from the previous engine's note.
        note: Option<String>,
    },
    /// The audio runtime's state changed (backend, fault, recovery).
    AudioStatus(wavecraft_protocol::AudioStatus),
    /// The engine host process ended (`recovery` says what runs now); sent when it happens
    /// and again once the recovery is done.
    EngineCrashed(EngineCrash),
    /// The build (or loading its library) failed; the previous engine keeps running.
    BuildFailed {
        /// Build time.
        duration_ms: u32,
        /// What went wrong.
        diagnostics: Vec<Diagnostic>,
    },
}

/// One dev session.
pub struct Session {
    /// The project directory (holds `engine/` and, optionally, `ui/`).
    project_dir: PathBuf,
    /// The loader's note about the running engine, told once until it changes.
    note: std::sync::Mutex<Option<String>>,
    host: Arc<InMemoryParameterHost>,
    status: Arc<StatusBoard>,
    clients: Arc<Clients>,
    engine: Arc<EngineHost>,
    /// Held while an engine is swapped in (a build, or a recovery): one at a time.
    ledger: Mutex<EngineLedger>,
    events: mpsc::UnboundedSender<DevEvent>,
}

fn error_diagnostic(message: String) -> Diagnostic {
    Diagnostic {
        level: DiagnosticLevel::Error,
        message,
        file: None,
        line: None,
        column: None,
        rendered: None,
    }
}

fn millis(d: std::time::Duration) -> u32 {
    u32::try_from(d.as_millis()).unwrap_or(u32::MAX)
}

impl Session {
    /// A session with no engine yet, for the project in `project_dir`.
    pub fn new(
        project_dir: PathBuf,
        host: Arc<InMemoryParameterHost>,
        status: Arc<StatusBoard>,
        clients: Arc<Clients>,
        engine: Arc<EngineHost>,
        events: mpsc::UnboundedSender<DevEvent>,
    ) -> Self {
        Session {
            project_dir,
            note: std::sync::Mutex::new(None),
            host,
            status,
            clients,
            engine,
            ledger: Mutex::default(),
            events,
        }
    }

    fn ledger(&self) -> MutexGuard<'_, EngineLedger> {
        self.ledger.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn emit(&self, event: DevEvent) {
        let _ = self.events.send(event);
    }

    /// Reacts to one event of the build guard. `Finished` loads the new engine on the calling
    /// thread: call that one from a blocking-capable context; the others only broadcast.
    pub fn on_guard_event(&self, event: GuardEvent) {
        match event {
            GuardEvent::Started { files } => {
                let mut build = self.status.build();
                build.state = BuildState::Building;
                build.files.clone_from(&files);
                self.status.set_build(build);
                self.clients
                    .broadcast(&notification_text::<BuildStartedNotification>(
                        &BuildStarted {
                            files: files.clone(),
                        },
                    ));
                self.emit(DevEvent::BuildStarted { files });
            }
            GuardEvent::Progress(line) => {
                self.clients
                    .broadcast(&notification_text::<BuildProgressNotification>(
                        &BuildProgress { line: line.clone() },
                    ));
                self.emit(DevEvent::BuildProgress(line));
            }
            GuardEvent::Superseded => self.emit(DevEvent::BuildSuperseded),
            GuardEvent::Failed(message) => {
                self.fail(Vec::new(), 0, vec![error_diagnostic(message)]);
            }
            GuardEvent::Finished { files, outcome } => self.on_build_finished(files, outcome),
        }
    }

    fn on_build_finished(&self, files: Vec<String>, outcome: BuildOutcome) {
        let Some(library_path) = outcome.library.clone() else {
            return self.fail(files, millis(outcome.duration), outcome.diagnostics);
        };
        let load_started = Instant::now();
        let mut ledger = self.ledger();
        let swapped = self.swap_in_build(&mut ledger, &library_path);
        if swapped.is_ok() {
            ledger.forget_crash();
            self.engine.clear_crash();
        }
        drop(ledger);
        let duration_ms = millis(outcome.duration + load_started.elapsed());
        let (loaded, diff) = match swapped {
            Ok(ok) => ok,
            Err(message) => {
                let mut diagnostics = outcome.diagnostics;
                diagnostics.push(error_diagnostic(message));
                return self.fail(files, duration_ms, diagnostics);
            }
        };
        let metadata = &loaded.metadata;
        let engine_label = format!("{} {}", metadata.name, metadata.version);
        self.status.set_engine(Some(metadata.engine_info()));
        let mut warnings: Vec<Diagnostic> = outcome.diagnostics;
        if let Err(e) = parameter_types::update_project(&self.project_dir, &metadata.parameters) {
            warnings.push(Diagnostic {
                level: DiagnosticLevel::Warning,
                message: format!("{e}: the UI's typed parameter ids are not up to date"),
                file: None,
                line: None,
                column: None,
                rendered: None,
            });
        }
        self.status.set_build(BuildStatus {
            state: BuildState::Succeeded,
            files,
            duration_ms: Some(duration_ms),
            diagnostics: warnings.clone(),
        });
        self.clients
            .broadcast(&notification_text::<ParametersChangedNotification>(&diff));
        self.clients
            .broadcast(&notification_text::<BuildFinishedNotification>(
                &BuildFinished {
                    ok: true,
                    duration_ms,
                    diagnostics: warnings.clone(),
                },
            ));
        let note = loaded.note.clone();
        let mut told = self
            .note
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let note = if *told == note {
            None
        } else {
            told.clone_from(&note);
            note
        };
        drop(told);
        self.emit(DevEvent::EngineSwapped {
            duration_ms,
            diff,
            warnings,
            engine: engine_label,
            note,
        });
    }

    /// Swaps the built library in as the next build (see [`swap_in`](Self::swap_in)). `Err`
    /// says why, for the build's overlay.
    fn swap_in_build(
        &self,
        ledger: &mut EngineLedger,
        built: &Path,
    ) -> Result<(LoadedEngine, ParametersChanged), String> {
        let build = ledger.next_build();
        self.swap_in(ledger, build, built, None)
    }

    /// Loads `library` (build `build`) in the engine host and makes it the running engine,
    /// or changes nothing: the new parameter list is installed only once the engine has been
    /// created, prepared, given its values and handed to the audio thread. `kept` is the
    /// build's kept library when it has one already (a restore); otherwise the host's copy is
    /// kept once it loaded.
    fn swap_in(
        &self,
        ledger: &mut EngineLedger,
        build: u64,
        library: &Path,
        kept: Option<PathBuf>,
    ) -> Result<(LoadedEngine, ParametersChanged), String> {
        ledger.attempting(BuildRecord {
            build,
            engine: format!("build {build}"),
            library: kept.clone(),
        });
        let outcome = self.load_and_start(ledger, build, library, kept);
        match &outcome {
            Ok(_) => {
                for stale in ledger.succeeded() {
                    let _ = std::fs::remove_file(stale);
                }
            }
            // The host died: the crash report blames this attempt.
            Err(EngineHostError::Lost(_)) => {}
            Err(EngineHostError::Refused(_)) => {
                if let Some(stale) = ledger.refused() {
                    let _ = std::fs::remove_file(stale);
                }
            }
        }
        outcome.map_err(|e| match e {
            EngineHostError::Refused(m) | EngineHostError::Lost(m) => m,
        })
    }

    fn load_and_start(
        &self,
        ledger: &mut EngineLedger,
        build: u64,
        library: &Path,
        kept: Option<PathBuf>,
    ) -> Result<(LoadedEngine, ParametersChanged), EngineHostError> {
        let loaded = self.engine.load(library)?;
        let kept = match kept {
            Some(kept) => kept,
            None => self.engine.keep_library(&loaded.copy, build).map_err(|e| {
                EngineHostError::Refused(format!("could not keep the built library: {e}"))
            })?,
        };
        ledger.attempting(BuildRecord {
            build,
            engine: format!("{} {}", loaded.metadata.name, loaded.metadata.version),
            library: Some(kept),
        });
        let staged = self
            .host
            .stage(loaded.metadata.parameters.clone())
            .map_err(|e| {
                EngineHostError::Refused(format!("the engine's parameters were refused: {e}"))
            })?;
        let initial = staged.values().to_vec();
        let diff = self
            .engine
            .start_engine(&initial, || self.host.install(staged))
            .map_err(|e| match e {
                EngineHostError::Refused(m) => EngineHostError::Refused(format!(
                    "the engine built but did not start, so the previous one keeps playing: {m}"
                )),
                lost @ EngineHostError::Lost(_) => lost,
            })?;
        Ok((loaded, diff))
    }

    fn fail(&self, files: Vec<String>, duration_ms: u32, diagnostics: Vec<Diagnostic>) {
        let diagnostics = if diagnostics
            .iter()
            .any(|d| d.level == DiagnosticLevel::Error)
        {
            diagnostics
        } else {
            let mut d = diagnostics;
            d.push(error_diagnostic(
                "the build failed (cargo reported no error message)".into(),
            ));
            d
        };
        self.status.set_build(BuildStatus {
            state: BuildState::Failed,
            files,
            duration_ms: Some(duration_ms),
            diagnostics: diagnostics.clone(),
        });
        self.clients
            .broadcast(&notification_text::<BuildFinishedNotification>(
                &BuildFinished {
                    ok: false,
                    duration_ms,
                    diagnostics: diagnostics.clone(),
                },
            ));
        self.emit(DevEvent::BuildFailed {
            duration_ms,
            diagnostics,
        });
    }
}
