//! `wavecraft start`: checks the project and the ports, installs the UI's
//! dependencies when missing, starts the dev server (first build with
//! progress) and the UI's Vite server, prints both URLs, and on Ctrl-C stops
//! everything — no cargo, rustc, node or vite process is left behind.

use std::path::PathBuf;

use tokio::sync::mpsc;
use wavecraft_dev_server::audio::AudioConfig;
use wavecraft_dev_server::server::{bind, engine_dir};
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
    /// The UI port is taken.
    #[error("port {port} on 127.0.0.1 (for the UI) is already in use ({source}); stop whatever uses it or pick another with --ui-port")]
    UiPortInUse {
        /// The port.
        port: u16,
        /// The OS error.
        source: std::io::Error,
    },
    /// The async runtime could not start.
    #[error("could not start the async runtime: {0}")]
    Runtime(std::io::Error),
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        Some("open")
    } else if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some()
    {
        Some("xdg-open")
    } else {
        None
    };
    match opener {
        Some(cmd) => {
            let _ = std::process::Command::new(cmd)
                .arg(url)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn();
        }
        None => eprintln!("  (no display found: open the UI URL in your browser)"),
    }
}

/// Runs `start` until Ctrl-C (SIGINT) or SIGTERM.
pub fn start(options: StartOptions) -> Result<(), StartCommandError> {
    let runtime = tokio::runtime::Runtime::new().map_err(StartCommandError::Runtime)?;
    runtime.block_on(run(options))
}

async fn stop_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => {}
    }
}

async fn run(options: StartOptions) -> Result<(), StartCommandError> {
    let project = options
        .project
        .canonicalize()
        .unwrap_or(options.project.clone());
    engine_dir(&project)?;
    let ui_dir = project.join("ui");
    let has_ui = ui_dir.join("package.json").is_file();
    if has_ui {
        // Check the UI port now, so a busy port is named before anything starts.
        if let Err(StartError::PortInUse { port, source }) = bind(options.ui_port).await {
            return Err(StartCommandError::UiPortInUse { port, source });
        }
    }
    let mut config = DevServerConfig::new(&project);
    config.port = options.port;
    config.ui_port = has_ui.then_some(options.ui_port);
    config.audio = options.audio;
    if has_ui && start_ui::needs_install(&ui_dir) {
        eprintln!("installing the UI's dependencies in {} …", ui_dir.display());
        start_ui::install(&ui_dir).await?;
    }
    let (server, mut events) = DevServer::start(config).await?;
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
    let ui = if has_ui {
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
    show_until_stopped(&mut events).await;
    eprintln!("stopping…");
    if let Some(ui) = ui {
        ui.stop().await;
    }
    server.shutdown().await;
    Ok(())
}

async fn show_until_stopped(events: &mut mpsc::UnboundedReceiver<DevEvent>) {
    let mut terminal = Terminal::default();
    let stop = stop_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = &mut stop => return,
            event = events.recv() => match event {
                Some(event) => terminal.show(&event),
                None => return,
            },
        }
    }
}
