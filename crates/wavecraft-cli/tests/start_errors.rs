//! `wavecraft start` refuses bad setups before starting anything, with
//! errors that name the problem and the fix: a directory that is not a
//! project, a busy WebSocket port, a busy UI port, the same port for both.

use std::net::TcpListener;
use std::process::{Command, Output, Stdio};

fn start(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wavecraft"))
        .arg("start")
        .args(args)
        .args(["--no-open", "--audio", "off"])
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_directory_without_an_engine_is_refused_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let out = start(&[dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("is not a Wavecraft project"), "{err}");
    assert!(err.contains("wavecraft create"), "{err}");
}

#[test]
fn busy_ports_are_named() {
    let project = wavecraft_test_support::ExampleProject::new("busy-port-probe");
    let path = project.path().to_str().unwrap().to_owned();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();

    let out = start(&[&path, "--port", &port]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("port {port}")) && err.contains("already in use"),
        "{err}"
    );
    assert!(err.contains("--port"), "{err}");

    // The UI port is checked before anything starts, when the project has a UI.
    std::fs::create_dir_all(project.path().join("ui")).unwrap();
    std::fs::write(project.path().join("ui/package.json"), "{}").unwrap();
    let out = start(&[&path, "--port", "0", "--ui-port", &port]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("port {port}")) && err.contains("already in use"),
        "{err}"
    );
    assert!(err.contains("--ui-port"), "{err}");
    assert!(
        !project.path().join("ui/node_modules").exists(),
        "nothing was installed"
    );
    // A busy WebSocket port is also named before the UI's dependencies are installed.
    let out = start(&[&path, "--port", &port, "--ui-port", "0"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--port"), "{}", stderr(&out));
    assert!(!project.path().join("ui/node_modules").exists());
    drop(taken);

    // One port cannot serve both.
    let out = start(&[&path, "--port", "9417", "--ui-port", "9417"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("--port and --ui-port are both 9417"), "{err}");
}
