//! A minimal CLAP host on clack-host, enough to drive a `.clap` the way a DAW
//! or clap-validator does: it records the parameter rescans a plugin asks
//! for, flushes parameter events active and inactive, and renders audio block
//! by block with sample-accurate parameter events. Loading the library is the
//! one `unsafe` call of these tests, and it lives here.

use std::cell::Cell;
use std::path::Path;

use clack_extensions::params::{
    HostParams, HostParamsImplMainThread, HostParamsImplShared, ParamClearFlags, ParamRescanFlags,
    PluginParams,
};
use clack_host::events::event_types::ParamValueEvent;
use clack_host::prelude::*;

/// The example plugin's CLAP id.
pub const EXAMPLE_ID: &str = "dev.wavecraft.example";

/// The thread-safe host callbacks: nothing to do in a test.
pub struct HostShared;

impl SharedHandler<'_> for HostShared {
    fn request_restart(&self) {}
    fn request_process(&self) {}
    fn request_callback(&self) {}
}

impl HostParamsImplShared for HostShared {
    fn request_flush(&self) {}
}

/// The main-thread host callbacks: counts value rescans.
#[derive(Default)]
pub struct HostMain {
    value_rescans: Cell<u32>,
}

impl MainThreadHandler<'_> for HostMain {}

impl HostParamsImplMainThread for HostMain {
    fn rescan(&self, flags: ParamRescanFlags) {
        if flags.contains(ParamRescanFlags::VALUES) {
            self.value_rescans.set(self.value_rescans.get() + 1);
        }
    }

    fn clear(&self, _param_id: ClapId, _flags: ParamClearFlags) {}
}

/// The test host.
pub struct TestHost;

impl HostHandlers for TestHost {
    type Shared<'a> = HostShared;
    type MainThread<'a> = HostMain;
    type AudioProcessor<'a> = ();

    fn declare_extensions(builder: &mut HostExtensions<Self>, _shared: &HostShared) {
        builder.register::<HostParams>();
    }
}

/// A parameter change at an absolute frame of a render.
#[derive(Debug, Clone, Copy)]
pub struct Change {
    /// Frame from the start of the render.
    pub frame: usize,
    /// The parameter's CLAP id.
    pub id: ClapId,
    /// The new plain value.
    pub value: f64,
}

/// Loads (and initialises) the CLAP entry of the library at `path`.
pub fn load_entry(path: &Path) -> PluginEntry {
    // The library is the example plugin this suite just built with the SDK's clack entry.
    // SAFETY: its entry and initialisation have no preconditions beyond a valid library file.
    unsafe { PluginEntry::load(path) }.expect("load the .clap")
}

/// A fresh instance of the example.
pub fn instantiate(entry: &PluginEntry) -> PluginInstance<TestHost> {
    let info = HostInfo::new(
        "wavecraft tests",
        "Wavecraft",
        "https://example.com",
        "0.1.0",
    )
    .unwrap();
    let id = std::ffi::CString::new(EXAMPLE_ID).unwrap();
    PluginInstance::<TestHost>::new(|_| HostShared, |_| HostMain::default(), entry, &id, &info)
        .expect("instantiate")
}

/// How many times the plugin asked the host to rescan parameter values.
pub fn value_rescans(instance: &mut PluginInstance<TestHost>) -> u32 {
    instance.access_handler(|host| host.value_rescans.get())
}

/// Sends one parameter value through `flush` while the plugin is inactive (main thread).
pub fn flush_inactive(instance: &mut PluginInstance<TestHost>, id: ClapId, value: f64) {
    let params: PluginParams = instance.plugin_handle().get_extension().unwrap();
    let event = ParamValueEvent::new(0, id, Pckn::match_all(), value);
    let mut out = EventBuffer::new();
    let mut handle = instance.inactive_plugin_handle().expect("inactive");
    params.flush(
        &mut handle,
        &InputEvents::from_buffer(&event),
        &mut OutputEvents::from_buffer(&mut out),
    );
}

/// Activates, flushes one value on the audio side, and returns what the main thread then reads.
pub fn flush_active_then_read(
    instance: &mut PluginInstance<TestHost>,
    id: ClapId,
    value: f64,
) -> Option<f64> {
    let params: PluginParams = instance.plugin_handle().get_extension().unwrap();
    let config = PluginAudioConfiguration {
        sample_rate: 48_000.0,
        min_frames_count: 1,
        max_frames_count: 512,
    };
    let mut processor = instance.activate(|_, _| (), config).expect("activate");
    let event = ParamValueEvent::new(0, id, Pckn::match_all(), value);
    let mut out = EventBuffer::new();
    params.flush_active(
        &mut processor.plugin_handle(),
        &InputEvents::from_buffer(&event),
        &mut OutputEvents::from_buffer(&mut out),
    );
    let read = params.get_value(&instance.plugin_handle(), id);
    instance.deactivate(processor);
    read
}

