//! Recording the output to a WAV file (`--record out.wav`) without I/O on the
//! audio thread: the audio thread pushes samples into a bounded rtrb ring
//! ([`RecordTap`]), and a writer thread drains it into `hound`.
//!
//! The tap never blocks or allocates; if the writer falls 2 s behind, the
//! frames that do not fit are dropped (whole frames, so the file's channels
//! never shift) rather than stalling the audio.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use rtrb::{Consumer, Producer, RingBuffer};

use super::frame_ring::push_frames;

/// Why the recording could not be started.
#[derive(Debug, thiserror::Error)]
#[error("cannot record to {path}: {reason}")]
pub struct RecordError {
    /// The file.
    pub path: PathBuf,
    /// What went wrong.
    pub reason: String,
}

/// The audio thread's end: interleaved samples go in, never blocking.
#[derive(Debug)]
pub(crate) struct RecordTap {
    ring: Producer<f32>,
    channels: usize,
}

impl RecordTap {
    /// Queues interleaved frames for the writer; drops the whole frames that do not fit.
    pub(crate) fn push(&mut self, interleaved: &[f32]) {
        push_frames(&mut self.ring, interleaved, self.channels);
    }
}

/// The writer thread; dropping it drains the ring and finalises the file.
#[derive(Debug)]
pub(crate) struct Recorder {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Recorder {
    /// Creates `path` and starts the writer; returns it with the audio thread's tap.
    pub(crate) fn start(
        path: &Path,
        sample_rate: u32,
        channels: u16,
    ) -> Result<(Recorder, RecordTap), RecordError> {
        let spec = hound::WavSpec {
            channels,
            sample_rate,
            bits_per_sample: 32,
            sample_format: hound::SampleFormat::Float,
        };
        let writer = hound::WavWriter::create(path, spec).map_err(|e| RecordError {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        let (ring, consumer) = RingBuffer::new(sample_rate as usize * usize::from(channels) * 2);
        let stop = Arc::new(AtomicBool::new(false));
        let thread = std::thread::Builder::new()
            .name("wavecraft-audio-recorder".into())
            .spawn({
                let stop = Arc::clone(&stop);
                move || write_loop(writer, consumer, &stop)
            })
            .map_err(|e| RecordError {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        Ok((
            Recorder {
                stop,
                thread: Some(thread),
            },
            RecordTap {
                ring,
                channels: usize::from(channels),
            },
        ))
    }
}

type WavWriter = hound::WavWriter<std::io::BufWriter<std::fs::File>>;

fn write_loop(mut writer: WavWriter, mut ring: Consumer<f32>, stop: &AtomicBool) {
    loop {
        let stopping = stop.load(Ordering::Acquire);
        while let Ok(s) = ring.pop() {
            if writer.write_sample(s).is_err() {
                return;
            }
        }
        if stopping || ring.is_abandoned() && ring.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = writer.finalize();
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
