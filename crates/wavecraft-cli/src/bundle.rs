//! `wavecraft bundle`: the project's engine built as a CLAP and a VST3 plugin.
//!
//! The engine crate is built once with `cargo build --lib --release` (or debug)
//! and the features of the requested formats (`--format clap|vst3|all`, all by
//! default: `wavecraft/clap`, `wavecraft/vst3`), the only build that compiles
//! the plugin entries (dev builds never do); the one library exports both
//! `clap_entry` and `GetPluginFactory`. Its cdylib is found in cargo's JSON
//! messages and laid out per format under `<project>/target/bundled/`, named
//! like the plugin in a DAW's list (`My Cool Plugin.clap`,
//! `My Cool Plugin.vst3/`, as peers name theirs): see [`clap_layout`] and
//! [`vst3_layout`]. The name and id come from the engine's Cargo.toml by the
//! rule `export!` compiles in (`wavecraft-identity`), so file, Info.plist,
//! moduleinfo.json and the plugin's own descriptor agree. `--install` copies
//! each bundle into the user's folder for its format (`~/.clap`, `~/.vst3`).
//!
//! When the project has a `ui/`, the built library is loaded (a private
//! copy, on an engine thread) for its parameter list alone, which becomes the
//! UI's typed parameter ids (`ui/src/generated/parameters.ts`, written only
//! when it changed), as `wavecraft start` writes them after each good build.
//! Nothing is instantiated. Then the UI's production build runs (`npm run
//! build`, see [`crate::ui_build`]) and its files are compiled into
//! the plugin (`WAVECRAFT_UI_DIST`; `export!` embeds them with rust-embed), so
//! the plugin window serves them with no file or server at run time. The first
//! engine build already embeds what the previous bundle's UI build wrote; only
//! when the new UI build wrote other files is the engine built again (cargo
//! then recompiles the author's crate alone). A project without `ui/` bundles
//! without a UI and hosts show their generic parameter list. Cargo's and
//! npm's progress and diagnostics go to stderr.

pub mod clap_layout;
mod files;
mod format;
pub mod moduleinfo;
mod plist;
pub mod vst3_layout;

pub use clap_layout::clap_search_paths;
pub use files::bundle_stem;
pub use format::{Formats, UnknownFormat};
pub use vst3_layout::vst3_search_paths;

use std::path::{Path, PathBuf};

use wavecraft_cargo::BuiltLibrary;
use wavecraft_dev_server::parameter_types::{self, Update};
use wavecraft_engine_loader::{spawn_engine_thread, EngineLibrary, LoadError};
use wavecraft_identity::{identity, ManifestError};

use crate::engine_build::{build_engine_with, BuildError, EngineBuild};
use crate::ui_build::{self, UiBuildError, UiDist};

/// What to bundle and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleOptions {
    /// The Wavecraft project directory (holding `engine/Cargo.toml`).
    pub project: PathBuf,
    /// Build with optimisations (the default for shipping).
    pub release: bool,
    /// Cargo's target directory; `None` lets cargo choose.
    pub target_dir: Option<PathBuf>,
    /// Where the bundles are written: `<project>/target/bundled` by default.
    pub out_dir: PathBuf,
    /// The plugin formats to write (all by default).
    pub formats: Formats,
    /// Copy each bundle into these folders after writing it.
    pub install: Option<InstallDirs>,
}

/// The folders `--install` copies into, one per format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallDirs {
    /// Where the `.clap` goes.
    pub clap: PathBuf,
    /// Where the `.vst3` goes.
    pub vst3: PathBuf,
}

impl InstallDirs {
    /// This platform's per-user plugin folders (the first search path of each format), if known.
    pub fn user() -> Option<InstallDirs> {
        Some(InstallDirs {
            clap: clap_search_paths().into_iter().next()?,
            vst3: vst3_search_paths().into_iter().next()?,
        })
    }
}

