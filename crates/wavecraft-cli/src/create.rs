//! `wavecraft create`: writes a new project (engine crate + UI app) from the
//! SDK checkout's `template/`, with the plugin's own name, vendor and id.
//!
//! Everything is validated before anything is written, and the project is
//! written into a hidden temporary directory next to the target and renamed
//! into place at the end, so a refused or failed `create` leaves nothing
//! behind. The same [`render`] turns the template into the example plugin
//! (a test keeps `examples/example-plugin` identical to that rendering).

use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The vendor written when `--vendor` is not given.
pub const DEFAULT_VENDOR: &str = "My Company";

/// Longest accepted plugin or vendor name, in characters.
const MAX_NAME_LEN: usize = 64;

/// Package names that would collide with the SDK's crates or Rust's own.
const RESERVED_PACKAGES: &[&str] = &[
    "wavecraft",
    "std",
    "core",
    "alloc",
    "proc-macro",
    "test",
    "self",
    "super",
    "crate",
];

/// Entries of the template never copied (installed or built output, lockfiles).
const SKIPPED: &[&str] = &[
    "node_modules",
    "dist",
    "target",
    "package-lock.json",
    "Cargo.lock",
];

/// What `create` needs.
#[derive(Debug, Clone)]
pub struct CreateOptions {
    /// The plugin's display name, as typed ("My Cool Plugin").
    pub name: String,
    /// The vendor [default: [`DEFAULT_VENDOR`]].
    pub vendor: Option<String>,
    /// The plugin id [default: `com.<vendor>.<package>-<8 random hex digits>`].
    pub id: Option<String>,
    /// The project directory [default: `./<package name>`]; must not exist or be empty.
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

/// A plugin's names: as typed, and as a Cargo/npm package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectName {
    /// Shown to people (UI title, DAW plugin list): kept as typed, trimmed.
    pub display: String,
    /// Lowercase, `-`-separated: the crate and directory name ("my-cool-plugin").
    pub package: String,
}

/// Why `create` refused or failed. Nothing is left on disk in any case.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    /// The name cannot become a plugin name.
    #[error("invalid plugin name {name:?}: {reason}")]
    InvalidName {
        /// The name as given.
        name: String,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// The vendor cannot be written.
    #[error("invalid vendor {vendor:?}: {reason}")]
    InvalidVendor {
        /// The vendor as given.
        vendor: String,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// The id is not a reverse-DNS identifier.
    #[error("invalid plugin id {id:?}: use a reverse-DNS id of letters, digits, '-' and '_' separated by dots, e.g. com.acme.my-plugin")]
    InvalidId {
        /// The id as given.
        id: String,
    },
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
    /// The template is broken.
    #[error("template file {file}: {reason}")]
    Template {
        /// The template file.
        file: PathBuf,
        /// What is wrong.
        reason: String,
    },
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

/// Checks a plugin name and derives its package name.
///
/// Accepted: ASCII letters, digits, spaces, `-` and `_`, at most 64 characters,
/// whose package name starts with a letter. "My Cool Plugin" becomes
/// `my-cool-plugin`; "3 Band EQ" is refused (Cargo refuses package names that
/// start with a digit, and a silent prefix would surprise), with a suggestion.
pub fn project_name(name: &str) -> Result<ProjectName, CreateError> {
    let invalid = |reason: String| CreateError::InvalidName {
        name: name.to_owned(),
        reason,
    };
    let display = name.trim();
    if display.is_empty() {
        return Err(invalid("it is empty".to_owned()));
    }
    if display.chars().count() > MAX_NAME_LEN {
        return Err(invalid(format!(
            "it is longer than {MAX_NAME_LEN} characters"
        )));
    }
    if let Some(bad) = display
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_')))
    {
        return Err(invalid(format!(
            "{bad:?} is not allowed: use ASCII letters, digits, spaces, '-' and '_'"
        )));
    }
    let package = slug(display);
    if package.is_empty() {
        return Err(invalid("it has no letters or digits".to_owned()));
    }
    if !package.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(invalid(format!(
            "its package name `{package}` would start with a digit, which Cargo refuses: start with a letter, e.g. \"Band EQ 3\" or \"Three Band EQ\""
        )));
    }
    if RESERVED_PACKAGES.contains(&package.as_str()) || package.starts_with("wavecraft-") {
        return Err(invalid(format!(
            "its package name `{package}` is taken by Rust or the Wavecraft SDK: choose another name"
        )));
    }
    Ok(ProjectName {
        display: display.to_owned(),
        package,
    })
}

/// Lowercase ASCII alphanumerics, every other run of characters one `-`.
fn slug(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

fn check_vendor(vendor: &str) -> Result<String, CreateError> {
    let invalid = |reason: &str| CreateError::InvalidVendor {
        vendor: vendor.to_owned(),
        reason: reason.to_owned(),
    };
    let trimmed = vendor.trim();
    if slug(trimmed).is_empty() {
        return Err(invalid("it has no letters or digits"));
    }
    if trimmed.chars().count() > MAX_NAME_LEN {
        return Err(invalid("it is longer than 64 characters"));
    }
    if !trimmed
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | ',' | '&'))
    {
        return Err(invalid(
            "use ASCII letters, digits, spaces and - _ . , & only",
        ));
    }
    Ok(trimmed.to_owned())
}

fn check_id(id: &str) -> Result<String, CreateError> {
    let segment_ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if id.contains('.') && id.split('.').all(segment_ok) {
        Ok(id.to_owned())
    } else {
        Err(CreateError::InvalidId { id: id.to_owned() })
    }
}

