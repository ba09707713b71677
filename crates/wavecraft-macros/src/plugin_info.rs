//! `plugin_info!()`: the plugin's name, vendor, id and version, read at
//! compile time from the *author's* Cargo.toml (the crate being compiled),
//! never from the SDK's. Reads `[package.metadata.wavecraft]` and falls back
//! to the package's own fields.

use proc_macro2::TokenStream;
use quote::quote;
use serde::Deserialize;

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

#[derive(Deserialize, Default)]
struct WavecraftMetadata {
    name: Option<String>,
    vendor: Option<String>,
    id: Option<String>,
}

/// The resolved identity of a plugin.
#[derive(Debug, PartialEq)]
pub(crate) struct PluginIdentity {
    pub name: String,
    pub vendor: String,
    pub id: String,
}

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

fn slug(s: &str) -> String {
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
pub(crate) fn identity(manifest: &str) -> Result<PluginIdentity, String> {
    let m: Manifest = toml::from_str(manifest).map_err(|e| format!("Cargo.toml: {e}"))?;
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

pub(crate) fn expand() -> TokenStream {
    let dir = match std::env::var("CARGO_MANIFEST_DIR") {
        Ok(d) => d,
        Err(_) => {
            return quote!(::core::compile_error!(
                "wavecraft::export! must be compiled by cargo (CARGO_MANIFEST_DIR is not set)"
            ))
        }
    };
    let path = std::path::Path::new(&dir).join("Cargo.toml");
    let identity = std::fs::read_to_string(&path)
        .map_err(|e| format!("reading {}: {e}", path.display()))
        .and_then(|text| identity(&text));
    let manifest = path.display().to_string();
    match identity {
        // Cargo does not rebuild a crate when only `[package.metadata]` changes, and this macro
        // reads the file behind its back: including the bytes makes the manifest a tracked input,
        // so an edited name, vendor or id reaches the next build.
        Ok(PluginIdentity { name, vendor, id }) => quote! {{
            const _: &[u8] = ::core::include_bytes!(#manifest);
            ::wavecraft::PluginInfo {
                name: #name,
                vendor: #vendor,
                id: #id,
                version: ::core::env!("CARGO_PKG_VERSION"),
            }
        }},
        Err(e) => {
            let msg = format!("wavecraft::export!: {e}");
            quote!(::core::compile_error!(#msg))
        }
    }
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
