//! The CLAP process path never allocates: the example plugin's CLAP entry —
//! the very `clap_entry` static that `wavecraft::export!` emits when the
//! `clap` feature is on — driven by a clack host for thousands of blocks of
//! varying size with sample-accurate parameter events (so the block is split
//! and every smoother ramps), constant-flagged inputs, active `flush`,
//! `reset` and stop/start of processing.
//!
//! The example is linked into this test binary (a dev-dependency, with this
//! crate's `clap` feature on), not dlopened: a loaded library has its own
//! global allocator, which the counting allocator installed here would never see.
//! `plugin_allocations_are_counted` shows the plugin's own allocations do
//! land here. The counter is thread-local, so it counts the thread that
//! plays the audio thread and nothing else the test harness does.

use std::ffi::CStr;

use clack_extensions::params::{ParamInfoBuffer, PluginParams};
use clack_host::entry::EntryDescriptor;
use clack_host::events::event_types::ParamValueEvent;
use clack_host::prelude::*;

// Links the example crate, whose `export!` defines `clap_entry`.
extern crate example_plugin as _;

extern "C" {
    /// The CLAP entry `wavecraft::export!` emitted in the example crate (a `#[no_mangle]` static).
    static clap_entry: EntryDescriptor;
}

#[global_allocator]
static GLOBAL: wavecraft_alloc_counter::CountingAllocator =
    wavecraft_alloc_counter::CountingAllocator;

fn allocations() -> u64 {
    wavecraft_alloc_counter::allocations_on_this_thread()
}

struct HostShared;

impl SharedHandler<'_> for HostShared {
    fn request_restart(&self) {}
    fn request_process(&self) {}
    fn request_callback(&self) {}
}

struct HostMain;

impl MainThreadHandler<'_> for HostMain {}

struct TestHost;

impl HostHandlers for TestHost {
    type Shared<'a> = HostShared;
    type MainThread<'a> = HostMain;
    type AudioProcessor<'a> = ();
}

/// The example's CLAP entry, in-process.
fn entry() -> PluginEntry {
    // `clap_entry` is the descriptor clack-plugin generated for the example via `export!`.
    // SAFETY: it is `'static`, linked into this binary; the path is only reported to it.
    unsafe {
        PluginEntry::load_from_raw(
            &*std::ptr::addr_of!(clap_entry),
            c"/in-process/example-plugin.clap",
        )
    }
    .expect("initialise the in-process CLAP entry")
}

fn instantiate(entry: &PluginEntry) -> PluginInstance<TestHost> {
    let info = HostInfo::new("wavecraft no-alloc test", "Wavecraft", "", "0.1.0").unwrap();
    let id: &CStr = c"dev.wavecraft.example";
    PluginInstance::<TestHost>::new(|_| HostShared, |_| HostMain, entry, id, &info)
        .expect("instantiate the example")
}

/// Every parameter's CLAP id with its range.
fn parameters(instance: &mut PluginInstance<TestHost>) -> Vec<(ClapId, f64, f64)> {
    let params: PluginParams = instance.plugin_handle().get_extension().unwrap();
    let handle = instance.plugin_handle();
    (0..params.count(&handle))
        .map(|i| {
            let mut buffer = ParamInfoBuffer::new();
            let info = params.get_info(&handle, i, &mut buffer).unwrap();
            (info.id, info.min_value, info.max_value)
        })
        .collect()
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
    // Instantiating runs the example's own code (its `Default`, the parameter table):
    // if those allocations show up here, so would any on its audio path.
    let entry = entry();
    let before = allocations();
    let instance = instantiate(&entry);
    let during = allocations() - before;
    drop(instance);
    eprintln!("instantiating the example: {during} allocations counted");
    assert!(during > 0, "the plugin's allocations are not counted here");
}

const MAX_FRAMES: usize = 64;
const BLOCKS: u32 = 6_000;

