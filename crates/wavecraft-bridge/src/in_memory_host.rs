//! `InMemoryParameterHost`: the parameter list of the running engine and its
//! values, replaced wholesale when a rebuilt engine brings a new list.
//!
//! How it stays consistent without making the audio thread wait:
//! - Each value lives in its own atomic cell (`f64` bits in an `AtomicU64`),
//!   made by the host's [`CellAllocator`]: on the heap by default, or in a
//!   mapping shared with the dev server's engine host process. An audio
//!   thread holds [`ParameterValueHandle`]s, taken off the audio thread, and
//!   reads them with a single atomic load: no lock, no allocation.
//! - The list itself is an immutable table behind an `RwLock<Arc<…>>`; readers
//!   clone the `Arc` and let go of the lock at once.
//! - Writers (`set_parameter`, `replace_parameters`) are serialised by one
//!   mutex, so a value is always checked against the table it is stored in.
//!   A reload hands the *same* cell to the new table for every id it keeps,
//!   so no write is lost across a reload and a handle taken before it keeps
//!   seeing the value.
//! - Every stored change (a set, a reload's clamp, a new id) is stamped, under
//!   the writer lock, with the next number of one counter: the value's
//!   revision, kept in the cell beside it. A client compares revisions per id
//!   to drop a reply that was overtaken by a newer notification. The value is
//!   stored before its revision and read after it, so a reader never pairs a
//!   revision with a value older than it.
//! - The writer lock also keeps the ids with an edit gesture open.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use wavecraft_protocol::catalog::ParametersChanged;
use wavecraft_protocol::parameter::is_valid_id;
use wavecraft_protocol::ParameterInfo;

use crate::value_cell::{CellAllocator, HeapCells, ParameterValueHandle};
use crate::{ParameterHost, SetParameterError, StoredValue, UnknownParameter};

/// What only a writer may touch: the revision counter and the open edit gestures.
#[derive(Debug, Default)]
struct Writer {
    /// The last revision handed out.
    revision: u64,
    /// Ids with an edit gesture open.
    editing: BTreeSet<String>,
}

impl Writer {
    fn next_revision(&mut self) -> u64 {
        self.revision += 1;
        self.revision
    }
}

/// Why a new parameter list was refused (the old one stays in place).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReplaceError {
    /// Two parameters share an id.
    #[error("parameter id {0:?} is declared more than once")]
    DuplicateId(String),
    /// An id is empty or not snake_case.
    #[error("parameter id {0:?} must be snake_case: a lowercase letter, then a-z, 0-9 and single inner underscores")]
    BadId(String),
    /// The range is not finite or min > max.
    #[error("parameter {0:?} has an invalid range (min and max must be finite, min ≤ max)")]
    BadRange(String),
    /// The default is outside the range or wrong for the kind.
    #[error("parameter {id:?} has an invalid default: {reason}")]
    BadDefault {
        /// The parameter's id.
        id: String,
        /// What was wrong.
        reason: String,
    },
}

#[derive(Debug)]
struct Entry {
    info: ParameterInfo,
    cell: ParameterValueHandle,
}

#[derive(Debug, Default)]
struct Table {
    entries: Vec<Entry>,
    by_id: HashMap<String, usize>,
}

impl Table {
    fn get(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }
}

fn snapshot(entry: &Entry) -> ParameterInfo {
    let stored = entry.cell.read();
    let mut info = entry.info.clone();
    info.value = stored.value;
    info.revision = stored.revision;
    info
}

fn validate(list: &[ParameterInfo]) -> Result<(), ReplaceError> {
    let mut seen = HashSet::new();
    for p in list {
        if !is_valid_id(&p.id) {
            return Err(ReplaceError::BadId(p.id.clone()));
        }
        if !seen.insert(p.id.as_str()) {
            return Err(ReplaceError::DuplicateId(p.id.clone()));
        }
        if !(p.min.is_finite() && p.max.is_finite() && p.min <= p.max) {
            return Err(ReplaceError::BadRange(p.id.clone()));
        }
        p.check_value(p.default)
            .map_err(|e| ReplaceError::BadDefault {
                id: p.id.clone(),
                reason: e.to_string(),
            })?;
    }
    Ok(())
}

