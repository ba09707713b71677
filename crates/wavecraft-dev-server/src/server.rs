//! `DevServer`: wires watcher → build guard → session → WebSocket server for
//! one project, and takes it all down again (killing a running build).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::serve::ListenerExt;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use wavecraft_bridge::{InMemoryParameterHost, IpcHandler, StatusBoard};
use wavecraft_protocol::catalog::{AudioStatusChangedNotification, MeterUpdateNotification};
use wavecraft_protocol::AudioStatus;

use crate::audio::{AudioConfig, BackendChoice};
use crate::broadcasting_host::BroadcastingHost;
use crate::build_guard::{run_guard, GuardEvent};
use crate::cargo_build::{default_target_dir, BuildSpec};
use crate::clients::Clients;
use crate::engine_host::{
    EngineHost, EngineHostConfig, HostCommand, HostEvent, DEFAULT_MEMORY_LIMIT,
};
use crate::notification::notification_text;
use crate::session::{DevEvent, Session};
use crate::watcher::{LockfileMemo, Watcher, DEFAULT_DEBOUNCE};
use crate::ws::{router, AccessPolicy, WsState};

/// How to run the dev server.
pub struct DevServerConfig {
    /// The project: holds `engine/Cargo.toml` (and optionally `ui/`).
    pub project_dir: PathBuf,
    /// WebSocket port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Port the UI is served on, whose origin may connect.
    pub ui_port: Option<u16>,
    /// Cargo target directory; default `<engine>/target/wavecraft-dev`.
    pub target_dir: Option<PathBuf>,
    /// Watcher debounce.
    pub debounce: Duration,
    /// The audio runtime's configuration; `None` runs without audio.
    pub audio: Option<AudioConfig>,
    /// How to start the engine host process (where the author's code runs).
    pub engine_host: HostCommand,
    /// The engine host's address-space limit in bytes.
    pub memory_limit: Option<u64>,
}

impl DevServerConfig {
    /// Defaults for `project_dir`: port 9000, no UI port, default target dir and debounce, no
    /// audio, the engine host program beside this one, [`DEFAULT_MEMORY_LIMIT`].
    pub fn new(project_dir: impl Into<PathBuf>) -> Self {
        DevServerConfig {
            project_dir: project_dir.into(),
            port: 9000,
            ui_port: None,
            target_dir: None,
            debounce: DEFAULT_DEBOUNCE,
            audio: None,
            engine_host: HostCommand::beside_current_exe(),
            memory_limit: Some(DEFAULT_MEMORY_LIMIT),
        }
    }
}

/// Why the server did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// No `engine/Cargo.toml` under the project directory.
    #[error("{0} is not a Wavecraft project: it has no engine/Cargo.toml (run `wavecraft create <name>` to make one, or pass the project's directory)")]
    NotAProject(PathBuf),
    /// The port is taken.
    #[error("port {port} on 127.0.0.1 is already in use ({source}); stop whatever uses it or pick another with --port")]
    PortInUse {
        /// The port.
        port: u16,
        /// The OS error.
        source: std::io::Error,
    },
    /// Watching the engine failed.
    #[error(transparent)]
    Watch(#[from] crate::watcher::WatchError),
    /// The engine host process (and its audio runtime) could not start (a missing device is
    /// not an error: it falls back).
    #[error("the engine host could not start: {0}")]
    EngineHost(String),
}

/// A running dev server.
pub struct DevServer {
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    status: Arc<StatusBoard>,
    clients: Arc<Clients>,
    engine: Arc<EngineHost>,
    audio_on: bool,
}

/// How often meter frames are pushed to clients (~30 Hz).
pub const METER_PERIOD: Duration = Duration::from_millis(33);

async fn push_meters(
    audio: Arc<EngineHost>,
    clients: Arc<Clients>,
    mut stop: watch::Receiver<bool>,
) {
    let mut tick = tokio::time::interval(METER_PERIOD);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                let frame = audio.take_meters();
                if !clients.is_empty() {
                    clients.broadcast(&notification_text::<MeterUpdateNotification>(&frame));
                }
            }
            _ = stop.changed() => return,
        }
    }
}

