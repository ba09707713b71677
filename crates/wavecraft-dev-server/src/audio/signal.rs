//! Test signals: what the virtual device (and a device without a usable input)
//! feeds the DSP — a sine, deterministic noise, silence, or a WAV file loaded
//! fully at start (resampled to the runtime's rate when it differs) and looped.
//!
//! [`Signal::fill`] runs on the audio thread: it never allocates, locks or
//! does I/O. Everything that can fail or allocate (reading and resampling the
//! WAV) happens in [`Signal::new`].

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the DSP is fed when no live input is used.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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
    /// A WAV file, played in a loop; a file at another sample rate than the runtime's is
    /// resampled once when it is read, so it plays at its own pitch and speed.
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
                data: Arc::new(read_wav(path, sample_rate)?),
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

/// Reads a whole WAV file as `sample_rate` audio (resampled when the file's rate differs).
fn read_wav(path: &Path, sample_rate: u32) -> Result<WavData, InputError> {
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
    let channels: Vec<Vec<f32>> = (0..channels)
        .map(|c| {
            interleaved
                .iter()
                .skip(c)
                .step_by(channels)
                .copied()
                .collect()
        })
        .collect();
    if spec.sample_rate == sample_rate {
        return Ok(WavData { channels, frames });
    }
    let channels = resample(&channels, frames, spec.sample_rate, sample_rate).map_err(|e| {
        err(format!(
            "cannot resample it from {} Hz to the audio's {sample_rate} Hz: {e}",
            spec.sample_rate
        ))
    })?;
    let frames = channels.first().map_or(0, Vec::len);
    if frames == 0 {
        return Err(err("the file is too short to resample".into()));
    }
    Ok(WavData { channels, frames })
}

/// Resamples whole planar channels of `frames` frames from `from` Hz to `to` Hz with a
/// windowed-sinc resampler, trimming its delay, so the result lines up with the input in time.
fn resample(
    channels: &[Vec<f32>],
    frames: usize,
    from: u32,
    to: u32,
) -> Result<Vec<Vec<f32>>, String> {
    use rubato::audioadapter_buffers::direct::SequentialSliceOfVecs;
    use rubato::{
        Async, FixedAsync, Resampler, SincInterpolationParameters, SincInterpolationType,
        WindowFunction,
    };
    if from == 0 {
        return Err("the file says its sample rate is 0 Hz".into());
    }
    // A test signal, read once: 64 taps with linearly interpolated sinc tables keep aliasing
    // and ripple far below what a dev loop can hear (a 1 kHz sine comes out within 16-bit
    // noise), and stay quick enough in a debug build (30 s of stereo: about 5 s here).
    let parameters = SincInterpolationParameters {
        sinc_len: 64,
        f_cutoff: None,
        interpolation: SincInterpolationType::Linear,
        oversampling_factor: 256,
        window: WindowFunction::BlackmanHarris2,
    };
    let n = channels.len();
    let mut resampler = Async::<f32>::new_sinc(
        f64::from(to) / f64::from(from),
        1.0,
        &parameters,
        1024,
        n,
        FixedAsync::Input,
    )
    .map_err(|e| e.to_string())?;
    let input = SequentialSliceOfVecs::new(channels, n, frames).map_err(|e| e.to_string())?;
    let capacity = resampler.process_all_needed_output_len(frames);
    let mut out = vec![vec![0.0f32; capacity]; n];
    let mut output =
        SequentialSliceOfVecs::new_mut(&mut out, n, capacity).map_err(|e| e.to_string())?;
    let (_, written) = resampler
        .process_all_into_buffer(&input, &mut output, frames, None)
        .map_err(|e| e.to_string())?;
    // The file's duration at the new rate (the resampler rounds up, sometimes a frame over).
    let duration = (frames as f64 * f64::from(to) / f64::from(from)).round() as usize;
    for channel in &mut out {
        channel.truncate(written.min(duration));
    }
    Ok(out)
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

    /// Writes a mono 16-bit WAV of `seconds` of a `hz` sine at `rate`, peak 0.5.
    fn sine_wav(path: &Path, rate: u32, hz: f64, seconds: f64) {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(path, spec).unwrap();
        for n in 0..(f64::from(rate) * seconds) as usize {
            let s = 0.5 * (std::f64::consts::TAU * hz * n as f64 / f64::from(rate)).sin();
            w.write_sample((s * 32_767.0).round() as i16).unwrap();
        }
        w.finalize().unwrap();
    }

    #[test]
    fn a_wav_at_another_rate_keeps_its_pitch_length_and_level() {
        // A 44.1 kHz file at a 48 kHz runtime: played sample for sample, its 1 kHz sine would
        // come out at 1088 Hz (+1.47 semitones) and 8 % short.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cd.wav");
        sine_wav(&path, 44_100, 1_000.0, 0.5);
        let mut sig = Signal::new(&InputSource::Wav(path), 48_000).unwrap();
        let Kind::Wav { data, .. } = &sig.kind else {
            unreachable!()
        };
        assert_eq!(data.frames, 24_000, "0.5 s at 48 kHz");
        let mut out = vec![0.0f32; data.frames];
        let frames = out.len();
        sig.fill(&mut out, frames, 1, frames);
        // Away from the file's edges (where the resampler's filter starts and ends), fit a 1 kHz
        // sine at 48 kHz (amplitude and phase free: the resampler's delay is trimmed to a whole
        // frame) and require the output to be that sine, at the file's level.
        let first = 2_400;
        let middle = &out[first..frames - first];
        let phase = |i: usize| std::f64::consts::TAU * 1_000.0 * (first + i) as f64 / 48_000.0;
        let (mut a, mut b) = (0.0, 0.0);
        for (i, &s) in middle.iter().enumerate() {
            a += f64::from(s) * phase(i).sin();
            b += f64::from(s) * phase(i).cos();
        }
        let half = middle.len() as f64 / 2.0;
        let (a, b) = (a / half, b / half);
        let level_db = 20.0 * ((a * a + b * b).sqrt() / 0.5).log10();
        let residual = middle
            .iter()
            .enumerate()
            .map(|(i, &s)| (f64::from(s) - a * phase(i).sin() - b * phase(i).cos()).abs())
            .fold(0.0, f64::max);
        let offset = b.atan2(a) / std::f64::consts::TAU * 48.0;
        eprintln!(
            "resampled 44.1 -> 48 kHz: level {level_db:+.4} dB, largest residual {residual:.2e} \
             from a 1 kHz sine, offset {offset:.3} frames"
        );
        assert!(level_db.abs() < 0.01, "level changed by {level_db} dB");
        assert!(residual < 1e-3, "not a 1 kHz sine: residual {residual}");
        assert!(offset.abs() < 1.0, "shifted by {offset} frames");
    }

    #[test]
    fn an_unreadable_wav_says_which_file() {
        let e = Signal::new(&InputSource::Wav("/nonexistent/x.wav".into()), 48_000).unwrap_err();
        assert!(e.to_string().contains("/nonexistent/x.wav"));
    }
}