/// The dev server's parameter host. See the module docs for its concurrency rules.
#[derive(Debug)]
pub struct InMemoryParameterHost {
    table: RwLock<Arc<Table>>,
    writer: Mutex<Writer>,
    cells: Arc<dyn CellAllocator>,
}

impl Default for InMemoryParameterHost {
    fn default() -> Self {
        InMemoryParameterHost::with_cells(Arc::new(HeapCells))
    }
}

impl InMemoryParameterHost {
    /// A host with the given parameters, each at its default. Refuses an invalid list.
    pub fn new(parameters: Vec<ParameterInfo>) -> Result<Self, ReplaceError> {
        let host = InMemoryParameterHost::default();
        host.replace_parameters(parameters)?;
        Ok(host)
    }

    /// A host with no parameters whose value cells come from `cells` (a mapping shared with
    /// an engine host process, say).
    pub fn with_cells(cells: Arc<dyn CellAllocator>) -> Self {
        InMemoryParameterHost {
            table: RwLock::default(),
            writer: Mutex::default(),
            cells,
        }
    }

    fn current(&self) -> Arc<Table> {
        Arc::clone(&self.table.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, Writer> {
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The ids with an edit gesture open (`begin_edit` without its `end_edit` yet), sorted.
    pub fn editing(&self) -> Vec<String> {
        self.writer().editing.iter().cloned().collect()
    }

    /// A lock-free reader for one parameter's value, for the audio thread. Take it off the audio thread.
    pub fn value_handle(&self, id: &str) -> Option<ParameterValueHandle> {
        self.current().get(id).map(|e| e.cell.clone())
    }

    /// Installs a new parameter list: ids in both keep their value (clamped into a changed
    /// range) and its revision (a new one when the clamp changed the value), new ids start at
    /// their default under a new revision, gone ids are dropped with their open gestures. The
    /// `value` and `revision` fields of `parameters` are ignored. An invalid list is refused and the old one stays.
    pub fn replace_parameters(
        &self,
        parameters: Vec<ParameterInfo>,
    ) -> Result<ParametersChanged, ReplaceError> {
        let staged = self.stage(parameters)?;
        Ok(self.install(staged).0)
    }

    /// Checks a new parameter list and works out the values it would start with, without
    /// installing it: the caller can first start the engine that goes with the list, then
    /// [`install`](Self::install) it only if that worked. An invalid list is refused.
    pub fn stage(&self, parameters: Vec<ParameterInfo>) -> Result<StagedParameters, ReplaceError> {
        validate(&parameters)?;
        let current = self.current();
        let values = parameters
            .iter()
            .map(|info| match current.get(&info.id) {
                Some(prev) => info.clamp_value(prev.cell.get()),
                None => info.default,
            })
            .collect();
        Ok(StagedParameters { parameters, values })
    }

    /// Installs a staged list (see [`replace_parameters`](Self::replace_parameters) for what is
    /// kept) and returns the diff and a value handle per parameter, in list order. A value set
    /// since staging is kept too, clamped into the new range.
    pub fn install(
        &self,
        staged: StagedParameters,
    ) -> (ParametersChanged, Vec<ParameterValueHandle>) {
        let parameters = staged.parameters;
        let mut writer = self.writer();
        let old = self.current();
        let mut diff = ParametersChanged::default();
        let mut entries = Vec::with_capacity(parameters.len());
        let mut kept_values = Vec::new();
        for info in parameters {
            let cell = match old.get(&info.id) {
                Some(prev) => {
                    if !prev.info.same_shape(&info) {
                        diff.changed.push(info.id.clone());
                    }
                    let kept = prev.cell.get();
                    let clamped = info.clamp_value(kept);
                    if clamped != kept {
                        let revision = writer.next_revision();
                        kept_values.push((
                            prev.cell.clone(),
                            StoredValue {
                                value: clamped,
                                revision,
                            },
                        ));
                    }
                    prev.cell.clone()
                }
                None => {
                    diff.added.push(info.id.clone());
                    ParameterValueHandle::from_memory(
                        self.cells.allocate(info.default, writer.next_revision()),
                    )
                }
            };
            entries.push(Entry { info, cell });
        }
        let by_id = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.info.id.clone(), i))
            .collect::<HashMap<_, _>>();
        diff.removed = old
            .entries
            .iter()
            .filter(|e| !by_id.contains_key(&e.info.id))
            .map(|e| e.info.id.clone())
            .collect();
        writer.editing.retain(|id| by_id.contains_key(id));
        let handles = entries.iter().map(|e| e.cell.clone()).collect();
        let new = Arc::new(Table { entries, by_id });
        let mut slot = self.table.write().unwrap_or_else(PoisonError::into_inner);
        for (cell, stored) in kept_values {
            cell.store(stored);
        }
        *slot = new;
        (diff, handles)
    }
}

/// A parameter list checked by [`InMemoryParameterHost::stage`], not installed yet.
#[derive(Debug, Clone)]
pub struct StagedParameters {
    parameters: Vec<ParameterInfo>,
    values: Vec<f64>,
}

impl StagedParameters {
    /// The list.
    pub fn parameters(&self) -> &[ParameterInfo] {
        &self.parameters
    }

