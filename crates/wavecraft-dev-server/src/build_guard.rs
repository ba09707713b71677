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

use tokio::sync::{mpsc, watch};

use crate::cargo_build::{run_build, BuildError, BuildOutcome, BuildSpec};
use crate::watcher::LockfileMemo;

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

/// Runs the guard until `changes` closes or `shutdown` turns true.
pub async fn run_guard(
    spec: BuildSpec,
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
        let spec_for_build = spec.clone();
        let mut build = tokio::spawn(async move {
            run_build(&spec_for_build, cancel_rx, |line| {
                let _ = progress_events.send(GuardEvent::Progress(line.to_owned()));
            })
            .await
        });
        let mut superseded = files;
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
                            superseded.extend(batch);
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
                pending = Some(superseded);
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
    }
}
