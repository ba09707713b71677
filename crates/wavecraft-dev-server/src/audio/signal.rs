//! Test signals: what the virtual device (and a device without a usable input)
//! feeds the DSP — a sine, deterministic noise, silence, or a WAV file loaded
//! fully at start and looped.
//!
//! [`Signal::fill`] runs on the audio thread: it never allocates, locks or
//! does I/O. Everything that can fail or allocate (reading the WAV) happens in
//! [`Signal::new`].

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the DSP is fed when no live input is used.
#[derive(Debug, Clone, PartialEq)]
pub enum InputSource {
    /// A sine at `hz` whose peak is `level_db` dBFS, the same on every channel.
    Sine {
        /// Frequency in Hz.
        hz: f64,
        /// Peak level in dBFS.
        level_db: f64,
    },
    /// Deterministic white noise (uniform, peaking at −12 dBFS), independent per channel.
    Noise,
    /// Digital silence.
    Silence,
    /// A WAV file, played in a loop at the runtime's sample rate (not resampled).
    Wav(PathBuf),
}

impl Default for InputSource {
    fn default() -> Self {
        InputSource::Sine {
            hz: 440.0,
            level_db: -12.0,
        }
    }
}

/// Why a WAV input could not be used.
#[derive(Debug, thiserror::Error)]
#[error("input WAV {path}: {reason}")]
pub struct InputError {
    /// The file.
    pub path: PathBuf,
    /// What was wrong.
    pub reason: String,
}

/// Decibels to linear amplitude.
pub fn db_to_gain(db: f64) -> f64 {
    10f64.powf(db / 20.0)
}

/// A WAV file's samples, one `Vec` per file channel.
#[derive(Debug)]
struct WavData {
    channels: Vec<Vec<f32>>,
    frames: usize,
}

#[derive(Debug, Clone)]
enum Kind {
    Sine { step: f64, phase: f64, amp: f64 },
    Noise { state: u32 },
    Silence,
    Wav { data: Arc<WavData>, pos: usize },
}

/// A running test-signal generator.
#[derive(Debug, Clone)]
pub(crate) struct Signal {
    kind: Kind,
}

const NOISE_AMP: f32 = 0.251_188_64; // −12 dBFS

impl Signal {
    /// A generator for `source` at `sample_rate`; reads a WAV input completely.
    pub(crate) fn new(source: &InputSource, sample_rate: u32) -> Result<Signal, InputError> {
        let kind = match source {
            InputSource::Sine { hz, level_db } => Kind::Sine {
                step: hz / f64::from(sample_rate),
                phase: 0.0,
                amp: db_to_gain(*level_db),
            },
            InputSource::Noise => Kind::Noise { state: 0x9E37_79B9 },
            InputSource::Silence => Kind::Silence,
            InputSource::Wav(path) => Kind::Wav {
                data: Arc::new(read_wav(path)?),
                pos: 0,
            },
        };
        Ok(Signal { kind })
    }

    /// Writes `frames` frames into `channels` planar channels of `buffer`, each `stride` long.
    /// Audio-thread safe.
    pub(crate) fn fill(
        &mut self,
        buffer: &mut [f32],
        stride: usize,
        channels: usize,
        frames: usize,
    ) {
        // One match per block, the loops inside: the generator's kind never changes mid-block.
        match &mut self.kind {
            Kind::Sine { step, phase, amp } => {
                for frame in 0..frames {
                    let s = (*amp * (std::f64::consts::TAU * *phase).sin()) as f32;
                    *phase += *step;
                    if *phase >= 1.0 {
                        *phase -= 1.0;
                    }
                    for c in 0..channels {
                        buffer[c * stride + frame] = s;
                    }
                }
            }
            Kind::Noise { state } => {
                for frame in 0..frames {
                    for c in 0..channels {
                        // xorshift32: deterministic, allocation-free.
                        *state ^= *state << 13;
                        *state ^= *state >> 17;
                        *state ^= *state << 5;
                        let unit = (*state as f32 / u32::MAX as f32) * 2.0 - 1.0;
                        buffer[c * stride + frame] = NOISE_AMP * unit;
                    }
                }
            }
            Kind::Silence => {
                for c in 0..channels {
                    buffer[c * stride..c * stride + frames].fill(0.0);
                }
            }
            Kind::Wav { data, pos } => {
                let file_channels = data.channels.len();
                for frame in 0..frames {
                    for c in 0..channels {
                        buffer[c * stride + frame] = data.channels[c % file_channels][*pos];
                    }
                    *pos = (*pos + 1) % data.frames;
                }
            }
        }
    }
}

fn read_wav(path: &Path) -> Result<WavData, InputError> {
    let err = |reason: String| InputError {
        path: path.to_path_buf(),
        reason,
    };
    let mut reader = hound::WavReader::open(path).map_err(|e| err(e.to_string()))?;
    let spec = reader.spec();
    let channels = usize::from(spec.channels.max(1));
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader
            .samples::<f32>()
            .collect::<Result<_, _>>()
            .map_err(|e| err(e.to_string()))?,
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample.clamp(1, 32) - 1)) as f32;
            reader
                .samples::<i32>()
                .map(|s| s.map(|s| s as f32 * scale))
                .collect::<Result<_, _>>()
                .map_err(|e| err(e.to_string()))?
        }
    };
    let frames = interleaved.len() / channels;
    if frames == 0 {
        return Err(err("the file has no samples".into()));
    }
    let channels = (0..channels)
        .map(|c| {
            interleaved
                .iter()
                .skip(c)
                .step_by(channels)
                .copied()
                .collect()
        })
        .collect();
    Ok(WavData { channels, frames })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sine_continues_across_blocks() {
        let mut sig = Signal::new(
            &InputSource::Sine {
                hz: 1_000.0,
                level_db: 0.0,
            },
            48_000,
        )
        .unwrap();
        let mut buf = vec![0.0; 2 * 64];
        let mut got = Vec::new();
        for _ in 0..3 {
            sig.fill(&mut buf, 64, 2, 48);
            got.extend_from_slice(&buf[..48]);
            assert_eq!(buf[..48], buf[64..112]);
        }
        for (n, s) in got.iter().enumerate() {
            let want = (std::f64::consts::TAU * 1_000.0 * n as f64 / 48_000.0).sin() as f32;
            assert!((s - want).abs() < 1e-5, "frame {n}: {s} vs {want}");
        }
    }

    #[test]
    fn a_wav_loops() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.wav");
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 48_000,
            bits_per_sample: 32,
            sample_format: hound::SampleFormat::Float,
        };
        let mut w = hound::WavWriter::create(&path, spec).unwrap();
        for s in [0.1f32, 0.2, 0.3] {
            w.write_sample(s).unwrap();
        }
        w.finalize().unwrap();
        let mut sig = Signal::new(&InputSource::Wav(path), 48_000).unwrap();
        let mut buf = vec![0.0; 8];
        sig.fill(&mut buf, 4, 2, 4);
        assert_eq!(buf, [0.1, 0.2, 0.3, 0.1, 0.1, 0.2, 0.3, 0.1]);
    }

    #[test]
    fn an_unreadable_wav_says_which_file() {
        let e = Signal::new(&InputSource::Wav("/nonexistent/x.wav".into()), 48_000).unwrap_err();
        assert!(e.to_string().contains("/nonexistent/x.wav"));
    }
}
