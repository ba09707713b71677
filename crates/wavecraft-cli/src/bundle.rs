//! `wavecraft bundle`: the project's engine built as a CLAP plugin.
//!
//! The engine crate is built with `cargo build --lib --release` (or debug)
//! and `--features wavecraft/clap`, which is the only build that compiles
//! the CLAP entry; its cdylib is found in cargo's JSON messages and copied to
//! `<project>/target/bundled/<Display Name>.clap`, named like the plugin in a
//! DAW's list (`My Cool Plugin.clap`, as peers name theirs). The name and id
//! come from the engine's Cargo.toml by the rule `export!` compiles in
//! (`wavecraft-identity`), so file, Info.plist and descriptor agree. On Linux
//! and Windows a `.clap` is that single library file; on macOS it is a bundle
//! directory (`<name>.clap/Contents/{Info.plist, MacOS/<name>}`). `--install`
//! copies it into the user's CLAP folder.
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

use std::path::{Path, PathBuf};

use wavecraft_cargo::BuiltLibrary;
use wavecraft_dev_server::parameter_types::{self, Update};
use wavecraft_engine_loader::{spawn_engine_thread, EngineLibrary, LoadError};
use wavecraft_identity::{identity, ManifestError, PluginIdentity};

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
    /// What became of the UI's typed parameter ids.
    pub parameter_types: Update,
    /// The UI compiled into the plugin, or `None` for a project without `ui/`.
    pub ui: Option<UiDist>,
}

/// Why no bundle was written.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
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

/// Builds the project's engine with the CLAP entry and writes
/// `target/bundled/<Display Name>.clap`.
pub fn bundle(options: &BundleOptions) -> Result<Bundled, BundleError> {
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
    let first = build_clap_library(&manifest, options, previous_ui.as_ref())?;
    let parameter_types = write_parameter_types(&options.project, &first.library)?;
    let (
        BuiltLibrary {
            crate_name,
            library,
        },
        ui,
    ) = match &ui_out {
        None => (first, None),
        Some(out) => {
            let dist = ui_build::build(&ui_dir, out)?;
            let built = if previous_ui.as_ref().map(|p| &p.digest) == Some(&dist.digest) {
                first
            } else {
                build_clap_library(&manifest, options, Some(&dist))?
            };
            (built, Some(dist))
        }
    };
    let file_name = bundle_file_name(&plugin.name, &crate_name);
    let out_dir = &options.out_dir;
    std::fs::create_dir_all(out_dir).map_err(io("create", out_dir))?;
    let bundle = out_dir.join(&file_name);
    write_bundle(&library, &bundle, &plugin)?;
    let installed = match &options.install_to {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(io("create", dir))?;
            let target = dir.join(&file_name);
            copy_bundle(&bundle, &target)?;
            Some(target)
        }
        None => None,
    };
    Ok(Bundled {
        bundle,
        installed,
        parameter_types,
        ui,
    })
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

/// Runs the CLAP build of `manifest` (the only build with the `wavecraft/clap` feature),
/// embedding `ui` when given (and nothing otherwise, whatever the caller's environment says).
fn build_clap_library(
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
            features: vec!["wavecraft/clap".to_owned()],
            target_dir: options.target_dir.clone(),
            env,
        },
    )?)
}

/// The `.clap`'s file name: the plugin's display name, with the characters some file system
/// refuses (`/ \ : * ? " < > |`, control characters) as `-` and no leading or trailing dots
/// or spaces (hidden on Unix, dropped by Windows); the crate name if nothing is left.
pub fn bundle_file_name(display_name: &str, crate_name: &str) -> String {
    let safe: String = display_name
        .chars()
        .map(|c| {
            if c.is_control() || r#"/\:*?"<>|"#.contains(c) {
                '-'
            } else {
                c
            }
        })
        .collect();
    let stem = safe.trim_matches(|c: char| c == '.' || c.is_whitespace());
    format!("{}.clap", if stem.is_empty() { crate_name } else { stem })
}

/// Writes the `.clap` for `library` at `bundle` (a file, or a bundle directory on macOS).
fn write_bundle(library: &Path, bundle: &Path, plugin: &PluginIdentity) -> Result<(), BundleError> {
    remove_existing(bundle)?;
    if cfg!(target_os = "macos") {
        let executable_name = executable_name(bundle);
        let macos = bundle.join("Contents").join("MacOS");
        std::fs::create_dir_all(&macos).map_err(io("create", &macos))?;
        let plist = bundle.join("Contents").join("Info.plist");
        std::fs::write(&plist, info_plist(plugin, &executable_name))
            .map_err(io("write", &plist))?;
        let executable = macos.join(executable_name);
        std::fs::copy(library, &executable).map_err(io("copy the library to", &executable))?;
    } else {
        std::fs::copy(library, bundle).map_err(io("copy the library to", bundle))?;
    }
    Ok(())
}

/// The executable inside a macOS bundle: the bundle's name without `.clap`.
fn executable_name(bundle: &Path) -> String {
    bundle
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `text` as XML character data or attribute value.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The minimal Info.plist of a macOS CLAP bundle: the plugin's own id and display name.
fn info_plist(plugin: &PluginIdentity, executable: &str) -> String {
    let executable = xml_escape(executable);
    let id = xml_escape(&plugin.id);
    let name = xml_escape(&plugin.name);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>CFBundleExecutable</key><string>{executable}</string>
  <key>CFBundleIdentifier</key><string>{id}</string>
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
        let plugin = PluginIdentity {
            name: "fx".into(),
            vendor: "Acme".into(),
            id: "com.acme.fx".into(),
        };
        write_bundle(&library, &single, &plugin).unwrap();
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
    }

    #[test]
    fn the_file_is_named_like_the_plugin_in_a_daw() {
        assert_eq!(
            bundle_file_name("My Cool Plugin", "my_cool_plugin"),
            "My Cool Plugin.clap"
        );
        assert_eq!(
            bundle_file_name("Drum & Bass <EQ>", "x"),
            "Drum & Bass -EQ-.clap"
        );
        assert_eq!(bundle_file_name("AC/DC: Drive?", "x"), "AC-DC- Drive-.clap");
        assert_eq!(bundle_file_name(" .hidden. ", "x"), "hidden.clap");
        assert_eq!(bundle_file_name("...", "my_fx"), "my_fx.clap");
    }

    #[test]
    fn the_info_plist_escapes_the_name_and_carries_the_plugins_id() {
        let plugin = PluginIdentity {
            name: "Drum & Bass <EQ>".into(),
            vendor: "Acme".into(),
            id: "com.acme.drum-bass".into(),
        };
        let plist = info_plist(&plugin, "Drum & Bass -EQ-");
        assert!(
            plist.contains("<key>CFBundleName</key><string>Drum &amp; Bass &lt;EQ&gt;</string>"),
            "{plist}"
        );
        assert!(
            plist.contains("<key>CFBundleExecutable</key><string>Drum &amp; Bass -EQ-</string>"),
            "{plist}"
        );
        assert!(
            plist.contains("<key>CFBundleIdentifier</key><string>com.acme.drum-bass</string>"),
            "{plist}"
        );
        assert!(!plist.contains("dev.wavecraft."), "{plist}");
        assert_eq!(xml_escape(r#"'"'"#), "&apos;&quot;&apos;");
    }
}
