//! The shared-memory boundary between the dev server and its engine host
//! process: one file in the host's private (0700) directory, mapped by both,
//! laid out as [`HostShared`] — the audio thread's progress counters (its
//! heartbeat), the meter cells, the stage the host's control side is in, and
//! one [`ValueCell`] per parameter slot. Every field is an atomic, so an
//! all-zero file is a valid state and either side may read or write any field
//! at any time. This module owns every `unsafe` of that boundary; above it the
//! mapping is a plain `&HostShared`.

use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::path::Path;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use memmap2::MmapMut;
use wavecraft_bridge::{CellAllocator, CellMemory, ValueCell};
use wavecraft_engine_abi::MAX_CHANNELS;

use crate::audio::{ChannelCells, Progress};

/// Parameter value slots in the mapping (16 bytes each): three times `#[derive(Params)]`'s
/// limit of 10,000 parameters, so ids dropped by a reload are not reused at once.
pub const VALUE_SLOTS: usize = 32_768;

/// Written first by the dev server; the host refuses a mapping without it (another layout).
const LAYOUT_TAG: u64 = 0x5741_5645_4352_4601 ^ (std::mem::size_of::<HostShared>() as u64);

/// What the host's control side is doing, for a crash report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum Stage {
    /// Waiting for a request; the audio thread runs the engine's `process`.
    Processing = 0,
    /// Loading a library and reading its metadata.
    Loading = 1,
    /// Instantiating (the author's `Default`), preparing and giving values.
    Starting = 2,
}

impl Stage {
    /// Words for a crash report.
    pub fn describe(self) -> &'static str {
        match self {
            Stage::Processing => "processing audio",
            Stage::Loading => "loading the library",
            Stage::Starting => "starting the engine (Default, prepare, values)",
        }
    }
}

/// The mapping's layout. `repr(C)` and atomics only: both processes agree on it and may
/// touch any field concurrently.
#[repr(C)]
pub struct HostShared {
    layout: AtomicU64,
    stage: AtomicU32,
    /// The audio thread's counters; `blocks` is the heartbeat.
    pub(crate) progress: Progress,
    /// Peak and RMS cells per output channel.
    pub(crate) meters: [ChannelCells; MAX_CHANNELS],
    /// Parameter values, addressed by slot.
    values: [ValueCell; VALUE_SLOTS],
}

impl HostShared {
    /// The stage the host's control side last entered.
    pub fn stage(&self) -> Stage {
        match self.stage.load(Ordering::Acquire) {
            1 => Stage::Loading,
            2 => Stage::Starting,
            _ => Stage::Processing,
        }
    }

    /// Records the stage the host's control side enters.
    pub fn enter(&self, stage: Stage) {
        self.stage.store(stage as u32, Ordering::Release);
    }

    /// Blocks the host's audio thread finished since it started.
    pub fn heartbeat(&self) -> u64 {
        self.progress.blocks.load(Ordering::Relaxed)
    }

    /// The value cell of `slot`, if there is one.
    pub fn value(&self, slot: u32) -> Option<&ValueCell> {
        self.values.get(slot as usize)
    }

    /// Forgets what a dead host left behind (counters, meters, stage) before the next starts.
    pub fn reset_host_side(&self) {
        self.stage.store(0, Ordering::Release);
        self.progress.blocks.store(0, Ordering::Release);
        self.progress.adopted.store(0, Ordering::Release);
        for m in &self.meters {
            m.clear();
        }
    }
}

impl std::fmt::Debug for HostShared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostShared")
            .field("stage", &self.stage())
            .field("heartbeat", &self.heartbeat())
            .finish_non_exhaustive()
    }
}

/// One mapping of the shared file.
#[derive(Debug)]
pub struct SharedMapping {
    map: MmapMut,
}

/// Why the mapping could not be made or opened.
#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    /// The file could not be created, sized, opened or mapped.
    #[error("shared memory {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is not a mapping this build of Wavecraft made.
    #[error(
        "shared memory {0} has another layout (a different Wavecraft build started this host)"
    )]
    Layout(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> MappingError + '_ {
    move |source| MappingError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn map(file: &File, path: &Path) -> Result<SharedMapping, MappingError> {
    let len = std::mem::size_of::<HostShared>();
    let actual = file.metadata().map_err(io(path))?.len();
    if actual != len as u64 {
        return Err(MappingError::Layout(path.display().to_string()));
    }
    // SAFETY: the file lives in a 0700 directory only this dev server and its engine host
    // use, and is never truncated while mapped; every access to the mapping goes through
    // the atomics of `HostShared` (`shared`), so concurrent writes by the other process are
    // not data races.
    let map = unsafe { MmapMut::map_mut(file) }.map_err(io(path))?;
    Ok(SharedMapping { map })
}

impl SharedMapping {
    /// Creates the file at `path` (zeroed, the size of [`HostShared`]) and maps it.
    pub fn create(path: &Path) -> Result<SharedMapping, MappingError> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(io(path))?;
        file.set_len(std::mem::size_of::<HostShared>() as u64)
            .map_err(io(path))?;
        let mapping = map(&file, path)?;
        mapping.shared().layout.store(LAYOUT_TAG, Ordering::Release);
        Ok(mapping)
    }

    /// Maps the file the dev server created at `path`.
    pub fn open(path: &Path) -> Result<SharedMapping, MappingError> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(io(path))?;
        let mapping = map(&file, path)?;
        if mapping.shared().layout.load(Ordering::Acquire) != LAYOUT_TAG {
            return Err(MappingError::Layout(path.display().to_string()));
        }
        Ok(mapping)
    }

    /// The mapping as its layout.
    pub fn shared(&self) -> &HostShared {
        let ptr = self.map.as_ptr().cast::<HostShared>();
        // SAFETY: `map` checked the length is exactly `size_of::<HostShared>()`; a mapping
        // starts on a page boundary, more than `HostShared`'s alignment (8); all-zero bytes
        // and any bytes another process stores are valid for a struct of atomics; the
        // reference lives no longer than `self`, which keeps the mapping.
        unsafe { &*ptr }
    }
}

