//! What a window test counts to find leaks: this process's threads and what each open file
//! descriptor points at.

/// Threads and open file descriptors (see [`fd_targets`]) of this process now.
pub fn resources() -> (usize, usize) {
    let threads = std::fs::read_dir("/proc/self/task").unwrap().count();
    (threads, fd_targets().len())
}

/// WebKit's UI process may keep one shared-memory buffer after the last window closed (seen
/// in some runs, after one window or after twenty alike: a pool, not a leak); a leak grows
/// by one or more per window.
const WEBKIT_POOLED_BUFFER: &str = "/memfd:WebKitSharedMemory (deleted)";

/// What grew since `before` (this process's thread count, and [`fd_targets`]) once it stops
/// growing or `deadline` passes, whichever is first: the thread count now and each
/// descriptor `before` did not have, but for one [`WEBKIT_POOLED_BUFFER`]. Calls `wait`
/// (which should let the host's loop run a little) between looks: WebKit closes some things
/// a while after a window.
pub fn growth_settled(
    before: (usize, &[String]),
    deadline: std::time::Duration,
    mut wait: impl FnMut(),
) -> (usize, Vec<String>) {
    let until = std::time::Instant::now() + deadline;
    loop {
        let threads = resources().0;
        let mut grown = new_fds(before.1, fd_targets());
        if let Some(pooled) = grown.iter().position(|fd| fd == WEBKIT_POOLED_BUFFER) {
            grown.remove(pooled);
        }
        if (threads <= before.0 && grown.is_empty()) || std::time::Instant::now() >= until {
            return (threads, grown);
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
fn new_fds(before: &[String], now: Vec<String>) -> Vec<String> {
    let mut new = now;
    for old in before {
        if let Some(at) = new.iter().position(|t| t == old) {
            new.remove(at);
        }
    }
    new
}
