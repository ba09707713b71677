//! `render` runs the engine in its own process: an engine that segfaults in
//! `process` still takes it down, but with a clear message on stderr, and the
//! process ends by the same signal as before (exit status, core dump).

use std::os::unix::process::ExitStatusExt;
use std::process::Command;

#[test]
fn a_segfaulting_engine_ends_render_with_a_message_and_the_signal() {
    let engine = wavecraft_test_support::workspace_engine("segfault-engine");
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("out.wav");
    let run = Command::new(env!("CARGO_BIN_EXE_wavecraft"))
        .arg("render")
        .arg(&engine)
        .arg("--output")
        .arg(&output)
        .args(["--signal", "sine:440", "--duration", "0.1"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.signal(), Some(libc_sigsegv()), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "wavecraft render: the engine {} crashed",
            engine.display()
        )) && stderr.contains("is incomplete"),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("wavecraft render: the engine").count(),
        1,
        "{stderr}"
    );
}

/// SIGSEGV's number (11 on every platform this runs on).
fn libc_sigsegv() -> i32 {
    11
}
