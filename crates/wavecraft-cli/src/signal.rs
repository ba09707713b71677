//! Deterministic test signals to render when no input file is given.
//!
//! Every signal peaks at −6 dBFS and is a pure function of its settings, so
//! the same command always renders the same bytes: noise comes from a
//! fixed-seed xorshift, never from the OS.

use std::fmt;
use std::str::FromStr;

/// Peak level of every generated signal: −6 dBFS.
pub const LEVEL: f32 = 0.501_187_2;

/// A generated input signal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Signal {
    /// A sine at this frequency in Hz.
    Sine(f64),
    /// White noise, uniform in ±LEVEL, a different fixed seed per channel.
    Noise,
    /// Digital silence.
    Silence,
    /// One sample at LEVEL on the first frame, then silence.
    Impulse,
}

/// A `--signal` value that is not one of the known signals.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown signal `{0}`: use sine[:HZ] (e.g. sine:1000), noise, silence or impulse")]
pub struct SignalParseError(String);

impl Default for Signal {
    fn default() -> Self {
        Signal::Sine(1000.0)
    }
}

impl FromStr for Signal {
    type Err = SignalParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || SignalParseError(s.to_owned());
        match s.trim().to_ascii_lowercase().as_str() {
            "sine" => Ok(Signal::default()),
            "noise" => Ok(Signal::Noise),
            "silence" => Ok(Signal::Silence),
            "impulse" => Ok(Signal::Impulse),
            other => {
                let hz = other.strip_prefix("sine:").ok_or_else(err)?;
                let hz: f64 = hz.trim().parse().map_err(|_| err())?;
                if hz.is_finite() && hz > 0.0 {
                    Ok(Signal::Sine(hz))
                } else {
                    Err(err())
                }
            }
        }
    }
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Signal::Sine(hz) => write!(f, "sine:{hz}"),
            Signal::Noise => f.write_str("noise"),
            Signal::Silence => f.write_str("silence"),
            Signal::Impulse => f.write_str("impulse"),
        }
    }
}

impl Signal {
    /// `frames` samples of this signal for each of `channels` channels, at `sample_rate`.
    pub fn generate(self, frames: usize, channels: usize, sample_rate: u32) -> Vec<Vec<f32>> {
        (0..channels)
            .map(|channel| self.channel(frames, channel, sample_rate))
            .collect()
    }

    fn channel(self, frames: usize, channel: usize, sample_rate: u32) -> Vec<f32> {
        match self {
            Signal::Sine(hz) => {
                let step = std::f64::consts::TAU * hz / f64::from(sample_rate);
                (0..frames)
                    .map(|n| (f64::from(LEVEL) * (step * n as f64).sin()) as f32)
                    .collect()
            }
            Signal::Noise => {
                let mut rng =
                    XorShift32::new(0x9E37_79B9 ^ (channel as u32).wrapping_mul(0x85EB_CA6B));
                (0..frames).map(|_| LEVEL * rng.next_bipolar()).collect()
            }
            Signal::Silence => vec![0.0; frames],
            Signal::Impulse => {
                let mut out = vec![0.0; frames];
                if let Some(first) = out.first_mut() {
                    *first = LEVEL;
                }
                out
            }
        }
    }
}

/// Marsaglia's xorshift32: tiny, fast and the same on every platform.
struct XorShift32(u32);

impl XorShift32 {
    fn new(seed: u32) -> Self {
        XorShift32(if seed == 0 { 0x2545_F491 } else { seed })
    }

    /// The next value, uniform in [−1, 1).
    fn next_bipolar(&mut self) -> f32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        // The top 24 bits fit an f32 mantissa exactly.
        (x >> 8) as f32 / (1u32 << 23) as f32 - 1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_forms() {
        assert_eq!("sine:440".parse(), Ok(Signal::Sine(440.0)));
        assert_eq!("sine".parse(), Ok(Signal::Sine(1000.0)));
        assert_eq!("Noise".parse(), Ok(Signal::Noise));
        assert_eq!("silence".parse(), Ok(Signal::Silence));
        assert_eq!("impulse".parse(), Ok(Signal::Impulse));
        assert!("sine:-3".parse::<Signal>().is_err());
        assert!("saw".parse::<Signal>().is_err());
    }

    #[test]
    fn every_signal_peaks_at_minus_6_dbfs_and_repeats_exactly() {
        for signal in [Signal::Sine(1000.0), Signal::Noise, Signal::Impulse] {
            let a = signal.generate(48_000, 2, 48_000);
            assert_eq!(a, signal.generate(48_000, 2, 48_000));
            let peak = a.iter().flatten().fold(0.0f32, |m, s| m.max(s.abs()));
            let db = 20.0 * peak.log10();
            assert!((db + 6.0).abs() < 0.01, "{signal}: peak {db} dBFS");
        }
        let noise = Signal::Noise.generate(1000, 2, 48_000);
        assert_ne!(noise[0], noise[1], "channels get independent noise");
        let mean = noise[0].iter().sum::<f32>() / 1000.0;
        assert!(mean.abs() < 0.05, "noise is centred: mean {mean}");
    }
}
