//! Where the loader keeps the copies it opens: a private folder next to the
//! built library, never the shared temp folder. A test binary of its own,
//! because it points `TMPDIR` at something unusable for the whole process.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use wavecraft_engine_loader::{EngineLibrary, COPIES_DIR};
use wavecraft_test_support::workspace_engine;

fn entries(dir: &Path) -> usize {
    std::fs::read_dir(dir).unwrap().count()
}

#[test]
fn copies_live_in_a_private_folder_next_to_the_library_whatever_tmpdir_says() {
    // Built (by cargo, which needs a temp folder) and copied before TMPDIR is spoiled.
    let built = workspace_engine("example-plugin");
    let project = tempfile::tempdir().unwrap();
    let library = project.path().join(built.file_name().unwrap());
    std::fs::copy(&built, &library).unwrap();

    // A TMPDIR that cannot hold a folder (a file); the old loader failed every load here, as it
    // does when /tmp is mounted noexec (dlopen refuses a library mapped from there).
    let not_a_dir = project.path().join("tmpdir-is-a-file");
    std::fs::write(&not_a_dir, b"").unwrap();
    std::env::set_var("TMPDIR", &not_a_dir);
    assert_eq!(std::env::temp_dir(), not_a_dir);

    let lib = EngineLibrary::load(&library).unwrap();
    let copies = project.path().join(COPIES_DIR);
    let mode = std::fs::metadata(&copies).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode, 0o700, "the copies folder is private: {mode:o}");
    assert_eq!(entries(&copies), 1, "one copy while loaded");
    let mut instance = lib.instantiate(48_000.0, 64, 2).unwrap();
    let (mut l, mut r) = (vec![0.25f32; 64], vec![0.25f32; 64]);
    instance.process(&mut [&mut l, &mut r]).unwrap();

    // A second load of the same file is another copy beside the first.
    let again = EngineLibrary::load(&library).unwrap();
    assert_eq!(entries(&copies), 2);
    drop(again);
    assert_eq!(entries(&copies), 1);
    // The copy goes when the library does (after its last instance).
    drop(lib);
    assert_eq!(entries(&copies), 1, "the instance keeps its library");
    drop(instance);
    assert_eq!(entries(&copies), 0, "the copy is deleted with the library");
}
