//! `wavecraft create` end to end: names handled or refused (with nothing
//! written), ids unique per project, a second `create` on the same directory
//! changes nothing, the written engine builds as its own workspace, and the
//! example plugin is exactly the template rendered with the example's values.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

use wavecraft_cli::create::{self, CreateOptions};

fn options(name: &str, output: &Path) -> CreateOptions {
    CreateOptions {
        name: name.to_owned(),
        vendor: None,
        id: None,
        output: Some(output.to_path_buf()),
        sdk_path: None,
        git_init: false,
    }
}

/// Every path and file content under `dir`, hashed in sorted order.
fn tree_hash(dir: &Path) -> u64 {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.push((path.clone(), Vec::new()));
                walk(&path, out);
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    let mut entries = Vec::new();
    walk(dir, &mut entries);
    entries.sort();
    let mut hasher = DefaultHasher::new();
    entries.hash(&mut hasher);
    hasher.finish()
}

fn metadata_id(project: &Path) -> String {
    let manifest = std::fs::read_to_string(project.join("engine/Cargo.toml")).unwrap();
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("id = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("engine/Cargo.toml has an id")
        .to_owned()
}

fn wavecraft(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_wavecraft"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn a_name_with_spaces_and_capitals_keeps_its_display_name_and_gets_a_package_name() {
    let tmp = tempfile::tempdir().unwrap();
    let out = wavecraft(&["create", "My Cool Plugin", "--no-git"], tmp.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let project = tmp.path().join("my-cool-plugin");
    let manifest = std::fs::read_to_string(project.join("engine/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"my-cool-plugin\""), "{manifest}");
    assert!(manifest.contains("name = \"My Cool Plugin\""), "{manifest}");
    assert!(manifest.contains("\n[workspace]\n"), "{manifest}");
    let ui = std::fs::read_to_string(project.join("ui/package.json")).unwrap();
    assert!(ui.contains("\"name\": \"my-cool-plugin-ui\""), "{ui}");
    let sdk = wavecraft_test_support::workspace_root()
        .canonicalize()
        .unwrap();
    assert!(
        ui.contains(&format!("\"file:{}/ui/packages/core\"", sdk.display())),
        "{ui}"
    );
    assert!(project.join("engine/Cargo.lock").is_file());
    let title = std::fs::read_to_string(project.join("ui/index.html")).unwrap();
    assert!(title.contains("<title>My Cool Plugin</title>"));
}

#[test]
fn invalid_names_are_refused_clearly_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, expected) in [
        ("3 Band EQ", "would start with a digit"),
        ("Café", "is not allowed"),
        ("  ", "it is empty"),
        ("wavecraft", "taken by Rust or the Wavecraft SDK"),
    ] {
        let out = wavecraft(&["create", name], tmp.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name:?} was accepted");
        assert!(stderr.contains(expected), "{name:?}: {stderr}");
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            0,
            "{name:?} left files behind"
        );
    }
}

#[test]
fn two_projects_get_different_ids_that_stay_written() {
    let tmp = tempfile::tempdir().unwrap();
    let a = create::create(&options("Twin", &tmp.path().join("a"))).unwrap();
    let b = create::create(&options("Twin", &tmp.path().join("b"))).unwrap();
    assert_ne!(a.id, b.id);
    assert!(a.id.starts_with("com.my-company.twin-"), "{}", a.id);
    assert_eq!(metadata_id(&a.dir), a.id);
    assert_eq!(metadata_id(&b.dir), b.id);

    let given = CreateOptions {
        vendor: Some("Acme Audio".to_owned()),
        id: Some("com.acme.twin".to_owned()),
        ..options("Twin", &tmp.path().join("c"))
    };
    let c = create::create(&given).unwrap();
    assert_eq!(metadata_id(&c.dir), "com.acme.twin");
    let manifest = std::fs::read_to_string(c.dir.join("engine/Cargo.toml")).unwrap();
    assert!(manifest.contains("vendor = \"Acme Audio\""), "{manifest}");
}

#[test]
fn creating_again_in_the_same_directory_refuses_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let first = wavecraft(&["create", "Again", "--output", "proj"], tmp.path());
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = tree_hash(tmp.path());
    let second = wavecraft(&["create", "Again", "--output", "proj"], tmp.path());
    assert!(!second.status.success());
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("already exists and is not empty"),
        "{stderr}"
    );
    assert_eq!(tree_hash(tmp.path()), before);
}

#[test]
fn an_empty_existing_directory_is_filled() {
    let tmp = tempfile::tempdir().unwrap();
    let created = create::create(&options("Empty Dir", tmp.path())).unwrap();
    assert!(created.dir.join("engine/src/lib.rs").is_file());
    assert!(created.dir.join("ui/src/App.tsx").is_file());
}

#[test]
fn a_directory_that_is_not_a_wavecraft_checkout_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let sdk = tempfile::tempdir().unwrap();
    let refused = create::create(&CreateOptions {
        sdk_path: Some(sdk.path().to_path_buf()),
        ..options("Lost", &tmp.path().join("lost"))
    })
    .unwrap_err();
    assert!(refused.to_string().contains("--sdk-path"), "{refused}");
    assert!(!tmp.path().join("lost").exists());
}

#[test]
fn the_created_engine_builds_as_its_own_workspace() {
    let tmp = tempfile::tempdir().unwrap();
    let created = create::create(&options("Build Probe", &tmp.path().join("p"))).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args(["build", "--lib", "--quiet", "--manifest-path"])
        .arg(created.dir.join("engine/Cargo.toml"))
        .arg("--target-dir")
        .arg(wavecraft_test_support::engines_target_dir())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the created engine does not build:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_subcommand_help_carries_an_example() {
    let tmp = tempfile::tempdir().unwrap();
    for sub in ["create", "start", "render", "bundle"] {
        let out = wavecraft(&[sub, "--help"], tmp.path());
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(
            help.contains("Examples:\n  wavecraft "),
            "{sub} --help: {help}"
        );
    }
}

/// The example plugin is the template rendered with the example's values,
/// file by file (engine and UI), by the same function `create` uses.
#[test]
fn the_example_plugin_is_the_template_rendered() {
    let root = wavecraft_test_support::workspace_root();
    let template = root.join("template");
    let example = root.join("examples/example-plugin");
    let values = BTreeMap::from([
        ("plugin_name", "Wavecraft Example".to_owned()),
        (
            "type_name",
            wavecraft_cli::project_name::type_name("example-plugin"),
        ),
        ("package_name", "example-plugin".to_owned()),
        ("vendor", "Wavecraft".to_owned()),
        ("plugin_id", "dev.wavecraft.example".to_owned()),
        ("sdk_path", "../../..".to_owned()),
        ("sdk_ui_path", "../../../ui/packages".to_owned()),
        ("workspace_table", String::new()),
    ]);
    let rendered = wavecraft_cli::template::render_tree(&template, &values).unwrap();
    let rendered_paths: Vec<PathBuf> = rendered.iter().map(|(p, _)| p.clone()).collect();
    assert_eq!(
        rendered_paths,
        wavecraft_cli::template::list_files(&example).unwrap()
    );
    assert!(rendered_paths.contains(&PathBuf::from("engine/Cargo.toml")));
    for (relative, text) in rendered {
        let actual = std::fs::read_to_string(example.join(&relative)).unwrap();
        assert!(
            actual == text,
            "examples/example-plugin/{} differs from template/{} rendered: render the template again",
            relative.display(),
            relative.display()
        );
    }
}
