//! The engine host: the process where the author's code runs, so that nothing
//! it does — a segfault, an abort, a stack overflow, an endless `process`, a
//! runaway allocation — takes the dev server, its WebSocket clients or the
//! terminal down with it.
//!
//! [`EngineHost`] (this file) is the dev server's face of it: load a built
//! library, start its engine with the parameter values, read status, meters
//! and the heartbeat. Below it: `shared_memory.rs` (the one mapping both
//! processes share: parameter value cells, meters, the audio thread's
//! heartbeat, the host's stage; the only `unsafe` here), `control_message.rs`
//! (JSON lines over a Unix socket: requests, replies, status),
//! `host_link.rs` (spawning one host and talking to it), `requests.rs` (load
//! and start, with their deadlines), `supervisor.rs` (the
//! thread that reaps, detects hangs and restarts, rate-limited), `crash.rs`
//! (how a host ended, in words) and `host_process.rs` (the host's own main,
//! which runs the audio runtime of [`crate::audio`]). What happens after a
//! crash — which engine was at fault, which one plays again — is the
//! session's call: the supervisor only reports [`HostEvent`]s.

mod control_message;
mod crash;
mod host_link;
mod host_process;
mod requests;
mod shared_memory;
mod supervisor;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use nix::unistd::Pid;
use tokio::sync::watch;
use wavecraft_bridge::CellAllocator;
use wavecraft_protocol::status::{AudioState, AudioStatus, EngineCrash, MeterUpdate};

use crate::audio::{take_levels, AudioConfig};
use host_link::HostLink;
use shared_memory::{SharedMapping, SlotAllocator, SlotCells};
use supervisor::{supervise, Order};

pub use crash::HostExit;
pub use host_link::HostCommand;
pub use host_process::{run_engine_host, HostLaunch};
pub use requests::{EngineHostError, LoadedEngine};
pub use shared_memory::VALUE_SLOTS;
pub use supervisor::{HostEvent, HANG_BOUND, MAX_RESTARTS, RESTART_GAP, RESTART_WINDOW};

/// How long a load or start may take before the host counts as hung and is killed.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The default address-space limit of the host (`RLIMIT_AS`): a runaway allocation aborts
/// the host, not the machine.
pub const DEFAULT_MEMORY_LIMIT: u64 = 8 << 30;

/// The name of the workspace's engine host program.
pub const HOST_PROGRAM: &str = "wavecraft-engine-host";

/// How to run engine hosts.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineHostConfig {
    /// The program.
    pub command: HostCommand,
    /// The audio runtime each host starts (backend `Off` runs no audio, but still isolates
    /// loading and metadata).
    pub audio: AudioConfig,
    /// The host's address-space limit in bytes.
    pub memory_limit: Option<u64>,
}