/// `com.<vendor>.<package>-<suffix>`: the suffix (32 random bits) makes two
/// projects with the same name and vendor differ; the id is written once into
/// engine/Cargo.toml, so it stays the same for the project's whole life.
fn default_id(vendor: &str, package: &str) -> String {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hasher.write_u128(now);
    hasher.write_u32(std::process::id());
    format!(
        "com.{}.{package}-{:08x}",
        slug(vendor),
        hasher.finish() & 0xffff_ffff
    )
}

/// Why a template text could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// `{{name}}` with no value.
    #[error("unknown placeholder {{{{{0}}}}}")]
    Unknown(String),
    /// `{{` with no closing `}}`.
    #[error("unclosed placeholder at byte {0}")]
    Unclosed(usize),
}

/// Replaces every `{{name}}` in `text` with `values[name]`; an unknown name is
/// an error, never left in place.
pub fn render(text: &str, values: &BTreeMap<&str, String>) -> Result<String, RenderError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or(RenderError::Unclosed(text.len() - rest.len() + start))?;
        let name = &after[..end];
        let value = values
            .get(name)
            .ok_or_else(|| RenderError::Unknown(name.to_owned()))?;
        out.push_str(value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Every file of `template_dir` rendered: (relative path, text), sorted by path.
/// Installed or built output and lockfiles are skipped.
pub fn render_tree(
    template_dir: &Path,
    values: &BTreeMap<&str, String>,
) -> Result<Vec<(PathBuf, String)>, CreateError> {
    let mut files = Vec::new();
    for relative in list_files(template_dir)? {
        let path = template_dir.join(&relative);
        let text = std::fs::read_to_string(&path).map_err(io("reading", &path))?;
        let rendered = render(&text, values).map_err(|e| CreateError::Template {
            file: path.clone(),
            reason: e.to_string(),
        })?;
        files.push((relative, rendered));
    }
    Ok(files)
}

/// Every file under `dir`, relative, sorted, minus installed/built output and lockfiles.
pub fn list_files(dir: &Path) -> Result<Vec<PathBuf>, CreateError> {
    fn walk(root: &Path, at: &Path, out: &mut Vec<PathBuf>) -> Result<(), CreateError> {
        for entry in std::fs::read_dir(at).map_err(io("reading", at))? {
            let entry = entry.map_err(io("reading", at))?;
            let name = entry.file_name();
            if SKIPPED.iter().any(|s| name == *s) {
                continue;
            }
            let path = entry.path();
            if entry.file_type().map_err(io("reading", &path))?.is_dir() {
                walk(root, &path, out)?;
            } else if let Ok(relative) = path.strip_prefix(root) {
                out.push(relative.to_path_buf());
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

/// The Rust type name of the plugin: the package name in PascalCase (`my-cool-plugin` →
/// `MyCoolPlugin`); its params struct is that plus `Params`.
pub fn type_name(package: &str) -> String {
    let name: String = package
        .split(['-', '_'])
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    // `Self` is a keyword; every other PascalCase word made of ASCII letters and digits is a valid type.
    if name == "Self" {
        "SelfPlugin".to_owned()
    } else {
        name
    }
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
        None => default_id(&vendor, &name.package),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_are_pascal_case_identifiers() {
        assert_eq!(type_name("example-plugin"), "ExamplePlugin");
        assert_eq!(type_name("my-cool-plugin"), "MyCoolPlugin");
        assert_eq!(type_name("tape_2_drive"), "Tape2Drive");
        assert_eq!(type_name("self"), "SelfPlugin");
    }

    #[test]
    fn names_become_package_names_or_are_refused_with_a_reason() {
        let name = project_name("  My Cool Plugin ").unwrap();
        assert_eq!(name.display, "My Cool Plugin");
        assert_eq!(name.package, "my-cool-plugin");
        assert_eq!(project_name("EQ_3--Band").unwrap().package, "eq-3-band");
        for bad in [
            "",
            "   ",
            "3 Band EQ",
            "--",
            "Über",
            "a\"b",
            "Wavecraft",
            "wavecraft dsp",
        ] {
            assert!(project_name(bad).is_err(), "{bad:?} was accepted");
        }
        let message = project_name("3 Band EQ").unwrap_err().to_string();
        assert!(message.contains("start with a letter"), "{message}");
    }

    #[test]
    fn render_replaces_known_placeholders_and_refuses_unknown_ones() {
        let values = BTreeMap::from([("a", "x".to_owned()), ("b", String::new())]);
        assert_eq!(render("{{a}}-{{b}}-{{a}}", &values).unwrap(), "x--x");
        assert_eq!(
            render("{{c}}", &values),
            Err(RenderError::Unknown("c".to_owned()))
        );
        assert_eq!(render("ok {{a", &values), Err(RenderError::Unclosed(3)));
    }

    #[test]
    fn ids_are_reverse_dns_and_default_ids_differ() {
        assert!(check_id("com.acme.my-plugin").is_ok());
        for bad in ["nodots", "com..x", ".com.x", "com.x y"] {
            assert!(check_id(bad).is_err(), "{bad:?}");
        }
        let a = default_id("Acme Audio", "delay");
        let b = default_id("Acme Audio", "delay");
        assert!(a.starts_with("com.acme-audio.delay-"), "{a}");
        assert_ne!(a, b);
    }
}
