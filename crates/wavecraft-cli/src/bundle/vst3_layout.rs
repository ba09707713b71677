//! The `.vst3` bundle on disk (the VST 3 SDK's "VST 3 Locations / Format"),
//! and where hosts look for it. Always a directory:
//!
//! ```text
//! <Name>.vst3/Contents/x86_64-linux/<Name>.so        Linux (aarch64-linux, i386-linux likewise)
//! <Name>.vst3/Contents/x86_64-win/<Name>.vst3         Windows
//! <Name>.vst3/Contents/{Info.plist, MacOS/<Name>}     macOS
//! <Name>.vst3/Contents/Resources/moduleinfo.json      all
//! ```
//!
//! Only the Linux layout is exercised by tests here; the macOS and Windows
//! ones follow the SDK's documentation and are untested.

use std::path::{Path, PathBuf};

use wavecraft_identity::PluginIdentity;

use super::files::{plugin_search_paths, remove_existing};
use super::moduleinfo::module_info;
use super::plist::info_plist;
use super::{io, BundleError};

/// The SDK's folder name for this machine's architecture on Linux (`uname -m` style).
fn linux_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86" => "i386",
        arch => arch,
    }
}

/// Where the library goes inside the bundle directory `bundle` named `<stem>.vst3`.
pub(super) fn library_path(bundle: &Path, stem: &str) -> PathBuf {
    let contents = bundle.join("Contents");
    if cfg!(target_os = "macos") {
        contents.join("MacOS").join(stem)
    } else if cfg!(windows) {
        contents
            .join(format!("{}-win", std::env::consts::ARCH))
            .join(format!("{stem}.vst3"))
    } else {
        contents
            .join(format!("{}-linux", linux_arch()))
            .join(format!("{stem}.so"))
    }
}

/// Writes `<out_dir>/<stem>.vst3/` for `library` (the plugin's `version`) and returns its path.
pub(super) fn write_vst3(
    library: &Path,
    out_dir: &Path,
    stem: &str,
    plugin: &PluginIdentity,
    version: &str,
) -> Result<PathBuf, BundleError> {
    let bundle = out_dir.join(format!("{stem}.vst3"));
    remove_existing(&bundle)?;
    let target = library_path(&bundle, stem);
    if let Some(folder) = target.parent() {
        std::fs::create_dir_all(folder).map_err(io("create", folder))?;
    }
    std::fs::copy(library, &target).map_err(io("copy the library to", &target))?;
    let resources = bundle.join("Contents").join("Resources");
    std::fs::create_dir_all(&resources).map_err(io("create", &resources))?;
    let info = resources.join("moduleinfo.json");
    std::fs::write(&info, module_info(plugin, stem, version)).map_err(io("write", &info))?;
    if cfg!(target_os = "macos") {
        let plist = bundle.join("Contents").join("Info.plist");
        std::fs::write(&plist, info_plist(plugin, stem)).map_err(io("write", &plist))?;
    }
    Ok(bundle)
}

/// Where hosts look for VST3 plugins on this platform, per the VST 3 SDK (user folder first).
pub fn vst3_search_paths() -> Vec<PathBuf> {
    plugin_search_paths("VST3", ".vst3", &["/usr/lib/vst3", "/usr/local/lib/vst3"])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plugin() -> PluginIdentity {
        PluginIdentity {
            name: "Drive & Tone".into(),
            vendor: "Acme".into(),
            id: "com.acme.drive-tone".into(),
        }
    }

    #[test]
    fn the_bundle_follows_the_vst3_layout() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("libdrive.so");
        std::fs::write(&library, b"elf").unwrap();
        // What an earlier bundle left is replaced, not merged.
        let stale = dir.path().join("Drive & Tone.vst3/Contents/stale");
        std::fs::create_dir_all(&stale).unwrap();
        let bundle = write_vst3(&library, dir.path(), "Drive & Tone", &plugin(), "1.2.0").unwrap();
        assert_eq!(bundle, dir.path().join("Drive & Tone.vst3"));
        assert!(!stale.exists());
        let inside = library_path(&bundle, "Drive & Tone");
        if cfg!(all(target_os = "linux", target_arch = "x86_64")) {
            assert_eq!(inside, bundle.join("Contents/x86_64-linux/Drive & Tone.so"));
        }
        assert_eq!(std::fs::read(&inside).unwrap(), b"elf");
        let info =
            std::fs::read_to_string(bundle.join("Contents/Resources/moduleinfo.json")).unwrap();
        let info: serde_json::Value = serde_json::from_str(&info).unwrap();
        assert_eq!(info["Name"], "Drive & Tone");
        assert_eq!(info["Classes"][0]["Version"], "1.2.0");
    }

    #[test]
    fn search_paths_follow_the_vst3_sdk() {
        let paths = vst3_search_paths();
        assert!(!paths.is_empty());
        if cfg!(target_os = "linux") {
            assert!(paths.contains(&PathBuf::from("/usr/lib/vst3")));
            if let Some(home) = std::env::var_os("HOME") {
                assert_eq!(paths[0], PathBuf::from(home).join(".vst3"));
            }
        }
    }
}
