//! What a window test counts to find leaks: this process's threads and what each open file
//! descriptor points at.

/// Threads and open file descriptors (see [`fd_targets`]) of this process now.
pub fn resources() -> (usize, usize) {
    let threads = std::fs::read_dir("/proc/self/task").unwrap().count();
    (threads, fd_targets().len())
}

/// Threads and descriptors once they are back to `before` or, failing that, at `deadline`:
/// calls `wait` (which should let the host's loop run a little) until then. WebKit closes
/// some things a while after a window (seen: one `WebKitSharedMemory` memfd a few seconds
/// after the last close), so a count taken at one fixed moment can catch it; a leak grows
/// with every window and never comes back down.
pub fn resources_settled(
    before: (usize, usize),
    deadline: std::time::Duration,
    mut wait: impl FnMut(),
) -> (usize, usize) {
    let until = std::time::Instant::now() + deadline;
    loop {
        let now = resources();
        if (now.0 <= before.0 && now.1 <= before.1) || std::time::Instant::now() >= until {
            return now;
        }
        wait();
    }
}

/// What each open file descriptor points at, without WebKit's memory-pressure monitor: it
/// opens /proc/meminfo, /proc/zoneinfo, this process's cgroup and the cgroup's memory files
/// once per process, some seconds after the first page (when is up to a timer, not to the
/// windows), and keeps them.
pub fn fd_targets() -> Vec<String> {
    let mut targets: Vec<String> = std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .map(|t| t.display().to_string())
        .filter(|t| {
            !(t == "/proc/meminfo"
                || t == "/proc/zoneinfo"
                || (t.starts_with("/proc/") && t.ends_with("/cgroup"))
                || t.starts_with("/sys/fs/cgroup/"))
        })
        .collect();
    targets.sort();
    targets
}

/// The descriptors in `now` that `before` did not have (by target, counted).
pub fn new_fds(before: &[String], now: Vec<String>) -> Vec<String> {
    let mut new = now;
    for old in before {
        if let Some(at) = new.iter().position(|t| t == old) {
            new.remove(at);
        }
    }
    new
}
