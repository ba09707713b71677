//! Parameter value cells and the memory they live in.
//!
//! A [`ValueCell`] is two plain atomics (the value's `f64` bits and its
//! revision), `repr(C)` so that an array of them can sit in a mapping shared
//! with another process: the dev server writes a value, and the engine host's
//! audio thread reads it with one atomic load, exactly as it would from the
//! heap. [`CellMemory`] says where one cell lives (the heap, or a slot of such
//! a mapping, owned elsewhere); [`CellAllocator`] makes the cell of a newly
//! declared parameter. Nothing here locks or allocates on the reading side.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::StoredValue;

/// One parameter's value and the revision it was stored under.
#[repr(C)]
#[derive(Debug, Default)]
pub struct ValueCell {
    value: AtomicU64,
    revision: AtomicU64,
}

impl ValueCell {
    /// A cell holding `value` under `revision`.
    pub fn new(value: f64, revision: u64) -> Self {
        ValueCell {
            value: AtomicU64::new(value.to_bits()),
            revision: AtomicU64::new(revision),
        }
    }

    /// The current plain value: one atomic load, safe on the audio thread.
    pub fn get(&self) -> f64 {
        f64::from_bits(self.value.load(Ordering::Acquire))
    }

    /// The value with a revision no newer than it: the revision is loaded first, and a
    /// writer stores it after the value.
    pub(crate) fn read(&self) -> StoredValue {
        let revision = self.revision.load(Ordering::Acquire);
        StoredValue {
            value: self.get(),
            revision,
        }
    }

    /// Stores a value, then its revision. Only under the host's writer lock.
    pub fn store(&self, stored: StoredValue) {
        self.value.store(stored.value.to_bits(), Ordering::Release);
        self.revision.store(stored.revision, Ordering::Release);
    }
}

/// Where one cell lives. Dropping the last reference gives the memory back.
pub trait CellMemory: Send + Sync + fmt::Debug {
    /// The cell.
    fn cell(&self) -> &ValueCell;
    /// Its slot in a shared mapping, when it lives in one.
    fn slot(&self) -> Option<u32> {
        None
    }
}

impl CellMemory for ValueCell {
    fn cell(&self) -> &ValueCell {
        self
    }
}

/// Makes the cell of a newly declared parameter.
pub trait CellAllocator: Send + Sync + fmt::Debug {
    /// A cell holding `value` under `revision`.
    fn allocate(&self, value: f64, revision: u64) -> Arc<dyn CellMemory>;
}

/// Cells on the heap: the default, when nothing outside this process reads the values.
#[derive(Debug, Default, Clone, Copy)]
pub struct HeapCells;

impl CellAllocator for HeapCells {
    fn allocate(&self, value: f64, revision: u64) -> Arc<dyn CellMemory> {
        Arc::new(ValueCell::new(value, revision))
    }
}

/// A parameter's value cell, readable from any thread without locking.
#[derive(Debug, Clone)]
pub struct ParameterValueHandle(Arc<dyn CellMemory>);

impl ParameterValueHandle {
    /// A handle on a cell that lives in `memory`.
    pub fn from_memory(memory: Arc<dyn CellMemory>) -> Self {
        ParameterValueHandle(memory)
    }

    /// The current plain value: one atomic load, safe on the audio thread.
    pub fn get(&self) -> f64 {
        self.0.cell().get()
    }

    /// The cell's slot in a shared mapping, when it lives in one.
    pub fn slot(&self) -> Option<u32> {
        self.0.slot()
    }

    pub(crate) fn read(&self) -> StoredValue {
        self.0.cell().read()
    }

    pub(crate) fn store(&self, stored: StoredValue) {
        self.0.cell().store(stored);
    }
}
