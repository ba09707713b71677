//! File work every format's layout shares: the bundle's name on disk,
//! replacing what an earlier bundle left, copying a bundle file or
//! directory into an install folder, and the platform's plug-in folders.

use std::path::{Path, PathBuf};

use super::{io, BundleError};

/// The bundle's file stem: the plugin's display name, with the characters some file system
/// refuses (`/ \ : * ? " < > |`, control characters) as `-` and no leading or trailing dots
/// or spaces (hidden on Unix, dropped by Windows); the crate name if nothing is left.
pub fn bundle_stem(display_name: &str, crate_name: &str) -> String {
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
    if stem.is_empty() { crate_name } else { stem }.to_owned()
}

/// Removes the file or directory at `path`, if any.
pub(super) fn remove_existing(path: &Path) -> Result<(), BundleError> {
    if path.is_dir() {
        std::fs::remove_dir_all(path).map_err(io("replace", path))
    } else if path.exists() {
        std::fs::remove_file(path).map_err(io("replace", path))
    } else {
        Ok(())
    }
}

/// Copies a bundle file or directory to `target`, replacing what is there.
pub(super) fn copy_bundle(bundle: &Path, target: &Path) -> Result<(), BundleError> {
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

/// Where hosts look for one format's plugins on this platform, the user's folder first:
/// `~/Library/Audio/Plug-Ins/<folder>` and `/Library/Audio/Plug-Ins/<folder>` on macOS,
/// `%LOCALAPPDATA%\Programs\Common\<folder>` and `%COMMONPROGRAMFILES%\<folder>` on Windows,
/// `~/<linux_user>` then `linux_system` on Linux (the CLAP specification and the VST 3 SDK
/// name the same pattern).
pub fn plugin_search_paths(folder: &str, linux_user: &str, linux_system: &[&str]) -> Vec<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if cfg!(target_os = "macos") {
        let mut paths: Vec<PathBuf> = home
            .map(|h| h.join("Library/Audio/Plug-Ins").join(folder))
            .into_iter()
            .collect();
        paths.push(Path::new("/Library/Audio/Plug-Ins").join(folder));
        paths
    } else if cfg!(windows) {
        let local = std::env::var_os("LOCALAPPDATA").map(|d| {
            PathBuf::from(d)
                .join("Programs")
                .join("Common")
                .join(folder)
        });
        let common = std::env::var_os("COMMONPROGRAMFILES").map(|d| PathBuf::from(d).join(folder));
        local.into_iter().chain(common).collect()
    } else {
        let mut paths: Vec<PathBuf> = home.map(|h| h.join(linux_user)).into_iter().collect();
        paths.extend(linux_system.iter().map(PathBuf::from));
        paths
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_named_like_the_plugin_in_a_daw() {
        assert_eq!(
            bundle_stem("My Cool Plugin", "my_cool_plugin"),
            "My Cool Plugin"
        );
        assert_eq!(bundle_stem("Drum & Bass <EQ>", "x"), "Drum & Bass -EQ-");
        assert_eq!(bundle_stem("AC/DC: Drive?", "x"), "AC-DC- Drive-");
        assert_eq!(bundle_stem(" .hidden. ", "x"), "hidden");
        assert_eq!(bundle_stem("...", "my_fx"), "my_fx");
    }

    #[test]
    fn copies_files_and_bundle_directories() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("nested.clap");
        std::fs::create_dir_all(nested.join("Contents/MacOS")).unwrap();
        std::fs::write(nested.join("Contents/MacOS/fx"), b"elf").unwrap();
        let installed = dir.path().join("installed.clap");
        std::fs::write(&installed, b"an older single file").unwrap();
        copy_bundle(&nested, &installed).unwrap();
        assert_eq!(
            std::fs::read(installed.join("Contents/MacOS/fx")).unwrap(),
            b"elf"
        );
        let single = dir.path().join("fx.clap");
        std::fs::write(&single, b"elf").unwrap();
        copy_bundle(&single, &installed).unwrap();
        assert_eq!(std::fs::read(&installed).unwrap(), b"elf");
    }
}
