//! The watcher: notify + a debouncer over the engine crate, reporting
//! batches of relevant changed files (`src/**/*.rs`, `Cargo.toml`,
//! `Cargo.lock`, `build.rs`) relative to the project. Ignores `target/`,
//! hidden files and directories, and editor temp/backup files.
//!
//! Cargo itself rewrites `Cargo.lock` during a build when it prunes or adds
//! entries; that must not start another build. A [`LockfileMemo`] remembers
//! the lockfile's content after each build, and a `Cargo.lock` event only
//! counts when the content differs from it.
//!
//! Debounce: 40 ms by default. Editors that save atomically (write a temp
//! file, rename it over the original) produce their events within a few
//! milliseconds, so 40 ms still merges one save into one batch while adding
//! almost nothing to the save-to-audio latency (the seed design used 500 ms).

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use tokio::sync::mpsc;

/// Default debounce window: an editor's save (truncate + write, or temp file + rename, or
/// vim's probe file and backup) raises its events within a few ms; a later event still
/// reaches the build guard, which supersedes the build it started.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(10);

/// How often the debouncer looks for events older than the window: an event waits
/// between the window and the window plus this.
const DEBOUNCE_TICK: Duration = Duration::from_millis(5);

/// The engine's `Cargo.lock` content as of the end of the last build.
#[derive(Debug, Clone)]
pub struct LockfileMemo {
    path: PathBuf,
    hash: Arc<Mutex<Option<u64>>>,
}

fn content_hash(path: &Path) -> Option<u64> {
    let bytes = std::fs::read(path).ok()?;
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    Some(h.finish())
}

impl LockfileMemo {
    /// A memo for `<engine_dir>/Cargo.lock`, remembering its current content.
    pub fn new(engine_dir: &Path) -> Self {
        let memo = LockfileMemo {
            path: engine_dir.join("Cargo.lock"),
            hash: Arc::new(Mutex::new(None)),
        };
        memo.remember();
        memo
    }

    /// Records the lockfile's content now (the build guard calls this after every build).
    pub fn remember(&self) {
        *self.hash.lock().unwrap_or_else(PoisonError::into_inner) = content_hash(&self.path);
    }

    /// True when the lockfile differs from the remembered content (and remembers the new one).
    pub fn changed(&self) -> bool {
        let now = content_hash(&self.path);
        let mut memo = self.hash.lock().unwrap_or_else(PoisonError::into_inner);
        let changed = *memo != now;
        *memo = now;
        changed
    }
}

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    _debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
}

/// Why watching could not start.
#[derive(Debug, thiserror::Error)]
#[error("could not watch {path}: {source}")]
pub struct WatchError {
    path: PathBuf,
    source: notify::Error,
}

/// True for files whose change should rebuild the engine. `rel` is relative to the engine crate.
pub fn is_relevant(rel: &Path) -> bool {
    let mut components = rel.components().peekable();
    let Some(Component::Normal(first)) = components.peek().copied() else {
        return false;
    };
    if rel
        .components()
        .any(|c| matches!(c, Component::Normal(s) if s.to_string_lossy().starts_with('.')))
    {
        return false;
    }
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913";
    if temp || first == "target" {
        return false;
    }
    if first == "src" {
        return rel.extension().is_some_and(|e| e == "rs");
    }
    rel.components().count() == 1
        && matches!(name.as_str(), "Cargo.toml" | "Cargo.lock" | "build.rs")
}

impl Watcher {
    /// Watches `engine_dir`; relevant changed files, shown relative to `project_dir`, go to `tx`.
    pub fn start(
        engine_dir: &Path,
        project_dir: &Path,
        debounce: Duration,
        lockfile: LockfileMemo,
        tx: mpsc::UnboundedSender<Vec<String>>,
    ) -> Result<Watcher, WatchError> {
        let engine = engine_dir
            .canonicalize()
            .unwrap_or_else(|_| engine_dir.to_path_buf());
        let project = project_dir
            .canonicalize()
            .unwrap_or_else(|_| project_dir.to_path_buf());
        let root = engine.clone();
        let handler = move |result: DebounceEventResult| {
            let Ok(events) = result else { return };
            let mut files: Vec<String> = events
                .iter()
                .filter(|e| !e.kind.is_access())
                .flat_map(|e| e.paths.iter())
                .filter_map(|p| {
                    let rel = p.strip_prefix(&root).ok()?;
                    if !is_relevant(rel) || (rel == Path::new("Cargo.lock") && !lockfile.changed())
                    {
                        return None;
                    }
                    Some(
                        p.strip_prefix(&project)
                            .unwrap_or(p)
                            .to_string_lossy()
                            .into_owned(),
                    )
                })
                .collect();
            files.sort();
            files.dedup();
            if !files.is_empty() {
                let _ = tx.send(files);
            }
        };
        let mut debouncer = new_debouncer(debounce, Some(DEBOUNCE_TICK.min(debounce)), handler)
            .map_err(|source| WatchError {
                path: engine.clone(),
                source,
            })?;
        debouncer
            .watch(&engine, RecursiveMode::Recursive)
            .map_err(|source| WatchError {
                path: engine.clone(),
                source,
            })?;
        Ok(Watcher {
            _debouncer: debouncer,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevant_files() {
        for yes in [
            "src/lib.rs",
            "src/dsp/filter.rs",
            "Cargo.toml",
            "Cargo.lock",
            "build.rs",
        ] {
            assert!(is_relevant(Path::new(yes)), "{yes}");
        }
        for no in [
            "target/debug/build.rs",
            "src/.lib.rs.swp",
            "src/lib.rs~",
            "src/#lib.rs#",
            "src/4913",
            ".git/HEAD",
            "src/notes.md",
            "README.md",
            "benches/process.rs",
            "src/lib.rs.tmp",
            "sub/Cargo.toml",
        ] {
            assert!(!is_relevant(Path::new(no)), "{no}");
        }
    }
}
