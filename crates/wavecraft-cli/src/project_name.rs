//! A plugin's names and identity as `wavecraft create` derives and checks
//! them: the display name as typed, the package name, the Rust type name, the
//! vendor and the reverse-DNS id. Nothing here touches the file system.

use wavecraft_identity::slug;

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

/// A plugin's names: as typed, and as a Cargo/npm package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectName {
    /// Shown to people (UI title, DAW plugin list): kept as typed, trimmed.
    pub display: String,
    /// Lowercase, `-`-separated: the crate and directory name ("my-cool-plugin").
    pub package: String,
}

/// Why a name, vendor or id was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
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
}

/// Checks a plugin name and derives its package name.
///
/// Accepted: ASCII letters, digits, spaces, `-` and `_`, at most 64 characters,
/// whose package name starts with a letter. "My Cool Plugin" becomes
/// `my-cool-plugin`; "3 Band EQ" is refused (Cargo refuses package names that
/// start with a digit, and a silent prefix would surprise), with a suggestion.
pub fn project_name(name: &str) -> Result<ProjectName, NameError> {
    let invalid = |reason: String| NameError::InvalidName {
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

pub(crate) fn check_vendor(vendor: &str) -> Result<String, NameError> {
    let invalid = |reason: &str| NameError::InvalidVendor {
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

pub(crate) fn check_id(id: &str) -> Result<String, NameError> {
    let segment_ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if id.contains('.') && id.split('.').all(segment_ok) {
        Ok(id.to_owned())
    } else {
        Err(NameError::InvalidId { id: id.to_owned() })
    }
}

/// `com.<vendor>.<package>-<suffix>`: the suffix (32 random bits from the operating system)
/// makes two projects with the same name and vendor differ; the id is written once into
/// engine/Cargo.toml, so it stays the same for the project's whole life.
pub(crate) fn default_id(vendor: &str, package: &str) -> Result<String, getrandom::Error> {
    Ok(format!(
        "com.{}.{package}-{:08x}",
        slug(vendor),
        getrandom::u32()?
    ))
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
    // Every PascalCase word of ASCII letters and digits starting with a letter is a valid type
    // name; `self` (whose type would be the keyword `Self`) is a reserved package name.
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_are_pascal_case_identifiers() {
        assert_eq!(type_name("example-plugin"), "ExamplePlugin");
        assert_eq!(type_name("my-cool-plugin"), "MyCoolPlugin");
        assert_eq!(type_name("tape_2_drive"), "Tape2Drive");
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
    fn ids_are_reverse_dns_and_default_ids_differ() {
        assert!(check_id("com.acme.my-plugin").is_ok());
        for bad in ["nodots", "com..x", ".com.x", "com.x y"] {
            assert!(check_id(bad).is_err(), "{bad:?}");
        }
        let a = default_id("Acme Audio", "delay").unwrap();
        let b = default_id("Acme Audio", "delay").unwrap();
        let suffix = a.strip_prefix("com.acme-audio.delay-").expect(&a);
        assert!(
            suffix.len() == 8 && suffix.chars().all(|c| c.is_ascii_hexdigit()),
            "{a}"
        );
        assert!(check_id(&a).is_ok(), "{a}");
        assert_ne!(a, b);
    }
}
