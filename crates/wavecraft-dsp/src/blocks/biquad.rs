//! [`Biquad`]: a second-order IIR filter with the RBJ "Audio EQ Cookbook"
//! responses (low-pass, high-pass, band-pass, peak), in transposed direct
//! form II.
//!
//! Owns its coefficients and a fixed per-channel state for up to
//! [`MAX_CHANNELS`] channels. Coefficients are recomputed only when the
//! kind, frequency, Q, gain or sample rate change. Never allocates.
//!
//! Denormals: coefficients and state are `f64`, and once *both* state
//! variables of a channel fall below
//! [`crate::util::DENORMAL_THRESHOLD`] (about −300 dB)
//! they are set to zero together, so a filter ringing out into silence
//! stops exactly instead of crawling through the slow subnormal range.
//! Flushing them one at a time would not do: a resonant filter turns the
//! error that injects into a limit cycle around 1e-13 that never ends.

use std::f64::consts::PI;

use crate::buffer::{AudioBuffer, MAX_CHANNELS};
use crate::util::DENORMAL_THRESHOLD;

/// The filter response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FilterKind {
    /// 12 dB/octave low-pass; Q 0.707 is Butterworth.
    #[default]
    LowPass,
    /// 12 dB/octave high-pass; Q 0.707 is Butterworth.
    HighPass,
    /// Band-pass with 0 dB at the centre frequency; Q sets the width.
    BandPass,
    /// Bell boosting or cutting `gain_db` at the centre frequency.
    Peak,
}

/// Lowest frequency a filter is set to, in Hz.
pub const MIN_FREQUENCY: f32 = 1.0;
/// Highest frequency as a fraction of the sample rate (just below Nyquist).
pub const MAX_FREQUENCY_RATIO: f32 = 0.49;
/// Smallest Q accepted.
pub const MIN_Q: f32 = 0.025;

/// Normalised biquad coefficients (`a0` divided out).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BiquadCoefficients {
    /// Feed-forward coefficient for x\[n\].
    pub b0: f64,
    /// Feed-forward coefficient for x\[n−1\].
    pub b1: f64,
    /// Feed-forward coefficient for x\[n−2\].
    pub b2: f64,
    /// Feedback coefficient for y\[n−1\].
    pub a1: f64,
    /// Feedback coefficient for y\[n−2\].
    pub a2: f64,
}

impl BiquadCoefficients {
    /// Coefficients that pass the signal unchanged.
    pub const IDENTITY: Self = Self {
        b0: 1.0,
        b1: 0.0,
        b2: 0.0,
        a1: 0.0,
        a2: 0.0,
    };

    /// RBJ cookbook coefficients; frequency is clamped to `MIN_FREQUENCY..=0.49·sample_rate`, Q to at least `MIN_Q`.
    pub fn new(kind: FilterKind, sample_rate: f32, frequency: f32, q: f32, gain_db: f32) -> Self {
        let sample_rate = f64::from(sample_rate);
        let max_frequency = f64::from(MAX_FREQUENCY_RATIO) * sample_rate;
        let frequency = f64::from(frequency).clamp(f64::from(MIN_FREQUENCY), max_frequency);
        let q = f64::from(q).max(f64::from(MIN_Q));
        let w0 = 2.0 * PI * frequency / sample_rate;
        let (sin_w0, cos_w0) = w0.sin_cos();
        let alpha = sin_w0 / (2.0 * q);
        let (b0, b1, b2, a0, a1, a2) = match kind {
            FilterKind::LowPass => {
                let b = (1.0 - cos_w0) / 2.0;
                (b, 1.0 - cos_w0, b, 1.0 + alpha, -2.0 * cos_w0, 1.0 - alpha)
            }
            FilterKind::HighPass => {
                let b = (1.0 + cos_w0) / 2.0;
                (
                    b,
                    -(1.0 + cos_w0),
                    b,
                    1.0 + alpha,
                    -2.0 * cos_w0,
                    1.0 - alpha,
                )
            }
            FilterKind::BandPass => (alpha, 0.0, -alpha, 1.0 + alpha, -2.0 * cos_w0, 1.0 - alpha),
            FilterKind::Peak => {
                let a = 10f64.powf(f64::from(gain_db) / 40.0);
                (
                    1.0 + alpha * a,
                    -2.0 * cos_w0,
                    1.0 - alpha * a,
                    1.0 + alpha / a,
                    -2.0 * cos_w0,
                    1.0 - alpha / a,
                )
            }
        };
        Self {
            b0: b0 / a0,
            b1: b1 / a0,
            b2: b2 / a0,
            a1: a1 / a0,
            a2: a2 / a0,
        }
    }

