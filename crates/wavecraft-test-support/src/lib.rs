//! Fixtures shared by Wavecraft's integration tests (never a runtime
//! dependency): where the workspace is, the target directory that tests
//! building engine cdylibs share (so dependencies compile once and the outer
//! `cargo test` never waits on its own build lock), and a temp project holding
//! a standalone copy of the example engine — what `wavecraft create` writes,
//! without its UI — for tests that edit engine sources and rebuild for real.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, PoisonError};

/// The workspace root of this checkout.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

/// The cargo target directory shared by tests that build engine libraries.
pub fn engines_target_dir() -> PathBuf {
    workspace_root().join("target/test-engines")
}

/// Runs `cargo build ARGS` in `dir` into [`engines_target_dir`]; panics with cargo's output
/// when it fails.
pub fn build_engines(dir: &Path, args: &[&str]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .current_dir(dir)
        .arg("build")
        .args(args)
        .arg("--target-dir")
        .arg(engines_target_dir())
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo build {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The engine library (cdylib) of this workspace's package `package` — the example plugin
/// or a fixture engine — built with `cargo build -p` into [`engines_target_dir`] on first use
/// in this process. Panics with cargo's output when the build fails.
pub fn workspace_engine(package: &str) -> PathBuf {
    static BUILT: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let library = engines_target_dir().join("debug").join(format!(
        "{}{}{}",
        std::env::consts::DLL_PREFIX,
        package.replace('-', "_"),
        std::env::consts::DLL_SUFFIX
    ));
    // Held while building: a second caller waits for the first build instead of racing it.
    let mut built = BUILT.lock().unwrap_or_else(PoisonError::into_inner);
    if !built.iter().any(|p| p == package) {
        build_engines(&workspace_root(), &["-p", package]);
        assert!(library.is_file(), "{} was not built", library.display());
        built.push(package.to_owned());
    }
    library
}

/// A temp project `<dir>/engine` with the example's source as a standalone crate named `package`
/// (`cdylib` + `rlib` as `wavecraft create` declares them, its own `[workspace]`, this checkout's `Cargo.lock`, `wavecraft` by absolute path; plugin
/// name "Probe", vendor "Wavecraft", id `dev.wavecraft.<package>`). Deleted on drop.
pub struct ExampleProject {
    dir: tempfile::TempDir,
}

impl ExampleProject {
    /// Writes the project. Give each test its own `package` so parallel builds in the shared
    /// target directory never overwrite each other's library.
    pub fn new(package: &str) -> ExampleProject {
        let ws = workspace_root();
        let dir = tempfile::tempdir().expect("a temp dir");
        let engine = dir.path().join("engine");
        std::fs::create_dir_all(engine.join("src")).expect("create engine/src");
        let manifest = format!(
            "[package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
             [package.metadata.wavecraft]\nname = \"Probe\"\nvendor = \"Wavecraft\"\nid = \"dev.wavecraft.{package}\"\n\n\
             [lib]\ncrate-type = [\"cdylib\", \"rlib\"]\n\n[dependencies]\nwavecraft = {{ path = {:?} }}\n\n[workspace]\n",
            ws.join("crates/wavecraft").display().to_string()
        );
        std::fs::write(engine.join("Cargo.toml"), manifest).expect("write Cargo.toml");
        std::fs::copy(ws.join("Cargo.lock"), engine.join("Cargo.lock")).expect("copy Cargo.lock");
        std::fs::copy(
            ws.join("examples/example-plugin/engine/src/lib.rs"),
            engine.join("src/lib.rs"),
        )
        .expect("copy the example's source");
        ExampleProject { dir }
    }

    /// The project directory (holds `engine/`).
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `engine/Cargo.toml`.
    pub fn manifest_path(&self) -> PathBuf {
        self.dir.path().join("engine/Cargo.toml")
    }

    /// `engine/src/lib.rs`.
    pub fn lib_rs(&self) -> PathBuf {
        self.dir.path().join("engine/src/lib.rs")
    }

    /// The current engine source.
    pub fn source(&self) -> String {
        std::fs::read_to_string(self.lib_rs()).expect("read lib.rs")
    }

    /// Saves a new engine source (as an editor would).
    pub fn write_source(&self, text: &str) {
        std::fs::write(self.lib_rs(), text).expect("write lib.rs");
    }
}

/// Every file below `dir`, at any depth.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_below(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// Plugin states a host must refuse, made from a `valid` one: empty, 1 MiB of zeros, every
/// truncation, every single-bit flip, and 299 pseudo-random byte strings (a fixed xorshift
/// sequence, so a failure repeats).
pub fn garbage_states(valid: &[u8]) -> Vec<Vec<u8>> {
    let mut garbage: Vec<Vec<u8>> = vec![Vec::new(), vec![0; 1 << 20]];
    garbage.extend((1..valid.len()).map(|len| valid[..len].to_vec()));
    garbage.extend((0..valid.len() * 8).map(|bit| {
        let mut flipped = valid.to_vec();
        flipped[bit / 8] ^= 1 << (bit % 8);
        flipped
    }));
    let mut x = 0x9e37_79b9_7f4a_7c15_u64;
    garbage.extend((1..300).map(|len| {
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }));
    garbage
}
