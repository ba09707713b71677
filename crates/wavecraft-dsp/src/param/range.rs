//! The range of a float parameter: its bounds, skew and optional step.
//!
//! A range only describes; it never stores a value and never allocates. The
//! mapping between plain values and the normalised `0..=1` position a slider
//! or host automation lane works with, and snapping to the step, are the
//! parameter rules' (`ParamSpec::rules`, `wavecraft_protocol::rules`).

use wavecraft_protocol::rules::skew_for_centre;

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
    /// whose slider midpoint is 1 kHz. Panics unless `min < centre < max`.
    pub fn centred(min: f64, max: f64, centre: f64) -> Self {
        Self::skewed(min, max, skew_for_centre(min, max, centre))
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centred_puts_the_centre_mid_travel() {
        let range = FloatRange::centred(20.0, 20_000.0, 1_000.0);
        assert!(range.skew < 1.0, "low end gets more resolution");
        let linear = (1_000.0 - 20.0) / (20_000.0 - 20.0);
        assert!((f64::powf(linear, range.skew) - 0.5).abs() < 1e-12);
        assert_eq!(
            FloatRange::linear(0.0, 1.0).with_step(0.25).step,
            Some(0.25)
        );
    }

    #[test]
    #[should_panic(expected = "min < max")]
    fn refuses_empty_range() {
        let _ = FloatRange::linear(1.0, 1.0);
    }
}
