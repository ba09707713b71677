//! The `.clap` on disk and where hosts look for it. On Linux and Windows a
//! `.clap` is the library file itself; on macOS it is a bundle directory
//! (`<name>.clap/Contents/{Info.plist, MacOS/<name>}`). Search paths follow
//! the CLAP specification.

use std::path::{Path, PathBuf};

use wavecraft_identity::PluginIdentity;

use super::files::{plugin_search_paths, remove_existing};
use super::plist::info_plist;
use super::{io, BundleError};

/// Writes `<out_dir>/<stem>.clap` for `library` and returns its path.
pub(super) fn write_clap(
    library: &Path,
    out_dir: &Path,
    stem: &str,
    plugin: &PluginIdentity,
) -> Result<PathBuf, BundleError> {
    let bundle = out_dir.join(format!("{stem}.clap"));
    remove_existing(&bundle)?;
    if cfg!(target_os = "macos") {
        let macos = bundle.join("Contents").join("MacOS");
        std::fs::create_dir_all(&macos).map_err(io("create", &macos))?;
        let plist = bundle.join("Contents").join("Info.plist");
        std::fs::write(&plist, info_plist(plugin, stem)).map_err(io("write", &plist))?;
        let executable = macos.join(stem);
        std::fs::copy(library, &executable).map_err(io("copy the library to", &executable))?;
    } else {
        std::fs::copy(library, &bundle).map_err(io("copy the library to", &bundle))?;
    }
    Ok(bundle)
}

/// Where hosts look for CLAP plugins on this platform, per the CLAP specification (user folder first).
pub fn clap_search_paths() -> Vec<PathBuf> {
    plugin_search_paths("CLAP", ".clap", &["/usr/lib/clap"])
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn a_clap_replaces_the_previous_one() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("libfx.so");
        std::fs::write(&library, b"elf").unwrap();
        std::fs::write(dir.path().join("fx.clap"), b"old").unwrap();
        let plugin = PluginIdentity {
            name: "fx".into(),
            vendor: "Acme".into(),
            id: "com.acme.fx".into(),
        };
        let written = write_clap(&library, dir.path(), "fx", &plugin).unwrap();
        assert_eq!(written, dir.path().join("fx.clap"));
        if cfg!(target_os = "macos") {
            assert_eq!(
                std::fs::read(written.join("Contents/MacOS/fx")).unwrap(),
                b"elf"
            );
        } else {
            assert_eq!(std::fs::read(&written).unwrap(), b"elf");
        }
    }
}