async fn follow_audio_status(
    mut updates: watch::Receiver<AudioStatus>,
    status: Arc<StatusBoard>,
    clients: Arc<Clients>,
    events: mpsc::UnboundedSender<DevEvent>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let current = updates.borrow_and_update().clone();
        if status.audio() != current {
            status.set_audio(current.clone());
            clients.broadcast(&notification_text::<AudioStatusChangedNotification>(
                &current,
            ));
            let _ = events.send(DevEvent::AudioStatus(current));
        }
        tokio::select! {
            changed = updates.changed() => if changed.is_err() { return },
            _ = stop.changed() => return,
        }
    }
}

/// Checks that `dir` looks like a Wavecraft project; returns its engine directory.
pub fn engine_dir(dir: &Path) -> Result<PathBuf, StartError> {
    let engine = dir.join("engine");
    if engine.join("Cargo.toml").is_file() {
        Ok(engine)
    } else {
        Err(StartError::NotAProject(dir.to_path_buf()))
    }
}

/// Binds 127.0.0.1:`port`, naming the port when it is busy.
async fn bind(port: u16) -> Result<TcpListener, StartError> {
    TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|source| StartError::PortInUse { port, source })
}

impl DevServer {
    /// Starts serving and runs the first build. Progress arrives on the returned receiver.
    pub async fn start(
        config: DevServerConfig,
    ) -> Result<(DevServer, mpsc::UnboundedReceiver<DevEvent>), StartError> {
        let engine = engine_dir(&config.project_dir)?;
        let listener = bind(config.port).await?;
        let addr = listener
            .local_addr()
            .map_err(|source| StartError::PortInUse {
                port: config.port,
                source,
            })?;
        Self::start_on(config, engine, listener, addr).await
    }

