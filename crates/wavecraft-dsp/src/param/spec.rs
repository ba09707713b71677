//! The static description of one parameter: id, name, unit, group, kind,
//! default and smoothing.
//!
//! Values are always *plain* `f64`: a float's own value, an int's integer,
//! an enum's variant index, a bool's `0.0`/`1.0`. The rules every value
//! follows (checks at an edge, snapping, normalisation, text) are not written
//! here: [`ParamSpec::rules`] hands this spec's facts to
//! `wavecraft_protocol::rules`, the one implementation the host, the CLI and
//! the plugin formats share. `validate` and `sanitize` never allocate.

use wavecraft_protocol::parameter::{ParameterKind, ValueError};
use wavecraft_protocol::rules::ValueRules;

use super::range::FloatRange;
use super::smoothing::SmoothingStyle;

/// What kind of value a parameter holds, with its bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamKind {
    /// A continuous value within a range.
    Float(FloatRange),
    /// An integer within `min..=max`.
    Int {
        /// Smallest value.
        min: i64,
        /// Largest value.
        max: i64,
    },
    /// On (`1.0`) or off (`0.0`).
    Bool,
    /// One of a fixed list of named variants; the value is the variant's index.
    Enum {
        /// Display names of the variants, in index order.
        variants: &'static [&'static str],
    },
}

/// Everything the host, the UI and the wire need to know about one parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamSpec {
    /// Stable snake_case identifier; values are kept by id across reloads.
    pub id: &'static str,
    /// Human-readable name.
    pub name: &'static str,
    /// Unit shown after the value, e.g. `"dB"`; empty for none.
    pub unit: &'static str,
    /// Group the UI lists the parameter under; empty for none.
    pub group: &'static str,
    /// Kind and bounds.
    pub kind: ParamKind,
    /// Default plain value.
    pub default: f64,
    /// How the audio-side value follows changes.
    pub smoothing: SmoothingStyle,
}

impl ParamSpec {
    /// Smallest plain value.
    pub fn min(&self) -> f64 {
        match self.kind {
            ParamKind::Float(range) => range.min,
            ParamKind::Int { min, .. } => min as f64,
            ParamKind::Bool | ParamKind::Enum { .. } => 0.0,
        }
    }

    /// Largest plain value.
    pub fn max(&self) -> f64 {
        match self.kind {
            ParamKind::Float(range) => range.max,
            ParamKind::Int { max, .. } => max as f64,
            ParamKind::Bool => 1.0,
            ParamKind::Enum { variants } => variants.len().saturating_sub(1) as f64,
        }
    }

    /// Quantisation step: the float range's step, or `1.0` for int, bool and enum.
    pub fn step(&self) -> Option<f64> {
        match self.kind {
            ParamKind::Float(range) => range.step,
            ParamKind::Int { .. } | ParamKind::Bool | ParamKind::Enum { .. } => Some(1.0),
        }
    }

    /// Skew exponent of the normalised mapping (`1.0` for everything but skewed floats).
    pub fn skew(&self) -> f64 {
        match self.kind {
            ParamKind::Float(range) => range.skew,
            _ => 1.0,
        }
    }

    /// True for int, bool and enum parameters, whose values are whole numbers.
    pub fn is_discrete(&self) -> bool {
        !matches!(self.kind, ParamKind::Float(_))
    }

    /// The value rules for this parameter (checking, snapping, normalising, text).
    pub fn rules(&self) -> ValueRules<'static, &'static str> {
        let (kind, variants) = match self.kind {
            ParamKind::Float(_) => (ParameterKind::Float, &[][..]),
            ParamKind::Int { .. } => (ParameterKind::Int, &[][..]),
            ParamKind::Bool => (ParameterKind::Bool, &[][..]),
            ParamKind::Enum { variants } => (ParameterKind::Enum, variants),
        };
        ValueRules {
            kind,
            min: self.min(),
            max: self.max(),
            step: self.step(),
            skew: self.skew(),
            unit: self.unit,
            variants,
        }
    }

    /// Checks a value arriving from outside; returns it (a stepped float snapped to its
    /// step) or why it is refused.
    pub fn validate(&self, value: f64) -> Result<f64, ValueError> {
        self.rules().check(value)
    }

    /// Makes any value usable: clamps into bounds, rounds discrete kinds, snaps steps;
    /// `None` for NaN/inf. This is what the audio side applies, where refusing is not an
    /// option.
    pub fn sanitize(&self, value: f64) -> Option<f64> {
        self.rules().sanitize(value)
    }
}