    /// Each parameter's value as staged, in list order: the installed value (clamped into a
    /// changed range) for a kept id, the default for a new one.
    pub fn values(&self) -> &[f64] {
        &self.values
    }
}

impl ParameterHost for InMemoryParameterHost {
    fn parameters(&self) -> Vec<ParameterInfo> {
        self.current().entries.iter().map(snapshot).collect()
    }

    fn parameter(&self, id: &str) -> Option<ParameterInfo> {
        self.current().get(id).map(snapshot)
    }

    fn set_parameter(&self, id: &str, value: f64) -> Result<StoredValue, SetParameterError> {
        let mut writer = self.writer();
        let table = self.current();
        let entry = table
            .get(id)
            .ok_or_else(|| SetParameterError::NotFound(id.to_owned()))?;
        let value = entry
            .info
            .check_value(value)
            .map_err(|reason| SetParameterError::Refused {
                id: id.to_owned(),
                reason,
            })?;
        let stored = StoredValue {
            value,
            revision: writer.next_revision(),
        };
        entry.cell.store(stored);
        Ok(stored)
    }

    fn begin_edit(&self, id: &str) -> Result<(), UnknownParameter> {
        let mut writer = self.writer();
        self.current()
            .get(id)
            .ok_or_else(|| UnknownParameter(id.to_owned()))?;
        writer.editing.insert(id.to_owned());
        Ok(())
    }

