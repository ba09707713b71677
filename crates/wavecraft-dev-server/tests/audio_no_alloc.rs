//! The audio thread's path — test signal, parameter comparison, `process`
//! through the engine ABI, crossfade, meters, recording tap — never allocates,
//! across a swap and while parameters move. The example plugin is linked
//! in-process, so this binary's counting allocator sees every allocation made
//! on the thread that runs the blocks (the test thread, stepping a manual
//! virtual device); loads and garbage collection happen between the counted
//! stretches, as they do on the control thread in the server.
//!
//! Locks: the stepped path takes none by construction (`step` needs only
//! `&mut` of the device; engines and values arrive through rtrb rings and
//! atomics), and a lazily initialised lock would allocate on first use here.

mod audio_support;

use audio_support::*;
use wavecraft_dev_server::audio::{AudioConfig, AudioRuntime};

#[global_allocator]
static GLOBAL: wavecraft_alloc_counter::CountingAllocator =
    wavecraft_alloc_counter::CountingAllocator;

fn allocations() -> u64 {
    wavecraft_alloc_counter::allocations_on_this_thread()
}

#[test]
fn audio_alloc_counter_counts() {
    let before = allocations();
    drop(std::hint::black_box(vec![1u8; 32]));
    assert!(allocations() >= before + 2);
}

fn counted_steps(runtime: &mut AudioRuntime, blocks: usize, peak: &mut f32) -> u64 {
    let before = allocations();
    for _ in 0..blocks {
        let out = runtime.step().unwrap();
        *peak = out.iter().fold(*peak, |p, s| p.max(s.abs()));
    }
    allocations() - before
}

#[test]
fn audio_block_path_never_allocates_across_a_swap() {
    let dir = tempfile::tempdir().unwrap();
    let mut runtime = AudioRuntime::start(AudioConfig {
        record: Some(dir.path().join("out.wav")),
        ..manual_config(440.0, -12.0)
    })
    .unwrap();
    let mut peak = 0.0f32;
    let mut during = counted_steps(&mut runtime, 20, &mut peak); // no engine yet: silence

    let a = example_engine();
    let (host_a, handles_a) = host_for(&a);
    runtime.load(a, handles_a).unwrap();
    during += counted_steps(&mut runtime, 50, &mut peak);
    for (i, cutoff) in [2_000.0, 500.0, 8_000.0].into_iter().enumerate() {
        set(&host_a, "cutoff", cutoff);
        set(&host_a, "drive", 4.0 * i as f64);
        during += counted_steps(&mut runtime, 10, &mut peak);
    }

    // The swap: engine B arrives, both run during the fade, A goes back over the ring.
    let b = example_engine();
    let (host_b, handles_b) = host_for(&b);
    set(&host_b, "output_gain", -6.0);
    runtime.load(b, handles_b).unwrap();
    during += counted_steps(&mut runtime, 5, &mut peak);
    set(&host_b, "filter_mode", 2.0);
    set(&host_b, "input_gain", 3.0);
    during += counted_steps(&mut runtime, 50, &mut peak);
    runtime.collect_garbage();
    let meters = runtime.take_meters();

    assert!(runtime.latest_engine_playing());
    assert!(peak > 0.05, "the engines made sound (peak {peak})");
    assert!(meters.channels.iter().all(|c| c.peak > 0.0));
    assert_eq!(during, 0, "the block path allocated {during} times");
}