/// The free slots: never used first, then the longest freed (so a reloaded engine's old
/// instance, still fading out, never reads a slot just given to another id).
#[derive(Debug, Default)]
struct SlotBook {
    next_fresh: u32,
    freed: VecDeque<u32>,
}

/// The dev server's allocator of parameter cells in the mapping.
#[derive(Debug)]
pub struct SlotCells {
    mapping: Arc<SharedMapping>,
    book: Mutex<SlotBook>,
}

impl SlotCells {
    /// An allocator over `mapping`'s value slots, none in use.
    pub fn new(mapping: Arc<SharedMapping>) -> Arc<SlotCells> {
        Arc::new(SlotCells {
            mapping,
            book: Mutex::default(),
        })
    }

    fn book(&self) -> std::sync::MutexGuard<'_, SlotBook> {
        self.book.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A slot in use; dropping the last handle on it frees it.
#[derive(Debug)]
struct SlotLease {
    owner: Arc<SlotCells>,
    slot: u32,
}

impl CellMemory for SlotLease {
    fn cell(&self) -> &ValueCell {
        &self.owner.mapping.shared().values[self.slot as usize]
    }

    fn slot(&self) -> Option<u32> {
        Some(self.slot)
    }
}

impl Drop for SlotLease {
    fn drop(&mut self) {
        self.owner.book().freed.push_back(self.slot);
    }
}

/// Allocates slots; when all are in use, a heap cell, which the engine host cannot read
/// (the dev server then refuses to start that engine, saying so).
#[derive(Debug)]
pub struct SlotAllocator(pub Arc<SlotCells>);

impl CellAllocator for SlotAllocator {
    fn allocate(&self, value: f64, revision: u64) -> Arc<dyn CellMemory> {
        let slot = {
            let mut book = self.0.book();
            if (book.next_fresh as usize) < VALUE_SLOTS {
                book.next_fresh += 1;
                Some(book.next_fresh - 1)
            } else {
                book.freed.pop_front()
            }
        };
        match slot {
            Some(slot) => {
                let lease = SlotLease {
                    owner: Arc::clone(&self.0),
                    slot,
                };
                lease
                    .cell()
                    .store(wavecraft_bridge::StoredValue { value, revision });
                Arc::new(lease)
            }
            None => Arc::new(ValueCell::new(value, revision)),
        }
    }
}

/// A slot of the host's own ('static) mapping, as the engine host reads it.
#[derive(Debug)]
pub struct MappedSlot {
    shared: &'static HostShared,
    slot: u32,
}

impl MappedSlot {
    /// Slot `slot` of `shared`, if it exists.
    pub fn new(shared: &'static HostShared, slot: u32) -> Option<MappedSlot> {
        shared.value(slot).map(|_| MappedSlot { shared, slot })
    }
}

impl CellMemory for MappedSlot {
    fn cell(&self) -> &ValueCell {
        &self.shared.values[self.slot as usize]
    }

    fn slot(&self) -> Option<u32> {
        Some(self.slot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_stored_in_a_slot_is_read_through_another_mapping_of_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared");
        let writer = Arc::new(SharedMapping::create(&path).unwrap());
        let reader = SharedMapping::open(&path).unwrap();
        let cells = SlotAllocator(SlotCells::new(Arc::clone(&writer)));
        let first = cells.allocate(0.25, 1);
        let second = cells.allocate(-3.0, 2);
        assert_eq!((first.slot(), second.slot()), (Some(0), Some(1)));
        assert_eq!(reader.shared().value(1).unwrap().get(), -3.0);
        second.cell().store(wavecraft_bridge::StoredValue {
            value: 7.5,
            revision: 3,
        });
        assert_eq!(reader.shared().value(1).unwrap().get(), 7.5);
        writer.shared().enter(Stage::Starting);
        assert_eq!(reader.shared().stage(), Stage::Starting);
    }

    #[test]
    fn freed_slots_are_reused_only_after_every_fresh_one_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        let mapping = Arc::new(SharedMapping::create(&dir.path().join("shared")).unwrap());
        let cells = SlotAllocator(SlotCells::new(mapping));
        let a = cells.allocate(0.0, 1);
        let b = cells.allocate(0.0, 2);
        drop(b);
        drop(a);
        let rest: Vec<_> = (2..VALUE_SLOTS).map(|_| cells.allocate(0.0, 3)).collect();
        assert_eq!(
            rest.last().and_then(|c| c.slot()),
            Some(VALUE_SLOTS as u32 - 1)
        );
        // Freed: 1, then 0.
        let again = [cells.allocate(0.0, 4), cells.allocate(0.0, 5)];
        assert_eq!(again.each_ref().map(|c| c.slot()), [Some(1), Some(0)]);
        // Full: a heap cell, which the dev server refuses to hand to the host.
        assert_eq!(cells.allocate(0.0, 6).slot(), None);
    }

    #[test]
    fn a_file_of_another_size_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared");
        std::fs::write(&path, [0u8; 64]).unwrap();
        assert!(matches!(
            SharedMapping::open(&path),
            Err(MappingError::Layout(_))
        ));
    }
}
