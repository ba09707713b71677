//! The range of a float parameter: its bounds, skew and optional step, and
//! the mapping between plain values and the normalised `0..=1` position a
//! slider or host automation lane works with.
//!
//! A range only maps numbers; it never stores a value and never allocates.
//! Plain values are what the DSP, the wire protocol and the host see; the
//! normalised position exists only for UI and automation curves.

/// Bounds, skew and step of a float parameter.
///
/// `skew` is an exponent on the normalised position, as in nih-plug's
/// `skew_factor`: `1.0` is linear, a value below `1.0` gives more of the
/// slider's travel to the low end (what frequencies and times want), a value
/// above `1.0` gives more to the high end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FloatRange {
    /// Smallest plain value.
    pub min: f64,
    /// Largest plain value; must be greater than `min`.
    pub max: f64,
    /// Exponent applied to the normalised position; `1.0` is linear, must be positive.
    pub skew: f64,
    /// Optional quantisation step for plain values, counted from `min`.
    pub step: Option<f64>,
}

impl FloatRange {
    /// A linear range from `min` to `max`.
    ///
    /// Panics if the bounds are not finite or `min >= max`.
    pub fn linear(min: f64, max: f64) -> Self {
        Self::skewed(min, max, 1.0)
    }

    /// A skewed range from `min` to `max` with the given skew exponent.
    ///
    /// Panics if the bounds are not finite, `min >= max`, or `skew` is not a
    /// positive finite number.
    pub fn skewed(min: f64, max: f64, skew: f64) -> Self {
        assert!(
            min.is_finite() && max.is_finite() && min < max,
            "FloatRange needs finite bounds with min < max (got {min}..{max})"
        );
        assert!(
            skew.is_finite() && skew > 0.0,
            "FloatRange skew must be positive and finite (got {skew})"
        );
        Self {
            min,
            max,
            skew,
            step: None,
        }
    }

    /// A skewed range whose normalised centre (`0.5`) falls on `centre`.
    ///
    /// `FloatRange::centred(20.0, 20_000.0, 1_000.0)` makes a frequency range
    /// whose slider midpoint is 1 kHz.
    pub fn centred(min: f64, max: f64, centre: f64) -> Self {
        Self::skewed(min, max, Self::skew_for_centre(min, max, centre))
    }

    /// The skew exponent that puts `centre` at the normalised position `0.5`.
    ///
    /// Panics unless `min < centre < max`.
    pub fn skew_for_centre(min: f64, max: f64, centre: f64) -> f64 {
        assert!(
            min < centre && centre < max,
            "skew_for_centre needs min < centre < max (got {min}, {centre}, {max})"
        );
        0.5_f64.ln() / ((centre - min) / (max - min)).ln()
    }

    /// Returns this range with plain values quantised to multiples of `step` above `min`.
    ///
    /// Panics unless `step` is positive and finite.
    pub fn with_step(mut self, step: f64) -> Self {
        assert!(
            step.is_finite() && step > 0.0,
            "FloatRange step must be positive and finite (got {step})"
        );
        self.step = Some(step);
        self
    }

    /// Maps a plain value to its normalised position in `0..=1` (the value is clamped first).
    pub fn normalize(&self, plain: f64) -> f64 {
        let linear = (self.clamp(plain) - self.min) / (self.max - self.min);
        if self.skew == 1.0 {
            linear
        } else {
            linear.powf(self.skew)
        }
    }

    /// Maps a normalised position (clamped to `0..=1`) back to a plain value, snapped to the step.
    pub fn unnormalize(&self, normalized: f64) -> f64 {
        let position = normalized.clamp(0.0, 1.0);
        let linear = if self.skew == 1.0 {
            position
        } else {
            position.powf(1.0 / self.skew)
        };
        self.snap(self.min + linear * (self.max - self.min))
    }

    /// Clamps a plain value into `min..=max`.
    pub fn clamp(&self, plain: f64) -> f64 {
        plain.clamp(self.min, self.max)
    }

    /// Rounds a plain value to the nearest step (if any) and clamps it into the range.
    pub fn snap(&self, plain: f64) -> f64 {
        match self.step {
            Some(step) => self.clamp(self.min + ((plain - self.min) / step).round() * step),
            None => self.clamp(plain),
        }
    }

    /// True when `plain` lies within `min..=max`.
    pub fn contains(&self, plain: f64) -> bool {
        plain >= self.min && plain <= self.max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_round_trips() {
        let range = FloatRange::linear(-60.0, 12.0);
        for plain in [-60.0, -30.5, -6.0, 0.0, 12.0] {
            let back = range.unnormalize(range.normalize(plain));
            assert!((back - plain).abs() < 1e-9, "{plain} -> {back}");
        }
        assert_eq!(range.normalize(-60.0), 0.0);
        assert_eq!(range.normalize(12.0), 1.0);
        assert!((range.normalize(-24.0) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn skewed_round_trips_and_centres() {
        let range = FloatRange::centred(20.0, 20_000.0, 1_000.0);
        assert!(range.skew < 1.0, "low end gets more resolution");
        assert!((range.normalize(1_000.0) - 0.5).abs() < 1e-12);
        assert!((range.unnormalize(0.5) - 1_000.0).abs() < 1e-6);
        for plain in [20.0, 50.0, 440.0, 1_000.0, 5_000.0, 20_000.0] {
            let back = range.unnormalize(range.normalize(plain));
            assert!((back - plain).abs() < 1e-6 * plain, "{plain} -> {back}");
        }
        for i in 0..=100 {
            let n = f64::from(i) / 100.0;
            assert!((range.normalize(range.unnormalize(n)) - n).abs() < 1e-12);
        }
    }

    #[test]
    fn clamps_out_of_range_input() {
        let range = FloatRange::linear(0.0, 1.0);
        assert_eq!(range.normalize(-5.0), 0.0);
        assert_eq!(range.normalize(5.0), 1.0);
        assert_eq!(range.unnormalize(1.5), 1.0);
        assert_eq!(range.unnormalize(-0.5), 0.0);
    }

    #[test]
    fn snaps_to_step_from_min() {
        let range = FloatRange::linear(-1.0, 1.0).with_step(0.25);
        assert_eq!(range.snap(0.1), 0.0);
        assert_eq!(range.snap(0.13), 0.25);
        assert_eq!(range.snap(-0.9), -1.0);
        assert_eq!(range.snap(7.0), 1.0);
        assert_eq!(range.unnormalize(0.55), 0.0);
        assert_eq!(range.unnormalize(0.6), 0.25);
        let odd = FloatRange::linear(1.0, 10.0).with_step(2.0);
        assert_eq!(odd.snap(4.2), 5.0);
    }

    #[test]
    #[should_panic(expected = "min < max")]
    fn refuses_empty_range() {
        let _ = FloatRange::linear(1.0, 1.0);
    }
}
