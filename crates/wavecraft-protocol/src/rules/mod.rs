//! The parameter rules: the one implementation of checking, snapping,
//! clamping, normalising, showing and reading a parameter's values.
//!
//! Every place that handles a value calls these: the host behind the UI
//! (`ParameterInfo::check_value`), `render --set`, the DSP's specs
//! (`ParamSpec::rules`) and through them the CLAP (and coming VST3)
//! wrapper. The UI's `mapping.ts` is a port checked against a fixture these
//! functions write (see `fixture`, behind the `typescript` feature).
//!
//! The rules read a [`ValueRules`] view: the facts both the protocol's
//! `ParameterInfo` and the DSP's `ParamSpec` carry (kind, bounds, step, skew,
//! unit, variant names). Pure functions: no I/O, and everything but the text
//! functions is allocation-free, so the audio thread may call it.

#[cfg(feature = "typescript")]
pub mod fixture;
pub mod text;

use crate::parameter::{ParameterKind, ValueError};

pub use text::TextError;

/// What the rules need to know about one parameter, borrowed from whoever describes it.
///
/// `V` is how the variant names are held: `&'static str` for the DSP's specs,
/// `String` for a `ParameterInfo` that came over the wire.
#[derive(Debug, PartialEq)]
pub struct ValueRules<'a, V> {
    /// How values are read.
    pub kind: ParameterKind,
    /// Smallest plain value.
    pub min: f64,
    /// Largest plain value.
    pub max: f64,
    /// Distance between allowed float values, counted from `min`; ignored for the whole kinds.
    pub step: Option<f64>,
    /// Exponent of the normalised mapping; `1` is linear, anything not positive and finite too.
    pub skew: f64,
    /// Unit shown after a number; empty for none.
    pub unit: &'a str,
    /// An enum's variant names in index order; empty for the other kinds.
    pub variants: &'a [V],
}

impl<V> Clone for ValueRules<'_, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<V> Copy for ValueRules<'_, V> {}

/// The skew that puts `centre` at the normalised position `0.5`: a range from 20 Hz to
/// 20 kHz centred on 1 kHz has its slider's midpoint at 1 kHz.
///
/// Panics unless `min < centre < max`.
pub fn skew_for_centre(min: f64, max: f64, centre: f64) -> f64 {
    assert!(
        min < centre && centre < max,
        "skew_for_centre needs min < centre < max (got {min}, {centre}, {max})"
    );
    0.5_f64.ln() / ((centre - min) / (max - min)).ln()
}

