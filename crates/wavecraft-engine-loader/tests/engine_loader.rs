//! The engine loader against real built cdylibs: the example plugin, an
//! engine that panics, a library of another ABI version, one of another SDK
//! and one built by "another rustc"; the private folder of the copies; and a
//! reload after a real rebuild.

mod support;

use std::sync::Arc;

use support::{rms_db, sine};
use wavecraft_engine_loader::{EngineFault, EngineLibrary, LoadError};
use wavecraft_test_support::{build_engines, workspace_engine};

fn index_of(lib: &EngineLibrary, id: &str) -> usize {
    lib.metadata()
        .parameters
        .iter()
        .position(|p| p.id == id)
        .unwrap()
}

#[test]
fn loads_the_example_with_the_authors_metadata() {
    let lib = EngineLibrary::load(workspace_engine("example-plugin")).unwrap();
    let m = lib.metadata();
    assert_eq!(m.name, "Wavecraft Example");
    assert_eq!(m.vendor, "Wavecraft");
    assert_eq!(m.plugin_id, "dev.wavecraft.example");
    assert_eq!(m.version, "0.1.0");
    let ids: Vec<&str> = m.parameters.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "input_gain",
            "filter_mode",
            "cutoff",
            "resonance",
            "drive",
            "output_gain"
        ]
    );
    assert_eq!(
        m.parameters[1].variants,
        ["Low-pass", "High-pass", "Band-pass", "Peak"]
    );
}

#[test]
fn processes_audio_and_applies_parameter_values() {
    let lib = EngineLibrary::load(workspace_engine("example-plugin")).unwrap();
    let sr = 48_000.0;
    let mut instance = lib.instantiate(sr, 512, 2).unwrap();
    let input = sine(1000.0, 0.5, sr, 48_000);
    let run = |instance: &mut wavecraft_engine_loader::EngineInstance| {
        let (mut l, mut r) = (input.clone(), input.clone());
        for (cl, cr) in l.chunks_mut(512).zip(r.chunks_mut(512)) {
            instance.process(&mut [cl, cr]).unwrap();
        }
        (l, r)
    };
    let (dry, _) = run(&mut instance);
    instance
        .set_value(index_of(&lib, "output_gain"), -6.0)
        .unwrap();
    instance.reset().unwrap();
    let (quiet, quiet_r) = run(&mut instance);
    let settle = 4_800;
    let change = rms_db(&quiet[settle..]) - rms_db(&dry[settle..]);
    assert!(
        (change + 6.0).abs() < 0.05,
        "output_gain -6 changed RMS by {change:.3} dB"
    );
    assert_eq!(quiet, quiet_r, "both channels get the same processing");
    assert_eq!(
        instance.set_value(99, 0.0),
        Err(EngineFault::InvalidArgument)
    );
    assert_eq!(
        instance.set_value(0, f64::NAN),
        Err(EngineFault::InvalidArgument)
    );
    let mut mono = vec![0.0f32; 64];
    assert_eq!(
        instance.process(&mut [&mut mono]),
        Err(EngineFault::InvalidArgument)
    );
}

#[test]
fn each_load_is_a_fresh_copy_and_instances_keep_their_library() {
    let path = workspace_engine("example-plugin");
    let a = EngineLibrary::load(&path).unwrap();
    let b = EngineLibrary::load(&path).unwrap();
    assert!(!Arc::ptr_eq(&a, &b));
    let mut instance = a.instantiate(44_100.0, 64, 2).unwrap();
    drop(a);
    // The instance still holds its library: processing works after the last outside handle is gone.
    let (mut l, mut r) = (vec![0.25f32; 64], vec![0.25f32; 64]);
    instance.process(&mut [&mut l, &mut r]).unwrap();
    assert!(l.iter().all(|s| s.is_finite()));
    assert_eq!(
        instance.library().metadata().plugin_id,
        "dev.wavecraft.example"
    );
    drop(instance);
    drop(b);
}