/// Specs for this module's unit tests.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// A spec with id `p` and no smoothing.
    pub(crate) fn spec(kind: ParamKind, unit: &'static str, default: f64) -> ParamSpec {
        ParamSpec {
            id: "p",
            name: "P",
            unit,
            group: "",
            kind,
            default,
            smoothing: SmoothingStyle::None,
        }
    }

    pub(crate) const WAVES: &[&str] = &["Sine", "Saw", "Square"];

    /// A −60…12 dB gain defaulting to 0 dB.
    pub(crate) fn gain() -> ParamSpec {
        spec(ParamKind::Float(FloatRange::linear(-60.0, 12.0)), "dB", 0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{gain, spec, WAVES};
    use super::*;

    #[test]
    fn bounds_and_steps_per_kind() {
        let int = spec(ParamKind::Int { min: -2, max: 5 }, "", 0.0);
        let bool = spec(ParamKind::Bool, "", 0.0);
        let wave = spec(ParamKind::Enum { variants: WAVES }, "", 0.0);
        assert_eq!(
            (gain().min(), gain().max(), gain().step()),
            (-60.0, 12.0, None)
        );
        assert_eq!((int.min(), int.max(), int.step()), (-2.0, 5.0, Some(1.0)));
        assert_eq!((bool.min(), bool.max(), bool.step()), (0.0, 1.0, Some(1.0)));
        assert_eq!((wave.min(), wave.max(), wave.step()), (0.0, 2.0, Some(1.0)));
        let freq = spec(
            ParamKind::Float(FloatRange::centred(20.0, 20e3, 1e3)),
            "Hz",
            1e3,
        );
        assert!(freq.skew() < 1.0);
        assert_eq!(int.skew(), 1.0);
    }

    #[test]
    fn validate_refuses_bad_values() {
        let int = spec(ParamKind::Int { min: 0, max: 8 }, "", 0.0);
        let bool = spec(ParamKind::Bool, "", 0.0);
        let wave = spec(ParamKind::Enum { variants: WAVES }, "", 0.0);
        for s in [gain(), int, bool, wave] {
            assert_eq!(s.validate(f64::NAN), Err(ValueError::NotFinite));
            assert_eq!(s.validate(f64::INFINITY), Err(ValueError::NotFinite));
            assert_eq!(s.validate(f64::NEG_INFINITY), Err(ValueError::NotFinite));
            assert!(matches!(
                s.validate(s.max() + 0.5),
                Err(ValueError::OutOfRange { .. })
            ));
            assert!(matches!(
                s.validate(s.min() - 1.0),
                Err(ValueError::OutOfRange { .. })
            ));
            assert_eq!(s.validate(s.min()), Ok(s.min()));
            assert_eq!(s.validate(s.max()), Ok(s.max()));
        }
        assert_eq!(gain().validate(-6.5), Ok(-6.5));
        for s in [int, bool, wave] {
            assert!(matches!(
                s.validate(0.5),
                Err(ValueError::NotWhole { value: 0.5, .. })
            ));
        }
        let stepped = spec(
            ParamKind::Float(FloatRange::linear(0.0, 1.0).with_step(0.1)),
            "",
            0.0,
        );
        assert!((stepped.validate(0.33).unwrap() - 0.3).abs() < 1e-12);
    }

    #[test]
    fn sanitize_clamps_rounds_and_drops_non_finite() {
        let int = spec(ParamKind::Int { min: 0, max: 8 }, "", 0.0);
        assert_eq!(int.sanitize(3.6), Some(4.0));
        assert_eq!(int.sanitize(99.0), Some(8.0));
        assert_eq!(gain().sanitize(-99.0), Some(-60.0));
        assert_eq!(gain().sanitize(f64::NAN), None);
    }

    #[test]
    fn rules_carry_the_spec() {
        let wave = spec(ParamKind::Enum { variants: WAVES }, "", 0.0).rules();
        assert_eq!(
            (wave.kind, wave.max, wave.variants),
            (ParameterKind::Enum, 2.0, WAVES)
        );
        assert_eq!(wave.to_text(1.0).as_deref(), Some("Saw"));
        let freq = spec(
            ParamKind::Float(FloatRange::centred(20.0, 20e3, 1e3).with_step(0.5)),
            "Hz",
            1e3,
        )
        .rules();
        assert_eq!(
            (freq.min, freq.max, freq.step, freq.unit),
            (20.0, 20e3, Some(0.5), "Hz")
        );
        assert!((freq.normalize(1e3) - 0.5).abs() < 1e-12);
    }
}