    fn end_edit(&self, id: &str) -> Result<(), UnknownParameter> {
        let mut writer = self.writer();
        self.current()
            .get(id)
            .ok_or_else(|| UnknownParameter(id.to_owned()))?;
        writer.editing.remove(id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wavecraft_protocol::ParameterKind;

    fn float(id: &str, min: f64, max: f64, default: f64) -> ParameterInfo {
        ParameterInfo {
            default,
            value: default,
            unit: "dB".into(),
            ..ParameterInfo::new(id, id, ParameterKind::Float, min, max)
        }
    }

    #[test]
    fn set_and_get_in_declaration_order() {
        let host = InMemoryParameterHost::new(vec![
            float("gain", -60.0, 12.0, 0.0),
            float("mix", 0.0, 1.0, 1.0),
        ])
        .unwrap();
        assert_eq!(host.set_parameter("gain", -6.0).map(|s| s.value), Ok(-6.0));
        let ids: Vec<_> = host.parameters().into_iter().map(|p| p.id).collect();
        assert_eq!(ids, ["gain", "mix"]);
        assert_eq!(host.parameter("gain").unwrap().value, -6.0);
        assert_eq!(host.parameter("mix").unwrap().value, 1.0);
    }

    #[test]
    fn refused_values_store_nothing() {
        let host = InMemoryParameterHost::new(vec![float("gain", -60.0, 12.0, 0.0)]).unwrap();
        host.set_parameter("gain", -3.0).unwrap();
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 12.5, -61.0] {
            assert!(matches!(
                host.set_parameter("gain", bad),
                Err(SetParameterError::Refused { .. })
            ));
            assert_eq!(host.parameter("gain").unwrap().value, -3.0);
        }
        assert_eq!(
            host.set_parameter("nope", 0.0),
            Err(SetParameterError::NotFound("nope".into()))
        );
    }

    #[test]
    fn replace_keeps_values_clamps_defaults_new_and_drops_gone() {
        let host = InMemoryParameterHost::new(vec![
            float("gain", -60.0, 12.0, 0.0),
            float("drive", 0.0, 24.0, 0.0),
            float("old", 0.0, 1.0, 0.5),
        ])
        .unwrap();
        host.set_parameter("gain", -6.0).unwrap();
        host.set_parameter("drive", 20.0).unwrap();
        let handle = host.value_handle("drive").unwrap();
        let diff = host
            .replace_parameters(vec![
                float("gain", -60.0, 12.0, 0.0),
                float("drive", 0.0, 12.0, 0.0),
                float("tone", 100.0, 10000.0, 1000.0),
            ])
            .unwrap();
        assert_eq!(diff.added, ["tone"]);
        assert_eq!(diff.removed, ["old"]);
        assert_eq!(diff.changed, ["drive"]);
        assert_eq!(host.parameter("gain").unwrap().value, -6.0);
        assert_eq!(host.parameter("drive").unwrap().value, 12.0);
        assert_eq!(host.parameter("tone").unwrap().value, 1000.0);
        assert!(host.parameter("old").is_none());
        // A handle taken before the reload still reads the kept value and later sets.
        assert_eq!(handle.get(), 12.0);
        host.set_parameter("drive", 3.0).unwrap();
        assert_eq!(handle.get(), 3.0);
    }

    #[test]
    fn a_staged_list_changes_nothing_until_installed() {
        let host = InMemoryParameterHost::new(vec![
            float("gain", -60.0, 12.0, 0.0),
            float("drive", 0.0, 24.0, 0.0),
        ])
        .unwrap();
        host.set_parameter("drive", 20.0).unwrap();
        let staged = host
            .stage(vec![
                float("drive", 0.0, 12.0, 0.0),
                float("tone", 100.0, 10000.0, 1000.0),
            ])
            .unwrap();
        // The values the new engine must start with: kept (clamped) and new at default.
        assert_eq!(staged.values(), [12.0, 1000.0]);
        // Nothing is installed yet: a staged list that is dropped leaves the host as it was.
        assert_eq!(host.parameters().len(), 2);
        assert_eq!(host.parameter("drive").unwrap().value, 20.0);
        assert!(host.parameter("tone").is_none());
        let (diff, handles) = host.install(staged);
        assert_eq!(diff.added, ["tone"]);
        assert_eq!(diff.removed, ["gain"]);
        let values: Vec<f64> = handles.iter().map(ParameterValueHandle::get).collect();
        assert_eq!(values, [12.0, 1000.0]);
        assert!(host.stage(vec![float("Bad Id", 0.0, 1.0, 0.0)]).is_err());
    }

    #[test]
    fn invalid_lists_are_refused_and_change_nothing() {
        let host = InMemoryParameterHost::new(vec![float("gain", -60.0, 12.0, 0.0)]).unwrap();
        let cases = [
            (
                vec![float("a", 0.0, 1.0, 0.0), float("a", 0.0, 1.0, 0.0)],
                "more than once",
            ),
            (vec![float("Bad Id", 0.0, 1.0, 0.0)], "snake_case"),
            (vec![float("a", 1.0, 0.0, 0.5)], "invalid range"),
            (vec![float("a", 0.0, f64::INFINITY, 0.5)], "invalid range"),
            (vec![float("a", 0.0, 1.0, 2.0)], "invalid default"),
        ];
        for (list, needle) in cases {
            let err = host.replace_parameters(list).unwrap_err().to_string();
            assert!(err.contains(needle), "{err}");
            assert_eq!(host.parameters().len(), 1);
        }
    }

    fn revision(host: &InMemoryParameterHost, id: &str) -> u64 {
        host.parameter(id).unwrap().revision
    }

    #[test]
    fn every_stored_change_raises_the_revision_and_nothing_else_does() {
        let host = InMemoryParameterHost::new(vec![
            float("gain", -60.0, 12.0, 0.0),
            float("mix", 0.0, 1.0, 1.0),
        ])
        .unwrap();
        let start = revision(&host, "gain");
        let first = host.set_parameter("gain", -6.0).unwrap();
        assert!(first.revision > start);
        // The same value again is still a write: it gets its own, higher revision.
        let again = host.set_parameter("gain", -6.0).unwrap();
        assert!(again.revision > first.revision);
        assert_eq!(revision(&host, "gain"), again.revision);
        let listed = host.parameters();
        assert_eq!(listed[0].revision, again.revision);
        // A refused value stores nothing, so the revision stays; reads and other ids leave it.
        let mix = revision(&host, "mix");
        assert!(host.set_parameter("gain", 99.0).is_err());
        host.set_parameter("mix", 0.5).unwrap();
        assert_eq!(revision(&host, "gain"), again.revision);
        assert!(revision(&host, "mix") > mix);
    }

    #[test]
    fn a_reload_keeps_revisions_of_kept_values_and_stamps_the_rest_newer() {
        let host = InMemoryParameterHost::new(vec![
            float("gain", -60.0, 12.0, 0.0),
            float("drive", 0.0, 24.0, 0.0),
            float("old", 0.0, 1.0, 0.5),
        ])
        .unwrap();
        let gain = host.set_parameter("gain", -6.0).unwrap().revision;
        let drive = host.set_parameter("drive", 20.0).unwrap().revision;
        let old = revision(&host, "old");
        host.replace_parameters(vec![
            float("gain", -60.0, 12.0, 0.0),
            float("drive", 0.0, 12.0, 0.0),
            float("tone", 100.0, 10000.0, 1000.0),
        ])
        .unwrap();
        // Kept and unchanged: same value, same revision.
        assert_eq!(revision(&host, "gain"), gain);
        // Kept but clamped: a stored change, so a newer revision.
        assert_eq!(host.parameter("drive").unwrap().value, 12.0);
        let clamped = revision(&host, "drive");
        assert!(clamped > drive);
        // New: newer than anything before, and a gone id that comes back starts newer
        // than it ever was, so a client that missed the removal takes its value.
        assert!(revision(&host, "tone") > clamped);
        host.replace_parameters(vec![float("old", 0.0, 1.0, 0.5)])
            .unwrap();
        assert!(revision(&host, "old") > old);
        assert!(revision(&host, "old") > clamped);
    }

    #[test]
    fn a_reader_never_sees_a_revision_newer_than_its_value() {
        let host =
            Arc::new(InMemoryParameterHost::new(vec![float("gain", 0.0, 1e9, 0.0)]).unwrap());
        let base = revision(&host, "gain");
        let writer = {
            let host = Arc::clone(&host);
            std::thread::spawn(move || {
                // Value k is stored under revision base + k.
                for k in 1..=200_000u32 {
                    host.set_parameter("gain", f64::from(k)).unwrap();
                }
            })
        };
        let mut last = base;
        while !writer.is_finished() {
            let p = host.parameter("gain").unwrap();
            assert!(p.revision >= last, "revisions went back");
            assert!(
                p.value >= (p.revision - base) as f64,
                "value {} is older than revision {}",
                p.value,
                p.revision
            );
            last = p.revision;
        }
        writer.join().unwrap();
    }

    #[test]
    fn gestures_are_kept_per_id_and_refused_for_unknown_ids() {
        let host = InMemoryParameterHost::new(vec![
            float("gain", -60.0, 12.0, 0.0),
            float("mix", 0.0, 1.0, 1.0),
        ])
        .unwrap();
        host.begin_edit("gain").unwrap();
        host.begin_edit("gain").unwrap();
        host.begin_edit("mix").unwrap();
        assert_eq!(host.editing(), ["gain", "mix"]);
        host.end_edit("gain").unwrap();
        host.end_edit("gain").unwrap();
        assert_eq!(host.editing(), ["mix"]);
        assert_eq!(
            host.begin_edit("nope"),
            Err(UnknownParameter("nope".into()))
        );
        assert_eq!(host.end_edit("nope"), Err(UnknownParameter("nope".into())));
        // A reload that drops an id drops its open gesture.
        host.replace_parameters(vec![float("gain", -60.0, 12.0, 0.0)])
            .unwrap();
        assert!(host.editing().is_empty());
    }
}
