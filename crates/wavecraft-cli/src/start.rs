//! `wavecraft start`: checks the project and both ports, starts the dev
//! server (first build with progress), installs the UI's dependencies when
//! missing while that build runs, starts the UI's Vite server, prints both
//! URLs, and on Ctrl-C or SIGTERM — at any point, the install included —
//! stops everything: no cargo, rustc, npm, node or vite process is left
//! behind. If Vite exits, `start` stops with an error.

use std::path::PathBuf;

use tokio::signal::unix::{signal, Signal, SignalKind};
use tokio::sync::mpsc;
use wavecraft_dev_server::audio::AudioConfig;
use wavecraft_dev_server::engine_host::HostCommand;
use wavecraft_dev_server::server::engine_dir;
use wavecraft_dev_server::{DevEvent, DevServer, DevServerConfig, StartError};

use crate::start_ui::{self, UiError, UiServer};
use crate::terminal::Terminal;

/// What `start` needs.
pub struct StartOptions {
    /// The project directory.
    pub project: PathBuf,
    /// WebSocket port.
    pub port: u16,
    /// UI port.
    pub ui_port: u16,
    /// Do not open a browser.
    pub no_open: bool,
    /// The audio runtime's configuration; `None` runs without audio.
    pub audio: Option<AudioConfig>,
}

