//! The device backend: a cpal output stream whose callback runs the shared
//! [`AudioCore`] on the test signal.
//!
//! The stream lives on its own host thread (a cpal `Stream` is not `Send` on
//! every platform), which builds it, reports whether that worked, and holds
//! it until told to stop; dropping the stream there drops the core and any
//! engine in it off the audio thread. The data callback never allocates,
//! locks or blocks: it cuts the device's buffer into blocks of at most the
//! runtime's block size and interleaves the core's output into it.
//! Live input is not wired yet: the test signal is the input. The stream is
//! opened as `f32` at the runtime's sample rate; a device that refuses that
//! counts as unusable and the runtime runs the virtual device instead.
//! Stream errors other than xruns are forwarded (from cpal's error callback,
//! not the data callback) so the runtime can report them and fall back.

use std::sync::mpsc;
use std::thread::JoinHandle;

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};

use super::processing::AudioCore;
use super::signal::Signal;

/// A running output stream on its host thread; dropping it stops the stream and joins.
#[derive(Debug)]
pub(crate) struct DeviceStream {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    /// The device's name.
    pub(crate) name: String,
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

/// Opens `name` (or the default output device) and starts running `core` on it.
/// `Err` says why the device is unusable; stream errors later go to `errors`.
pub(crate) fn open(
    name: Option<String>,
    sample_rate: u32,
    channels: u16,
    core: AudioCore,
    signal: Signal,
    errors: mpsc::Sender<String>,
) -> Result<DeviceStream, Unusable> {
    let (ready_tx, ready_rx) = mpsc::channel();
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("wavecraft-audio-device".into())
        .spawn(move || {
            match build(name, sample_rate, channels, core, signal, errors) {
                Ok((stream, name)) => {
                    let _ = ready_tx.send(Ok(name));
                    // Returns when the runtime stops (or is dropped).
                    let _ = stop_rx.recv();
                    drop(stream);
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                }
            }
        })
        .map_err(|e| Unusable::other(format!("could not start the audio device thread: {e}")))?;
    match ready_rx.recv() {
        Ok(Ok(name)) => Ok(DeviceStream {
            stop: Some(stop_tx),
            thread: Some(thread),
            name,
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
    name: Option<String>,
    sample_rate: u32,
    channels: u16,
    mut core: AudioCore,
    mut signal: Signal,
    errors: mpsc::Sender<String>,
) -> Result<(cpal::Stream, String), Unusable> {
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
    let config = cpal::StreamConfig {
        channels,
        sample_rate,
        buffer_size: cpal::BufferSize::Default,
    };
    let frames_per_chunk = core.block_size();
    let ch = usize::from(channels);
    let stream = device
        .build_output_stream::<f32, _, _>(
            config,
            move |data: &mut [f32], _: &cpal::OutputCallbackInfo| {
                for chunk in data.chunks_mut(frames_per_chunk * ch) {
                    let frames = chunk.len() / ch;
                    let block = core.block_size();
                    signal.fill(core.input_mut(), block, ch, frames);
                    core.process(frames);
                    for c in 0..ch {
                        for (i, &s) in core.output(c, frames).iter().enumerate() {
                            chunk[i * ch + c] = s;
                        }
                    }
                }
            },
            move |err: cpal::Error| {
                if err.kind() != cpal::ErrorKind::Xrun {
                    let _ = errors.send(err.to_string());
                }
            },
            None,
        )
        .map_err(|e| Unusable {
            // ALSA lists a "default" PCM even on machines without a sound card.
            absent: e.kind() == cpal::ErrorKind::DeviceNotAvailable,
            reason: format!(
                "cannot open {device_name} at {sample_rate} Hz, {channels} channels (f32): {e}"
            ),
        })?;
    stream
        .play()
        .map_err(|e| Unusable::other(format!("cannot start {device_name}: {e}")))?;
    Ok((stream, device_name))
}

impl Drop for DeviceStream {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
