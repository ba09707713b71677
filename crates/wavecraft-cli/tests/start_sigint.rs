//! Ctrl-C (SIGINT) on `wavecraft start` leaves no child process behind:
//! interrupted mid-build, every process it started (cargo, rustc, build
//! scripts; npm, node, esbuild when a UI runs) is gone once it exits.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

/// (pid, ppid, pgid) of every process.
fn processes() -> Vec<(i32, i32, i32)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // Fields after the parenthesised command name: state ppid pgrp …
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.len() > 2 && fields[0] != "Z" {
            out.push((
                pid,
                fields[1].parse().unwrap_or(0),
                fields[2].parse().unwrap_or(0),
            ));
        }
    }
    out
}

/// Every live descendant of `root`, with their process groups.
fn descendants(root: i32) -> (BTreeSet<i32>, BTreeSet<i32>) {
    let all = processes();
    let mut pids = BTreeSet::from([root]);
    loop {
        let before = pids.len();
        for &(pid, ppid, _) in &all {
            if pids.contains(&ppid) {
                pids.insert(pid);
            }
        }
        if pids.len() == before {
            break;
        }
    }
    pids.remove(&root);
    let groups = all
        .iter()
        .filter(|(pid, _, _)| pids.contains(pid))
        .map(|&(_, _, pgid)| pgid)
        .collect();
    (pids, groups)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `wavecraft start <project> <extra…>`, waits until `ready` says the descendants are in
/// the state to interrupt, sends SIGINT, and asserts a clean exit with every descendant (and
/// every process group it created) gone.
fn interrupt_and_check(
    project: &std::path::Path,
    extra: &[String],
    ready: impl Fn(&BTreeSet<i32>) -> bool,
    what: &str,
) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wavecraft"))
        .arg("start")
        .arg(project)
        .args(["--no-open", "--audio", "off", "--port"])
        .arg(free_port().to_string())
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let root = i32::try_from(child.id()).unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    for line in lines.by_ref() {
        if line.unwrap().contains("press Ctrl-C") {
            break;
        }
    }
    // Keep draining stderr so the child never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    let deadline = Instant::now() + Duration::from_secs(180);
    let (pids, groups) = loop {
        let (pids, groups) = descendants(root);
        if ready(&pids) {
            break (pids, groups);
        }
        assert!(
            Instant::now() < deadline,
            "{what} never appeared under wavecraft start"
        );
        std::thread::sleep(Duration::from_millis(100));
    };

    kill(Pid::from_raw(root), Signal::SIGINT).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "wavecraft start did not exit after SIGINT"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status}");
    // A killed process may take a moment to be gone on a loaded machine.
    let own_group = nix::unistd::getpgrp().as_raw();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let alive: Vec<_> = processes()
            .into_iter()
            .filter(|(pid, _, pgid)| {
                pids.contains(pid) || (groups.contains(pgid) && *pgid != own_group && *pgid != 0)
            })
            .collect();
        if alive.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "left behind 10 s after exit: {alive:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn running(pids: &BTreeSet<i32>, command: &str) -> bool {
    pids.iter().any(|pid| {
        std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == command)
    })
}

#[test]
fn sigint_mid_build_leaves_no_child_behind() {
    let project = wavecraft_test_support::ExampleProject::new("sigint-probe");
    // A fresh target dir: the first build compiles every dependency, so rustc is surely running.
    interrupt_and_check(project.path(), &[], |pids| running(pids, "rustc"), "rustc");
}

#[test]
fn sigint_with_the_ui_running_leaves_no_node_vite_or_cargo_behind() {
    let dir = tempfile::tempdir().unwrap();
    let created = wavecraft_cli::create::create(&wavecraft_cli::create::CreateOptions {
        name: "Sigint UI Probe".into(),
        vendor: None,
        id: None,
        output: Some(dir.path().join("project")),
        sdk_path: None,
        git_init: false,
    })
    .unwrap();
    let ui_port = free_port();
    // `start` installs the UI's packages, then runs Vite (node + esbuild) in its own group.
    interrupt_and_check(
        &created.dir,
        &["--ui-port".into(), ui_port.to_string()],
        |pids| {
            running(pids, "node") && std::net::TcpStream::connect(("127.0.0.1", ui_port)).is_ok()
        },
        "a serving Vite",
    );
}
