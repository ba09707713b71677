//! Parameter smoothing: turning a stepwise target (a host or UI setting a
//! value once per block) into a per-sample ramp, so gain and filter changes
//! do not click.
//!
//! A [`Smoother`] reaches its target on a declared sample, exactly: after
//! `set_target`, the `n`-th call to [`Smoother::next`] returns the target
//! bit for bit, where `n = round(ms * sample_rate / 1000)`, and no earlier
//! call does. That makes smoothing independent of block size. The smoother
//! never allocates; it is safe to drive from the audio thread.

/// How a parameter moves from its old value to a new target.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum SmoothingStyle {
    /// Jump to the target immediately.
    #[default]
    None,
    /// Equal additive steps over `ms` milliseconds (gains in dB, mixes, pans).
    Linear {
        /// Ramp duration in milliseconds.
        ms: f32,
    },
    /// Equal multiplicative steps over `ms` milliseconds (frequencies, linear gains).
    ///
    /// Falls back to linear steps when either end of the ramp is zero or
    /// negative, where a multiplicative ramp is undefined.
    Logarithmic {
        /// Ramp duration in milliseconds.
        ms: f32,
    },
}

impl SmoothingStyle {
    /// Number of samples a ramp takes at `sample_rate`: `round(ms * sample_rate / 1000)`.
    pub fn steps(&self, sample_rate: f32) -> u32 {
        let ms = match *self {
            SmoothingStyle::None => return 0,
            SmoothingStyle::Linear { ms } | SmoothingStyle::Logarithmic { ms } => ms,
        };
        let steps = (f64::from(ms) * f64::from(sample_rate) / 1000.0).round();
        if steps.is_finite() && steps > 0.0 {
            steps.min(f64::from(u32::MAX)) as u32
        } else {
            0
        }
    }
}

/// Sample rate a [`Smoother`] assumes until `set_sample_rate` is called.
pub const DEFAULT_SAMPLE_RATE: f32 = 48_000.0;

/// A per-sample ramp towards a target value.
///
/// The ramp is computed in `f64` and its last step is an assignment of the
/// target, so long ramps neither drift nor overshoot.
#[derive(Debug, Clone)]
pub struct Smoother {
    style: SmoothingStyle,
    sample_rate: f32,
    current: f64,
    target: f64,
    increment: f64,
    multiplicative: bool,
    steps_left: u32,
}

impl Smoother {
    /// A smoother with the given style, resting at `0.0`.
    pub fn new(style: SmoothingStyle) -> Self {
        Self {
            style,
            sample_rate: DEFAULT_SAMPLE_RATE,
            current: 0.0,
            target: 0.0,
            increment: 0.0,
            multiplicative: false,
            steps_left: 0,
        }
    }

    /// The smoothing style.
    pub fn style(&self) -> SmoothingStyle {
        self.style
    }

    /// Changes the style; takes effect from the next `set_target`.
    pub fn set_style(&mut self, style: SmoothingStyle) {
        self.style = style;
    }

    /// Sets the sample rate used to turn milliseconds into samples; takes effect from the next `set_target`.
    pub fn set_sample_rate(&mut self, sample_rate: f32) {
        self.sample_rate = sample_rate;
    }

    /// Number of samples a ramp takes with the current style and sample rate.
    pub fn ramp_samples(&self) -> u32 {
        self.style.steps(self.sample_rate)
    }

    /// Starts a ramp from the current value to `target`.
    ///
    /// A call in the middle of a ramp starts a fresh full-length ramp from
    /// wherever the value is now.
    pub fn set_target(&mut self, target: f32) {
        let target = f64::from(target);
        self.target = target;
        let steps = self.ramp_samples();
        if steps == 0 || self.current == target {
            self.current = target;
            self.steps_left = 0;
            return;
        }
        self.steps_left = steps;
        let both_positive = self.current > 0.0 && target > 0.0;
        self.multiplicative =
            matches!(self.style, SmoothingStyle::Logarithmic { .. }) && both_positive;
        self.increment = if self.multiplicative {
            (target / self.current).powf(1.0 / f64::from(steps))
        } else {
            (target - self.current) / f64::from(steps)
        };
    }

    /// Jumps to `value` immediately, ending any ramp.
    pub fn reset(&mut self, value: f32) {
        self.current = f64::from(value);
        self.target = self.current;
        self.steps_left = 0;
    }

    /// Advances one sample and returns the new value.
    #[allow(clippy::should_implement_trait)] // an endless ramp, not an `Option`-returning iterator
    #[inline]
    pub fn next(&mut self) -> f32 {
        if self.steps_left > 0 {
            self.steps_left -= 1;
            if self.steps_left == 0 {
                self.current = self.target;
            } else if self.multiplicative {
                self.current *= self.increment;
            } else {
                self.current += self.increment;
            }
        }
        self.current as f32
    }

