//! The VST3 process path never allocates: the example plugin's VST3 entry —
//! the `GetPluginFactory` (and on Linux `ModuleEntry`/`ModuleExit`) that
//! `wavecraft::export!` emits when the `vst3` feature is on — driven by the
//! test host `wavecraft-vst3-host` for thousands of blocks of varying size
//! with sample-accurate parameter changes (several points per parameter, so
//! the block is split and every smoother ramps), silent blocks, and
//! `setProcessing` off and on while active.
//!
//! The example is linked into this test binary (a dev-dependency, with this
//! crate's `vst3` feature on), not dlopened: a loaded library has its own
//! global allocator, which the counting allocator installed here would never
//! see. `plugin_allocations_are_counted` shows the plugin's own allocations
//! land here. The counter is thread-local, so it counts the thread that plays
//! the audio thread (the host's side of each call included) and nothing else.

use vst3::Steinberg::IPluginFactory;
use wavecraft_vst3_host::{LinkedModule, Module, ParameterChanges, Plugin, Setup};

// Links the example crate, whose `export!` defines the VST3 entry points.
extern crate example_plugin as _;

extern "system" {
    /// The factory entry `wavecraft::export!` emitted in the example crate.
    fn GetPluginFactory() -> *mut IPluginFactory;
}

#[cfg(target_os = "linux")]
extern "system" {
    /// The Linux module entry `wavecraft::export!` emitted.
    fn ModuleEntry(handle: *mut std::ffi::c_void) -> bool;
    /// The Linux module exit `wavecraft::export!` emitted.
    fn ModuleExit() -> bool;
}

#[global_allocator]
static GLOBAL: wavecraft_alloc_counter::CountingAllocator =
    wavecraft_alloc_counter::CountingAllocator;

fn allocations() -> u64 {
    wavecraft_alloc_counter::allocations_on_this_thread()
}

/// The example's VST3 module, in-process.
fn module() -> Module {
    #[cfg(target_os = "linux")]
    let (entry, exit) = (
        Some(ModuleEntry as unsafe extern "system" fn(*mut std::ffi::c_void) -> bool),
        Some(ModuleExit as unsafe extern "system" fn() -> bool),
    );
    #[cfg(not(target_os = "linux"))]
    let (entry, exit) = (None, None);
    Module::linked(LinkedModule {
        get_factory: GetPluginFactory,
        entry,
        exit,
    })
    .expect("enter the in-process VST3 module")
}

fn instantiate(module: &Module) -> Plugin {
    let factory = module.factory().expect("factory");
    let class = factory.class_info(0).expect("class info");
    let mut plugin = factory.create(&class.cid).expect("create");
    plugin.initialize().expect("initialize");
    plugin
}

#[test]
fn the_counter_counts() {
    let before = allocations();
    let v = std::hint::black_box(vec![1u8; 32]);
    drop(v);
    assert!(allocations() >= before + 2);
}

#[test]
fn plugin_allocations_are_counted() {
    // Creating runs the example's own code (its `Default`, the parameter table): if those
    // allocations show up here, so would any on its audio path.
    let module = module();
    let before = allocations();
    let plugin = instantiate(&module);
    let during = allocations() - before;
    drop(plugin);
    eprintln!("instantiating the example through VST3: {during} allocations counted");
    assert!(during > 0, "the plugin's allocations are not counted here");
}

const MAX_FRAMES: usize = 64;
const BLOCKS: u32 = 6_000;

#[test]
fn the_vst3_process_path_never_allocates() {
    let module = module();
    let mut plugin = instantiate(&module);
    let params: Vec<(u32, i32)> = plugin
        .parameters()
        .expect("parameters")
        .iter()
        .map(|p| (p.id, p.step_count))
        .collect();
    assert_eq!(params.len(), 6);
    let mut processing = plugin
        .start(Setup::realtime(48_000.0, MAX_FRAMES))
        .expect("set up and activate");

    // Everything the host needs is made up front.
    let changes = ParameterChanges::with_capacity(params.len(), 8);
    let mut input = [[0.0f32; MAX_FRAMES]; 2];
    let mut output = [[0.0f32; MAX_FRAMES]; 2];
    let mut phase = 0.0f32;
    let mut points_sent = 0u64;
    let mut samples = 0u64;
    let mut peak = 0.0f32;

    let before = allocations();
    for block in 0..BLOCKS {
        // Host blocks of 1..=64 frames, at most the prepared maximum.
        let frames = 1 + (block as usize * 37) % MAX_FRAMES;
        // Every fifth block is silence.
        let silent = block % 5 == 4;
        let [left, right] = &mut input;
        for (l, r) in left[..frames].iter_mut().zip(&mut right[..frames]) {
            phase = (phase + 0.057) % std::f32::consts::TAU;
            *l = if silent { 0.0 } else { 0.5 * phase.sin() };
            *r = -*l;
        }
        // Up to six points over the parameters, two of them at the same offset and some
        // parameters with two points: the block is split at each and every smoother retargets.
        changes.clear();
        let n_points = (block % 7) as usize;
        for k in 0..n_points {
            let (id, steps) = params[(block as usize + k / 2) % params.len()];
            let t = f64::from((block * 13 + k as u32 * 29) % 101) / 100.0;
            let value = if steps > 0 {
                (t * f64::from(steps)).round() / f64::from(steps)
            } else {
                t
            };
            let offset = (frames * k.min(4) / 5) as i32;
            changes.add(id, offset, value).expect("room made up front");
        }
        points_sent += n_points as u64;
        {
            let [in_left, in_right] = &input;
            let [out_left, out_right] = &mut output;
            processing
                .process(
                    &[&in_left[..frames], &in_right[..frames]],
                    &mut [&mut out_left[..frames], &mut out_right[..frames]],
                    &changes,
                )
                .expect("process");
        }
        samples += frames as u64;
        for channel in &output {
            for &s in &channel[..frames] {
                peak = peak.max(s.abs());
            }
        }
        // A host pausing and resuming the audio (setProcessing may come on the audio thread).
        if block % 1_500 == 1_499 {
            processing.set_processing(false).expect("pause");
            processing.set_processing(true).expect("resume");
        }
    }
    let during = allocations() - before;

    processing.stop().expect("stop");
    eprintln!(
        "{BLOCKS} VST3 blocks ({samples} frames, {points_sent} parameter points): \
         {during} allocations; output peak {peak}"
    );
    assert!(peak.is_finite() && peak > 0.01, "the plugin produced sound");
    assert_eq!(during, 0, "the VST3 process path allocated {during} times");
    // The counter was live all along.
    let v = std::hint::black_box(vec![0u8; 8]);
    drop(v);
    assert!(allocations() > before);
}
