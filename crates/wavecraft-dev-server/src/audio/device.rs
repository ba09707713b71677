//! The device backend: a cpal output stream whose callback runs the shared
//! [`AudioCore`] on the test signal.
//!
//! The stream lives on its own host thread (a cpal `Stream` is not `Send` on
//! every platform), which builds it, reports whether that worked, and holds
//! it until told to stop; dropping the stream there drops the core and any
//! engine in it off the audio thread. The data callback never allocates,
//! locks or blocks: it cuts the device's buffer into blocks of at most the
//! runtime's block size and interleaves the core's output into it.
//! The DSP hears the test signal, or with `live_input` the default input
//! device through [`LiveInput`] (started after the output, so the queue
//! starts empty); an input that cannot be opened leaves the test signal
//! playing and says why. Streams are opened as `f32` at the runtime's sample
//! rate; an output device that refuses that counts as unusable and the
//! runtime runs the virtual device instead. Stream errors other than xruns
//! (of either stream) are forwarded from cpal's error callbacks, not the data
//! callbacks, so the runtime can report them and fall back.

use std::sync::mpsc;
use std::thread::JoinHandle;

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};

use super::live_input::{live_input, LiveInput};
use super::processing::AudioCore;
use super::signal::Signal;

/// A running output stream on its host thread; dropping it stops the stream and joins.
#[derive(Debug)]
pub(crate) struct DeviceStream {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    /// The device's name.
    pub(crate) name: String,
    /// With live input asked for: which input plays, or why the test signal plays instead.
    pub(crate) input_note: Option<String>,
}

/// The streams the host thread holds (a cpal `Stream` is not `Send`), and what to report.
struct Streams {
    output: cpal::Stream,
    input: Option<cpal::Stream>,
    name: String,
    input_note: Option<String>,
}

/// What the DSP hears.
enum Source {
    Signal(Signal),
    Live(LiveInput),
}

impl Source {
    fn fill(&mut self, buffer: &mut [f32], stride: usize, channels: usize, frames: usize) {
        match self {
            Source::Signal(signal) => signal.fill(buffer, stride, channels, frames),
            Source::Live(live) => live.fill(buffer, stride, channels, frames),
        }
    }
}

/// Why a device could not be used.
#[derive(Debug)]
pub(crate) struct Unusable {
    /// True when there is no device at all (none listed, or the listed one is not there).
    pub(crate) absent: bool,
    /// The one-line reason.
    pub(crate) reason: String,
}

impl Unusable {
    fn other(reason: String) -> Self {
        Unusable {
            absent: false,
            reason,
        }
    }
}

/// What to open.
pub(crate) struct DeviceRequest {
    /// The output device's name; `None` is the default.
    pub(crate) name: Option<String>,
    pub(crate) sample_rate: u32,
    pub(crate) channels: u16,
    /// Feed the DSP from the default input device instead of `signal`.
    pub(crate) live_input: bool,
}

/// Opens the requested output device and starts running `core` on it.
/// `Err` says why the device is unusable; stream errors later go to `errors`.
pub(crate) fn open(
    request: DeviceRequest,
    core: AudioCore,
    signal: Signal,
    errors: mpsc::Sender<String>,
) -> Result<DeviceStream, Unusable> {
    let (ready_tx, ready_rx) = mpsc::channel();
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("wavecraft-audio-device".into())
        .spawn(move || {
            match build(request, core, signal, errors) {
                Ok(streams) => {
                    let _ = ready_tx.send(Ok((streams.name, streams.input_note)));
                    // Returns when the runtime stops (or is dropped).
                    let _ = stop_rx.recv();
                    drop(streams.input);
                    drop(streams.output);
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                }
            }
        })
        .map_err(|e| Unusable::other(format!("could not start the audio device thread: {e}")))?;
    match ready_rx.recv() {
        Ok(Ok((name, input_note))) => Ok(DeviceStream {
            stop: Some(stop_tx),
            thread: Some(thread),
            name,
            input_note,
        }),
        Ok(Err(e)) => {
            let _ = thread.join();
            Err(e)
        }
        Err(_) => {
            let _ = thread.join();
            Err(Unusable::other(
                "the audio device thread ended unexpectedly".into(),
            ))
        }
    }
}

/// On Linux, whether any ALSA PCM device node exists. Checked before asking ALSA, which on a
/// machine without a card prints a screenful of "cannot find card" lines to stderr.
fn has_sound_card() -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    std::fs::read_dir("/dev/snd").is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("pcm"))
    })
}

