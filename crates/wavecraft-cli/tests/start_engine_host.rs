//! `wavecraft start` runs the author's code in a copy of itself in a hidden
//! mode (the engine host), which dies with it even when it is killed with
//! SIGKILL and cannot clean up: the host reads the end of its control socket
//! and exits, and `PR_SET_PDEATHSIG` kills it if it is too busy to read.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

/// Processes whose parent is `parent` and whose command line holds `word`.
fn children_with(parent: u32, word: &str) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // The fields after the command name (which may hold spaces) start after its ')'.
        let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let ppid = after.split_whitespace().nth(1).and_then(|p| p.parse().ok());
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        if ppid == Some(parent) && String::from_utf8_lossy(&cmdline).contains(word) {
            found.push(pid);
        }
    }
    found
}

fn alive(pid: u32) -> bool {
    // A zombie has exited; only its parent's reaping is missing.
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        !s.rsplit_once(')')
            .is_some_and(|(_, r)| r.trim_start().starts_with('Z'))
    })
}

#[cfg(target_os = "linux")]
#[test]
fn the_engine_host_dies_with_a_killed_dev_server() {
    let dir = tempfile::tempdir().unwrap();
    // A project whose build fails at once: no cargo is left running after the SIGKILL.
    std::fs::create_dir_all(dir.path().join("engine")).unwrap();
    std::fs::write(dir.path().join("engine/Cargo.toml"), "not a manifest").unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_wavecraft"))
        .arg("start")
        .arg(dir.path())
        .args(["--no-open", "--audio", "virtual", "--port"])
        .arg(port.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    for line in lines.by_ref() {
        if line.unwrap().contains("press Ctrl-C") {
            break;
        }
    }
    std::thread::spawn(move || lines.for_each(drop));
    let hosts = children_with(child.id(), "__engine-host");
    assert_eq!(hosts.len(), 1, "one engine host runs under wavecraft start");

    kill(
        Pid::from_raw(i32::try_from(child.id()).unwrap()),
        Signal::SIGKILL,
    )
    .unwrap();
    child.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while alive(hosts[0]) {
        assert!(
            Instant::now() < deadline,
            "the engine host outlived its killed dev server"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