impl BundleOptions {
    /// A release bundle of `project` in every format into `<project>/target/bundled`, not installed.
    pub fn new(project: impl Into<PathBuf>) -> Self {
        let project = project.into();
        let out_dir = project.join("target").join("bundled");
        BundleOptions {
            project,
            release: true,
            target_dir: None,
            out_dir,
            formats: Formats::ALL,
            install: None,
        }
    }
}

/// One bundle written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The bundle under `target/bundled/` (a file or a directory).
    pub path: PathBuf,
    /// The installed copy, when installing was asked for.
    pub installed: Option<PathBuf>,
}

/// What a finished bundle produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundled {
    /// The `.clap`, when CLAP was asked for.
    pub clap: Option<Written>,
    /// The `.vst3`, when VST3 was asked for.
    pub vst3: Option<Written>,
    /// What became of the UI's typed parameter ids.
    pub parameter_types: Update,
    /// The UI compiled into the plugin, or `None` for a project without `ui/`.
    pub ui: Option<UiDist>,
}

/// Why no bundle was written.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// Neither format was asked for.
    #[error("no plugin format to write: ask for clap, vst3 or all")]
    NoFormat,
    /// The path is not a Wavecraft project directory.
    #[error("{0} is not a Wavecraft project: `wavecraft bundle` needs a directory with engine/Cargo.toml")]
    NotAProject(PathBuf),
    /// The engine's Cargo.toml cannot be read as TOML.
    #[error("{}: {source}", path.display())]
    Manifest {
        /// The manifest.
        path: PathBuf,
        /// What is wrong with it.
        source: ManifestError,
    },
    /// Building the engine failed.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// The built library could not be loaded to read its parameters.
    #[error("could not read the built engine's parameters for the UI's types: {0}")]
    Load(#[from] LoadError),
    /// The thread that reads the engine's parameters could not start.
    #[error("could not start the thread that reads the engine's parameters: {0}")]
    Thread(std::io::Error),
    /// Building the UI failed.
    #[error(transparent)]
    Ui(#[from] UiBuildError),
    /// Writing the UI's typed parameter ids failed.
    #[error(transparent)]
    ParameterTypes(#[from] parameter_types::WriteError),
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

/// Builds the project's engine with the entries of the requested formats and writes
/// `target/bundled/<Display Name>.clap` and `target/bundled/<Display Name>.vst3/`.
pub fn bundle(options: &BundleOptions) -> Result<Bundled, BundleError> {
    if !options.formats.clap && !options.formats.vst3 {
        return Err(BundleError::NoFormat);
    }
    let manifest = options.project.join("engine").join("Cargo.toml");
    if !manifest.is_file() {
        return Err(BundleError::NotAProject(options.project.clone()));
    }
    let text = std::fs::read_to_string(&manifest).map_err(io("read", &manifest))?;
    let plugin = identity(&text).map_err(|source| BundleError::Manifest {
        path: manifest.clone(),
        source,
    })?;
    let ui_dir = options.project.join("ui");
    let ui_out = parameter_types::has_ui(&options.project).then(|| {
        ui_build::dist_dir(
            &options
                .target_dir
                .clone()
                .unwrap_or_else(|| options.project.join("target")),
        )
    });
    if ui_out.is_some() {
        ui_build::install_if_missing(&ui_dir)?;
    }
    let previous_ui = ui_out.as_deref().and_then(ui_build::existing);
    let first = build_plugin_library(&manifest, options, previous_ui.as_ref())?;
    let parameter_types = write_parameter_types(&options.project, &first.library)?;
    let (
        BuiltLibrary {
            crate_name,
            library,
            version,
        },
        ui,
    ) = match &ui_out {
        None => (first, None),
        Some(out) => {
            let dist = ui_build::build(&ui_dir, out)?;
            let built = if previous_ui.as_ref().map(|p| &p.digest) == Some(&dist.digest) {
                first
            } else {
                build_plugin_library(&manifest, options, Some(&dist))?
            };
            (built, Some(dist))
        }
    };
    let stem = bundle_stem(&plugin.name, &crate_name);
    let out_dir = &options.out_dir;
    std::fs::create_dir_all(out_dir).map_err(io("create", out_dir))?;
    let clap = if options.formats.clap {
        let path = clap_layout::write_clap(&library, out_dir, &stem, &plugin)?;
        let target = options.install.as_ref().map(|dirs| &dirs.clap);
        Some(install(path, target)?)
    } else {
        None
    };
    let vst3 = if options.formats.vst3 {
        let path = vst3_layout::write_vst3(&library, out_dir, &stem, &plugin, &version)?;
        let target = options.install.as_ref().map(|dirs| &dirs.vst3);
        Some(install(path, target)?)
    } else {
        None
    };
    Ok(Bundled {
        clap,
        vst3,
        parameter_types,
        ui,
    })
}

/// Copies the bundle at `path` into the folder `to`, when given.
fn install(path: PathBuf, to: Option<&PathBuf>) -> Result<Written, BundleError> {
    let installed = match to {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(io("create", dir))?;
            let name = path.file_name().unwrap_or_default();
            let target = dir.join(name);
            files::copy_bundle(&path, &target)?;
            Some(target)
        }
        None => None,
    };
    Ok(Written { path, installed })
}

/// Writes `<project>/ui/src/generated/parameters.ts` from the parameters of the engine
/// `library`, when the project has a `ui/` (else the library is not even loaded). The library
/// is loaded and dropped on an engine thread, like every call into an author's code.
pub fn write_parameter_types(project: &Path, library: &Path) -> Result<Update, BundleError> {
    if !parameter_types::has_ui(project) {
        return Ok(Update::NoUi);
    }
    let library = library.to_path_buf();
    let parameters = spawn_engine_thread("wavecraft-bundle-parameters", move || {
        EngineLibrary::load(&library).map(|engine| engine.metadata().parameters.clone())
    })
    .map_err(BundleError::Thread)?
    .join()
    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    Ok(parameter_types::update_project(project, &parameters)?)
}

/// Runs the plugin build of `manifest` (the only build with the formats' features),
/// embedding `ui` when given (and nothing otherwise, whatever the caller's environment says).
fn build_plugin_library(
    manifest: &Path,
    options: &BundleOptions,
    ui: Option<&UiDist>,
) -> Result<BuiltLibrary, BundleError> {
    let env = match ui {
        Some(ui) => ui
            .build_env()
            .into_iter()
            .map(|(name, value)| (name, Some(value)))
            .collect(),
        None => vec![
            (ui_build::DIST_VAR.to_owned(), None),
            (ui_build::DIGEST_VAR.to_owned(), None),
        ],
    };
    Ok(build_engine_with(
        manifest,
        &EngineBuild {
            release: options.release,
            features: options.formats.cargo_features(),
            target_dir: options.target_dir.clone(),
            env,
        },
    )?)
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
    fn refuses_to_write_no_format() {
        let options = BundleOptions {
            formats: Formats {
                clap: false,
                vst3: false,
            },
            ..BundleOptions::new(
                wavecraft_test_support::workspace_root().join("examples/example-plugin"),
            )
        };
        assert!(matches!(bundle(&options), Err(BundleError::NoFormat)));
    }

    #[test]
    fn the_ui_parameter_types_come_from_the_built_library() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("never-built.so");
        assert_eq!(
            write_parameter_types(dir.path(), &missing).unwrap(),
            Update::NoUi,
            "no ui/: the library is not even loaded"
        );
        assert!(!dir.path().join("ui").exists());
        std::fs::create_dir(dir.path().join("ui")).unwrap();
        let library = wavecraft_test_support::workspace_engine("example-plugin");
        let written = dir.path().join(parameter_types::OUTPUT_PATH);
        assert_eq!(
            write_parameter_types(dir.path(), &library).unwrap(),
            Update::Written(written.clone())
        );
        let example = wavecraft_test_support::workspace_root()
            .join("examples/example-plugin")
            .join(parameter_types::OUTPUT_PATH);
        assert_eq!(
            std::fs::read_to_string(&written).unwrap(),
            std::fs::read_to_string(example).unwrap()
        );
        assert!(matches!(
            write_parameter_types(dir.path(), &missing),
            Err(BundleError::Load(_))
        ));
    }
}
