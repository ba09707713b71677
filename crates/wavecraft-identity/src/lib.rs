//! A plugin's identity (name, vendor, id) and its window size ([`window`]) from the *author's* Cargo.toml: the
//! `[package.metadata.wavecraft]` table, falling back to the package's own
//! fields (the package name title-cased, the first author,
//! `com.<vendor>.<package>`). `wavecraft::export!` compiles it into the plugin
//! (through `wavecraft-macros`) and `wavecraft bundle` names the `.clap` and
//! fills the macOS `Info.plist` from it, so both always agree; the VST3 class id is
//! derived from the id once ([`vst3_class_id`]). Reads text only;
//! finding and reading the file is the caller's business.

use serde::Deserialize;

mod vst3;
mod window;

pub use vst3::{vst3_class_id, vst3_class_id_string, vst3_class_id_words};
pub use window::{window, WindowError, WindowMetadata, MAX_SIDE};

/// The parts of an author's Cargo.toml this crate reads (identity here, the window in
/// [`window`]); everything else is ignored.
#[derive(Deserialize, Default)]
struct Manifest {
    #[serde(default)]
    package: Package,
}

#[derive(Deserialize, Default)]
struct Package {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    authors: Option<toml::Value>,
    #[serde(default)]
    metadata: Option<Metadata>,
}

#[derive(Deserialize, Default)]
struct Metadata {
    #[serde(default)]
    wavecraft: Option<WavecraftMetadata>,
}

/// `[package.metadata.wavecraft]`. `ui` stays raw here: only [`window`] checks it, so a
/// bad window table never stops the identity from being read.
#[derive(Deserialize, Default)]
struct WavecraftMetadata {
    name: Option<String>,
    vendor: Option<String>,
    id: Option<String>,
    ui: Option<toml::Value>,
}

/// The resolved identity of a plugin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginIdentity {
    /// Shown to people: DAW plugin lists, the bundle's file name (`My Gain`).
    pub name: String,
    /// Who makes it.
    pub vendor: String,
    /// Reverse-DNS id hosts save sessions by (`com.acme.my-gain`).
    pub id: String,
}

/// A Cargo.toml that is not valid TOML (or whose fields have the wrong types).
#[derive(Debug, thiserror::Error)]
#[error("Cargo.toml: {0}")]
pub struct ManifestError(toml::de::Error);

fn title_case(package: &str) -> String {
    package
        .split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `s` in lowercase ASCII letters and digits, every other run of characters one `-`
/// ("Acme Audio!" → `acme-audio`): a vendor or package as an id segment.
pub fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Resolves the identity from a manifest's text.
pub fn identity(manifest: &str) -> Result<PluginIdentity, ManifestError> {
    let m: Manifest = toml::from_str(manifest).map_err(ManifestError)?;
    let package = m
        .package
        .name
        .clone()
        .unwrap_or_else(|| "plugin".to_owned());
    let meta = m
        .package
        .metadata
        .and_then(|m| m.wavecraft)
        .unwrap_or_default();
    let first_author = match &m.package.authors {
        Some(toml::Value::Array(a)) => a
            .first()
            .and_then(|v| v.as_str())
            .map(|s| s.split('<').next().unwrap_or(s).trim().to_owned()),
        _ => None,
    }
    .filter(|s| !s.is_empty());
    let name = meta.name.unwrap_or_else(|| title_case(&package));
    let vendor = meta
        .vendor
        .or(first_author)
        .unwrap_or_else(|| "Unknown vendor".to_owned());
    let id = meta
        .id
        .unwrap_or_else(|| format!("com.{}.{}", slug(&vendor), slug(&package)));
    Ok(PluginIdentity { name, vendor, id })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_wins_over_package_fields() {
        let id = identity(
            r#"
[package]
name = "my-gain"
authors = ["Ada Lovelace <ada@example.com>"]
[package.metadata.wavecraft]
name = "My Gain"
vendor = "Analytical Audio"
id = "com.analytical.my-gain"
"#,
        )
        .unwrap();
        assert_eq!(
            id,
            PluginIdentity {
                name: "My Gain".into(),
                vendor: "Analytical Audio".into(),
                id: "com.analytical.my-gain".into()
            }
        );
    }

    #[test]
    fn falls_back_to_package_name_and_first_author() {
        let id =
            identity("[package]\nname = \"tape_drive\"\nauthors = [\"Ada Lovelace <ada@x>\"]\n")
                .unwrap();
        assert_eq!(id.name, "Tape Drive");
        assert_eq!(id.vendor, "Ada Lovelace");
        assert_eq!(id.id, "com.ada-lovelace.tape-drive");
        let bare = identity("[package]\nname = \"x\"\n").unwrap();
        assert_eq!(bare.vendor, "Unknown vendor");
    }

    #[test]
    fn broken_manifest_is_an_error() {
        assert!(identity("[package\nname=").is_err());
    }
}
