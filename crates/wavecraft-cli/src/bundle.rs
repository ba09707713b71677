//! `wavecraft bundle`: the project's engine built as a CLAP plugin.
//!
//! The engine crate is built with `cargo build --lib --release` (or debug)
//! and `--features wavecraft/clap`, which is the only build that compiles
//! the CLAP entry; its cdylib is found in cargo's JSON messages and copied to
//! `<project>/target/bundled/<name>.clap`. On Linux and Windows a `.clap` is
//! that single library file; on macOS it is a bundle directory
//! (`<name>.clap/Contents/{Info.plist, MacOS/<name>}`). `--install` copies
//! it into the user's CLAP folder.
//!
//! Cargo's progress and diagnostics go straight to stderr. This module never
//! loads the library it builds.

use std::path::{Path, PathBuf};

use wavecraft_cargo::BuiltLibrary;

use crate::engine_build::{build_engine_with, BuildError, EngineBuild};

/// What to bundle and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleOptions {
    /// The Wavecraft project directory (holding `engine/Cargo.toml`).
    pub project: PathBuf,
    /// Build with optimisations (the default for shipping).
    pub release: bool,
    /// Cargo's target directory; `None` lets cargo choose.
    pub target_dir: Option<PathBuf>,
    /// Where the `.clap` is written: `<project>/target/bundled` by default.
    pub out_dir: PathBuf,
    /// Copy the bundle into this folder after writing it.
    pub install_to: Option<PathBuf>,
}

impl BundleOptions {
    /// A release bundle of `project` into `<project>/target/bundled`, not installed.
    pub fn new(project: impl Into<PathBuf>) -> Self {
        let project = project.into();
        let out_dir = project.join("target").join("bundled");
        BundleOptions {
            project,
            release: true,
            target_dir: None,
            out_dir,
            install_to: None,
        }
    }
}

/// What a finished bundle produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundled {
    /// The `.clap` written under `target/bundled/`.
    pub bundle: PathBuf,
    /// The installed copy, when `install_to` was given.
    pub installed: Option<PathBuf>,
}

/// Why no bundle was written.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The path is not a Wavecraft project directory.
    #[error("{0} is not a Wavecraft project: `wavecraft bundle` needs a directory with engine/Cargo.toml")]
    NotAProject(PathBuf),
    /// Building the engine failed.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// Writing or installing the bundle failed.
    #[error("could not {what} {}: {source}", path.display())]
    Io {
        /// What was being done.
        what: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

fn io<'p>(what: &'static str, path: &'p Path) -> impl FnOnce(std::io::Error) -> BundleError + 'p {
    move |source| BundleError::Io {
        what,
        path: path.to_path_buf(),
        source,
    }
}

/// Builds the project's engine with the CLAP entry and writes `target/bundled/<name>.clap`.
pub fn bundle(options: &BundleOptions) -> Result<Bundled, BundleError> {
    let manifest = options.project.join("engine").join("Cargo.toml");
    if !manifest.is_file() {
        return Err(BundleError::NotAProject(options.project.clone()));
    }
    let BuiltLibrary {
        crate_name: name,
        library,
    } = build_clap_library(&manifest, options)?;
    let out_dir = &options.out_dir;
    std::fs::create_dir_all(out_dir).map_err(io("create", out_dir))?;
    let bundle = out_dir.join(format!("{name}.clap"));
    write_bundle(&library, &bundle, &name)?;
    let installed = match &options.install_to {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(io("create", dir))?;
            let target = dir.join(format!("{name}.clap"));
            copy_bundle(&bundle, &target)?;
            Some(target)
        }
        None => None,
    };
    Ok(Bundled { bundle, installed })
}

/// Where hosts look for CLAP plugins on this platform, per the CLAP specification (user folder first).
pub fn clap_search_paths() -> Vec<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if cfg!(target_os = "macos") {
        let mut paths: Vec<PathBuf> = home
            .map(|h| h.join("Library/Audio/Plug-Ins/CLAP"))
            .into_iter()
            .collect();
        paths.push(PathBuf::from("/Library/Audio/Plug-Ins/CLAP"));
        paths
    } else if cfg!(windows) {
        let local = std::env::var_os("LOCALAPPDATA").map(|d| {
            PathBuf::from(d)
                .join("Programs")
                .join("Common")
                .join("CLAP")
        });
        let common = std::env::var_os("COMMONPROGRAMFILES").map(|d| PathBuf::from(d).join("CLAP"));
        local.into_iter().chain(common).collect()
    } else {
        let mut paths: Vec<PathBuf> = home.map(|h| h.join(".clap")).into_iter().collect();
        paths.push(PathBuf::from("/usr/lib/clap"));
        paths
    }
}