/// Why `start` stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum StartCommandError {
    /// The dev server could not start.
    #[error(transparent)]
    Server(#[from] StartError),
    /// The UI could not start.
    #[error(transparent)]
    Ui(#[from] UiError),
    /// A port is taken.
    #[error("port {port} on 127.0.0.1 (for {what}) is already in use ({source}); stop whatever uses it or pick another with {flag}")]
    PortInUse {
        /// The port.
        port: u16,
        /// What it is for.
        what: &'static str,
        /// The option that picks it.
        flag: &'static str,
        /// The OS error.
        source: std::io::Error,
    },
    /// `--port` and `--ui-port` are the same.
    #[error("--port and --ui-port are both {0}: the WebSocket and the UI need a port each")]
    SamePorts(u16),
    /// The UI's dev server (Vite) exited while `start` was running.
    #[error("the UI's dev server (npm run dev) exited ({0}); its output is above")]
    UiExited(std::process::ExitStatus),
    /// The async runtime could not start.
    #[error("could not start the async runtime: {0}")]
    Runtime(std::io::Error),
    /// The path of this program (which runs the engine host) is unknown.
    #[error("could not find this program's own path to start the engine host: {0}")]
    OwnPath(std::io::Error),
}

/// The hidden first argument that makes `wavecraft` an engine host process (started by
/// `wavecraft start`; never typed by a person).
pub const ENGINE_HOST_MODE: &str = "__engine-host";

/// Opens `url` in the default browser through the `opener` crate (`$BROWSER` when set, else
/// the system's handler: `xdg-open`, `open`, the Windows shell). A Linux or BSD session
/// without a display (no `DISPLAY` or `WAYLAND_DISPLAY`: a server, CI) has no browser to
/// open, so the URL printed above is the way in.
pub fn open_browser(url: &str) {
    let headless = cfg!(all(unix, not(target_os = "macos")))
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none();
    if headless {
        eprintln!("  (no display found: open the UI URL in your browser)");
    } else if let Err(e) = opener::open_browser(url) {
        eprintln!("  (could not open a browser: {e}; open the UI URL in yours)");
    }
}

/// Runs `start` until Ctrl-C (SIGINT) or SIGTERM.
pub fn start(options: StartOptions) -> Result<(), StartCommandError> {
    let runtime = tokio::runtime::Runtime::new().map_err(StartCommandError::Runtime)?;
    runtime.block_on(run(options))
}

/// SIGINT (Ctrl-C) and SIGTERM, listened to from the moment `start` begins: one that arrives
/// during the npm install or the first build is kept until it is awaited, so it is never lost
/// (and the default action never kills `start` while children it must stop are running).
struct StopSignal {
    interrupt: Signal,
    terminate: Signal,
}

impl StopSignal {
    fn new() -> std::io::Result<StopSignal> {
        Ok(StopSignal {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    async fn recv(&mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
    }
}

/// Checks that 127.0.0.1:`port` is free, naming the option that picks it when it is not.
fn check_port(port: u16, what: &'static str, flag: &'static str) -> Result<(), StartCommandError> {
    std::net::TcpListener::bind(("127.0.0.1", port))
        .map(drop)
        .map_err(|source| StartCommandError::PortInUse {
            port,
            what,
            flag,
            source,
        })
}

async fn run(options: StartOptions) -> Result<(), StartCommandError> {
    let project = options
        .project
        .canonicalize()
        .unwrap_or(options.project.clone());
    let mut stop = StopSignal::new().map_err(StartCommandError::Runtime)?;
    // Everything is checked before anything starts.
    engine_dir(&project)?;
    let ui_dir = project.join("ui");
    let has_ui = ui_dir.join("package.json").is_file();
    check_port(options.port, "the WebSocket", "--port")?;
    if has_ui {
        if options.port == options.ui_port {
            return Err(StartCommandError::SamePorts(options.port));
        }
        check_port(options.ui_port, "the UI", "--ui-port")?;
    }
    let mut config = DevServerConfig::new(&project);
    config.port = options.port;
    config.ui_port = has_ui.then_some(options.ui_port);
    config.audio = options.audio;
    config.engine_host = HostCommand {
        program: std::env::current_exe().map_err(StartCommandError::OwnPath)?,
        args: vec![ENGINE_HOST_MODE.to_owned()],
    };
    let (server, mut events) = DevServer::start(config).await?;
    if has_ui && start_ui::needs_install(&ui_dir) {
        // While the engine's first build runs.
        eprintln!("installing the UI's dependencies in {} …", ui_dir.display());
        let installed = tokio::select! {
            installed = start_ui::install(&ui_dir) => installed.map(|()| true),
            // Dropping the install kills npm.
            () = stop.recv() => Ok(false),
        };
        if !matches!(installed, Ok(true)) {
            eprintln!("stopping…");
            server.shutdown().await;
            return installed.map(drop).map_err(StartCommandError::from);
        }
    }
    let ws_url = server.ws_url();
    if let Some(audio) = server.audio() {
        let status = audio.status();
        eprintln!(
            "  audio      {:?} at {} Hz, {}-frame blocks{}",
            status.backend,
            status.sample_rate.unwrap_or(0),
            status.block_size.unwrap_or(0),
            status
                .message
                .map(|m| format!(" ({m})"))
                .unwrap_or_default()
        );
    } else {
        eprintln!("  audio      off");
    }
    let mut ui = if has_ui {
        Some(UiServer::spawn(&ui_dir, options.ui_port, &ws_url)?)
    } else {
        None
    };
    eprintln!("wavecraft dev server for {}", project.display());
    eprintln!("  WebSocket  {ws_url}");
    match &ui {
        Some(_) => {
            let ui_url = format!("http://127.0.0.1:{}/", options.ui_port);
            eprintln!("  UI         {ui_url}");
            if !options.no_open {
                open_browser(&ui_url);
            }
        }
        None => eprintln!("  no ui/ in the project: serving IPC only"),
    }
    eprintln!("  press Ctrl-C to stop");
    let ui_exited = show_until_stopped(&mut events, &mut stop, ui.as_mut()).await;
    eprintln!("stopping…");
    if let Some(ui) = ui {
        ui.stop().await;
    }
    server.shutdown().await;
    match ui_exited {
        Some(status) => Err(StartCommandError::UiExited(status)),
        None => Ok(()),
    }
}

/// Shows progress until a stop signal, or until the UI's dev server exits (its status).
async fn show_until_stopped(
    events: &mut mpsc::UnboundedReceiver<DevEvent>,
    stop: &mut StopSignal,
    mut ui: Option<&mut UiServer>,
) -> Option<std::process::ExitStatus> {
    let mut terminal = Terminal::default();
    loop {
        tokio::select! {
            () = stop.recv() => return None,
            status = async {
                match ui.as_deref_mut() {
                    Some(ui) => ui.exited().await,
                    None => std::future::pending().await,
                }
            } => return Some(status),
            event = events.recv() => match event {
                Some(event) => terminal.show(&event),
                None => return None,
            },
        }
    }
}
