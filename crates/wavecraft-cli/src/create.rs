//! `wavecraft create`: writes a new project (engine crate + UI app) from the
//! SDK checkout's `template/`, with the plugin's own name, vendor and id.
//!
//! Everything is validated before anything is written, and the project is
//! written into a hidden temporary directory next to the target and renamed
//! into place at the end, so a refused or failed `create` leaves nothing
//! behind. The same [`render_tree`] turns the template into the example plugin
//! (a test keeps `examples/example-plugin` identical to that rendering).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::project_name::{
    check_id, check_vendor, default_id, project_name, type_name, NameError, ProjectName,
};
use crate::template::{render_tree, TemplateError};

/// The vendor written when `--vendor` is not given.
pub const DEFAULT_VENDOR: &str = "My Company";

/// What `create` needs.
#[derive(Debug, Clone)]
pub struct CreateOptions {
    /// The plugin's display name, as typed ("My Cool Plugin").
    pub name: String,
    /// The vendor (default: [`DEFAULT_VENDOR`]).
    pub vendor: Option<String>,
    /// The plugin id (default: `com.<vendor>.<package>-<8 random hex digits>`).
    pub id: Option<String>,
    /// The project directory (default: `./<package name>`); must not exist or be empty.
    pub output: Option<PathBuf>,
    /// The Wavecraft checkout whose crates, UI packages and template are used.
    pub sdk_path: Option<PathBuf>,
    /// Run `git init` in the new project when git is installed.
    pub git_init: bool,
}

/// A project that was written.
#[derive(Debug, Clone)]
pub struct Created {
    /// The project directory.
    pub dir: PathBuf,
    /// The plugin's names.
    pub name: ProjectName,
    /// The plugin id written to engine/Cargo.toml.
    pub id: String,
    /// Why `git init` did not run or failed, when it did not succeed.
    pub git_note: Option<String>,
}

/// Why `create` refused or failed. Nothing is left on disk in any case.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    /// The target directory holds something already.
    #[error(
        "{0} already exists and is not empty: choose another name or --output, or remove it first"
    )]
    NotEmpty(PathBuf),
    /// `--sdk-path` (or the CLI's own checkout) is not a Wavecraft checkout.
    #[error("{0} is not a Wavecraft checkout (no {1}): pass --sdk-path with the directory holding crates/wavecraft and template/")]
    NotAnSdk(PathBuf, &'static str),
    /// A path that cannot be written into Cargo.toml or package.json.
    #[error("the SDK path {0} contains characters a manifest cannot hold (quotes, backslashes or braces): move the checkout")]
    UnwritableSdkPath(PathBuf),
    /// The name, vendor or id was refused.
    #[error(transparent)]
    Name(#[from] NameError),
    /// The operating system gave no random bits for the default id.
    #[error("could not draw the random part of the plugin id: {0} (choose one with --id com.vendor.plugin)")]
    RandomId(getrandom::Error),
    /// The template could not be rendered.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// A file system operation failed.
    #[error("{what} {path}: {source}")]
    Io {
        /// What was being done.
        what: &'static str,
        /// On which path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

fn io<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> CreateError + 'a {
    move |source| CreateError::Io {
        what,
        path: path.to_path_buf(),
        source,
    }
}

/// The checkout this CLI was built from (`crates/wavecraft-cli/../..`).
pub fn default_sdk_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The template values for a created project.
fn project_values(
    name: &ProjectName,
    vendor: &str,
    id: &str,
    sdk: &Path,
) -> Result<BTreeMap<&'static str, String>, CreateError> {
    let sdk_text = sdk.to_str().unwrap_or("\"");
    if sdk_text.contains(['"', '\\', '{', '}']) || sdk_text.chars().any(char::is_control) {
        return Err(CreateError::UnwritableSdkPath(sdk.to_path_buf()));
    }
    Ok(BTreeMap::from([
        ("plugin_name", name.display.clone()),
        ("package_name", name.package.clone()),
        ("type_name", type_name(&name.package)),
        ("vendor", vendor.to_owned()),
        ("plugin_id", id.to_owned()),
        ("sdk_path", sdk_text.to_owned()),
        ("sdk_ui_path", format!("{sdk_text}/ui/packages")),
        (
            "workspace_table",
            "\n# This project is its own Cargo workspace, never a member of a parent directory's.\n[workspace]\n"
                .to_owned(),
        ),
    ]))
}

fn check_sdk(sdk: &Path) -> Result<PathBuf, CreateError> {
    for required in [
        "crates/wavecraft/Cargo.toml",
        "template/engine/Cargo.toml",
        "template/ui/package.json",
        "ui/packages/core/package.json",
    ] {
        if !sdk.join(required).is_file() {
            return Err(CreateError::NotAnSdk(sdk.to_path_buf(), required));
        }
    }
    sdk.canonicalize().map_err(io("resolving", sdk))
}

/// The absolute target directory; refused when it exists and is not empty.
fn check_target(dir: &Path) -> Result<PathBuf, CreateError> {
    let absolute = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(io("reading the current directory", dir))?
            .join(dir)
    };
    match std::fs::read_dir(&absolute) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(CreateError::NotEmpty(dir.to_path_buf()));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) if absolute.exists() => {
            return Err(CreateError::Io {
                what: "reading",
                path: dir.to_path_buf(),
                source: e,
            })
        }
        Err(_) => {}
    }
    if absolute.exists() && !absolute.is_dir() {
        return Err(CreateError::NotEmpty(dir.to_path_buf()));
    }
    Ok(absolute)
}

