//! Developer tasks for the Wavecraft workspace.
//!
//! - `cargo xtask test`: every check CI runs, in order, stopping at the first failure
//!   (the Rust tests in a virtual X11 display, `xvfb-run -a`, when there is none; the last
//!   one is the end-to-end suite in e2e/, in a headless Chromium).
//! - `cargo xtask gen-ts`: regenerates the UI's protocol types from the Rust ones, and the
//!   fixture that checks the UI's port of the parameter rules against the Rust rules.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace root")
        .to_path_buf()
}

fn run(what: &str, dir: &Path, program: &str, args: &[&str]) -> Result<(), String> {
    run_command(what, Command::new(program).args(args).current_dir(dir))
}

fn run_command(what: &str, command: &mut Command) -> Result<(), String> {
    let args: Vec<_> = command.get_args().map(|a| a.to_string_lossy()).collect();
    let program = command.get_program().to_string_lossy().into_owned();
    eprintln!("\n==> {what}: {program} {}", args.join(" "));
    let status = command
        .status()
        .map_err(|e| format!("{what}: could not start {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// `npm ci` in `dir` (from its lockfile) unless its packages are already installed.
fn npm_ci_if_missing(what: &str, dir: &Path) -> Result<(), String> {
    if dir.join("node_modules").is_dir() {
        return Ok(());
    }
    run(what, dir, "npm", &["ci", "--no-audit", "--no-fund"])
}

/// Writes `text` to `relative` (from the workspace root), creating its folder.
fn write_generated(relative: &str, text: String) -> Result<(), String> {
    let path = root().join(relative);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    }
    std::fs::write(&path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

fn gen_ts() -> Result<(), String> {
    use wavecraft_protocol::{rules::fixture, typescript};
    write_generated(typescript::OUTPUT_PATH, typescript::generate())?;
    write_generated(fixture::OUTPUT_PATH, fixture::generate())
}

fn test() -> Result<(), String> {
    let root = root();
    let ui = root.join("ui");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    run("rustfmt", &root, &cargo, &["fmt", "--all", "--check"])?;
    run(
        "clippy",
        &root,
        &cargo,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    // The API docs build without a broken link or stray markup.
    run_command(
        "rust docs",
        Command::new(&cargo)
            .args(["doc", "--workspace", "--no-deps", "--all-features"])
            .env("RUSTDOCFLAGS", "-D warnings")
            .current_dir(&root),
    )?;
    rust_tests(&root, &cargo)?;
    npm_ci_if_missing("ui install", &ui)?;
    run("ui typecheck", &ui, "npm", &["run", "typecheck"])?;
    run("ui lint", &ui, "npm", &["run", "lint"])?;
    run("ui tests", &ui, "npm", &["test"])?;
    // The example plugin's UI is a standalone npm project (as `wavecraft
    // create` writes one): its own lockfile, the SDK packages linked by `file:`.
    let example_ui = root.join("examples/example-plugin/ui");
    npm_ci_if_missing("example ui install", &example_ui)?;
    run(
        "example ui typecheck",
        &example_ui,
        "npm",
        &["run", "typecheck"],
    )?;
    run("example ui lint", &example_ui, "npm", &["run", "lint"])?;
    run("example ui tests", &example_ui, "npm", &["test"])?;
    run("example ui build", &example_ui, "npm", &["run", "build"])?;
    e2e(&root, &cargo)?;
    eprintln!("\nall checks passed");
    Ok(())
}

/// The workspace's Rust tests. The plugin-window tests need an X11 display: without one
/// (`DISPLAY` unset or empty) they run inside a virtual one, `xvfb-run -a`.
fn rust_tests(root: &Path, cargo: &str) -> Result<(), String> {
    let args = ["test", "--workspace", "--all-features"];
    if std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty()) {
        return run("rust tests", root, cargo, &args);
    }
    if Command::new("xvfb-run").arg("--help").output().is_err() {
        return Err(
            "rust tests: no DISPLAY and no xvfb-run; the plugin-window tests need an X11 display \
             (install xvfb and xauth: scripts/setup.sh does)"
                .to_owned(),
        );
    }
    let mut command = Command::new("xvfb-run");
    command.arg("-a").arg(cargo).args(args).current_dir(root);
    run_command("rust tests (in Xvfb: no DISPLAY)", &mut command)
}

/// The end-to-end suite (e2e/run.mjs): `wavecraft create` → `wavecraft start`
/// → a headless Chromium drives the UI through the whole dev loop.
fn e2e(root: &Path, cargo: &str) -> Result<(), String> {
    run("cli build", root, cargo, &["build", "-p", "wavecraft-cli"])?;
    let e2e = root.join("e2e");
    npm_ci_if_missing("e2e install", &e2e)?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(|dir| root.join(dir))
        .unwrap_or_else(|| root.join("target"));
    let bin = target.join("debug").join("wavecraft");
    run_command(
        "e2e",
        Command::new("npm")
            .arg("test")
            .current_dir(&e2e)
            .env("WAVECRAFT_BIN", &bin),
    )
    .map_err(|e| format!("{e}; screenshots are in e2e/artifacts/"))
}

fn main() -> ExitCode {
    let task = std::env::args().nth(1);
    let outcome = match task.as_deref() {
        Some("test") => test(),
        Some("gen-ts") => gen_ts(),
        _ => Err("usage: cargo xtask <test|gen-ts>\n  test    run every check (fmt, clippy, Rust docs, Rust tests, UI typecheck, lint, tests, e2e)\n  gen-ts  regenerate ui/packages/core/src/generated/protocol.ts and\n          ui/packages/components/src/generated/parameterRules.json".to_owned()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
