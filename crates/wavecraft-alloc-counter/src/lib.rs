//! A counting global allocator, for tests that prove a code path never
//! allocates (the audio thread's promise). It forwards to the system
//! allocator and counts allocations per thread, so a test counts exactly the
//! thread it drives and nothing the test harness does elsewhere.
//!
//! Install it in a test binary:
//!
//! ```
//! #[global_allocator]
//! static ALLOCATOR: wavecraft_alloc_counter::CountingAllocator = wavecraft_alloc_counter::CountingAllocator;
//!
//! fn main() {
//!     use wavecraft_alloc_counter::count_allocations;
//!     let (_, none) = count_allocations(|| (0..64u32).map(|x| x * x).sum::<u32>());
//!     assert_eq!(none, 0);
//!     // Allocating and freeing are both counted.
//!     let (_, both) = count_allocations(|| vec![0.0f32; 64].len());
//!     assert_eq!(both, 2);
//! }
//! ```
//!
//! It only sees allocations of code linked into that binary: a dlopened
//! cdylib has its own allocator, so link the engine in-process to count it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

/// Forwards to [`System`], counting every allocation, reallocation and deallocation on the
/// calling thread (freeing on the audio thread is as forbidden as allocating).
pub struct CountingAllocator;

fn note() {
    // `try_with`: the allocator may run while thread-locals are being torn down.
    let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so `System`'s
// guarantees hold; counting touches only a const-initialised thread-local `Cell` without a
// destructor, which never allocates.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: forwarded unchanged from our caller, who upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        // SAFETY: `ptr` came from this allocator, i.e. from `System`, with `layout`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note();
        // SAFETY: `ptr` came from this allocator, i.e. from `System`, with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Allocator calls counted on this thread so far (only meaningful with [`CountingAllocator`] installed).
pub fn allocations_on_this_thread() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

/// Runs `f` and returns its result with the number of allocator calls it made on this thread.
pub fn count_allocations<R>(f: impl FnOnce() -> R) -> (R, u64) {
    let before = allocations_on_this_thread();
    let result = f();
    (result, allocations_on_this_thread() - before)
}
