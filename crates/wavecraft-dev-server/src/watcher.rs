//! The watcher: notify + a debouncer, reporting batches of changed files
//! that a build reads, relative to the project. Two sets count: the engine
//! crate's own (`src/**/*.rs`, `Cargo.toml`, `Cargo.lock`, `build.rs`; never
//! `target/`, hidden files and directories, or editor temp/backup files), and
//! after each good build every input cargo's dep-info lists (see
//! [`wavecraft_cargo::dep_info`]): a local path crate, a table or impulse response
//! pulled in by `include_bytes!`, inside `engine/` or not, and the manifest of
//! each path crate. Inputs outside `engine/` are watched by their directory,
//! not recursively.
//!
//! Cargo itself rewrites `Cargo.lock` during a build when it prunes or adds
//! entries; that must not start another build. A [`LockfileMemo`] remembers
//! the lockfile's content after each build, and a `Cargo.lock` event only
//! counts when the content differs from it.
//!
//! Debounce: [`DEFAULT_DEBOUNCE`]. Editors that save atomically (write a temp
//! file, rename it over the original) produce their events within a few
//! milliseconds, so the window still merges one save into one batch while
//! adding almost nothing to the save-to-audio latency.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashSet;
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
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    /// The engine crate's directory (canonical), watched recursively.
    engine: PathBuf,
    /// The last good build's inputs (canonical), read by the event handler.
    inputs: Arc<Mutex<HashSet<PathBuf>>>,
    /// Directories outside the engine watched for those inputs.
    input_dirs: HashSet<PathBuf>,
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
        let inputs = Arc::new(Mutex::new(HashSet::new()));
        let handler_inputs = Arc::clone(&inputs);
        let handler = move |result: DebounceEventResult| {
            let Ok(events) = result else { return };
            let inputs = handler_inputs
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let mut files: Vec<String> = events
                .iter()
                .filter(|e| !e.kind.is_access())
                .flat_map(|e| e.paths.iter())
                .filter_map(|p| {
                    let relevant = match p.strip_prefix(&root) {
                        Ok(rel) if rel == Path::new("Cargo.lock") => lockfile.changed(),
                        Ok(rel) => is_relevant(rel) || inputs.contains(p),
                        Err(_) => inputs.contains(p),
                    };
                    if !relevant {
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
            debouncer,
            engine,
            inputs,
            input_dirs: HashSet::new(),
        })
    }

    /// Watches what the last good build read (its dep-info `inputs`) from now on, and the
    /// manifest of each crate they belong to; stops watching directories no input is in any
    /// more. Files under a `target` directory (build-script output) are never watched: the
    /// build itself writes them. A directory that cannot be watched is skipped.
    pub fn watch_inputs(&mut self, inputs: &[PathBuf]) {
        let mut files = HashSet::new();
        for input in inputs {
            let Some(file) = canonical_file(input) else {
                continue;
            };
            if file.components().any(|c| c.as_os_str() == "target") {
                continue;
            }
            if !file.starts_with(&self.engine) {
                files.extend(manifest_of(&file));
            }
            files.insert(file);
        }
        let dirs: HashSet<PathBuf> = files
            .iter()
            .filter(|f| !f.starts_with(&self.engine))
            .filter_map(|f| f.parent().map(Path::to_path_buf))
            .collect();
        for gone in self.input_dirs.difference(&dirs) {
            let _ = self.debouncer.unwatch(gone);
        }
        let mut watched = HashSet::new();
        for dir in dirs {
            if self.input_dirs.contains(&dir)
                || self
                    .debouncer
                    .watch(&dir, RecursiveMode::NonRecursive)
                    .is_ok()
            {
                watched.insert(dir);
            }
        }
        self.input_dirs = watched;
        *self.inputs.lock().unwrap_or_else(PoisonError::into_inner) = files;
    }
}

/// `path` with its directory canonicalised (as events name it); `None` when that is gone.
fn canonical_file(path: &Path) -> Option<PathBuf> {
    let dir = path.parent()?.canonicalize().ok()?;
    Some(dir.join(path.file_name()?))
}

/// The manifest of the crate `file` belongs to: the nearest `Cargo.toml` above it.
fn manifest_of(file: &Path) -> Option<PathBuf> {
    file.ancestors()
        .skip(1)
        .map(|dir| dir.join("Cargo.toml"))
        .find(|manifest| manifest.is_file())
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