    /// Magnitude response in dB at `frequency` (for tests and UI curves, not the audio path).
    pub fn magnitude_db(&self, sample_rate: f32, frequency: f32) -> f64 {
        let w = 2.0 * PI * f64::from(frequency) / f64::from(sample_rate);
        let (s1, c1) = w.sin_cos();
        let (s2, c2) = (2.0 * w).sin_cos();
        let num_re = self.b0 + self.b1 * c1 + self.b2 * c2;
        let num_im = -(self.b1 * s1 + self.b2 * s2);
        let den_re = 1.0 + self.a1 * c1 + self.a2 * c2;
        let den_im = -(self.a1 * s1 + self.a2 * s2);
        let power = (num_re * num_re + num_im * num_im) / (den_re * den_re + den_im * den_im);
        10.0 * power.log10()
    }
}

/// The inputs the current coefficients were computed from.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Settings {
    kind: FilterKind,
    sample_rate: f32,
    frequency: f32,
    q: f32,
    gain_db: f32,
}

/// A biquad filter with per-channel state for up to [`MAX_CHANNELS`] channels.
#[derive(Debug, Clone)]
pub struct Biquad {
    settings: Settings,
    coefficients: BiquadCoefficients,
    state: [[f64; 2]; MAX_CHANNELS],
    /// How many times coefficients were recomputed after `new`; exists only in this crate's unit tests.
    #[cfg(test)]
    recomputes: u32,
}

impl Biquad {
    /// A filter of the given kind at 1 kHz, Q 0.707, 0 dB, 48 kHz until `prepare`.
    pub fn new(kind: FilterKind) -> Self {
        let settings = Settings {
            kind,
            sample_rate: 48_000.0,
            frequency: 1_000.0,
            q: std::f32::consts::FRAC_1_SQRT_2,
            gain_db: 0.0,
        };
        Self {
            settings,
            coefficients: Self::compute(&settings),
            state: [[0.0; 2]; MAX_CHANNELS],
            #[cfg(test)]
            recomputes: 0,
        }
    }

    fn compute(s: &Settings) -> BiquadCoefficients {
        BiquadCoefficients::new(s.kind, s.sample_rate, s.frequency, s.q, s.gain_db)
    }

    /// Adopts `settings`, recomputing the coefficients only when they differ.
    ///
    /// Inlined so that [`set`](Self::set), called every frame, costs a
    /// comparison when nothing changed rather than a call that finds
    /// nothing to do. The recompute itself stays the out-of-line
    /// [`recompute`](Self::recompute): inlined, its pure trigonometry could
    /// be hoisted out of a per-channel loop and run on every frame, cache
    /// hit or not.
    #[inline]
    fn apply(&mut self, settings: Settings) {
        if settings != self.settings {
            self.recompute(settings);
        }
    }

    /// Stores `settings` and their coefficients; never inlined, see [`apply`](Self::apply).
    #[inline(never)]
    fn recompute(&mut self, settings: Settings) {
        self.settings = settings;
        self.coefficients = Self::compute(&settings);
        #[cfg(test)]
        {
            self.recomputes += 1;
        }
    }

    /// Sets the sample rate and clears the state.
    pub fn prepare(&mut self, sample_rate: f32) {
        self.apply(Settings {
            sample_rate,
            ..self.settings
        });
        self.reset();
    }

    /// Clears every channel's state (the filter forgets its past).
    pub fn reset(&mut self) {
        self.state = [[0.0; 2]; MAX_CHANNELS];
    }

    /// The response kind.
    pub fn kind(&self) -> FilterKind {
        self.settings.kind
    }

    /// Changes the response kind.
    pub fn set_kind(&mut self, kind: FilterKind) {
        self.apply(Settings {
            kind,
            ..self.settings
        });
    }

    /// Sets frequency (Hz), Q and gain (dB, used by `Peak`); cheap when nothing changed, non-finite inputs are ignored.
    #[inline]
    pub fn set(&mut self, frequency: f32, q: f32, gain_db: f32) {
        if !(frequency.is_finite() && q.is_finite() && gain_db.is_finite()) {
            return;
        }
        self.apply(Settings {
            frequency,
            q,
            gain_db,
            ..self.settings
        });
    }

    /// The current coefficients.
    pub fn coefficients(&self) -> &BiquadCoefficients {
        &self.coefficients
    }

