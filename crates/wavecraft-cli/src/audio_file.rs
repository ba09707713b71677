//! Reading and writing WAV files as planar `f32` audio.
//!
//! Any integer or float format hound reads comes in as `f32` in ±1; output is
//! always 32-bit float, which keeps every rendered sample exact (no dither, no
//! clipping) and makes a render byte-for-byte repeatable.

use std::path::{Path, PathBuf};

/// Planar audio: one `Vec` of samples per channel, all the same length.
#[derive(Debug, Clone, PartialEq)]
pub struct Audio {
    /// Frames per second.
    pub sample_rate: u32,
    /// The samples, one `Vec` per channel.
    pub channels: Vec<Vec<f32>>,
}

impl Audio {
    /// Frames per channel.
    pub fn frames(&self) -> usize {
        self.channels.first().map_or(0, Vec::len)
    }
}

/// Why a WAV file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum AudioFileError {
    /// The input file is not there.
    #[error("input file {0} does not exist: check the path given to --input")]
    Missing(PathBuf),
    /// The input could not be opened or decoded.
    #[error("could not read {path} as WAV: {source} (render reads PCM or float WAV files)")]
    Read {
        /// The file.
        path: PathBuf,
        /// Hound's error.
        source: hound::Error,
    },
    /// The output could not be written.
    #[error("could not write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Hound's error.
        source: hound::Error,
    },
}

/// Reads a WAV file of any format hound supports, converted to `f32`.
pub fn read_wav(path: &Path) -> Result<Audio, AudioFileError> {
    if !path.is_file() {
        return Err(AudioFileError::Missing(path.to_path_buf()));
    }
    let read_err = |source| AudioFileError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = hound::WavReader::open(path).map_err(read_err)?;
    let spec = reader.spec();
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader.samples::<f32>().collect::<Result<_, _>>(),
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample.clamp(1, 32) - 1)) as f64;
            reader
                .samples::<i32>()
                .map(|s| s.map(|s| (f64::from(s) * scale) as f32))
                .collect::<Result<_, _>>()
        }
    }
    .map_err(read_err)?;
    let count = usize::from(spec.channels.max(1));
    let mut channels = vec![Vec::with_capacity(interleaved.len() / count); count];
    for frame in interleaved.chunks_exact(count) {
        for (channel, &sample) in channels.iter_mut().zip(frame) {
            channel.push(sample);
        }
    }
    Ok(Audio {
        sample_rate: spec.sample_rate,
        channels,
    })
}

/// Writes `audio` as a 32-bit float WAV file.
pub fn write_wav(path: &Path, audio: &Audio) -> Result<(), AudioFileError> {
    let write_err = |source| AudioFileError::Write {
        path: path.to_path_buf(),
        source,
    };
    let spec = hound::WavSpec {
        channels: u16::try_from(audio.channels.len()).unwrap_or(u16::MAX),
        sample_rate: audio.sample_rate,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut writer = hound::WavWriter::create(path, spec).map_err(write_err)?;
    for frame in 0..audio.frames() {
        for channel in &audio.channels {
            writer.write_sample(channel[frame]).map_err(write_err)?;
        }
    }
    writer.finalize().map_err(write_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_int(path: &Path, bits: u16, samples: &[i32]) {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 44_100,
            bits_per_sample: bits,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(path, spec).unwrap();
        for &s in samples {
            w.write_sample(s).unwrap();
        }
        w.finalize().unwrap();
    }

    #[test]
    fn integer_formats_scale_to_plus_minus_one() {
        let dir = tempfile::tempdir().unwrap();
        for (bits, full) in [(16u16, 1i32 << 15), (24, 1 << 23), (32, i32::MAX)] {
            let path = dir.path().join(format!("i{bits}.wav"));
            let half = if bits == 32 { 1 << 30 } else { full / 2 };
            write_int(&path, bits, &[0, half, -full]);
            let audio = read_wav(&path).unwrap();
            assert_eq!(audio.sample_rate, 44_100);
            let s = &audio.channels[0];
            assert_eq!(s[0], 0.0);
            assert!((s[1] - 0.5).abs() < 1e-6, "{bits}-bit half scale: {}", s[1]);
            assert!(
                (s[2] + 1.0).abs() < 1e-6,
                "{bits}-bit negative full scale: {}",
                s[2]
            );
        }
    }

    #[test]
    fn float_round_trips_exactly_and_deinterleaves() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.wav");
        let audio = Audio {
            sample_rate: 48_000,
            channels: vec![vec![0.25, -0.5, 1.5], vec![0.0, 0.125, -2.0]],
        };
        write_wav(&path, &audio).unwrap();
        assert_eq!(read_wav(&path).unwrap(), audio);
    }

    #[test]
    fn missing_and_malformed_files_say_which() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.wav");
        assert!(matches!(
            read_wav(&missing),
            Err(AudioFileError::Missing(_))
        ));
        let junk = dir.path().join("junk.wav");
        std::fs::write(&junk, b"not a wav file").unwrap();
        let err = read_wav(&junk).unwrap_err();
        assert!(err.to_string().contains("junk.wav"), "{err}");
    }
}
