//! The requests of [`EngineHost`]: load a library in the host, start its
//! engine (instantiate and prepare there, then install the value cells it
//! reads, then hand it to the host's audio thread). A request the host does
//! not answer within [`REQUEST_TIMEOUT`] counts as a hang: the host is
//! killed, and the supervisor reports it like any crash.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::mpsc;

use wavecraft_bridge::ParameterValueHandle;
use wavecraft_engine_abi::EngineMetadata;

use super::control_message::{Reply, Request};
use super::host_link::LinkError;
use super::supervisor::{kill, Order};
use super::{lock, EngineHost, REQUEST_TIMEOUT, VALUE_SLOTS};

/// Why a load or start did not happen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineHostError {
    /// The host refused it and runs on as before (a bad library, a panicking `prepare`).
    #[error("{0}")]
    Refused(String),
    /// The host died (or was killed as hung) meanwhile; a [`HostEvent`](super::supervisor::HostEvent) follows.
    #[error("{0}")]
    Lost(String),
}

/// What a loaded library says about itself.
#[derive(Debug, Clone)]
pub struct LoadedEngine {
    /// Its metadata.
    pub metadata: EngineMetadata,
    /// The private copy the host loaded.
    pub copy: std::path::PathBuf,
    /// What the loader noted without refusing it.
    pub note: Option<String>,
}

fn restarting() -> EngineHostError {
    EngineHostError::Lost("the engine host is restarting".into())
}

fn unexpected(reply: &Reply, to: &str) -> EngineHostError {
    EngineHostError::Refused(format!("the engine host answered {reply:?} to {to}"))
}

impl EngineHost {
    /// Asks the supervisor for a host when none runs (after it gave up restarting).
    fn ensure_running(&self) -> Result<(), EngineHostError> {
        if lock(&self.inner.link).is_some() {
            return Ok(());
        }
        let stopped = || EngineHostError::Lost("the engine host's supervisor stopped".into());
        let (done, result) = mpsc::channel();
        self.orders
            .send(Order::Spawn(done))
            .map_err(|_| stopped())?;
        result
            .recv()
            .map_err(|_| stopped())?
            .map_err(EngineHostError::Lost)
    }

    fn failed(&self, doing: &str, error: LinkError) -> EngineHostError {
        match error {
            LinkError::TimedOut(_) => {
                kill(
                    &self.inner,
                    Some(format!(
                        "hung while {doing}: no answer within {} s, so it was killed",
                        REQUEST_TIMEOUT.as_secs()
                    )),
                );
                EngineHostError::Lost(format!("the engine hung while {doing} and was stopped"))
            }
            LinkError::Died => EngineHostError::Lost(format!(
                "the engine host crashed while {doing} (see the audio status)"
            )),
            LinkError::Write(e) => EngineHostError::Lost(format!(
                "the engine host could not be reached while {doing}: {e}"
            )),
        }
    }

    /// Loads `library` in the host and returns its metadata. Nothing plays it yet.
    pub fn load(&self, library: &Path) -> Result<LoadedEngine, EngineHostError> {
        self.ensure_running()?;
        let mut link = lock(&self.inner.link);
        let link = link.as_mut().ok_or_else(restarting)?;
        let request = Request::Load {
            library: library.to_path_buf(),
        };
        match link.ask(&request, REQUEST_TIMEOUT) {
            Ok(Reply::Loaded {
                metadata,
                copy,
                note,
            }) => Ok(LoadedEngine {
                metadata,
                copy,
                note,
            }),
            Ok(Reply::Failed { message }) => Err(EngineHostError::Refused(message)),
            Ok(other) => Err(unexpected(&other, "a load")),
            Err(e) => Err(self.failed("loading the library", e)),
        }
    }

    /// Starts the loaded library's engine with `initial` values: it is instantiated and
    /// prepared in the host; only then is `install` called (for the value cells it reads,
    /// which must live in [`cells`](Self::cells)) and the engine handed to the host's audio
    /// thread. On an error before `install`, nothing changed.
    pub fn start_engine<T>(
        &self,
        initial: &[f64],
        install: impl FnOnce() -> (T, Vec<ParameterValueHandle>),
    ) -> Result<T, EngineHostError> {
        let mut link = lock(&self.inner.link);
        let link = link.as_mut().ok_or_else(restarting)?;
        let request = Request::Start {
            initial: initial.to_vec(),
        };
        match link.ask(&request, REQUEST_TIMEOUT) {
            Ok(Reply::Prepared) => {}
            Ok(Reply::Failed { message }) => return Err(EngineHostError::Refused(message)),
            Ok(other) => return Err(unexpected(&other, "a start")),
            Err(e) => return Err(self.failed("starting the engine", e)),
        }
        let (installed, handles) = install();
        let slots: Option<Vec<u32>> = handles.iter().map(ParameterValueHandle::slot).collect();
        let slots = slots.ok_or_else(|| {
            format!(
                "more than {VALUE_SLOTS} parameter values are in use; restart `wavecraft start`"
            )
        });
        let request = Request::Install {
            slots: slots.clone().unwrap_or_default(),
        };
        match link.ask(&request, REQUEST_TIMEOUT) {
            Ok(Reply::Started) => {
                self.inner.started.fetch_add(1, Ordering::AcqRel);
                Ok(installed)
            }
            Ok(Reply::Failed { message }) => {
                Err(EngineHostError::Refused(slots.err().unwrap_or(message)))
            }
            Ok(other) => Err(unexpected(&other, "an install")),
            Err(e) => Err(self.failed("handing the engine to the audio thread", e)),
        }
    }
}
