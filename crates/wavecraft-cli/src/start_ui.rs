//! The UI side of `wavecraft start`: installs the project's UI dependencies
//! when they are missing and runs its Vite dev server with the WebSocket URL
//! passed in, in its own process group so stopping it leaves no node or
//! esbuild process behind.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use std::time::Duration;

use tokio::process::Command;
use wavecraft_dev_server::process_group::GroupChild;

/// Why the UI could not be started.
#[derive(Debug, thiserror::Error)]
pub enum UiError {
    /// npm is not installed.
    #[error("could not run npm in {dir}: {source} (install Node.js 20+ and npm, or remove ui/ to run IPC only)")]
    Npm {
        /// The UI directory.
        dir: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// `npm install` failed.
    #[error("installing the UI's dependencies in {0} failed (see npm's output above); fix it and run `wavecraft start` again")]
    Install(PathBuf),
}

/// True when `ui_dir` needs `npm install` (no node_modules yet).
pub fn needs_install(ui_dir: &Path) -> bool {
    !ui_dir.join("node_modules").is_dir()
}

/// Runs `npm ci` (with a lockfile) or `npm install`, output shown to the user.
pub async fn install(ui_dir: &Path) -> Result<(), UiError> {
    let verb = if ui_dir.join("package-lock.json").is_file() {
        "ci"
    } else {
        "install"
    };
    let status = Command::new("npm")
        .args([verb, "--no-audit", "--no-fund"])
        .current_dir(ui_dir)
        .stdin(Stdio::null())
        // In the terminal's process group, so Ctrl-C reaches npm too.
        .kill_on_drop(true)
        .status()
        .await
        .map_err(|source| UiError::Npm {
            dir: ui_dir.to_path_buf(),
            source,
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(UiError::Install(ui_dir.to_path_buf()))
    }
}

/// How long Vite's group gets to exit after SIGTERM before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(3);

/// The running Vite dev server: npm leading a process group with node and esbuild.
pub struct UiServer {
    child: GroupChild,
}

impl UiServer {
    /// Starts `npm run dev` on 127.0.0.1:`port` with `VITE_WAVECRAFT_WS_URL=ws_url`.
    pub fn spawn(ui_dir: &Path, port: u16, ws_url: &str) -> Result<UiServer, UiError> {
        let child = GroupChild::spawn(
            Command::new("npm")
                .args(["run", "dev", "--", "--port"])
                .arg(port.to_string())
                .args(["--strictPort", "--host", "127.0.0.1"])
                .current_dir(ui_dir)
                .env("VITE_WAVECRAFT_WS_URL", ws_url)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::inherit()),
        )
        .map_err(|source| UiError::Npm {
            dir: ui_dir.to_path_buf(),
            source,
        })?;
        Ok(UiServer { child })
    }

    /// Waits until npm exits (cancel-safe) and returns its status.
    pub async fn exited(&mut self) -> std::process::ExitStatus {
        match self.child.leader().wait().await {
            Ok(status) => status,
            // Waiting itself failed: report it as a failed exit rather than never.
            Err(_) => std::os::unix::process::ExitStatusExt::from_raw(1 << 8),
        }
    }

    /// Stops the whole process group (npm, node, esbuild: SIGTERM, SIGKILL after 3 s) and
    /// waits for npm.
    pub async fn stop(mut self) {
        self.child.stop(STOP_GRACE).await;
    }
}