/// Writes a new project. On any error nothing is left at the target.
pub fn create(options: &CreateOptions) -> Result<Created, CreateError> {
    let name = project_name(&options.name)?;
    let vendor = check_vendor(options.vendor.as_deref().unwrap_or(DEFAULT_VENDOR))?;
    let id = match &options.id {
        Some(id) => check_id(id)?,
        None => default_id(&vendor, &name.package).map_err(CreateError::RandomId)?,
    };
    let sdk = check_sdk(&options.sdk_path.clone().unwrap_or_else(default_sdk_path))?;
    let target = check_target(
        &options
            .output
            .clone()
            .unwrap_or_else(|| PathBuf::from(&name.package)),
    )?;
    let values = project_values(&name, &vendor, &id, &sdk)?;
    let files = render_tree(&sdk.join("template"), &values)?;

    let parent = target
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"));
    std::fs::create_dir_all(&parent).map_err(io("creating", &parent))?;
    let staging = parent.join(format!(
        ".{}.wavecraft-create-{}",
        name.package,
        std::process::id()
    ));
    let written = write_project(&staging, &files, &sdk).and_then(|()| {
        std::fs::rename(&staging, &target).map_err(io("moving the new project to", &target))
    });
    if let Err(error) = written {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(error);
    }
    let git_note = if options.git_init {
        git_init(&target)
    } else {
        None
    };
    Ok(Created {
        dir: target,
        name,
        id,
        git_note,
    })
}

fn write_project(
    staging: &Path,
    files: &[(PathBuf, String)],
    sdk: &Path,
) -> Result<(), CreateError> {
    std::fs::create_dir(staging).map_err(io("creating", staging))?;
    for (relative, text) in files {
        let path = staging.join(relative);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io("creating", dir))?;
        }
        std::fs::write(&path, text).map_err(io("writing", &path))?;
    }
    // The SDK's lockfile pins the same dependency versions the SDK is tested
    // with; cargo prunes what the plugin does not use on its first build.
    let lock = sdk.join("Cargo.lock");
    if lock.is_file() {
        let to = staging.join("engine/Cargo.lock");
        std::fs::copy(&lock, &to).map_err(io("copying the SDK's Cargo.lock to", &to))?;
    }
    Ok(())
}

/// `git init -q`; returns why it did not happen, if it did not.
fn git_init(dir: &Path) -> Option<String> {
    match Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
    {
        Ok(out) if out.status.success() => None,
        Ok(out) => Some(format!(
            "git init failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Err(e) => Some(format!("git not found ({e}): no repository created")),
    }
}