    /// Filters one sample of `channel` (panics if `channel >= MAX_CHANNELS`).
    #[inline]
    pub fn process_sample(&mut self, channel: usize, x: f32) -> f32 {
        let c = &self.coefficients;
        let state = &mut self.state[channel];
        let x = f64::from(x);
        let y = c.b0 * x + state[0];
        let z1 = c.b1 * x - c.a1 * y + state[1];
        let z2 = c.b2 * x - c.a2 * y;
        // Flush both or neither: zeroing one state variable alone injects
        // error that a resonant filter sustains as a limit cycle.
        *state = if z1.abs() < DENORMAL_THRESHOLD && z2.abs() < DENORMAL_THRESHOLD {
            [0.0, 0.0]
        } else {
            [z1, z2]
        };
        y as f32
    }

    /// Filters every channel of `buffer` with the current settings (panics beyond `MAX_CHANNELS` channels).
    ///
    /// For a frequency that moves within the block, call [`set`](Self::set)
    /// and [`process_sample`](Self::process_sample) per frame instead.
    pub fn process_block(&mut self, buffer: &mut AudioBuffer<'_>) {
        for (index, channel) in buffer.iter_mut().enumerate() {
            for sample in channel.iter_mut() {
                *sample = self.process_sample(index, *sample);
            }
        }
    }
}

impl Default for Biquad {
    fn default() -> Self {
        Self::new(FilterKind::LowPass)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analytic_response_matches_the_cookbook() {
        let sr = 48_000.0;
        let q = std::f32::consts::FRAC_1_SQRT_2;
        let low = BiquadCoefficients::new(FilterKind::LowPass, sr, 1_000.0, q, 0.0);
        assert!(
            (low.magnitude_db(sr, 1_000.0) + 3.01).abs() < 0.02,
            "−3 dB at cutoff"
        );
        assert!(low.magnitude_db(sr, 20.0).abs() < 0.01);
        let peak = BiquadCoefficients::new(FilterKind::Peak, sr, 2_000.0, 1.0, -9.0);
        assert!((peak.magnitude_db(sr, 2_000.0) + 9.0).abs() < 1e-9);
        let band = BiquadCoefficients::new(FilterKind::BandPass, sr, 500.0, 2.0, 0.0);
        assert!(band.magnitude_db(sr, 500.0).abs() < 1e-9);
    }

    #[test]
    fn frequency_is_clamped_below_nyquist() {
        let above = BiquadCoefficients::new(FilterKind::LowPass, 48_000.0, 40_000.0, 0.7, 0.0);
        let edge = BiquadCoefficients::new(FilterKind::LowPass, 48_000.0, 30_000.0, 0.7, 0.0);
        assert_eq!(above, edge);
        assert!([above.b0, above.b1, above.b2, above.a1, above.a2]
            .iter()
            .all(|c| c.is_finite()));
    }

    #[test]
    fn recomputes_only_on_change_and_ignores_nan() {
        let mut filter = Biquad::new(FilterKind::LowPass);
        filter.set(2_000.0, 0.7, 0.0);
        let before = *filter.coefficients();
        filter.set(f32::NAN, 0.7, 0.0);
        assert_eq!(*filter.coefficients(), before);
        filter.set(3_000.0, 0.7, 0.0);
        assert_ne!(*filter.coefficients(), before);
    }

    #[test]
    fn steady_settings_are_computed_once() {
        let mut filter = Biquad::new(FilterKind::LowPass);
        filter.prepare(48_000.0);
        assert_eq!(filter.recomputes, 0, "48 kHz is the initial rate");
        for frame in 0..64 {
            filter.set(800.0, 0.707, 6.0);
            filter.set_kind(FilterKind::LowPass);
            for channel in 0..2 {
                filter.process_sample(channel, if frame == 0 { 1.0 } else { 0.0 });
            }
        }
        assert_eq!(filter.recomputes, 1, "computed on the first frame only");
        assert_eq!(
            *filter.coefficients(),
            BiquadCoefficients::new(FilterKind::LowPass, 48_000.0, 800.0, 0.707, 6.0)
        );
        filter.set(800.0, 0.707, 3.0);
        filter.set_kind(FilterKind::Peak);
        filter.prepare(44_100.0);
        assert_eq!(filter.recomputes, 4, "each change computed once");
    }

    #[test]
    fn state_decays_to_exact_zero() {
        let mut filter = Biquad::new(FilterKind::Peak);
        filter.set(100.0, 10.0, 12.0);
        filter.process_sample(0, 1.0);
        let mut last = 1.0;
        for _ in 0..200_000 {
            last = filter.process_sample(0, 0.0);
        }
        assert_eq!(last, 0.0, "a resonant filter rings out to exact silence");
        assert_eq!(filter.state[0], [0.0, 0.0], "flushed, not subnormal");
    }
}