    async fn start_on(
        config: DevServerConfig,
        engine: PathBuf,
        listener: TcpListener,
        addr: SocketAddr,
    ) -> Result<(DevServer, mpsc::UnboundedReceiver<DevEvent>), StartError> {
        let (events_tx, events_rx) = mpsc::unbounded_channel();
        let (shutdown, shutdown_rx) = watch::channel(false);
        let status = Arc::new(StatusBoard::new());
        let clients = Arc::new(Clients::new());
        let audio_on = config.audio.is_some();
        let host_config = EngineHostConfig {
            command: config.engine_host.clone(),
            audio: config.audio.clone().unwrap_or(AudioConfig {
                backend: BackendChoice::Off,
                ..AudioConfig::default()
            }),
            memory_limit: config.memory_limit,
        };
        let (host_events_tx, mut host_events) = mpsc::unbounded_channel::<HostEvent>();
        let engine_host =
            tokio::task::spawn_blocking(move || EngineHost::start(host_config, host_events_tx))
                .await
                .map_err(|e| StartError::EngineHost(e.to_string()))?
                .map_err(StartError::EngineHost)?;
        let engine_host = Arc::new(engine_host);
        let host = Arc::new(InMemoryParameterHost::with_cells(engine_host.cells()));
        let session = Arc::new(Session::new(
            config.project_dir.clone(),
            Arc::clone(&host),
            Arc::clone(&status),
            Arc::clone(&clients),
            Arc::clone(&engine_host),
            events_tx.clone(),
        ));
        let recovering = Arc::clone(&session);
        let mut stop_recovering = shutdown_rx.clone();
        let mut tasks = vec![tokio::spawn(async move {
            // Recovering swaps an engine in: blocking work, one event at a time.
            loop {
                let event = tokio::select! {
                    event = host_events.recv() => event,
                    _ = stop_recovering.wait_for(|s| *s) => None,
                };
                let Some(event) = event else { return };
                let session = Arc::clone(&recovering);
                let _ = tokio::task::spawn_blocking(move || session.on_host_event(event)).await;
            }
        })];

        let (changes_tx, changes_rx) = mpsc::unbounded_channel();
        let lockfile = LockfileMemo::new(&engine);
        let mut watcher = Watcher::start(
            &engine,
            &config.project_dir,
            config.debounce,
            lockfile.clone(),
            changes_tx.clone(),
        )?;
        let spec = BuildSpec {
            manifest_path: engine.join("Cargo.toml"),
            target_dir: config
                .target_dir
                .unwrap_or_else(|| default_target_dir(&engine)),
        };
        let (guard_tx, mut guard_rx) = mpsc::unbounded_channel::<GuardEvent>();
        tasks.push(tokio::spawn(run_guard(
            spec,
            lockfile,
            changes_rx,
            guard_tx,
            shutdown_rx.clone(),
        )));
        tasks.push(tokio::spawn(async move {
            // The watcher lives as long as this task (until the guard stops): each good build
            // tells it what the next one must watch.
            while let Some(event) = guard_rx.recv().await {
                if let GuardEvent::Finished { outcome, .. } = &event {
                    if outcome.library.is_some() {
                        watcher.watch_inputs(&outcome.inputs);
                    }
                }
                if matches!(event, GuardEvent::Finished { .. }) {
                    // Loading waits for the engine host: blocking work.
                    let loader = Arc::clone(&session);
                    let _ = tokio::task::spawn_blocking(move || loader.on_guard_event(event)).await;
                } else {
                    // Progress lines and the rest only broadcast.
                    session.on_guard_event(event);
                }
            }
        }));

        let state = Arc::new(WsState {
            handler: IpcHandler::new(
                BroadcastingHost::new(Arc::clone(&host), Arc::clone(&clients)),
                Arc::clone(&status),
            ),
            clients: Arc::clone(&clients),
            policy: AccessPolicy::local(addr.port(), config.ui_port),
        });
        let mut stop = shutdown_rx.clone();
        tasks.push(tokio::spawn(async move {
            // Nagle's algorithm would hold a reply's second small write (e.g. the broadcast
            // after a `setParameter` answer) until the peer's delayed ACK: ~40 ms per move.
            let listener = listener.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
            let _ = axum::serve(listener, router(state))
                .with_graceful_shutdown(async move {
                    let _ = stop.wait_for(|s| *s).await;
                })
                .await;
        }));
        if audio_on {
            tasks.push(tokio::spawn(push_meters(
                Arc::clone(&engine_host),
                Arc::clone(&clients),
                shutdown_rx.clone(),
            )));
        }
        {
            tasks.push(tokio::spawn(follow_audio_status(
                engine_host.subscribe(),
                Arc::clone(&status),
                Arc::clone(&clients),
                events_tx,
                shutdown_rx.clone(),
            )));
        }
        // The first build: no files changed yet.
        let _ = changes_tx.send(Vec::new());
        Ok((
            DevServer {
                addr,
                shutdown,
                tasks,
                status,
                clients,
                engine: engine_host,
                audio_on,
            },
            events_rx,
        ))
    }

    /// The WebSocket server's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL the UI connects to.
    pub fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    /// The status board.
    pub fn status(&self) -> &Arc<StatusBoard> {
        &self.status
    }

    /// The connected clients.
    pub fn clients(&self) -> &Arc<Clients> {
        &self.clients
    }

    /// The engine host (its audio runtime), when audio is on.
    pub fn audio(&self) -> Option<&Arc<EngineHost>> {
        self.audio_on.then_some(&self.engine)
    }

    /// The engine host process, where the author's code runs (audio on or off).
    pub fn engine_host(&self) -> &Arc<EngineHost> {
        &self.engine
    }

    /// Stops serving, kills a running build, waits for every task and stops the engine host.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        for task in self.tasks {
            let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
        }
        let engine = self.engine;
        let _ = tokio::task::spawn_blocking(move || engine.stop()).await;
    }
}
