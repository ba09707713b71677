//! The build guard: one build at a time, at most one pending.
//!
//! Changes arrive as batches of paths (from the watcher). With no build
//! running, a batch starts one. While a build runs, new changes supersede it:
//! the running build is killed (its whole process group) and one follow-up
//! build starts with every file changed since the last finished build. So a
//! burst of saves never queues more than one build, and the build that
//! finishes is always of the newest code. Shutting down kills the running build.
//! `Cargo.lock` changes seen while a build runs are cargo's own doing and are
//! ignored (see also `watcher::LockfileMemo` for those seen just after).

use std::collections::BTreeSet;

use futures_util::future::BoxFuture;
use tokio::sync::{mpsc, watch};

use crate::cargo_build::{run_build, BuildError, BuildOutcome, BuildSpec};
use crate::watcher::LockfileMemo;

/// Where each line of a build's progress goes.
pub type ProgressSink = Box<dyn FnMut(&str) + Send>;

/// Runs one build for the guard: cargo in the dev server ([`BuildSpec`]); tests use one they
/// can pause at any point. A build ends early, `cancelled`, when `cancel` turns true — but it
/// may also finish normally after `cancel` was sent (cargo was already exiting).
pub trait BuildRunner: Send + Sync + 'static {
    /// Starts one build.
    fn run(
        &self,
        cancel: watch::Receiver<bool>,
        progress: ProgressSink,
    ) -> BoxFuture<'static, Result<BuildOutcome, BuildError>>;
}

impl BuildRunner for BuildSpec {
    fn run(
        &self,
        cancel: watch::Receiver<bool>,
        progress: ProgressSink,
    ) -> BoxFuture<'static, Result<BuildOutcome, BuildError>> {
        let spec = self.clone();
        Box::pin(async move { run_build(&spec, cancel, progress).await })
    }
}

/// What the guard reports, in order: `Started`, any `Progress`, then `Finished` or `Superseded`.
#[derive(Debug, Clone)]
pub enum GuardEvent {
    /// A build started because these files changed (empty for the first build).
    Started {
        /// The changed files, relative to the project where possible.
        files: Vec<String>,
    },
    /// A line of cargo's progress output.
    Progress(String),
    /// The build ran to its end.
    Finished {
        /// The changed files it built.
        files: Vec<String>,
        /// Its result.
        outcome: BuildOutcome,
    },
    /// The build was killed because newer changes arrived; a follow-up starts at once.
    Superseded,
    /// Cargo could not be started at all.
    Failed(String),
}

