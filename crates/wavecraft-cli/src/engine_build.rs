//! Locating an engine library: either the path given is one already, or it is a
//! Wavecraft project whose `engine/` crate is built with cargo, and the cdylib
//! is found in cargo's JSON messages (never guessed from target-dir layout).
//!
//! Cargo's progress and rendered diagnostics go straight to this process's
//! stderr, so the author sees a failing build the way `cargo build` shows it.
//! This module never loads the library; that is the engine loader's job.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use wavecraft_cargo::{cargo_program, engine_library, parse_line, BuiltLibrary, Message};

/// File extensions a built engine library can have, on any platform.
pub const LIBRARY_EXTENSIONS: [&str; 3] = ["so", "dylib", "dll"];

/// Why no engine library could be produced from a path.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The path does not exist.
    #[error("{0} does not exist: pass a Wavecraft project directory or a built engine library (.so/.dylib/.dll)")]
    NotFound(PathBuf),
    /// A file that is not a dynamic library.
    #[error("{0} is not an engine library: pass a Wavecraft project directory or a built engine library (.so/.dylib/.dll)")]
    NotALibrary(PathBuf),
    /// A directory that is not a Wavecraft project.
    #[error(
        "no engine/Cargo.toml in {0}: pass a Wavecraft project directory or a built engine library"
    )]
    NotAProject(PathBuf),
    /// Cargo could not be started.
    #[error("could not run `{cargo}`: {source} (is Rust installed and cargo on PATH? set CARGO to its path otherwise)")]
    Spawn {
        /// The cargo program tried.
        cargo: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// Reading cargo's output failed.
    #[error("could not read cargo's output: {0}")]
    Io(#[from] std::io::Error),
    /// Cargo reported a failed build; its diagnostics were shown above.
    #[error(
        "engine build failed for {0} (cargo's messages are above): fix the errors and run again"
    )]
    Failed(PathBuf),
    /// The build succeeded but produced no dynamic library.
    #[error("building {0} produced no cdylib: add `crate-type = [\"cdylib\"]` under [lib] in its Cargo.toml")]
    NoCdylib(PathBuf),
}

/// Returns the engine library for `path`: the file itself when it is a library, or the cdylib
/// built from `<path>/engine/Cargo.toml` when it is a project directory.
pub fn locate_engine(path: &Path) -> Result<PathBuf, BuildError> {
    if path.is_file() {
        return if is_library(path) {
            Ok(path.to_path_buf())
        } else {
            Err(BuildError::NotALibrary(path.to_path_buf()))
        };
    }
    if !path.is_dir() {
        return Err(BuildError::NotFound(path.to_path_buf()));
    }
    let manifest = path.join("engine").join("Cargo.toml");
    if !manifest.is_file() {
        return Err(BuildError::NotAProject(path.to_path_buf()));
    }
    build_engine(&manifest)
}

/// True when the file name ends in a dynamic-library extension.
pub fn is_library(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| LIBRARY_EXTENSIONS.contains(&e))
}

/// How to build an engine crate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EngineBuild {
    /// `--release` instead of a debug build.
    pub release: bool,
    /// Extra `--features` (e.g. `wavecraft/clap` for a bundle).
    pub features: Vec<String>,
    /// Cargo's target directory; `None` lets cargo choose.
    pub target_dir: Option<PathBuf>,
    /// Environment variables for the build, each set (`Some`) or removed (`None`), e.g. the
    /// UI folder a bundle embeds.
    pub env: Vec<(String, Option<String>)>,
}

/// Builds the engine crate of `manifest` as a debug library and returns its cdylib.
/// Cargo's progress and rendered diagnostics go straight to stderr.
pub fn build_engine(manifest: &Path) -> Result<PathBuf, BuildError> {
    Ok(build_engine_with(manifest, &EngineBuild::default())?.library)
}

/// Builds the engine crate of `manifest` as `options` say and returns its cdylib.
/// Cargo's progress and rendered diagnostics go straight to stderr.
pub fn build_engine_with(
    manifest: &Path,
    options: &EngineBuild,
) -> Result<BuiltLibrary, BuildError> {
    let cargo = cargo_program();
    let mut command = Command::new(&cargo);
    command
        .args(["build", "--lib", "--message-format=json-render-diagnostics"])
        .arg("--manifest-path")
        .arg(manifest);
    if options.release {
        command.arg("--release");
    }
    for feature in &options.features {
        command.args(["--features", feature]);
    }
    if let Some(dir) = &options.target_dir {
        command.arg("--target-dir").arg(dir);
    }
    for (name, value) in &options.env {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|source| BuildError::Spawn {
            cargo: cargo.to_string_lossy().into_owned(),
            source,
        })?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| std::io::Error::other("cargo's stdout was not captured"))?;
    let manifest_key = manifest
        .canonicalize()
        .unwrap_or_else(|_| manifest.to_path_buf());
    let mut built = None;
    for line in BufReader::new(stdout).lines() {
        if let Some(Message::CompilerArtifact(artifact)) = parse_line(&line?) {
            built = engine_library(&artifact, &manifest_key).or(built);
        }
    }
    let status = child.wait()?;
    if !status.success() {
        return Err(BuildError::Failed(manifest.to_path_buf()));
    }
    built.ok_or_else(|| BuildError::NoCdylib(manifest.to_path_buf()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_without_an_engine_names_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let err = locate_engine(dir.path()).unwrap_err();
        assert!(matches!(err, BuildError::NotAProject(_)));
        assert!(err.to_string().contains("no engine/Cargo.toml in"));
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "hi").unwrap();
        assert!(matches!(
            locate_engine(&text),
            Err(BuildError::NotALibrary(_))
        ));
        assert!(matches!(
            locate_engine(&dir.path().join("missing")),
            Err(BuildError::NotFound(_))
        ));
    }
}
