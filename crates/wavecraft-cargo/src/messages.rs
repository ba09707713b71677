//! One line of cargo's JSON output at a time: parsed by `cargo_metadata`, then narrowed to
//! what a Wavecraft build needs (compiler diagnostics as the protocol's [`Diagnostic`], and
//! the engine crate's shared library among the artifacts).

use std::path::{Path, PathBuf};

use cargo_metadata::diagnostic::{Diagnostic as RustcDiagnostic, DiagnosticLevel as RustcLevel};
use cargo_metadata::{Artifact, CrateType, Message};
use wavecraft_protocol::{Diagnostic, DiagnosticLevel};

/// Parses one line of cargo's JSON output; `None` for a line that is not one of cargo's
/// messages (cargo's or a build script's plain text, a reason this `cargo_metadata` does not
/// know).
pub fn parse_line(line: &str) -> Option<Message> {
    serde_json::from_str(line).ok()
}

/// The protocol's form of a compiler diagnostic: its level, message, primary span and
/// `rendered` text. `None` for levels the UI does not show (`failure-note`) and for rustc's
/// closing summary ("aborting due to …"), which repeats what the diagnostics said.
pub fn diagnostic(d: &RustcDiagnostic) -> Option<Diagnostic> {
    let level = match d.level {
        RustcLevel::Error | RustcLevel::Ice => DiagnosticLevel::Error,
        RustcLevel::Warning => DiagnosticLevel::Warning,
        RustcLevel::Note => DiagnosticLevel::Note,
        RustcLevel::Help => DiagnosticLevel::Help,
        _ => return None,
    };
    if d.spans.is_empty() && d.message.starts_with("aborting due to") {
        return None;
    }
    let primary = d.spans.iter().find(|s| s.is_primary);
    Some(Diagnostic {
        level,
        message: d.message.clone(),
        file: primary.map(|s| s.file_name.clone()),
        line: primary.and_then(|s| u32::try_from(s.line_start).ok()),
        column: primary.and_then(|s| u32::try_from(s.column_start).ok()),
        rendered: d.rendered.clone(),
    })
}

/// An engine crate's built shared library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltLibrary {
    /// The library target's crate name (`example_plugin`).
    pub crate_name: String,
    /// The shared library cargo produced.
    pub library: PathBuf,
    /// The package's version (from cargo's package id, so a version inherited from the
    /// workspace is resolved), which a plugin's factory reports.
    pub version: String,
}

/// The version in a cargo package id: `path+file:///p/engine#name@1.2.3` or, when the name
/// is the folder's, `path+file:///p/name#1.2.3`.
fn package_version(package_id: &str) -> String {
    let fragment = package_id.rsplit_once('#').map_or(package_id, |(_, f)| f);
    fragment
        .rsplit_once('@')
        .map_or(fragment, |(_, version)| version)
        .to_owned()
}