#[test]
fn a_panicking_engine_is_an_error_with_silence_not_a_crash() {
    let lib = EngineLibrary::load(workspace_engine("panicking-engine")).unwrap();
    let mut instance = lib.instantiate(48_000.0, 128, 2).unwrap();
    let (mut l, mut r) = (vec![0.5f32; 128], vec![0.5f32; 128]);
    instance.process(&mut [&mut l, &mut r]).unwrap();
    assert!(l.iter().all(|&s| s == 0.5), "passes through while calm");
    instance.set_value(0, 1.0).unwrap();
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let fault = instance.process(&mut [&mut l, &mut r]);
    std::panic::set_hook(prev);
    assert_eq!(fault, Err(EngineFault::Panicked));
    assert!(
        l.iter().chain(r.iter()).all(|&s| s == 0.0),
        "output is silence after a panic"
    );
    assert!(
        instance.last_error().contains("exploded on purpose"),
        "{}",
        instance.last_error()
    );
    // Stays silent until reset, without running the plugin again.
    let (mut l, mut r) = (vec![0.5f32; 128], vec![0.5f32; 128]);
    assert_eq!(
        instance.process(&mut [&mut l, &mut r]),
        Err(EngineFault::Panicked)
    );
    assert!(l.iter().all(|&s| s == 0.0));
    instance.set_value(0, 0.0).unwrap();
    instance.reset().unwrap();
    let (mut l, mut r) = (vec![0.5f32; 128], vec![0.5f32; 128]);
    instance.process(&mut [&mut l, &mut r]).unwrap();
    assert!(l.iter().all(|&s| s == 0.5), "recovers after reset");
}

#[test]
fn another_abi_version_is_refused_with_what_to_rebuild() {
    let err = EngineLibrary::load(workspace_engine("stale-abi-engine")).unwrap_err();
    assert!(
        matches!(err, LoadError::AbiVersion { found: 999, .. }),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("v999") && msg.contains("rebuild the engine"),
        "{msg}"
    );
}

#[test]
fn another_sdk_is_refused_saying_what_to_rebuild_and_another_rustc_is_not() {
    let err = EngineLibrary::load(workspace_engine("foreign-canary-engine")).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, LoadError::Canary { .. }), "{err:?}");
    assert!(msg.contains("Wavecraft SDK 0.0.1"), "{msg}");
    let sdk = env!("CARGO_PKG_VERSION");
    assert!(
        msg.contains(&format!("Rebuild the engine against Wavecraft SDK {sdk}")),
        "{msg}"
    );
    assert!(
        !msg.contains("rustc"),
        "the compiler is not what is wrong: {msg}"
    );
}

#[test]
fn an_engine_built_by_another_rustc_loads_with_a_note() {
    let lib = EngineLibrary::load(workspace_engine("foreign-rustc-engine")).unwrap();
    assert_eq!(lib.metadata().name, "Foreign Rustc");
    let note = lib.note().expect("a note about the compiler");
    assert!(
        note.contains("rustc 1.0.0 (a28077b28 2015-05-13)"),
        "{note}"
    );
    // An engine built by this rustc (every workspace engine here) has nothing to note.
    let same = EngineLibrary::load(workspace_engine("example-plugin")).unwrap();
    assert_eq!(same.note(), None);
}

#[test]
fn missing_and_non_library_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.so");
    let err = EngineLibrary::load(&missing).unwrap_err();
    assert!(matches!(err, LoadError::Missing(_)), "{err:?}");
    assert!(err.to_string().contains("does not exist"));
    let garbage = dir.path().join("garbage.so");
    std::fs::write(&garbage, b"definitely not an ELF file").unwrap();
    let err = EngineLibrary::load(&garbage).unwrap_err();
    assert!(matches!(err, LoadError::Open { .. }), "{err:?}");
}

/// A temp project folder holding a copy of the example's built library; returns the folder and
/// the library's path in it.
fn library_in_temp_folder() -> (tempfile::TempDir, std::path::PathBuf) {
    let built = workspace_engine("example-plugin");
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join(built.file_name().unwrap());
    std::fs::copy(&built, &library).unwrap();
    (dir, library)
}

fn copy_dir_refusal(err: LoadError) -> String {
    assert!(matches!(err, LoadError::CopyDir { .. }), "{err:?}");
    err.to_string()
}

