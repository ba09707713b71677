//! Cargo's JSON messages (`--message-format=json`) parsed once into typed
//! values: compiler diagnostics as the protocol's [`Diagnostic`], built
//! artifacts, and the end-of-build verdict. Shown many ways later (terminal,
//! browser), parsed here only.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use wavecraft_protocol::{Diagnostic, DiagnosticLevel};

/// One line of cargo's JSON output that matters to the dev loop.
#[derive(Debug, Clone, PartialEq)]
pub enum CargoMessage {
    /// A compiler diagnostic for one of the project's own crates.
    Diagnostic(Diagnostic),
    /// A finished artifact: a target's output files.
    Artifact {
        /// The crate's manifest.
        manifest_path: PathBuf,
        /// The target's crate name (`example_plugin`).
        crate_name: String,
        /// The target's crate types (`cdylib`, `rlib`, …).
        crate_types: Vec<String>,
        /// The produced files (for a cdylib, the shared library is among them).
        filenames: Vec<PathBuf>,
    },
    /// The build ended.
    Finished {
        /// Whether it succeeded.
        success: bool,
    },
}

#[derive(Deserialize)]
struct Raw {
    reason: String,
    #[serde(default)]
    message: Option<RawDiagnostic>,
    #[serde(default)]
    manifest_path: Option<PathBuf>,
    #[serde(default)]
    target: Option<RawTarget>,
    #[serde(default)]
    filenames: Vec<PathBuf>,
    #[serde(default)]
    success: Option<bool>,
}

#[derive(Deserialize)]
struct RawTarget {
    #[serde(default)]
    name: String,
    #[serde(default)]
    crate_types: Vec<String>,
}

#[derive(Deserialize)]
struct RawDiagnostic {
    message: String,
    level: String,
    #[serde(default)]
    spans: Vec<RawSpan>,
    #[serde(default)]
    rendered: Option<String>,
}

#[derive(Deserialize)]
struct RawSpan {
    file_name: String,
    line_start: u32,
    column_start: u32,
    is_primary: bool,
}

fn level(s: &str) -> Option<DiagnosticLevel> {
    Some(match s {
        "error" | "error: internal compiler error" => DiagnosticLevel::Error,
        "warning" => DiagnosticLevel::Warning,
        "note" => DiagnosticLevel::Note,
        "help" => DiagnosticLevel::Help,
        _ => return None,
    })
}

/// Parses one line of cargo's JSON output; `None` for lines that do not matter
/// (other reasons, non-JSON lines, summary lines like "aborting due to …").
pub fn parse_line(line: &str) -> Option<CargoMessage> {
    let raw: Raw = serde_json::from_str(line).ok()?;
    match raw.reason.as_str() {
        "compiler-message" => {
            let d = raw.message?;
            let level = level(&d.level)?;
            if d.spans.is_empty() && d.message.starts_with("aborting due to") {
                return None;
            }
            let primary = d.spans.iter().find(|s| s.is_primary);
            Some(CargoMessage::Diagnostic(Diagnostic {
                level,
                message: d.message,
                file: primary.map(|s| s.file_name.clone()),
                line: primary.map(|s| s.line_start),
                column: primary.map(|s| s.column_start),
                rendered: d.rendered,
            }))
        }
        "compiler-artifact" => {
            let target = raw.target?;
            Some(CargoMessage::Artifact {
                manifest_path: raw.manifest_path?,
                crate_name: target.name,
                crate_types: target.crate_types,
                filenames: raw.filenames,
            })
        }
        "build-finished" => Some(CargoMessage::Finished {
            success: raw.success.unwrap_or(false),
        }),
        _ => None,
    }
}

/// The built cdylib (crate name, shared library) when `message` is an artifact of the crate
/// whose canonical manifest path is `manifest`.
pub fn engine_library(message: CargoMessage, manifest: &Path) -> Option<(String, PathBuf)> {
    let CargoMessage::Artifact {
        manifest_path,
        crate_name,
        crate_types,
        filenames,
    } = message
    else {
        return None;
    };
    // Most artifacts are dependencies' rlibs: rule those out before touching the file system.
    if !crate_types.iter().any(|t| t == "cdylib")
        || manifest_path.canonicalize().unwrap_or(manifest_path) != manifest
    {
        return None;
    }
    let library = shared_library(&filenames)?.to_path_buf();
    Some((crate_name, library))
}

/// The shared library among an artifact's files, if any.
fn shared_library(filenames: &[PathBuf]) -> Option<&Path> {
    filenames
        .iter()
        .find(|f| {
            f.extension()
                .is_some_and(|e| e == std::env::consts::DLL_EXTENSION)
        })
        .map(PathBuf::as_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_an_error_with_its_primary_span() {
        let line = r#"{"reason":"compiler-message","package_id":"x","manifest_path":"/p/engine/Cargo.toml","target":{},"message":{"rendered":"error: expected `;`\n --> src/lib.rs:3:14\n","$message_type":"diagnostic","children":[],"level":"error","message":"expected `;`, found `}`","spans":[{"byte_end":1,"byte_start":0,"column_end":15,"column_start":14,"expansion":null,"file_name":"src/lib.rs","is_primary":true,"label":null,"line_end":3,"line_start":3,"suggested_replacement":null,"suggestion_applicability":null,"text":[]}],"code":null}}"#;
        let Some(CargoMessage::Diagnostic(d)) = parse_line(line) else {
            panic!("not parsed")
        };
        assert_eq!(d.level, DiagnosticLevel::Error);
        assert_eq!(d.file.as_deref(), Some("src/lib.rs"));
        assert_eq!((d.line, d.column), (Some(3), Some(14)));
        assert!(d.rendered.unwrap().contains("--> src/lib.rs:3:14"));
    }

    #[test]
    fn parses_artifacts_and_the_verdict() {
        let art = r#"{"reason":"compiler-artifact","package_id":"x","manifest_path":"/p/engine/Cargo.toml","target":{"kind":["cdylib"],"name":"x","crate_types":["cdylib","rlib"]},"profile":{},"features":[],"filenames":["/p/target/debug/libx.so","/p/target/debug/libx.rlib"],"executable":null,"fresh":false}"#;
        let Some(CargoMessage::Artifact { filenames, .. }) = parse_line(art) else {
            panic!("not parsed")
        };
        assert_eq!(
            shared_library(&filenames),
            Some(Path::new("/p/target/debug/libx.so"))
        );
        assert_eq!(
            engine_library(parse_line(art).unwrap(), Path::new("/p/engine/Cargo.toml")),
            Some(("x".to_owned(), PathBuf::from("/p/target/debug/libx.so")))
        );
        assert_eq!(
            engine_library(parse_line(art).unwrap(), Path::new("/elsewhere/Cargo.toml")),
            None
        );
        assert_eq!(
            parse_line(r#"{"reason":"build-finished","success":false}"#),
            Some(CargoMessage::Finished { success: false })
        );
        assert_eq!(parse_line("   Compiling x v0.1.0"), None);
        assert_eq!(parse_line(r#"{"reason":"build-script-executed"}"#), None);
    }
}