/// The per-user CLAP folder `--install` copies into (the first search path).
pub fn user_install_dir() -> Option<PathBuf> {
    clap_search_paths().into_iter().next()
}

/// Runs the CLAP build of `manifest` (the only build with the `wavecraft/clap` feature).
fn build_clap_library(
    manifest: &Path,
    options: &BundleOptions,
) -> Result<BuiltLibrary, BundleError> {
    Ok(build_engine_with(
        manifest,
        &EngineBuild {
            release: options.release,
            features: vec!["wavecraft/clap".to_owned()],
            target_dir: options.target_dir.clone(),
        },
    )?)
}

/// Writes the `.clap` for `library` at `bundle` (a file, or a bundle directory on macOS).
fn write_bundle(library: &Path, bundle: &Path, name: &str) -> Result<(), BundleError> {
    remove_existing(bundle)?;
    if cfg!(target_os = "macos") {
        let macos = bundle.join("Contents").join("MacOS");
        std::fs::create_dir_all(&macos).map_err(io("create", &macos))?;
        let plist = bundle.join("Contents").join("Info.plist");
        std::fs::write(&plist, info_plist(name)).map_err(io("write", &plist))?;
        let executable = macos.join(name);
        std::fs::copy(library, &executable).map_err(io("copy the library to", &executable))?;
    } else {
        std::fs::copy(library, bundle).map_err(io("copy the library to", bundle))?;
    }
    Ok(())
}

/// The minimal Info.plist of a macOS CLAP bundle.
fn info_plist(name: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>CFBundleExecutable</key><string>{name}</string>
  <key>CFBundleIdentifier</key><string>dev.wavecraft.{name}</string>
  <key>CFBundleName</key><string>{name}</string>
  <key>CFBundlePackageType</key><string>BNDL</string>
  <key>CFBundleSignature</key><string>????</string>
</dict>
</plist>
"#
    )
}

fn remove_existing(path: &Path) -> Result<(), BundleError> {
    if path.is_dir() {
        std::fs::remove_dir_all(path).map_err(io("replace", path))
    } else if path.exists() {
        std::fs::remove_file(path).map_err(io("replace", path))
    } else {
        Ok(())
    }
}

/// Copies a `.clap` file or bundle directory to `target`, replacing what is there.
fn copy_bundle(bundle: &Path, target: &Path) -> Result<(), BundleError> {
    remove_existing(target)?;
    if bundle.is_dir() {
        std::fs::create_dir_all(target).map_err(io("create", target))?;
        for entry in std::fs::read_dir(bundle).map_err(io("read", bundle))? {
            let entry = entry.map_err(io("read", bundle))?;
            copy_bundle(&entry.path(), &target.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        std::fs::copy(bundle, target)
            .map(|_| ())
            .map_err(io("install to", target))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_directory_without_an_engine() {
        let dir = tempfile::tempdir().unwrap();
        let options = BundleOptions::new(dir.path());
        assert!(options.release);
        assert_eq!(options.out_dir, dir.path().join("target/bundled"));
        let err = bundle(&options).unwrap_err();
        assert!(matches!(err, BundleError::NotAProject(_)));
        assert!(err.to_string().contains("is not a Wavecraft project"));
    }

    #[test]
    fn search_paths_follow_the_clap_specification() {
        let paths = clap_search_paths();
        assert!(!paths.is_empty());
        if cfg!(target_os = "linux") {
            assert_eq!(paths.last(), Some(&PathBuf::from("/usr/lib/clap")));
            if let Some(home) = std::env::var_os("HOME") {
                assert_eq!(paths[0], PathBuf::from(home).join(".clap"));
            }
        }
        assert_eq!(user_install_dir().as_ref(), paths.first());
    }

    #[test]
    fn copies_files_and_bundle_directories() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("libfx.so");
        std::fs::write(&library, b"elf").unwrap();
        let single = dir.path().join("fx.clap");
        std::fs::write(&single, b"old").unwrap();
        write_bundle(&library, &single, "fx").unwrap();
        if !cfg!(target_os = "macos") {
            assert_eq!(std::fs::read(&single).unwrap(), b"elf");
        }
        let nested = dir.path().join("nested.clap");
        std::fs::create_dir_all(nested.join("Contents/MacOS")).unwrap();
        std::fs::write(nested.join("Contents/MacOS/fx"), b"elf").unwrap();
        let installed = dir.path().join("installed.clap");
        copy_bundle(&nested, &installed).unwrap();
        assert_eq!(
            std::fs::read(installed.join("Contents/MacOS/fx")).unwrap(),
            b"elf"
        );
        assert!(info_plist("fx").contains("<string>fx</string>"));
    }
}
