//! The supervisor thread: the one thread that spawns engine hosts (on Linux a
//! host dies with the thread that spawned it, so that thread must live as long
//! as the dev server's engine host does) and reaps them. Every [`POLL`] it
//! checks whether the host exited (a signal, an abort, an exit) and whether
//! its audio thread still beats: a host whose audio thread finishes no block
//! for [`HANG_BOUND`] — an author's `process` stuck in a loop — is killed.
//! Either way it tells the session what happened ([`HostEvent::Crashed`]) and
//! starts a fresh host, at most [`MAX_RESTARTS`] times per [`RESTART_WINDOW`]
//! and never sooner than [`RESTART_GAP`] after the previous start; past that
//! it waits for the next build ([`HostEvent::GaveUp`]).

use std::collections::VecDeque;
use std::process::Child;
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;

use super::crash::{describe, HostExit};
use super::host_link::{spawn_host, LastWords};
use super::{lock, Inner};

/// How often the supervisor looks at the host.
pub const POLL: Duration = Duration::from_millis(10);
/// A host whose audio thread finishes no block for this long is hung, and killed.
pub const HANG_BOUND: Duration = Duration::from_secs(2);
/// The least time between two starts of a host.
pub const RESTART_GAP: Duration = Duration::from_millis(250);
/// Restarts allowed within [`RESTART_WINDOW`] before waiting for the next build.
pub const MAX_RESTARTS: usize = 5;
/// See [`MAX_RESTARTS`].
pub const RESTART_WINDOW: Duration = Duration::from_secs(30);

/// What happened to the engine host, for the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostEvent {
    /// The host ended (and a new one is starting, unless `GaveUp` follows).
    Crashed(HostExit),
    /// A fresh host runs, with no engine yet.
    Restarted,
    /// No new host was started; the next build starts one.
    GaveUp(String),
}

/// What the supervisor is asked to do.
pub(super) enum Order {
    /// Start a host if none runs, and say whether one runs.
    Spawn(mpsc::Sender<Result<(), String>>),
    /// Stop the host and return.
    Stop,
}

/// The running host as the supervisor sees it.
struct Running {
    child: Child,
    last_words: Arc<LastWords>,
    beat: u64,
    beat_at: Instant,
}

/// Starts a host, installs its link and pid, and returns it.
fn start(inner: &Arc<Inner>) -> Result<Running, String> {
    inner.shared.shared().reset_host_side();
    inner.started.store(0, std::sync::atomic::Ordering::Release);
    let status_inner = Arc::clone(inner);
    let spawned = spawn_host(&inner.command, &inner.launch, move |status| {
        status_inner.publish(status);
    })?;
    let pid = i32::try_from(spawned.child.id()).map_err(|e| e.to_string())?;
    *lock(&inner.pid) = Some(Pid::from_raw(pid));
    *lock(&inner.link) = Some(spawned.link);
    Ok(Running {
        child: spawned.child,
        last_words: spawned.last_words,
        beat: 0,
        beat_at: Instant::now(),
    })
}

/// Kills the host's process group, if it still runs.
pub(super) fn kill(inner: &Inner, reason: Option<String>) {
    let pid = lock(&inner.pid);
    if let Some(pid) = *pid {
        if reason.is_some() {
            *lock(&inner.kill_reason) = reason;
        }
        let _ = killpg(pid, Signal::SIGKILL);
    }
}

/// The supervisor's loop; `first` gets the result of starting the first host.
pub(super) fn supervise(
    inner: &Arc<Inner>,
    orders: &mpsc::Receiver<Order>,
    first: &mpsc::Sender<Result<(), String>>,
    events: &tokio::sync::mpsc::UnboundedSender<HostEvent>,
) {
    let mut running = None;
    let mut starts: VecDeque<Instant> = VecDeque::new();
    let started = start(inner);
    let _ = first.send(started.as_ref().map(drop).map_err(Clone::clone));
    if let Ok(r) = started {
        running = Some(r);
        starts.push_back(Instant::now());
    }
    loop {
        match orders.recv_timeout(POLL) {
            Ok(Order::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                if let Some(mut r) = running.take() {
                    stop(inner, &mut r.child);
                }
                return;
            }
            Ok(Order::Spawn(done)) => {
                if running.is_none() {
                    let result = start(inner);
                    let _ = done.send(result.as_ref().map(drop).map_err(Clone::clone));
                    running = result.ok();
                    starts.push_back(Instant::now());
                } else {
                    let _ = done.send(Ok(()));
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        let Some(r) = running.as_mut() else { continue };
        let Some(exit) = reap(inner, r) else {
            watch_heartbeat(inner, r);
            continue;
        };
        running = None;
        let _ = events.send(HostEvent::Crashed(exit));
        let now = Instant::now();
        while starts.front().is_some_and(|t| now - *t > RESTART_WINDOW) {
            starts.pop_front();
        }
        if starts.len() >= MAX_RESTARTS {
            let _ = events.send(HostEvent::GaveUp(format!(
                "the engine host crashed {} times within {} s; it starts again with the next build",
                starts.len(),
                RESTART_WINDOW.as_secs()
            )));
            continue;
        }
        if let Some(last) = starts.back() {
            std::thread::sleep(RESTART_GAP.saturating_sub(last.elapsed()));
        }
        starts.push_back(Instant::now());
        match start(inner) {
            Ok(r) => {
                running = Some(r);
                let _ = events.send(HostEvent::Restarted);
            }
            Err(e) => {
                let _ = events.send(HostEvent::GaveUp(e));
            }
        }
    }
}

/// When the host has exited: reaps it, forgets its link and pid, and says how it ended.
fn reap(inner: &Inner, r: &mut Running) -> Option<HostExit> {
    let status = {
        let mut pid = lock(&inner.pid);
        let status = r.child.try_wait().ok().flatten()?;
        *pid = None;
        status
    };
    if let Some(mut link) = lock(&inner.link).take() {
        link.close();
    }
    // Let the stderr relay catch the host's last words.
    std::thread::sleep(Duration::from_millis(20));
    let (cause, signal) = describe(status, lock(&inner.kill_reason).take());
    Some(HostExit {
        cause,
        signal,
        stage: inner.shared.shared().stage().describe().to_owned(),
        last_output: r.last_words.last(),
    })
}

/// Kills a host whose audio thread has stopped beating (once it has started beating).
fn watch_heartbeat(inner: &Inner, r: &mut Running) {
    let beat = inner.shared.shared().heartbeat();
    if beat != r.beat {
        r.beat = beat;
        r.beat_at = Instant::now();
    } else if beat > 0 && r.beat_at.elapsed() > HANG_BOUND {
        kill(
            inner,
            Some(format!(
                "hung: the audio thread finished no block for {} ms (the engine's process never returned), so it was killed",
                HANG_BOUND.as_millis()
            )),
        );
        r.beat_at = Instant::now();
    }
}

/// Closes the host's connection (it exits on its own), then kills what is left and reaps it.
fn stop(inner: &Inner, child: &mut Child) {
    if let Some(mut link) = lock(&inner.link).take() {
        link.close();
    }
    let deadline = Instant::now() + Duration::from_millis(500);
    loop {
        let mut pid = lock(&inner.pid);
        if let Ok(Some(_)) = child.try_wait() {
            *pid = None;
            return;
        }
        if Instant::now() > deadline {
            if let Some(group) = pid.take() {
                let _ = killpg(group, Signal::SIGKILL);
            }
            drop(pid);
            let _ = child.wait();
            return;
        }
        drop(pid);
        std::thread::sleep(Duration::from_millis(5));
    }
}