/// Runs the guard until `changes` closes or `shutdown` turns true. Every change it receives is
/// built: a change that arrives while a build runs either supersedes that build or, when the
/// build ended anyway, starts the next one.
pub async fn run_guard(
    runner: impl BuildRunner,
    lockfile: LockfileMemo,
    mut changes: mpsc::UnboundedReceiver<Vec<String>>,
    events: mpsc::UnboundedSender<GuardEvent>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut pending: Option<BTreeSet<String>> = None;
    loop {
        let files = match pending.take() {
            Some(files) => files,
            None => tokio::select! {
                batch = changes.recv() => match batch {
                    Some(batch) => batch.into_iter().collect(),
                    None => return,
                },
                _ = shutdown.changed() => return,
            },
        };
        let files_list: Vec<String> = files.iter().cloned().collect();
        let _ = events.send(GuardEvent::Started {
            files: files_list.clone(),
        });
        let (cancel_tx, cancel_rx) = watch::channel(false);
        let progress_events = events.clone();
        let mut build = tokio::spawn(runner.run(
            cancel_rx,
            Box::new(move |line| {
                let _ = progress_events.send(GuardEvent::Progress(line.to_owned()));
            }),
        ));
        // Changes that arrived while this build ran: it may not have seen them.
        let mut arrived = BTreeSet::new();
        let result: Option<Result<BuildOutcome, BuildError>> = loop {
            tokio::select! {
                done = &mut build => break done.ok(),
                batch = changes.recv() => match batch {
                    Some(batch) => {
                        // Cargo rewrites Cargo.lock while it builds: that is not a new change.
                        let batch: Vec<String> = batch
                            .into_iter()
                            .filter(|f| !f.ends_with("Cargo.lock"))
                            .collect();
                        if !batch.is_empty() {
                            arrived.extend(batch);
                            let _ = cancel_tx.send(true);
                        }
                    }
                    None => {
                        let _ = cancel_tx.send(true);
                        let _ = build.await;
                        return;
                    }
                },
                _ = shutdown.changed() => {
                    let _ = cancel_tx.send(true);
                    let _ = build.await;
                    return;
                }
            }
        };
        // Cargo may have rewritten Cargo.lock; that is not a change of the author's.
        lockfile.remember();
        match result {
            Some(Ok(outcome)) if outcome.cancelled => {
                let _ = events.send(GuardEvent::Superseded);
                let mut superseded = files;
                superseded.append(&mut arrived);
                pending = Some(superseded);
                continue;
            }
            Some(Ok(outcome)) => {
                let _ = events.send(GuardEvent::Finished {
                    files: files_list,
                    outcome,
                });
            }
            Some(Err(e)) => {
                let _ = events.send(GuardEvent::Failed(e.to_string()));
            }
            None => {
                let _ = events.send(GuardEvent::Failed(
                    "the build task stopped unexpectedly".into(),
                ));
            }
        }
        // The build ended before it could be cancelled (cargo had closed its pipes and was
        // exiting when the change came): those changes still need a build of their own.
        if !arrived.is_empty() {
            pending = Some(arrived);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::sync::{mpsc, oneshot, watch, Mutex};

    use super::*;

    /// What the scripted runner does for one build.
    enum Script {
        /// Finish at once.
        Finish,
        /// Reach the point where cargo's pipes are closed, wait there until the guard asks
        /// for a cancellation (tell the test), then wait for the test's go and exit normally:
        /// too late to be cancelled.
        ExitAfterCancelRequest {
            cancel_seen: oneshot::Sender<()>,
            go: oneshot::Receiver<()>,
        },
    }

    struct ScriptedRunner {
        scripts: std::sync::Arc<Mutex<mpsc::UnboundedReceiver<Script>>>,
    }

    fn finished() -> BuildOutcome {
        BuildOutcome {
            duration: Duration::ZERO,
            diagnostics: Vec::new(),
            library: None,
            cancelled: false,
            inputs: Vec::new(),
        }
    }

    impl BuildRunner for ScriptedRunner {
        fn run(
            &self,
            mut cancel: watch::Receiver<bool>,
            _progress: ProgressSink,
        ) -> BoxFuture<'static, Result<BuildOutcome, BuildError>> {
            let scripts = std::sync::Arc::clone(&self.scripts);
            Box::pin(async move {
                let script = scripts
                    .lock()
                    .await
                    .recv()
                    .await
                    .expect("a script per build");
                match script {
                    Script::Finish => {}
                    Script::ExitAfterCancelRequest { cancel_seen, go } => {
                        let _ = cancel.wait_for(|c| *c).await;
                        let _ = cancel_seen.send(());
                        let _ = go.await;
                    }
                }
                Ok(finished())
            })
        }
    }

    async fn next(events: &mut mpsc::UnboundedReceiver<GuardEvent>) -> GuardEvent {
        tokio::time::timeout(Duration::from_secs(10), events.recv())
            .await
            .expect("a guard event within 10 s")
            .expect("the guard runs")
    }

    /// A save that reaches the guard after cargo closed its pipes but before it exited used to
    /// be reported as part of the finished build and then never built.
    #[tokio::test]
    async fn a_change_during_a_build_that_ends_anyway_is_built_next() {
        let dir = tempfile::tempdir().unwrap();
        let (scripts_tx, scripts_rx) = mpsc::unbounded_channel();
        let runner = ScriptedRunner {
            scripts: std::sync::Arc::new(Mutex::new(scripts_rx)),
        };
        let (changes, changes_rx) = mpsc::unbounded_channel();
        let (events_tx, mut events) = mpsc::unbounded_channel();
        let (shutdown, shutdown_rx) = watch::channel(false);
        let guard = tokio::spawn(run_guard(
            runner,
            LockfileMemo::new(dir.path()),
            changes_rx,
            events_tx,
            shutdown_rx,
        ));

        let (cancel_seen_tx, cancel_seen) = oneshot::channel();
        let (go, go_rx) = oneshot::channel();
        scripts_tx
            .send(Script::ExitAfterCancelRequest {
                cancel_seen: cancel_seen_tx,
                go: go_rx,
            })
            .unwrap();
        changes.send(vec!["engine/src/a.rs".into()]).unwrap();
        assert!(
            matches!(next(&mut events).await, GuardEvent::Started { files } if files == ["engine/src/a.rs"])
        );
        // The second save arrives while the build is past its pipes; the guard asks to cancel.
        changes.send(vec!["engine/src/b.rs".into()]).unwrap();
        cancel_seen.await.unwrap();
        // Cargo exits normally anyway.
        scripts_tx.send(Script::Finish).unwrap();
        go.send(()).unwrap();
        assert!(
            matches!(next(&mut events).await, GuardEvent::Finished { files, .. } if files == ["engine/src/a.rs"])
        );
        // The second save is built.
        assert!(
            matches!(next(&mut events).await, GuardEvent::Started { files } if files == ["engine/src/b.rs"])
        );
        assert!(matches!(
            next(&mut events).await,
            GuardEvent::Finished { files, .. } if files == ["engine/src/b.rs"]
        ));
        shutdown.send(true).unwrap();
        guard.await.unwrap();
    }
}
