//! The session's record of builds and the engine host: which builds ran
//! without crashing (kept, newest last, to play again after a crash), which
//! one is playing, which one was being swapped in, and the crash being
//! recovered from. Pure bookkeeping: the session decides and acts on it.

use std::path::PathBuf;

use wavecraft_protocol::EngineCrash;

use crate::engine_host::HostExit;

/// Good builds kept to fall back on (their library copies are deleted when dropped from here).
pub const KEPT_GOOD_BUILDS: usize = 3;

/// One build's library, kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildRecord {
    /// The session's build number (1 = first).
    pub build: u64,
    /// The engine's name and version.
    pub engine: String,
    /// The kept copy of its library, once there is one (a build that crashed while loading
    /// has none).
    pub library: Option<PathBuf>,
}

/// See the module docs.
#[derive(Debug, Default)]
pub struct EngineLedger {
    builds: u64,
    good: Vec<BuildRecord>,
    playing: Option<u64>,
    attempt: Option<BuildRecord>,
    crash: Option<EngineCrash>,
}

impl EngineLedger {
    /// The number of the next build.
    pub fn next_build(&mut self) -> u64 {
        self.builds += 1;
        self.builds
    }

    /// `record` is being swapped in.
    pub fn attempting(&mut self, record: BuildRecord) {
        self.attempt = Some(record);
    }

    /// The attempt plays; returns library copies no longer kept (delete them).
    pub fn succeeded(&mut self) -> Vec<PathBuf> {
        let Some(record) = self.attempt.take() else {
            return Vec::new();
        };
        self.playing = Some(record.build);
        self.good.retain(|g| g.build != record.build);
        if record.library.is_some() {
            self.good.push(record);
        }
        let excess = self.good.len().saturating_sub(KEPT_GOOD_BUILDS);
        self.good
            .drain(..excess)
            .filter_map(|g| g.library)
            .collect()
    }

    /// The attempt was refused by a host that still runs (nothing crashed); returns its
    /// library copy unless it is a kept good build.
    pub fn refused(&mut self) -> Option<PathBuf> {
        let record = self.attempt.take()?;
        if self.good.iter().any(|g| g.build == record.build) {
            None
        } else {
            record.library
        }
    }

    /// The host ended: blames the build being swapped in (when one was) or the one playing,
    /// drops it from the good builds, and returns the crash report and the blamed library
    /// copy to delete. `recovery` says what comes next.
    pub fn crashed(&mut self, exit: HostExit, recovery: &str) -> (EngineCrash, Option<PathBuf>) {
        let blamed = match self.attempt.take() {
            Some(record) => Some(record),
            None => self
                .playing
                .and_then(|b| self.good.iter().position(|g| g.build == b))
                .map(|i| self.good.remove(i)),
        };
        self.good
            .retain(|g| Some(g.build) != blamed.as_ref().map(|b| b.build));
        self.playing = None;
        let crash = EngineCrash {
            cause: exit.cause,
            signal: exit.signal,
            stage: exit.stage,
            engine: blamed.as_ref().map(|b| b.engine.clone()),
            build: blamed.as_ref().map(|b| b.build),
            recovery: recovery.to_owned(),
            last_output: exit.last_output,
        };
        self.crash = Some(crash.clone());
        (crash, blamed.and_then(|b| b.library))
    }

    /// The newest build that never crashed, and its kept library, to play after a crash.
    pub fn last_good(&self) -> Option<(BuildRecord, PathBuf)> {
        let good = self.good.last()?;
        Some((good.clone(), good.library.clone()?))
    }

    /// The crash being recovered from, with `recovery` as what came of it.
    pub fn recovered(&mut self, recovery: String) -> Option<EngineCrash> {
        let crash = self.crash.as_mut()?;
        crash.recovery = recovery;
        Some(crash.clone())
    }

    /// A new build plays: the crash is history.
    pub fn forget_crash(&mut self) {
        self.crash = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(build: u64) -> BuildRecord {
        BuildRecord {
            build,
            engine: format!("Probe 0.{build}"),
            library: Some(PathBuf::from(format!("build-{build}.so"))),
        }
    }

    fn exit(stage: &str) -> HostExit {
        HostExit {
            cause: "SIGSEGV".into(),
            signal: Some("SIGSEGV".into()),
            stage: stage.into(),
            last_output: None,
        }
    }

    #[test]
    fn a_crash_while_swapping_in_blames_the_new_build_and_keeps_the_playing_one() {
        let mut ledger = EngineLedger::default();
        let first = ledger.next_build();
        ledger.attempting(record(first));
        assert!(ledger.succeeded().is_empty());
        let second = ledger.next_build();
        ledger.attempting(record(second));
        let (crash, blamed) = ledger.crashed(exit("loading the library"), "restarting");
        assert_eq!(crash.build, Some(2));
        assert_eq!(blamed, Some(PathBuf::from("build-2.so")));
        assert_eq!(ledger.last_good().map(|g| g.0), Some(record(1)));
    }

    #[test]
    fn a_crash_while_playing_blames_the_playing_build_and_falls_back_to_the_one_before() {
        let mut ledger = EngineLedger::default();
        for _ in 0..2 {
            let b = ledger.next_build();
            ledger.attempting(record(b));
            ledger.succeeded();
        }
        let (crash, _) = ledger.crashed(exit("processing audio"), "restarting");
        assert_eq!(crash.build, Some(2));
        assert_eq!(ledger.last_good().map(|g| g.0), Some(record(1)));
        // The fallback crashes too: nothing good is left.
        ledger.attempting(record(1));
        let (crash, _) = ledger.crashed(exit("processing audio"), "restarting");
        assert_eq!(crash.build, Some(1));
        assert_eq!(ledger.last_good(), None);
        assert_eq!(
            ledger.recovered("silence".into()).map(|c| c.recovery),
            Some("silence".to_owned())
        );
    }

    #[test]
    fn only_the_newest_good_builds_are_kept() {
        let mut ledger = EngineLedger::default();
        let mut dropped = Vec::new();
        for _ in 0..(KEPT_GOOD_BUILDS + 2) {
            let b = ledger.next_build();
            ledger.attempting(record(b));
            dropped.extend(ledger.succeeded());
        }
        assert_eq!(
            dropped,
            vec![PathBuf::from("build-1.so"), PathBuf::from("build-2.so")]
        );
    }
}
