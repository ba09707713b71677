//! The static description of one parameter: id, name, unit, group, kind,
//! default and smoothing, plus the rules every value crossing an edge
//! (wire, host, text box) must pass.
//!
//! Values are always *plain* `f64`: a float's own value, an int's integer,
//! an enum's variant index, a bool's `0.0`/`1.0`. `validate` never
//! allocates. Text for values lives in the sibling `text` module.

use std::fmt;

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

/// Why a value was refused.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamValueError {
    /// The value is NaN or infinite.
    NotFinite,
    /// The value lies outside the parameter's bounds.
    OutOfRange {
        /// The refused value.
        value: f64,
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
    },
    /// An int, bool or enum parameter was given a fractional value.
    NotInteger {
        /// The refused value.
        value: f64,
    },
    /// The text could not be read as a value of this parameter.
    Unparseable,
}

impl fmt::Display for ParamValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFinite => write!(f, "value is not a finite number"),
            Self::OutOfRange { value, min, max } => {
                write!(f, "value {value} is outside {min}..={max}")
            }
            Self::NotInteger { value } => write!(f, "value {value} is not a whole number"),
            Self::Unparseable => write!(f, "text is not a valid value for this parameter"),
        }
    }
}

impl std::error::Error for ParamValueError {}

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

    /// Checks a value arriving from outside; returns it (a stepped float snapped to its step) or why it is refused.
    pub fn validate(&self, value: f64) -> Result<f64, ParamValueError> {
        if !value.is_finite() {
            return Err(ParamValueError::NotFinite);
        }
        let (min, max) = (self.min(), self.max());
        if value < min || value > max {
            return Err(ParamValueError::OutOfRange { value, min, max });
        }
        match self.kind {
            ParamKind::Float(range) => Ok(range.snap(value)),
            _ if value.fract() != 0.0 => Err(ParamValueError::NotInteger { value }),
            _ => Ok(value),
        }
    }

    /// Makes any value usable: clamps into bounds, rounds discrete kinds, snaps steps; `None` for NaN/inf.
    ///
    /// This is what the audio side applies, where refusing is not an option.
    pub fn sanitize(&self, value: f64) -> Option<f64> {
        if !value.is_finite() {
            return None;
        }
        Some(match self.kind {
            ParamKind::Float(range) => range.snap(value),
            _ => value.round().clamp(self.min(), self.max()),
        })
    }

    /// Maps a plain value to the normalised `0..=1` position (through the skew for floats).
    pub fn normalize(&self, value: f64) -> f64 {
        match self.kind {
            ParamKind::Float(range) => range.normalize(value),
            _ => {
                let span = self.max() - self.min();
                if span <= 0.0 {
                    0.0
                } else {
                    ((value - self.min()) / span).clamp(0.0, 1.0)
                }
            }
        }
    }

    /// Maps a normalised `0..=1` position back to a plain value.
    pub fn unnormalize(&self, normalized: f64) -> f64 {
        match self.kind {
            ParamKind::Float(range) => range.unnormalize(normalized),
            _ => {
                let position = normalized.clamp(0.0, 1.0);
                (self.min() + position * (self.max() - self.min())).round()
            }
        }
    }
}

/// Specs for this module's and `text`'s unit tests.
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
            assert_eq!(s.validate(f64::NAN), Err(ParamValueError::NotFinite));
            assert_eq!(s.validate(f64::INFINITY), Err(ParamValueError::NotFinite));
            assert_eq!(
                s.validate(f64::NEG_INFINITY),
                Err(ParamValueError::NotFinite)
            );
            assert!(matches!(
                s.validate(s.max() + 0.5),
                Err(ParamValueError::OutOfRange { .. })
            ));
            assert!(matches!(
                s.validate(s.min() - 1.0),
                Err(ParamValueError::OutOfRange { .. })
            ));
            assert_eq!(s.validate(s.min()), Ok(s.min()));
            assert_eq!(s.validate(s.max()), Ok(s.max()));
        }
        assert_eq!(gain().validate(-6.5), Ok(-6.5));
        for s in [int, bool, wave] {
            assert_eq!(
                s.validate(0.5),
                Err(ParamValueError::NotInteger { value: 0.5 })
            );
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
    fn discrete_normalisation_is_linear() {
        let wave = spec(ParamKind::Enum { variants: WAVES }, "", 0.0);
        assert_eq!(wave.normalize(1.0), 0.5);
        assert_eq!(wave.unnormalize(0.8), 2.0);
        assert_eq!(gain().unnormalize(gain().normalize(-6.0)), -6.0);
    }
}
