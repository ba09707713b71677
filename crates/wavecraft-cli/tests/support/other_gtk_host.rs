//! A host whose process already runs another GTK (GTK 2 in Ardour and Mixbus,
//! Ardour's GTK 2 fork YTK, GTK 4): `gui.create` must fail with a log line
//! naming it, since GTK 3 cannot run beside it. Each case runs in a process of
//! its own (this test binary again), which first loads a stand-in for the
//! host's toolkit into its global scope, as a host program's own libraries
//! are: a library compiled here with `cc`, either under an unknown name
//! exporting GTK 2's `gtk_major_version` (a fork the plugin cannot know by
//! name) or under YTK's file name.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::window_host::Instance;

/// Set in a child: the stand-in library to load, then the bundle to try.
const CHILD_TOOLKIT: &str = "WAVECRAFT_TEST_OTHER_GTK";
const CHILD_BUNDLE: &str = "WAVECRAFT_TEST_OTHER_GTK_BUNDLE";
/// The first characters of the child's line with the log line it got.
const REPORT: &str = "other-gtk refused: ";

/// In a child started by [`check`]: loads the stand-in, tries `gui.create`, reports and
/// returns true (the caller then exits); false in any other process.
pub fn run_if_child() -> bool {
    let (Some(toolkit), Some(bundle)) = (
        std::env::var_os(CHILD_TOOLKIT),
        std::env::var_os(CHILD_BUNDLE),
    ) else {
        return false;
    };
    use libloading::os::unix::{Library, RTLD_GLOBAL, RTLD_NOW};
    // SAFETY: the stand-in has no initialisers; it only exports one constant.
    let stand_in = unsafe { Library::open(Some(&toolkit), RTLD_NOW | RTLD_GLOBAL) }
        .expect("load the stand-in toolkit");
    let mut instance = Instance::new(Path::new(&bundle));
    assert!(
        !instance.try_create(),
        "gui.create must fail beside another GTK"
    );
    let logs = instance.logs();
    let line = logs
        .iter()
        .find(|(_, line)| line.contains("cannot run beside it"))
        .unwrap_or_else(|| panic!("the host's log says why: {logs:?}"));
    println!("{REPORT}{}", line.1);
    drop(instance);
    std::mem::forget(stand_in);
    true
}

/// The two cases, each in a child process: a GTK 2 fork under an unknown name (found by its
/// `gtk_major_version`), and YTK by its file name (no such symbol).
pub fn check(bundle: &Path, scratch: &Path) {
    let fork = stand_in(
        scratch,
        "libhost-toolkit.so",
        "const unsigned int gtk_major_version = 2;",
    );
    let ytk = stand_in(scratch, "libytk.so.2.24.23", "const int ytk_stand_in = 1;");
    for (toolkit, named) in [(fork, "GTK 2 (its gtk_major_version)"), (ytk, "YTK")] {
        let exe = std::env::current_exe().expect("the test binary's path");
        let out = Command::new(exe)
            .env(CHILD_TOOLKIT, &toolkit)
            .env(CHILD_BUNDLE, bundle)
            .output()
            .expect("start a host process with another GTK");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let report = stdout.lines().find_map(|line| line.strip_prefix(REPORT));
        assert!(
            out.status.success() && report.is_some_and(|line| line.contains(named)),
            "beside {}, gui.create must fail naming {named} ({}): {stdout} {}",
            toolkit.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        eprintln!("beside {named}: {}", report.unwrap());
    }
}

/// Compiles `source` into the shared library `scratch/other-gtk/<name>`.
fn stand_in(scratch: &Path, name: &str, source: &str) -> PathBuf {
    let dir = scratch.join("other-gtk");
    std::fs::create_dir_all(&dir).unwrap();
    let c = dir.join(format!("{name}.c"));
    std::fs::write(&c, source).unwrap();
    let library = dir.join(name);
    let status = Command::new("cc")
        .args(["-shared", "-fPIC", "-o"])
        .arg(&library)
        .arg(&c)
        .status()
        .expect("run cc (the C compiler Rust links with)");
    assert!(status.success(), "cc could not build the stand-in {name}");
    library
}
