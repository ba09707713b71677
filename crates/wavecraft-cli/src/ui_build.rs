//! The UI side of `wavecraft bundle`: the project's `ui/` built for production
//! by its own `npm run build` (Vite) into a folder the engine build then
//! embeds, and a digest of the files it wrote.
//!
//! The folder lives in the build's target directory (`<target>/wavecraft-ui`),
//! never in `ui/`, so an author's own `dist/` is left alone. The digest names
//! the folder's content: the engine build is given it (`WAVECRAFT_UI_DIGEST`),
//! so cargo recompiles the author's crate exactly when the UI changed, and a
//! bundle whose UI build wrote the same files as last time needs no second
//! engine build. This module runs npm and reads files; it never builds Rust.

use std::collections::hash_map::DefaultHasher;
use std::hash::Hasher;
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The environment variable naming the folder the engine build embeds.
pub const DIST_VAR: &str = "WAVECRAFT_UI_DIST";
/// The environment variable carrying the digest of that folder's files.
pub const DIGEST_VAR: &str = "WAVECRAFT_UI_DIGEST";

/// A production build of the UI, ready to embed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UiDist {
    /// The folder holding `index.html` and its assets.
    pub dir: PathBuf,
    /// A digest of every file's path and bytes (hex).
    pub digest: String,
    /// How many files.
    pub files: usize,
    /// Their total size in bytes.
    pub bytes: u64,
}

impl UiDist {
    /// The variables an engine build needs to embed this UI.
    pub fn build_env(&self) -> Vec<(String, String)> {
        vec![
            (DIST_VAR.to_owned(), self.dir.display().to_string()),
            (DIGEST_VAR.to_owned(), self.digest.clone()),
        ]
    }
}