/// Activates at `rate` with blocks of at most `block`, renders `input` (out of place) with
/// `changes` as sample-accurate events, deactivates and returns the output.
pub fn render_clap(
    instance: &mut PluginInstance<TestHost>,
    rate: u32,
    block: usize,
    input: &[Vec<f32>],
    changes: &[Change],
) -> Vec<Vec<f32>> {
    render_clap_with_masks(instance, rate, block, input, changes).0
}

/// [`render_clap`], also returning the output constant mask the plugin set for each block.
///
/// Like a careful host, it flags an input channel constant when all the block's samples of
/// that channel are equal; like a careless one, it hands the plugin an output mask with
/// every bit set, so a plugin that leaves the mask alone claims everything is constant.
pub fn render_clap_with_masks(
    instance: &mut PluginInstance<TestHost>,
    rate: u32,
    block: usize,
    input: &[Vec<f32>],
    changes: &[Change],
) -> (Vec<Vec<f32>>, Vec<u64>) {
    render_clap_with_hook(instance, rate, block, input, changes, 0, |_| {})
}

/// [`render_clap_with_masks`], calling `hook` on the main thread at frame `at` (e.g. to load a
/// state there). At 0 the plugin is active and processing, before its first block; at a later
/// frame (a block boundary) the host stops processing there, calls `hook`, then starts
/// processing again, as a DAW does when it sends a plugin to sleep and wakes it.
pub fn render_clap_with_hook(
    instance: &mut PluginInstance<TestHost>,
    rate: u32,
    block: usize,
    input: &[Vec<f32>],
    changes: &[Change],
    at: usize,
    hook: impl FnOnce(&mut PluginInstance<TestHost>),
) -> (Vec<Vec<f32>>, Vec<u64>) {
    assert_eq!(at % block, 0, "the hook runs at a block boundary");
    let config = PluginAudioConfiguration {
        sample_rate: f64::from(rate),
        min_frames_count: 1,
        max_frames_count: block as u32,
    };
    let stopped = instance.activate(|_, _| (), config).expect("activate");
    let mut processor = stopped.start_processing().expect("start processing");
    let mut hook = Some(hook);
    let channels = input.len();
    let frames = input[0].len();
    let mut output = vec![vec![0.0f32; frames]; channels];
    let mut masks = Vec::new();
    let mut in_buffers = vec![vec![0.0f32; block]; channels];
    let mut out_buffers = vec![vec![0.0f32; block]; channels];
    let mut input_ports = AudioPorts::with_capacity(channels, 1);
    let mut output_ports = AudioPorts::with_capacity(channels, 1);
    let mut start = 0;
    while start < frames {
        if start == at {
            let hook = hook.take().expect("one hook");
            if at == 0 {
                hook(instance);
            } else {
                let stopped = processor.stop_processing();
                hook(instance);
                processor = stopped.start_processing().expect("start processing");
            }
        }
        let len = block.min(frames - start);
        for (buffer, source) in in_buffers.iter_mut().zip(input) {
            buffer[..len].copy_from_slice(&source[start..start + len]);
        }
        let constant: Vec<bool> = in_buffers
            .iter()
            .map(|b| b[..len].iter().all(|&s| s == b[0]))
            .collect();
        let events: Vec<ParamValueEvent> = changes
            .iter()
            .filter(|c| (start..start + len).contains(&c.frame))
            .map(|c| {
                ParamValueEvent::new((c.frame - start) as u32, c.id, Pckn::match_all(), c.value)
            })
            .collect();
        {
            let input_audio = input_ports.with_input_buffers([AudioPortBuffer {
                latency: 0,
                channels: AudioPortBufferType::f32_input_only(
                    in_buffers
                        .iter_mut()
                        .zip(&constant)
                        .map(|(b, &constant)| InputChannel::from_buffer(&mut b[..len], constant)),
                ),
            }]);
            let mut output_audio = output_ports.with_output_buffers([AudioPortBuffer {
                latency: 0,
                channels: AudioPortBufferType::f32_output_only(
                    out_buffers.iter_mut().map(|b| &mut b[..len]),
                ),
            }]);
            output_audio.as_raw_buffers()[0].constant_mask = u64::MAX;
            let mut out_events = EventBuffer::new();
            processor
                .process(
                    &input_audio,
                    &mut output_audio,
                    &InputEvents::from_buffer(&events),
                    &mut OutputEvents::from_buffer(&mut out_events),
                    Some(start as u64),
                    None,
                )
                .expect("process");
            masks.push(output_audio.port_info(0).unwrap().constant_mask().to_bits());
        }
        for (target, buffer) in output.iter_mut().zip(&out_buffers) {
            target[start..start + len].copy_from_slice(&buffer[..len]);
        }
        start += len;
    }
    instance.deactivate(processor.stop_processing());
    (output, masks)
}