#[test]
fn a_copies_folder_others_can_write_or_replace_is_refused() {
    use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};
    let mode = |p: &std::path::Path, m: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap()
    };
    let (dir, library) = library_in_temp_folder();
    let copies = dir.path().join(wavecraft_engine_loader::COPIES_DIR);

    // Writable by everyone, or by the group: refused, saying why and what to do.
    std::fs::create_dir(&copies).unwrap();
    for m in [0o777, 0o770, 0o1777] {
        mode(&copies, m);
        let msg = copy_dir_refusal(EngineLibrary::load(&library).unwrap_err());
        assert!(msg.contains(&format!("mode {m:o}")), "{msg}");
        assert!(
            msg.contains("others can write") && msg.contains("chmod 700"),
            "{msg}"
        );
    }
    // Made private again, it is used.
    mode(&copies, 0o700);
    drop(EngineLibrary::load(&library).unwrap());

    // A symlink there is never followed, even to a private folder.
    std::fs::remove_dir(&copies).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    symlink(elsewhere.path(), &copies).unwrap();
    let msg = copy_dir_refusal(EngineLibrary::load(&library).unwrap_err());
    assert!(msg.contains("not a directory"), "{msg}");
    std::fs::remove_file(&copies).unwrap();

    // Another user's folder.
    let me = std::fs::metadata(&library).unwrap().uid();
    let theirs = if me == 0 {
        // Root can hand a folder to someone else.
        let theirs = dir.path().join("theirs");
        std::fs::create_dir(&theirs).unwrap();
        mode(&theirs, 0o700);
        std::os::unix::fs::chown(&theirs, Some(4242), None).unwrap();
        theirs
    } else {
        // Anyone else finds one: the root directory is root's.
        std::path::PathBuf::from("/")
    };
    let owner = std::fs::metadata(&theirs).unwrap().uid();
    assert_ne!(owner, me);
    let msg = copy_dir_refusal(EngineLibrary::load_with_copies_in(&library, &theirs).unwrap_err());
    assert!(
        msg.contains(&format!("belongs to user id {owner}")),
        "{msg}"
    );

    // A private folder in a parent everyone may write to (not sticky) could be swapped whole.
    mode(dir.path(), 0o777);
    let msg = copy_dir_refusal(EngineLibrary::load(&library).unwrap_err());
    assert!(msg.contains("everyone can write to its parent"), "{msg}");
    // With the sticky bit (like /tmp), only the owner may rename it: accepted.
    mode(dir.path(), 0o1777);
    drop(EngineLibrary::load(&library).unwrap());
    mode(dir.path(), 0o700);
}

#[test]
fn reload_after_a_rebuild_sees_the_new_metadata() {
    let project = wavecraft_test_support::ExampleProject::new("reload-probe");
    let engine = project.path().join("engine");
    let manifest = std::fs::read_to_string(project.manifest_path()).unwrap();
    let source = project.source();
    let built = wavecraft_test_support::engines_target_dir()
        .join("debug")
        .join(format!(
            "{}reload_probe{}",
            std::env::consts::DLL_PREFIX,
            std::env::consts::DLL_SUFFIX
        ));

    build_engines(&engine, &["--lib"]);
    let before = EngineLibrary::load(&built).unwrap();
    let mut old_instance = before.instantiate(48_000.0, 64, 2).unwrap();
    let max = |lib: &EngineLibrary| lib.metadata().parameters[index_of(lib, "output_gain")].max;
    assert_eq!(max(&before), 12.0);

    project.write_source(&source.replace(
        "FloatRange::linear(-60.0, 12.0)",
        "FloatRange::linear(-60.0, 24.0)",
    ));
    let renamed = manifest.replace("name = \"Probe\"", "name = \"Reloaded Probe\"");
    assert_ne!(renamed, manifest);
    std::fs::write(project.manifest_path(), renamed).unwrap();
    build_engines(&engine, &["--lib"]);
    let after = EngineLibrary::load(&built).unwrap();
    assert_eq!(max(&after), 24.0);
    assert_eq!(after.metadata().name, "Reloaded Probe");
    // An edit of the identity alone (cargo ignores `[package.metadata]`) rebuilds too.
    let manifest = std::fs::read_to_string(project.manifest_path()).unwrap();
    std::fs::write(
        project.manifest_path(),
        manifest.replace("name = \"Reloaded Probe\"", "name = \"Renamed Probe\""),
    )
    .unwrap();
    build_engines(&engine, &["--lib"]);
    assert_eq!(
        EngineLibrary::load(&built).unwrap().metadata().name,
        "Renamed Probe"
    );
    // The old library is still loaded and its instance still runs.
    assert_eq!(before.metadata().name, "Probe");
    let (mut l, mut r) = (vec![0.1f32; 64], vec![0.1f32; 64]);
    old_instance.process(&mut [&mut l, &mut r]).unwrap();
}