fn build(
    request: DeviceRequest,
    mut core: AudioCore,
    signal: Signal,
    errors: mpsc::Sender<String>,
) -> Result<Streams, Unusable> {
    let DeviceRequest {
        name,
        sample_rate,
        channels,
        live_input,
    } = request;
    if name.is_none() && !has_sound_card() {
        return Err(Unusable {
            absent: true,
            reason: "no sound card (no PCM device under /dev/snd)".into(),
        });
    }
    let host = cpal::default_host();
    let device = match &name {
        Some(wanted) => host
            .output_devices()
            .map_err(|e| Unusable::other(format!("cannot list audio devices: {e}")))?
            .find(|d| d.to_string() == *wanted)
            .ok_or_else(|| Unusable {
                absent: true,
                reason: format!("no output device named {wanted:?}"),
            })?,
        None => host.default_output_device().ok_or_else(|| Unusable {
            absent: true,
            reason: "no default output device".into(),
        })?,
    };
    let device_name = device.to_string();
    let (mut source, input, input_note) = if live_input {
        match open_input(&host, sample_rate, errors.clone()) {
            Ok((stream, live, input_name)) => (
                Source::Live(live),
                Some(stream),
                Some(format!("live input from {input_name}")),
            ),
            Err(why) => (
                Source::Signal(signal),
                None,
                Some(format!(
                    "no usable input device ({why}): playing the test signal"
                )),
            ),
        }
    } else {
        (Source::Signal(signal), None, None)
    };
    let config = cpal::StreamConfig {
        channels,
        sample_rate,
        buffer_size: cpal::BufferSize::Default,
    };
    let frames_per_chunk = core.block_size();
    let ch = usize::from(channels);
    let output = device
        .build_output_stream::<f32, _, _>(
            config,
            move |data: &mut [f32], _: &cpal::OutputCallbackInfo| {
                for chunk in data.chunks_mut(frames_per_chunk * ch) {
                    let frames = chunk.len() / ch;
                    source.fill(core.input_mut(), frames_per_chunk, ch, frames);
                    core.process(frames);
                    core.write_interleaved(chunk, ch, frames);
                }
            },
            forward_errors(errors),
            None,
        )
        .map_err(|e| Unusable {
            // ALSA lists a "default" PCM even on machines without a sound card.
            absent: e.kind() == cpal::ErrorKind::DeviceNotAvailable,
            reason: format!(
                "cannot open {device_name} at {sample_rate} Hz, {channels} channels (f32): {e}"
            ),
        })?;
    output
        .play()
        .map_err(|e| Unusable::other(format!("cannot start {device_name}: {e}")))?;
    // An input that will not start leaves silence, not a dead device: say so and keep going.
    let input_note = match (&input, input_note) {
        (Some(stream), note) => match stream.play() {
            Ok(()) => note,
            Err(e) => Some(format!(
                "the input device did not start ({e}): live input is silent"
            )),
        },
        (None, note) => note,
    };
    Ok(Streams {
        output,
        input,
        name: device_name,
        input_note,
    })
}

/// cpal's error callback: every error but an xrun goes to the runtime, which reports it and
/// falls back to the virtual device.
fn forward_errors(errors: mpsc::Sender<String>) -> impl FnMut(cpal::Error) + Send + 'static {
    move |err: cpal::Error| {
        if err.kind() != cpal::ErrorKind::Xrun {
            let _ = errors.send(err.to_string());
        }
    }
}

/// Builds (but does not start) a stream from the default input device at `sample_rate` in its
/// default channel count, feeding the returned [`LiveInput`]; `Err` says why not.
fn open_input(
    host: &cpal::Host,
    sample_rate: u32,
    errors: mpsc::Sender<String>,
) -> Result<(cpal::Stream, LiveInput, String), String> {
    let device = host
        .default_input_device()
        .ok_or_else(|| "no default input device".to_owned())?;
    let name = device.to_string();
    let channels = device
        .default_input_config()
        .map_err(|e| format!("{name}: {e}"))?
        .channels();
    // 50 ms: above any input period a desktop audio stack uses, so only drift is ever dropped.
    let max_latency = usize::try_from(sample_rate / 20).unwrap_or(usize::MAX);
    let (mut feed, live) = live_input(usize::from(channels), max_latency);
    let config = cpal::StreamConfig {
        channels,
        sample_rate,
        buffer_size: cpal::BufferSize::Default,
    };
    let stream = device
        .build_input_stream::<f32, _, _>(
            config,
            move |data: &[f32], _: &cpal::InputCallbackInfo| {
                feed.push(data);
            },
            forward_errors(errors),
            None,
        )
        .map_err(|e| {
            format!("cannot open {name} at {sample_rate} Hz, {channels} channels (f32): {e}")
        })?;
    Ok((stream, live, name))
}

impl Drop for DeviceStream {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
