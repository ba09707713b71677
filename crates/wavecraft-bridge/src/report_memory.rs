//! Where the audio thread's reports live: its progress counters and meter
//! cells, on the heap (a runtime in this process) or in the engine host's
//! shared mapping, which the dev server reads from its own process. Either
//! way the audio thread writes plain atomics; the mapping lives as long as the
//! engine host process, so a reference into it is `'static`.

use std::ops::Deref;
use std::sync::Arc;

/// A `T` the audio thread writes and the control side (or another process) reads.
#[derive(Debug)]
pub enum ReportMemory<T: ?Sized + 'static> {
    /// On the heap of this process.
    Heap(Arc<T>),
    /// In a mapping that outlives every thread of this process.
    Mapped(&'static T),
}

impl<T: ?Sized> Clone for ReportMemory<T> {
    fn clone(&self) -> Self {
        match self {
            ReportMemory::Heap(a) => ReportMemory::Heap(Arc::clone(a)),
            ReportMemory::Mapped(r) => ReportMemory::Mapped(r),
        }
    }
}

impl<T: ?Sized> Deref for ReportMemory<T> {
    type Target = T;

    fn deref(&self) -> &T {
        match self {
            ReportMemory::Heap(a) => a,
            ReportMemory::Mapped(r) => r,
        }
    }
}