impl<V: AsRef<str>> ValueRules<'_, V> {
    /// True for int, bool and enum parameters, whose values are whole numbers.
    pub fn is_discrete(&self) -> bool {
        self.kind != ParameterKind::Float
    }

    /// Checks a value arriving from outside (the wire, `--set`, a Rust caller): finite,
    /// within `min..=max`, whole for the discrete kinds. Returns it as the engine holds it
    /// (a stepped float snapped to its step).
    pub fn check(&self, value: f64) -> Result<f64, ValueError> {
        if !value.is_finite() {
            return Err(ValueError::NotFinite);
        }
        if value < self.min || value > self.max {
            return Err(ValueError::OutOfRange {
                value,
                min: self.min,
                max: self.max,
            });
        }
        if self.is_discrete() && value.fract() != 0.0 {
            return Err(ValueError::NotWhole {
                value,
                kind: self.kind,
            });
        }
        Ok(self.snap(value))
    }

    /// Makes any finite value one the parameter can hold (clamped, rounded, snapped);
    /// `None` for NaN and infinities. What the audio side and host automation apply,
    /// where refusing is not an option.
    pub fn sanitize(&self, value: f64) -> Option<f64> {
        value.is_finite().then(|| self.snap(value))
    }

    /// `value` on this parameter's grid and within its range: a stepped float snapped to
    /// the nearest step counted from `min`, a whole kind rounded (halves away from zero).
    pub fn snap(&self, value: f64) -> f64 {
        let snapped = match self.kind {
            ParameterKind::Float => match self.step {
                Some(step) if step > 0.0 => self.min + ((value - self.min) / step).round() * step,
                _ => value,
            },
            _ => value.round(),
        };
        snapped.clamp(self.min, self.max)
    }

    fn skew(&self) -> f64 {
        if self.skew.is_finite() && self.skew > 0.0 {
            self.skew
        } else {
            1.0
        }
    }

    /// The normalised `0..=1` position of a plain value (clamped first):
    /// `((value − min) / (max − min))^skew`; `0` for an empty range.
    pub fn normalize(&self, value: f64) -> f64 {
        let span = self.max - self.min;
        if span <= 0.0 {
            return 0.0;
        }
        let linear = ((value - self.min) / span).clamp(0.0, 1.0);
        let skew = self.skew();
        if skew == 1.0 {
            linear
        } else {
            linear.powf(skew)
        }
    }

    /// The plain value at a normalised position (clamped to `0..=1`), snapped.
    pub fn unnormalize(&self, position: f64) -> f64 {
        let position = position.clamp(0.0, 1.0);
        let skew = self.skew();
        let linear = if skew == 1.0 {
            position
        } else {
            position.powf(1.0 / skew)
        };
        self.snap(self.min + linear * (self.max - self.min))
    }

    /// The plain value at a plugin host's normalised position (VST3 automation, text entry
    /// and controller values all travel normalised), chosen so the round trip holds:
    /// `unnormalize_exact(normalize(v)) == v` for every `v` it returns. Of the values whose
    /// [`normalize`] is exactly `position` it takes the one with the fewest significant
    /// digits; when none is (a position between two values' positions) it takes that of
    /// the position [`unnormalize`]'s answer has. [`unnormalize`] alone leaves float noise
    /// from its `powf` and division (`1000.0000000000001 Hz` for the position of 1 kHz).
    ///
    /// Allocation-free (the audio thread applies host positions with it). Whole kinds and
    /// stepped floats are [`unnormalize`]'s: snapping already absorbs the noise.
    ///
    /// [`normalize`]: Self::normalize
    /// [`unnormalize`]: Self::unnormalize
    pub fn unnormalize_exact(&self, position: f64) -> f64 {
        let raw = self.unnormalize(position);
        if self.is_discrete() || self.step.is_some_and(|step| step > 0.0) {
            return raw;
        }
        let position = position.clamp(0.0, 1.0);
        self.preimage(position)
            .or_else(|| self.preimage(self.normalize(raw)))
            .map_or(raw, |(lo, hi)| self.shortest_between(lo, hi))
    }

    /// The floats whose position is exactly `position`, as `(lowest, highest)`, searched a
    /// bounded number of ulps from `unnormalize(position)`; `None` when none is found.
    fn preimage(&self, position: f64) -> Option<(f64, f64)> {
        const WALK: usize = 64;
        let in_range = |x: f64| x >= self.min && x <= self.max;
        let mut x = self.unnormalize(position);
        for _ in 0..WALK {
            let at = self.normalize(x);
            if at == position {
                break;
            }
            x = if at < position {
                x.next_up()
            } else {
                x.next_down()
            };
            if !in_range(x) {
                return None;
            }
        }
        if self.normalize(x) != position {
            return None;
        }
        let (mut lo, mut hi) = (x, x);
        for _ in 0..WALK {
            let below = lo.next_down();
            if !in_range(below) || self.normalize(below) != position {
                break;
            }
            lo = below;
        }
        for _ in 0..WALK {
            let above = hi.next_up();
            if !in_range(above) || self.normalize(above) != position {
                break;
            }
            hi = above;
        }
        Some((lo, hi))
    }

    /// The value in `lo..=hi` with the fewest significant digits (`lo` when rounding finds
    /// none, which 17 digits always should).
    fn shortest_between(&self, lo: f64, hi: f64) -> f64 {
        if lo <= 0.0 && hi >= 0.0 {
            return 0.0;
        }
        let magnitude = lo.abs().max(hi.abs()).log10().floor() as i32;
        (1..=17)
            .map(|digits| {
                let scale = 10f64.powi(digits - 1 - magnitude);
                (lo * scale).ceil() / scale
            })
            .find(|&candidate| candidate >= lo && candidate <= hi)
            .unwrap_or(lo)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Rules with no unit and no variants.
    pub(crate) fn rules(
        kind: ParameterKind,
        min: f64,
        max: f64,
    ) -> ValueRules<'static, &'static str> {
        ValueRules {
            kind,
            min,
            max,
            step: None,
            skew: 1.0,
            unit: "",
            variants: &[],
        }
    }

    fn centred(min: f64, max: f64, centre: f64) -> ValueRules<'static, &'static str> {
        ValueRules {
            skew: skew_for_centre(min, max, centre),
            ..rules(ParameterKind::Float, min, max)
        }
    }

    #[test]
    fn check_refuses_non_finite_out_of_range_and_fractions() {
        let f = rules(ParameterKind::Float, -60.0, 12.0);
        assert_eq!(f.check(-6.5), Ok(-6.5));
        assert_eq!(f.check(12.0), Ok(12.0));
        assert_eq!(f.check(f64::NAN), Err(ValueError::NotFinite));
        assert_eq!(f.check(f64::NEG_INFINITY), Err(ValueError::NotFinite));
        assert!(matches!(
            f.check(12.0001),
            Err(ValueError::OutOfRange { .. })
        ));
        for kind in [ParameterKind::Int, ParameterKind::Bool, ParameterKind::Enum] {
            let whole = rules(kind, 0.0, 1.0);
            assert_eq!(whole.check(1.0), Ok(1.0));
            assert_eq!(
                whole.check(0.5),
                Err(ValueError::NotWhole { value: 0.5, kind })
            );
        }
        let stepped = ValueRules {
            step: Some(0.1),
            ..rules(ParameterKind::Float, 0.0, 1.0)
        };
        assert!((stepped.check(0.33).unwrap() - 0.3).abs() < 1e-12);
    }

    #[test]
    fn sanitize_clamps_rounds_snaps_and_drops_non_finite() {
        let int = rules(ParameterKind::Int, 0.0, 8.0);
        assert_eq!(int.sanitize(3.6), Some(4.0));
        assert_eq!(int.sanitize(-2.5), Some(0.0));
        assert_eq!(int.sanitize(99.0), Some(8.0));
        let gain = rules(ParameterKind::Float, -60.0, 12.0);
        assert_eq!(gain.sanitize(-99.0), Some(-60.0));
        assert_eq!(gain.sanitize(f64::NAN), None);
        let stepped = ValueRules {
            step: Some(0.25),
            ..rules(ParameterKind::Float, -1.0, 1.0)
        };
        assert_eq!(stepped.snap(0.1), 0.0);
        assert_eq!(stepped.snap(0.13), 0.25);
        assert_eq!(stepped.snap(-0.9), -1.0);
        assert_eq!(stepped.snap(7.0), 1.0);
        assert_eq!(stepped.unnormalize(0.55), 0.0);
        assert_eq!(stepped.unnormalize(0.6), 0.25);
        let odd = ValueRules {
            step: Some(2.0),
            ..rules(ParameterKind::Float, 1.0, 10.0)
        };
        assert_eq!(odd.snap(4.2), 5.0, "steps count from min");
    }

    #[test]
    fn a_host_position_names_the_shortest_value_that_maps_back_to_it() {
        let freq = centred(20.0, 20_000.0, 1_000.0);
        let gain = rules(ParameterKind::Float, -24.0, 24.0);
        // `unnormalize` leaves float noise here; the exact form does not.
        assert_ne!(freq.unnormalize(freq.normalize(1_000.0)), 1_000.0);
        assert_eq!(freq.unnormalize_exact(freq.normalize(1_000.0)), 1_000.0);
        assert_eq!(gain.unnormalize_exact(gain.normalize(-23.04)), -23.04);
        for rules in [freq, gain] {
            for i in 0..=1000 {
                let position = f64::from(i) / 1000.0;
                let plain = rules.unnormalize_exact(position);
                assert!((plain - rules.unnormalize(position)).abs() <= 1e-9 * plain.abs().max(1.0));
                // The value's own position names it again: host → text → host is stable.
                assert_eq!(
                    rules.unnormalize_exact(rules.normalize(plain)),
                    plain,
                    "{position}"
                );
            }
        }
        let int = rules(ParameterKind::Int, -2.0, 5.0);
        assert_eq!(int.unnormalize_exact(3.0 / 7.0), 1.0);
        assert_eq!(gain.unnormalize_exact(0.0), -24.0);
        assert_eq!(gain.unnormalize_exact(0.5), 0.0);
    }

    #[test]
    fn linear_normalisation_round_trips_and_clamps() {
        let range = rules(ParameterKind::Float, -60.0, 12.0);
        for plain in [-60.0, -30.5, -6.0, 0.0, 12.0] {
            let back = range.unnormalize(range.normalize(plain));
            assert!((back - plain).abs() < 1e-9, "{plain} -> {back}");
        }
        assert_eq!(range.normalize(-60.0), 0.0);
        assert_eq!(range.normalize(12.0), 1.0);
        assert!((range.normalize(-24.0) - 0.5).abs() < 1e-12);
        assert_eq!(range.normalize(-500.0), 0.0);
        assert_eq!(range.unnormalize(1.5), 12.0);
        assert_eq!(range.unnormalize(-0.5), -60.0);
        let empty = rules(ParameterKind::Int, 3.0, 3.0);
        assert_eq!((empty.normalize(3.0), empty.unnormalize(0.7)), (0.0, 3.0));
    }

    #[test]
    fn skewed_normalisation_round_trips_and_centres() {
        let range = centred(20.0, 20_000.0, 1_000.0);
        assert!(range.skew < 1.0, "low end gets more of the travel");
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
        let broken = ValueRules {
            skew: f64::NAN,
            ..range
        };
        assert_eq!(broken.normalize(10_010.0), 0.5, "a broken skew is linear");
    }

    #[test]
    fn discrete_normalisation_is_linear_and_whole() {
        let wave = rules(ParameterKind::Enum, 0.0, 2.0);
        assert_eq!(wave.normalize(1.0), 0.5);
        assert_eq!(wave.unnormalize(0.8), 2.0);
        assert_eq!(wave.unnormalize(0.2), 0.0);
    }
}