#[test]
fn the_clap_process_path_never_allocates() {
    let entry = entry();
    let mut instance = instantiate(&entry);
    let params = parameters(&mut instance);
    assert_eq!(params.len(), 6);
    let extension: PluginParams = instance.plugin_handle().get_extension().unwrap();
    let config = PluginAudioConfiguration {
        sample_rate: 48_000.0,
        min_frames_count: 1,
        max_frames_count: MAX_FRAMES as u32,
    };
    let stopped = instance.activate(|_, _| (), config).expect("activate");
    let mut processor = Some(stopped.start_processing().expect("start processing"));

    // Everything the host needs is allocated up front.
    let mut input = [[0.0f32; MAX_FRAMES]; 2];
    let mut output = [[0.0f32; MAX_FRAMES]; 2];
    let mut input_ports = AudioPorts::with_capacity(2, 1);
    let mut output_ports = AudioPorts::with_capacity(2, 1);
    let mut out_events = EventBuffer::with_capacity(64);
    let mut phase = 0.0f32;
    let mut events_sent = 0u64;
    let mut samples = 0u64;
    let mut peak = 0.0f32;

    let before = allocations();
    for block in 0..BLOCKS {
        // Host blocks of 1..=64 frames, at most the prepared maximum.
        let frames = 1 + (block as usize * 37) % MAX_FRAMES;
        // Every fifth block is silence the host flags as constant.
        let silent = block % 5 == 4;
        let [left, right] = &mut input;
        for (l, r) in left[..frames].iter_mut().zip(&mut right[..frames]) {
            phase = (phase + 0.057) % std::f32::consts::TAU;
            *l = if silent { 0.0 } else { 0.5 * phase.sin() };
            *r = -*l;
        }
        // Up to six events, in time order, two of them at the same frame: the block is split
        // at each, and every parameter retargets its smoother.
        let n_events = (block % 7) as usize;
        let events: [ParamValueEvent; 6] = std::array::from_fn(|k| {
            let (id, min, max) = params[(block as usize + k) % params.len()];
            let t = f64::from((block * 13 + k as u32 * 29) % 101) / 100.0;
            let value = if max - min <= 3.0 {
                (min + (max - min) * t).round()
            } else {
                min + (max - min) * t
            };
            let time = (frames * k.min(4) / 5) as u32;
            ParamValueEvent::new(time, id, Pckn::match_all(), value)
        });
        let events = &events[..n_events];
        events_sent += n_events as u64;

        let started = processor.as_mut().unwrap();
        {
            let [in_left, in_right] = &mut input;
            let input_audio = input_ports.with_input_buffers([AudioPortBuffer {
                latency: 0,
                channels: AudioPortBufferType::f32_input_only(
                    [
                        InputChannel::from_buffer(&mut in_left[..frames], silent),
                        InputChannel::from_buffer(&mut in_right[..frames], silent),
                    ]
                    .into_iter(),
                ),
            }]);
            let [out_left, out_right] = &mut output;
            let mut output_audio = output_ports.with_output_buffers([AudioPortBuffer {
                latency: 0,
                channels: AudioPortBufferType::f32_output_only(
                    [&mut out_left[..frames], &mut out_right[..frames]].into_iter(),
                ),
            }]);
            out_events.clear();
            started
                .process(
                    &input_audio,
                    &mut output_audio,
                    &InputEvents::from_buffer(&events),
                    &mut OutputEvents::from_buffer(&mut out_events),
                    Some(samples),
                    None,
                )
                .expect("process");
        }
        samples += frames as u64;
        for channel in &output {
            for &s in &channel[..frames] {
                peak = peak.max(s.abs());
            }
        }
        // The host's parameter flush on the audio thread, between blocks.
        if block % 50 == 25 {
            out_events.clear();
            extension.flush_active(
                &mut started.plugin_handle(),
                &InputEvents::from_buffer(&events),
                &mut OutputEvents::from_buffer(&mut out_events),
            );
            events_sent += events.len() as u64;
        }
        if block % 1_000 == 999 {
            started.reset();
        }
        // Stop and start processing (both on the audio thread in CLAP).
        if block % 1_500 == 1_499 {
            let stopped = processor.take().unwrap().stop_processing();
            processor = Some(stopped.start_processing().expect("restart processing"));
        }
    }
    let during = allocations() - before;

    let stopped = processor.take().unwrap().stop_processing();
    instance.deactivate(stopped);
    eprintln!(
        "{BLOCKS} CLAP blocks ({samples} frames, {events_sent} parameter events): \
         {during} allocations; output peak {peak}"
    );
    assert!(peak.is_finite() && peak > 0.01, "the plugin produced sound");
    assert_eq!(during, 0, "the CLAP process path allocated {during} times");
    // The counter was live all along.
    let v = std::hint::black_box(vec![0u8; 8]);
    drop(v);
    assert!(allocations() > before);
}