/// Why the UI could not be built.
#[derive(Debug, thiserror::Error)]
pub enum UiBuildError {
    /// `ui/` exists but is not an npm project.
    #[error("{0} has no package.json: the UI cannot be built (remove ui/ to bundle with the host's generic parameter UI)")]
    NotAnNpmProject(PathBuf),
    /// npm could not be started.
    #[error("could not run npm to build the UI in {dir}: {source}. `wavecraft bundle` builds ui/ with Node.js 20.19 or newer and npm: install them (on Debian 12, from NodeSource or nodejs.org; Debian's own nodejs is too old), or remove ui/ to bundle with the host's generic parameter UI")]
    Npm {
        /// The UI directory.
        dir: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// `npm ci` / `npm install` failed.
    #[error("installing the UI's dependencies in {0} failed (npm's output is above)")]
    Install(PathBuf),
    /// `npm run build` failed.
    #[error("the UI's production build (`npm run build` in {0}) failed; its output is above")]
    Build(PathBuf),
    /// The build wrote no `index.html`.
    #[error("the UI's production build wrote no index.html into {0}: the plugin window would have nothing to show (does `npm run build` run `vite build`?)")]
    NoIndex(PathBuf),
    /// Reading the built files failed.
    #[error("could not read the UI's build output {}: {source}", path.display())]
    Read {
        /// The path involved.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

/// Where the UI's production build goes for a build whose cargo target directory is `target`.
pub fn dist_dir(target: &Path) -> PathBuf {
    target.join("wavecraft-ui")
}

/// What an earlier bundle left in `dir`, if it holds a UI (an `index.html`).
pub fn existing(dir: &Path) -> Option<UiDist> {
    if !dir.join("index.html").is_file() {
        return None;
    }
    digest(dir).ok()
}

/// Installs `ui_dir`'s npm packages when `node_modules` is missing (`npm ci` with a
/// lockfile, `npm install` without). npm's output goes to stderr.
pub fn install_if_missing(ui_dir: &Path) -> Result<(), UiBuildError> {
    install_with(NPM, ui_dir)
}

/// The npm program run (found on PATH).
const NPM: &str = "npm";

fn install_with(npm: &str, ui_dir: &Path) -> Result<(), UiBuildError> {
    if !ui_dir.join("package.json").is_file() {
        return Err(UiBuildError::NotAnNpmProject(ui_dir.to_path_buf()));
    }
    if ui_dir.join("node_modules").is_dir() {
        return Ok(());
    }
    let verb = if ui_dir.join("package-lock.json").is_file() {
        "ci"
    } else {
        "install"
    };
    if run_npm(npm, ui_dir, &[verb, "--no-audit", "--no-fund"])? {
        Ok(())
    } else {
        Err(UiBuildError::Install(ui_dir.to_path_buf()))
    }
}

/// Runs `npm run build -- --outDir <out> --emptyOutDir` in `ui_dir` and digests what it wrote.
/// `out` may be relative (to this process's directory): npm runs in `ui_dir`, so Vite is
/// given it made absolute.
pub fn build(ui_dir: &Path, out: &Path) -> Result<UiDist, UiBuildError> {
    let out = &std::path::absolute(out).map_err(|source| UiBuildError::Read {
        path: out.to_path_buf(),
        source,
    })?;
    let out_arg = out.display().to_string();
    let ok = run_npm(
        NPM,
        ui_dir,
        &["run", "build", "--", "--outDir", &out_arg, "--emptyOutDir"],
    )?;
    if !ok {
        return Err(UiBuildError::Build(ui_dir.to_path_buf()));
    }
    if !out.join("index.html").is_file() {
        return Err(UiBuildError::NoIndex(out.to_path_buf()));
    }
    digest(out).map_err(|source| UiBuildError::Read {
        path: out.to_path_buf(),
        source,
    })
}

/// Runs npm with `args` in `dir`, its output on our stderr (stdout stays the CLI's own).
fn run_npm(npm: &str, dir: &Path, args: &[&str]) -> Result<bool, UiBuildError> {
    let npm_error = |source| UiBuildError::Npm {
        dir: dir.to_path_buf(),
        source,
    };
    let stderr = std::io::stderr()
        .as_fd()
        .try_clone_to_owned()
        .map_err(npm_error)?;
    let status = Command::new(npm)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::from(stderr))
        .status()
        .map_err(npm_error)?;
    Ok(status.success())
}

/// Digests every file under `dir`: relative paths (sorted) and bytes; the result names `dir`
/// absolutely (the engine build, which embeds it, runs in another directory). The hasher is std's
/// SipHash with fixed keys: stable for one build of this tool, which is all a cache key
/// needs (another build of the CLI at worst costs one more engine build).
fn digest(dir: &Path) -> std::io::Result<UiDist> {
    let dir = &std::path::absolute(dir)?;
    let mut files = Vec::new();
    collect_files(dir, dir, &mut files)?;
    files.sort();
    let mut hasher = DefaultHasher::new();
    let mut bytes = 0;
    for relative in &files {
        let content = std::fs::read(dir.join(relative))?;
        bytes += content.len() as u64;
        hasher.write(relative.as_bytes());
        hasher.write_u8(0);
        hasher.write_usize(content.len());
        hasher.write(&content);
    }
    Ok(UiDist {
        dir: dir.to_path_buf(),
        digest: format!("{:016x}", hasher.finish()),
        files: files.len(),
        bytes,
    })
}

/// Every file below `dir`, as `/`-separated paths relative to `root`.
fn collect_files(root: &Path, dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect_files(root, &path, out)?;
        } else {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let parts: Vec<_> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_follows_every_file_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(existing(dir.path()), None, "no index.html: no UI");
        std::fs::write(dir.path().join("index.html"), "<html>").unwrap();
        std::fs::create_dir(dir.path().join("assets")).unwrap();
        std::fs::write(dir.path().join("assets/app.js"), "let a = 1;").unwrap();
        let first = existing(dir.path()).unwrap();
        assert_eq!((first.files, first.bytes), (2, 16));
        assert_eq!(existing(dir.path()).unwrap().digest, first.digest, "stable");

        std::fs::write(dir.path().join("assets/app.js"), "let a = 2;").unwrap();
        let edited = existing(dir.path()).unwrap();
        assert_ne!(edited.digest, first.digest, "a changed byte");

        std::fs::rename(
            dir.path().join("assets/app.js"),
            dir.path().join("assets/app2.js"),
        )
        .unwrap();
        assert_ne!(
            existing(dir.path()).unwrap().digest,
            edited.digest,
            "a renamed file"
        );
        assert_eq!(
            first.build_env(),
            vec![
                (DIST_VAR.to_owned(), dir.path().display().to_string()),
                (DIGEST_VAR.to_owned(), first.digest.clone()),
            ]
        );
    }

    /// The CLI is often given a relative project path; npm runs in `ui/`, so a relative
    /// output folder must not reach it as such (Vite would write below `ui/`).
    #[test]
    fn a_relative_output_folder_is_written_where_it_names() {
        let ui = tempfile::tempdir().unwrap();
        // A build script that writes index.html into the --outDir it is given.
        std::fs::write(
            ui.path().join("build.js"),
            "const i = process.argv.indexOf('--outDir'); const fs = require('fs');\n\
             fs.mkdirSync(process.argv[i + 1], { recursive: true });\n\
             fs.writeFileSync(require('path').join(process.argv[i + 1], 'index.html'), '<html>');\n",
        )
        .unwrap();
        let package = r#"{ "name": "ui", "scripts": { "build": "node build.js" } }"#;
        std::fs::write(ui.path().join("package.json"), package).unwrap();
        let here = tempfile::Builder::new()
            .prefix(".ui-build-test")
            .tempdir_in(".")
            .unwrap();
        let relative = Path::new(".")
            .join(here.path().file_name().unwrap())
            .join("dist");

        let dist = build(ui.path(), &relative).unwrap();
        assert!(dist.dir.is_absolute(), "{dist:?}");
        assert_eq!(dist.dir, std::path::absolute(&relative).unwrap());
        assert!(relative.join("index.html").is_file());
        assert!(!ui.path().join(&relative).exists(), "written below ui/");
        assert_eq!(existing(&relative).unwrap().dir, dist.dir);
    }

    #[test]
    fn a_ui_folder_without_package_json_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let err = install_if_missing(dir.path()).unwrap_err();
        assert!(matches!(err, UiBuildError::NotAnNpmProject(_)));
        assert!(err.to_string().contains("has no package.json"), "{err}");
    }

    #[test]
    fn a_missing_npm_says_what_to_install() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("package.json"), "{}").unwrap();
        let missing = dir.path().join("no-such-npm");
        let err = install_with(missing.to_str().unwrap(), dir.path()).unwrap_err();
        assert!(matches!(err, UiBuildError::Npm { .. }), "{err}");
        assert!(err.to_string().contains("Node.js 20.19"), "{err}");
    }
}
