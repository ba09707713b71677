//! The SDK's process path through the engine ABI never allocates: the example
//! plugin runs thousands of blocks with parameter changes through
//! `EngineInstance` → vtable → `export!`'s entries → the author's `process`,
//! linked in-process so this test binary's counting allocator sees every
//! allocation on the calling thread.
//!
//! Locks: nothing on this path takes one — the only locks of the ABI module
//! guard create-time error messages — and the counting allocator would also
//! catch a lazily initialised lock, since those allocate on first use here.

use wavecraft::EngineExport;
use wavecraft_engine_loader::EngineLibrary;

#[global_allocator]
static GLOBAL: wavecraft_alloc_counter::CountingAllocator =
    wavecraft_alloc_counter::CountingAllocator;

fn allocations() -> u64 {
    wavecraft_alloc_counter::allocations_on_this_thread()
}

#[test]
fn the_counter_counts() {
    let before = allocations();
    let v = std::hint::black_box(vec![1u8; 32]);
    drop(v);
    assert!(allocations() >= before + 2);
}

#[test]
fn process_and_set_value_through_the_abi_never_allocate() {
    // SAFETY: the table comes from `wavecraft::export!` in the example crate.
    let lib = unsafe { EngineLibrary::in_process(example_plugin::ExamplePlugin::engine_vtable()) }
        .unwrap();
    let ids: Vec<String> = lib
        .metadata()
        .parameters
        .iter()
        .map(|p| p.id.clone())
        .collect();
    let index = |id: &str| ids.iter().position(|p| p == id).unwrap();
    let (cutoff, drive, out, mode) = (
        index("cutoff"),
        index("drive"),
        index("output_gain"),
        index("filter_mode"),
    );
    // Prepared for 32-frame blocks and fed 64: the ABI splits each block in two.
    let mut instance = lib.instantiate(48_000.0, 32, 2).unwrap();
    let mut left = vec![0.0f32; 64];
    let mut right = vec![0.0f32; 64];
    let mut phase = 0.0f32;

    let before = allocations();
    for block in 0..5_000u32 {
        if block % 10 == 0 {
            let t = f64::from(block % 400) / 400.0;
            instance.set_value(cutoff, 200.0 + 8_000.0 * t).unwrap();
            instance.set_value(drive, 24.0 * t).unwrap();
            instance.set_value(out, -12.0 * t).unwrap();
            instance.set_value(mode, f64::from(block / 10 % 4)).unwrap();
        }
        for (l, r) in left.iter_mut().zip(right.iter_mut()) {
            phase = (phase + 0.057) % std::f32::consts::TAU;
            *l = 0.5 * phase.sin();
            *r = *l;
        }
        instance.process(&mut [&mut left, &mut right]).unwrap();
        if block % 1000 == 0 {
            instance.reset().unwrap();
        }
    }
    let during = allocations() - before;
    assert!(left.iter().all(|s| s.is_finite()));
    assert_eq!(during, 0, "the process path allocated {during} times");
}