/// The built cdylib when `artifact` is one of the crate whose canonical manifest path is
/// `manifest`; `None` for every other artifact (dependencies, an rlib-only target).
pub fn engine_library(artifact: &Artifact, manifest: &Path) -> Option<BuiltLibrary> {
    // Most artifacts are dependencies' rlibs: rule those out before touching the file system.
    if !artifact.target.crate_types.contains(&CrateType::CDyLib) {
        return None;
    }
    let manifest_path = artifact.manifest_path.as_std_path();
    if manifest_path
        .canonicalize()
        .as_deref()
        .unwrap_or(manifest_path)
        != manifest
    {
        return None;
    }
    let library = artifact.filenames.iter().find(|f| {
        f.extension()
            .is_some_and(|e| e == std::env::consts::DLL_EXTENSION)
    })?;
    Some(BuiltLibrary {
        crate_name: artifact.target.name.clone(),
        library: library.clone().into_std_path_buf(),
        version: package_version(&artifact.package_id.repr),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `compiler-message` line as cargo 1.91 prints it (one span, cargo's own rendering).
    const ERROR: &str = r#"{"reason":"compiler-message","package_id":"path+file:///p/engine#x@0.1.0","manifest_path":"/p/engine/Cargo.toml","target":{"kind":["cdylib","rlib"],"crate_types":["cdylib","rlib"],"name":"x","src_path":"/p/engine/src/lib.rs","edition":"2021","doc":true,"doctest":true,"test":true},"message":{"rendered":"error: expected `;`, found `}`\n --> src/lib.rs:3:14\n","$message_type":"diagnostic","children":[],"code":null,"level":"error","message":"expected `;`, found `}`","spans":[{"byte_end":1,"byte_start":0,"column_end":15,"column_start":14,"expansion":null,"file_name":"src/lib.rs","is_primary":true,"label":null,"line_end":3,"line_start":3,"suggested_replacement":null,"suggestion_applicability":null,"text":[]}]}}"#;

    /// rustc's closing summary of a failed build.
    const ABORTING: &str = r#"{"reason":"compiler-message","package_id":"path+file:///p/engine#x@0.1.0","manifest_path":"/p/engine/Cargo.toml","target":{"kind":["cdylib","rlib"],"crate_types":["cdylib","rlib"],"name":"x","src_path":"/p/engine/src/lib.rs","edition":"2021","doc":true,"doctest":true,"test":true},"message":{"rendered":"error: aborting due to 1 previous error\n\n","$message_type":"diagnostic","children":[],"code":null,"level":"error","message":"aborting due to 1 previous error","spans":[]}}"#;

    /// A `compiler-artifact` line of a crate at `manifest` with crate types `types`.
    fn artifact(manifest: &str, types: &str, files: &str) -> String {
        format!(
            r#"{{"reason":"compiler-artifact","package_id":"path+file:///p/engine#x@0.1.0","manifest_path":{manifest:?},"target":{{"kind":{types},"crate_types":{types},"name":"x","src_path":"/p/engine/src/lib.rs","edition":"2021","doc":true,"doctest":true,"test":true}},"profile":{{"opt_level":"0","debuginfo":"line-tables-only","debug_assertions":true,"overflow_checks":true,"test":false}},"features":[],"filenames":{files},"executable":null,"fresh":false}}"#
        )
    }

    fn artifact_of(line: &str) -> Artifact {
        match parse_line(line) {
            Some(Message::CompilerArtifact(a)) => a,
            other => panic!("not an artifact: {other:?}"),
        }
    }

    #[test]
    fn parses_an_error_with_its_primary_span() {
        let Some(Message::CompilerMessage(m)) = parse_line(ERROR) else {
            panic!("not parsed")
        };
        let d = diagnostic(&m.message).expect("an error is shown");
        assert_eq!(d.level, DiagnosticLevel::Error);
        assert_eq!(d.message, "expected `;`, found `}`");
        assert_eq!(d.file.as_deref(), Some("src/lib.rs"));
        assert_eq!((d.line, d.column), (Some(3), Some(14)));
        assert!(d.rendered.unwrap().contains("--> src/lib.rs:3:14"));
    }

    #[test]
    fn the_closing_summary_and_failure_notes_are_not_shown() {
        let Some(Message::CompilerMessage(m)) = parse_line(ABORTING) else {
            panic!("not parsed")
        };
        assert_eq!(diagnostic(&m.message), None);
        let note = ERROR.replace(r#""level":"error""#, r#""level":"failure-note""#);
        let Some(Message::CompilerMessage(m)) = parse_line(&note) else {
            panic!("not parsed")
        };
        assert_eq!(diagnostic(&m.message), None);
        let ice = ERROR.replace(
            r#""level":"error""#,
            r#""level":"error: internal compiler error""#,
        );
        let Some(Message::CompilerMessage(m)) = parse_line(&ice) else {
            panic!("not parsed")
        };
        assert_eq!(
            diagnostic(&m.message).unwrap().level,
            DiagnosticLevel::Error
        );
    }

    #[test]
    fn finds_the_cdylib_of_the_engine_manifest_only() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = dir.path().join("Cargo.toml");
        std::fs::write(&manifest, "").unwrap();
        let manifest = manifest.canonicalize().unwrap();
        let ours = manifest.to_str().unwrap();
        let both = r#"["/t/libx.so","/t/libx.dylib","/t/x.dll","/t/libx.rlib"]"#;
        let expected = format!(
            "/t/{}x.{}",
            std::env::consts::DLL_PREFIX,
            std::env::consts::DLL_EXTENSION
        );
        assert_eq!(
            engine_library(
                &artifact_of(&artifact(ours, r#"["cdylib","rlib"]"#, both)),
                &manifest
            ),
            Some(BuiltLibrary {
                crate_name: "x".into(),
                library: PathBuf::from(expected),
                version: "0.1.0".into(),
            })
        );
        let elsewhere = artifact("/elsewhere/Cargo.toml", r#"["cdylib"]"#, both);
        assert_eq!(engine_library(&artifact_of(&elsewhere), &manifest), None);
        let rlib_only = artifact(ours, r#"["rlib"]"#, r#"["/t/libx.rlib"]"#);
        assert_eq!(engine_library(&artifact_of(&rlib_only), &manifest), None);
    }

    #[test]
    fn the_version_comes_from_the_package_id() {
        assert_eq!(
            package_version("path+file:///p/engine#my-fx@1.2.3"),
            "1.2.3"
        );
        assert_eq!(
            package_version("path+file:///p/my-fx#0.4.0-beta.1"),
            "0.4.0-beta.1"
        );
        assert_eq!(
            package_version("registry+https://github.com/rust-lang/crates.io-index#serde@1.0.2"),
            "1.0.2"
        );
    }

    #[test]
    fn the_verdict_and_other_lines() {
        let Some(Message::BuildFinished(f)) =
            parse_line(r#"{"reason":"build-finished","success":false}"#)
        else {
            panic!("not parsed")
        };
        assert!(!f.success);
        assert_eq!(parse_line("   Compiling x v0.1.0"), None);
        assert_eq!(parse_line(r#"{"reason":"timing-info","name":"x"}"#), None);
    }
}
