//! Runs one `cargo build` of the engine and streams its output: progress
//! lines as they come, diagnostics parsed from cargo's JSON, and the built
//! shared library. The build runs in its own process group, so cancelling it
//! (a newer save superseded it, or the server is shutting down) kills cargo,
//! rustc and any build script together.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;
use tokio::sync::watch;
use wavecraft_cargo::{cargo_program, dep_info, diagnostic, engine_library, parse_line, Message};
use wavecraft_protocol::{Diagnostic, DiagnosticLevel};

use crate::process_group::GroupChild;

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildSpec {
    /// The engine crate's Cargo.toml.
    pub manifest_path: PathBuf,
    /// Cargo's target directory for dev builds (kept apart from the author's own builds).
    pub target_dir: PathBuf,
}

impl BuildSpec {
    /// The dev build's cargo arguments. It builds only what the dev server loads: the
    /// library as a `cdylib` (`cargo rustc --crate-type cdylib`; a created crate also declares
    /// an `rlib` for its own tests, which a dev build would otherwise link too), with line
    /// tables instead of full debuginfo (panics and backtraces keep file:line; the library is
    /// smaller to link, copy and load). The profile override reaches only the dev target
    /// directory, so the author's own builds keep theirs.
    pub fn cargo_args(&self) -> Vec<OsString> {
        let mut args: Vec<OsString> = [
            "rustc",
            "--lib",
            "--crate-type",
            "cdylib",
            "--message-format=json",
            "--config",
            "profile.dev.debug=\"line-tables-only\"",
            "--manifest-path",
        ]
        .map(OsString::from)
        .into();
        args.push(self.manifest_path.clone().into());
        args.push("--target-dir".into());
        args.push(self.target_dir.clone().into());
        args
    }
}

/// How a build ended.
#[derive(Debug, Clone)]
pub struct BuildOutcome {
    /// Wall time.
    pub duration: Duration,
    /// Errors and warnings rustc reported: the engine's, and its path dependencies' (cargo
    /// silences registry crates' lints).
    pub diagnostics: Vec<Diagnostic>,
    /// The built shared library: `Some` exactly when the build succeeded.
    pub library: Option<PathBuf>,
    /// The build was killed before it finished.
    pub cancelled: bool,
    /// Every file the build read (cargo's dep-info of the library; empty unless it built).
    pub inputs: Vec<PathBuf>,
}

/// Why a build could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// `cargo` could not be started.
    #[error("could not start cargo: {0} (is the Rust toolchain installed and on PATH?)")]
    Spawn(std::io::Error),
}

/// Runs the build; `progress` gets each human-readable line cargo prints. Returns early with
/// `cancelled` when `cancel` turns true, after killing the whole process group.
pub async fn run_build(
    spec: &BuildSpec,
    mut cancel: watch::Receiver<bool>,
    mut progress: impl FnMut(&str) + Send,
) -> Result<BuildOutcome, BuildError> {
    let started = Instant::now();
    let mut child = GroupChild::spawn(
        Command::new(cargo_program())
            .args(spec.cargo_args())
            .env("CARGO_TERM_COLOR", "never")
            .env("CARGO_TERM_PROGRESS_WHEN", "never")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
    )
    .map_err(BuildError::Spawn)?;
    let leader = child.leader();
    let mut stdout = BufReader::new(leader.stdout.take().expect("piped")).lines();
    let mut stderr = BufReader::new(leader.stderr.take().expect("piped")).lines();
    let engine_manifest = spec
        .manifest_path
        .canonicalize()
        .unwrap_or_else(|_| spec.manifest_path.clone());
    let mut diagnostics = Vec::new();
    let mut library = None;
    let mut success = false;
    let (mut out_open, mut err_open) = (true, true);
    while out_open || err_open {
        tokio::select! {
            changed = cancel.changed() => {
                if changed.is_err() || *cancel.borrow() {
                    child.stop(Duration::ZERO).await;
                    return Ok(BuildOutcome { duration: started.elapsed(), diagnostics, library: None, cancelled: true, inputs: Vec::new() });
                }
            }
            line = stdout.next_line(), if out_open => match line {
                Ok(Some(line)) => match parse_line(&line) {
                    Some(Message::CompilerMessage(m)) => diagnostics.extend(diagnostic(&m.message)),
                    Some(Message::CompilerArtifact(artifact)) => {
                        if let Some(built) = engine_library(&artifact, &engine_manifest) {
                            library = Some(built.library);
                        }
                    }
                    Some(Message::BuildFinished(finished)) => success = finished.success,
                    _ => {}
                },
                _ => out_open = false,
            },
            line = stderr.next_line(), if err_open => match line {
                Ok(Some(line)) => progress(line.trim()),
                _ => err_open = false,
            },
        }
    }
    let status = child.leader().wait().await.map_err(BuildError::Spawn)?;
    let built = success && status.success();
    if built && library.is_none() {
        diagnostics.push(Diagnostic {
            level: DiagnosticLevel::Error,
            message: format!(
                "{} built, but produced no shared library: add `crate-type = [\"cdylib\"]` under [lib]",
                spec.manifest_path.display()
            ),
            file: Some(spec.manifest_path.display().to_string()),
            line: None,
            column: None,
            rendered: None,
        });
    }
    let library = library.filter(|_| built);
    // A missing or unreadable dep-info only means the watcher keeps its previous inputs.
    let inputs = library
        .as_deref()
        .and_then(|lib| dep_info::read(&dep_info::dep_info_path(lib)).ok())
        .unwrap_or_default();
    Ok(BuildOutcome {
        duration: started.elapsed(),
        diagnostics,
        library,
        cancelled: false,
        inputs,
    })
}

/// The dev target directory for an engine: `<engine>/target/wavecraft-dev`.
pub fn default_target_dir(engine_dir: &Path) -> PathBuf {
    engine_dir.join("target").join("wavecraft-dev")
}