    /// Fills `out` with the next `out.len()` samples of the ramp.
    pub fn next_block(&mut self, out: &mut [f32]) {
        if self.steps_left == 0 {
            out.fill(self.current as f32);
        } else {
            for sample in out.iter_mut() {
                *sample = self.next();
            }
        }
    }

    /// True while a ramp is in progress.
    pub fn is_smoothing(&self) -> bool {
        self.steps_left > 0
    }

    /// The value most recently returned by `next` (or set by `reset`).
    pub fn current(&self) -> f32 {
        self.current as f32
    }

    /// The value the ramp is heading to.
    pub fn target(&self) -> f32 {
        self.target as f32
    }
}

impl Default for Smoother {
    fn default() -> Self {
        Self::new(SmoothingStyle::None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs a ramp from `from` to `to` and returns its first `run` samples.
    fn ramp(style: SmoothingStyle, sample_rate: f32, from: f32, to: f32, run: u32) -> Vec<f32> {
        let mut smoother = Smoother::new(style);
        smoother.set_sample_rate(sample_rate);
        smoother.reset(from);
        smoother.set_target(to);
        (0..run).map(|_| smoother.next()).collect()
    }

    fn assert_lands_exactly(style: SmoothingStyle, sample_rate: f32, from: f32, to: f32) {
        let expected = style.steps(sample_rate) as usize;
        let out = ramp(style, sample_rate, from, to, expected as u32 + 100);
        let first_hit = out.iter().position(|&v| v == to).expect("reaches target") + 1;
        assert_eq!(first_hit, expected, "{style:?} {from}->{to}: first hit");
        assert!(
            out[expected - 1..].iter().all(|&v| v == to),
            "stays on target"
        );
        let (lo, hi) = (from.min(to), from.max(to));
        assert!(out.iter().all(|&v| v >= lo && v <= hi), "never overshoots");
    }

    #[test]
    fn linear_lands_on_declared_sample() {
        let style = SmoothingStyle::Linear { ms: 20.0 };
        assert_eq!(style.steps(48_000.0), 960);
        assert_lands_exactly(style, 48_000.0, 0.0, 1.0);
        assert_lands_exactly(style, 44_100.0, -60.0, 12.0);
        assert_lands_exactly(style, 44_100.0, 0.3, 0.1);
    }

    #[test]
    fn logarithmic_lands_on_declared_sample() {
        let style = SmoothingStyle::Logarithmic { ms: 50.0 };
        assert_eq!(style.steps(44_100.0), 2205);
        assert_lands_exactly(style, 44_100.0, 20.0, 20_000.0);
        assert_lands_exactly(style, 96_000.0, 15_000.0, 100.0);
    }

    #[test]
    fn logarithmic_is_multiplicative() {
        let out = ramp(
            SmoothingStyle::Logarithmic { ms: 1.0 },
            1_000.0 * 4.0,
            100.0,
            1_600.0,
            4,
        );
        let expected = [200.0, 400.0, 800.0, 1_600.0];
        for (got, want) in out.iter().zip(expected) {
            assert!((got - want).abs() < 1e-3, "{got} vs {want}");
        }
    }

    #[test]
    fn logarithmic_falls_back_to_linear_through_zero() {
        let style = SmoothingStyle::Logarithmic { ms: 10.0 };
        assert_lands_exactly(style, 48_000.0, 0.0, 1.0);
        assert_lands_exactly(style, 48_000.0, -1.0, 1.0);
        let out = ramp(style, 1_000.0, -1.0, 1.0, 10);
        assert!((out[4] - 0.0).abs() < 1e-6, "midpoint of linear fallback");
    }

    #[test]
    fn none_and_zero_length_jump() {
        for style in [SmoothingStyle::None, SmoothingStyle::Linear { ms: 0.0 }] {
            let out = ramp(style, 48_000.0, 0.0, 1.0, 3);
            assert_eq!(out, vec![1.0; 3]);
        }
    }

    #[test]
    fn retarget_mid_ramp_starts_full_ramp_from_current() {
        let mut smoother = Smoother::new(SmoothingStyle::Linear { ms: 1.0 });
        smoother.set_sample_rate(10_000.0);
        smoother.reset(0.0);
        smoother.set_target(10.0);
        for _ in 0..5 {
            smoother.next();
        }
        assert_eq!(smoother.current(), 5.0);
        smoother.set_target(0.0);
        let out: Vec<f32> = (0..10).map(|_| smoother.next()).collect();
        assert_eq!(out[9], 0.0);
        assert!(out[8] > 0.0);
        assert!(!smoother.is_smoothing());
    }

    #[test]
    fn next_block_matches_next() {
        let mut a = Smoother::new(SmoothingStyle::Linear { ms: 5.0 });
        let mut b = a.clone();
        a.set_target(1.0);
        b.set_target(1.0);
        let mut block = [0.0; 300];
        a.next_block(&mut block);
        for (i, value) in block.iter().enumerate() {
            assert_eq!(*value, b.next(), "sample {i}");
        }
    }
}