impl HostCommand {
    /// `wavecraft-engine-host` beside the running program (or one directory up, where cargo
    /// puts binaries for a test in `deps/`).
    pub fn beside_current_exe() -> HostCommand {
        let name = format!("{HOST_PROGRAM}{}", std::env::consts::EXE_SUFFIX);
        let exe = std::env::current_exe().unwrap_or_default();
        let program = exe
            .ancestors()
            .skip(1)
            .take(2)
            .map(|dir| dir.join(&name))
            .find(|p| p.is_file())
            .unwrap_or_else(|| PathBuf::from(&name));
        HostCommand {
            program,
            args: Vec::new(),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What the dev server's threads and the supervisor share.
pub(crate) struct Inner {
    shared: Arc<SharedMapping>,
    slots: Arc<SlotCells>,
    command: HostCommand,
    launch: HostLaunch,
    link: Mutex<Option<HostLink>>,
    pid: Mutex<Option<Pid>>,
    kill_reason: Mutex<Option<String>>,
    /// What the host last said, and the crash being recovered from (sticky until the next build).
    reported: Mutex<(AudioStatus, Option<EngineCrash>)>,
    status: watch::Sender<AudioStatus>,
    /// Engines started in the current host (its audio thread counts them the same way).
    started: AtomicU64,
    channels: usize,
}

impl Inner {
    fn publish(&self, host: AudioStatus) {
        let mut reported = lock(&self.reported);
        reported.0 = host;
        self.republish(&reported);
    }

    fn republish(&self, reported: &(AudioStatus, Option<EngineCrash>)) {
        let mut status = reported.0.clone();
        if let Some(crash) = &reported.1 {
            status.message = Some(format!(
                "the engine host {}; {}",
                crash.cause, crash.recovery
            ));
        }
        status.crash.clone_from(&reported.1);
        self.status.send_if_modified(|s| {
            let changed = *s != status;
            *s = status;
            changed
        });
    }
}

/// The engine host of one dev server: a supervised child process. Dropping it stops the host.
pub struct EngineHost {
    inner: Arc<Inner>,
    orders: mpsc::Sender<Order>,
    supervisor: Mutex<Option<JoinHandle<()>>>,
    dir: tempfile::TempDir,
}

impl std::fmt::Debug for EngineHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineHost")
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}

impl EngineHost {
    /// Starts the supervisor and the first host; returns once it runs (or could not start).
    /// What happens to the host later arrives on `events`.
    pub fn start(
        config: EngineHostConfig,
        events: tokio::sync::mpsc::UnboundedSender<HostEvent>,
    ) -> Result<EngineHost, String> {
        let dir = tempfile::Builder::new()
            .prefix("wavecraft-host-")
            .tempdir()
            .map_err(|e| format!("a private directory for the engine host: {e}"))?;
        let shared_path = dir.path().join("shared");
        let shared = Arc::new(SharedMapping::create(&shared_path).map_err(|e| e.to_string())?);
        let channels = if config.audio.backend == crate::audio::BackendChoice::Off {
            0
        } else {
            usize::from(config.audio.channels).min(shared.shared().meters.len())
        };
        let inner = Arc::new(Inner {
            slots: SlotCells::new(Arc::clone(&shared)),
            shared,
            command: config.command,
            launch: HostLaunch {
                shared: shared_path,
                control: dir.path().join("control.sock"),
                copies: dir.path().join(wavecraft_engine_loader::COPIES_DIR),
                parent: std::process::id(),
                memory_limit: config.memory_limit,
                audio: config.audio,
            },
            link: Mutex::new(None),
            pid: Mutex::new(None),
            kill_reason: Mutex::new(None),
            reported: Mutex::new((AudioStatus::default(), None)),
            status: watch::channel(AudioStatus::default()).0,
            started: AtomicU64::new(0),
            channels,
        });
        let (orders, orders_rx) = mpsc::channel();
        let (first_tx, first) = mpsc::channel();
        let supervised = Arc::clone(&inner);
        let supervisor = std::thread::Builder::new()
            .name("wavecraft-engine-supervisor".into())
            .spawn(move || supervise(&supervised, &orders_rx, &first_tx, &events))
            .map_err(|e| format!("could not start the engine host's supervisor: {e}"))?;
        let host = EngineHost {
            inner,
            orders,
            supervisor: Mutex::new(Some(supervisor)),
            dir,
        };
        match first.recv() {
            Ok(Ok(())) => Ok(host),
            Ok(Err(e)) => Err(e),
            Err(_) => Err("the engine host's supervisor stopped".into()),
        }
    }

    /// Where the parameter host must make value cells so the engine host can read them.
    pub fn cells(&self) -> Arc<dyn CellAllocator> {
        Arc::new(SlotAllocator(Arc::clone(&self.inner.slots)))
    }

    /// Keeps the library the host loaded (its private `copy`) as build `build`, so it can be
    /// loaded again after the host dropped it. A hard link (the copy is never written again),
    /// or a copy where linking fails.
    pub fn keep_library(&self, copy: &Path, build: u64) -> std::io::Result<PathBuf> {
        let kept = self
            .dir
            .path()
            .join(format!("build-{build}{}", std::env::consts::DLL_SUFFIX));
        let _ = std::fs::remove_file(&kept);
        if std::fs::hard_link(copy, &kept).is_err() {
            std::fs::copy(copy, &kept)?;
        }
        Ok(kept)
    }

    /// Makes `crash` part of the status until [`clear_crash`](Self::clear_crash); with
    /// `host_down` the status also says the audio stopped.
    pub fn report_crash(&self, crash: EngineCrash, host_down: bool) {
        let mut reported = lock(&self.inner.reported);
        if host_down {
            reported.0.state = AudioState::Faulted;
        }
        reported.1 = Some(crash);
        self.inner.republish(&reported);
    }

    /// Forgets the last crash (a new build runs).
    pub fn clear_crash(&self) {
        let mut reported = lock(&self.inner.reported);
        if reported.1.take().is_some() {
            self.inner.republish(&reported);
        }
    }

    /// The current status.
    pub fn status(&self) -> AudioStatus {
        self.inner.status.borrow().clone()
    }

    /// A receiver that sees every status change.
    pub fn subscribe(&self) -> watch::Receiver<AudioStatus> {
        self.inner.status.subscribe()
    }

    /// Peak and RMS per output channel since the last call, and resets them.
    pub fn take_meters(&self) -> MeterUpdate {
        take_levels(&self.inner.shared.shared().meters[..self.inner.channels])
    }

    /// Blocks the current host's audio thread has processed since it started.
    pub fn blocks_processed(&self) -> u64 {
        self.inner.shared.shared().heartbeat()
    }

    /// True once the current host's audio thread plays (fades to) the engine it was last given.
    pub fn latest_engine_playing(&self) -> bool {
        let started = self.inner.started.load(Ordering::Acquire);
        started > 0
            && self
                .inner
                .shared
                .shared()
                .progress
                .adopted
                .load(Ordering::Acquire)
                == started
    }

    /// The current host's process id, while one runs.
    pub fn pid(&self) -> Option<u32> {
        lock(&self.inner.pid).map(|p| p.as_raw().unsigned_abs())
    }
}

impl EngineHost {
    /// Stops the host (nothing of it is left running) and its supervisor; waits for both.
    pub fn stop(&self) {
        let _ = self.orders.send(Order::Stop);
        if let Some(thread) = lock(&self.supervisor).take() {
            let _ = thread.join();
        }
    }
}

impl Drop for EngineHost {
    fn drop(&mut self) {
        self.stop();
    }
}
