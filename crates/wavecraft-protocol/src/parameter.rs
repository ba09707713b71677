//! What the UI and the host know about one parameter, and the rule every
//! value must pass before it is stored: finite, within `min..=max`, and
//! whole for int, bool and enum parameters (the rules themselves live in
//! [`crate::rules`]).

use serde::{Deserialize, Serialize};

use crate::rules::ValueRules;

#[cfg(feature = "typescript")]
use ts_rs::TS;

/// The kind of a parameter, which decides how its value is read and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase")]
pub enum ParameterKind {
    /// A continuous value.
    Float,
    /// A whole number.
    Int,
    /// Off (0) or on (1).
    Bool,
    /// An index into `variants`.
    Enum,
}

/// One parameter as the UI sees it. Values are plain (not normalised):
/// dB are dB, Hz are Hz, an enum's value is its variant's index, a bool is 0 or 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct ParameterInfo {
    /// Stable snake_case id; values are kept across reloads by id.
    pub id: String,
    /// Name shown to the user.
    pub name: String,
    /// How the value is read.
    pub kind: ParameterKind,
    /// Smallest allowed value.
    pub min: f64,
    /// Largest allowed value.
    pub max: f64,
    /// The value a new instance starts with, and what a reset returns to.
    pub default: f64,
    /// The current value.
    pub value: f64,
    /// The host's revision of `value`: a higher revision is a newer value of this id. The
    /// host stamps every stored change (a set, a reload's clamp, a new id) with the next
    /// number of one counter, so a revision never repeats or goes back while the host
    /// lives; a client keeps, per id, the value with the highest revision it was told.
    /// A list an engine publishes carries 0, which the host ignores like `value`.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub revision: u64,
    /// Unit shown after the value ("dB", "Hz", "%"); empty when none.
    #[serde(default)]
    pub unit: String,
    /// Group the UI files the control under; empty for the top level.
    #[serde(default)]
    pub group: String,
    /// Distance between allowed values; `None` for continuous floats.
    #[serde(default)]
    pub step: Option<f64>,
    /// Slider mapping: position = ((value − min) / (max − min))^skew. 1 is linear.
    pub skew: f64,
    /// Variant names for an enum parameter; empty for the other kinds.
    #[serde(default)]
    pub variants: Vec<String>,
}

/// True for a valid parameter id: snake_case ASCII (`gain`, `cutoff_hz`, `band2_q`) — a
/// lowercase letter first, then lowercase letters, digits and single inner underscores.
/// The one rule for ids: the DSP's `param::id_problems` and the host both call it.
pub fn is_valid_id(id: &str) -> bool {
    matches!(id.chars().next(), Some('a'..='z'))
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !id.ends_with('_')
        && !id.contains("__")
}

/// Why a value was refused for a parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueError {
    /// NaN or an infinity.
    NotFinite,
    /// Outside `min..=max`.
    OutOfRange {
        /// The refused value.
        value: f64,
        /// The parameter's minimum.
        min: f64,
        /// The parameter's maximum.
        max: f64,
    },
    /// A fractional value for an int, bool or enum parameter.
    NotWhole {
        /// The refused value.
        value: f64,
        /// The parameter's kind.
        kind: ParameterKind,
    },
}

impl std::fmt::Display for ValueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ValueError::NotFinite => write!(f, "value must be a finite number"),
            ValueError::OutOfRange { value, min, max } => {
                write!(f, "value {value} is outside the range {min}..={max}")
            }
            ValueError::NotWhole { value, kind } => {
                write!(
                    f,
                    "value {value} must be a whole number for a {kind:?} parameter"
                )
            }
        }
    }
}

impl std::error::Error for ValueError {}

impl ParameterInfo {
    /// A parameter of `kind` over `min..=max`, its default and value at `min`, revision 0,
    /// linear, with no unit, group, step or variants: the start of a hand-built list (a
    /// test, a fixture); set the other fields on the result.
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        kind: ParameterKind,
        min: f64,
        max: f64,
    ) -> Self {
        ParameterInfo {
            id: id.into(),
            name: name.into(),
            kind,
            min,
            max,
            default: min,
            value: min,
            revision: 0,
            unit: String::new(),
            group: String::new(),
            step: None,
            skew: 1.0,
            variants: Vec::new(),
        }
    }

    /// The value rules for this parameter (checking, snapping, normalising, text).
    pub fn rules(&self) -> ValueRules<'_, String> {
        ValueRules {
            kind: self.kind,
            min: self.min,
            max: self.max,
            step: self.step,
            skew: self.skew,
            unit: &self.unit,
            variants: &self.variants,
        }
    }

    /// Checks `value` against this parameter's kind and range; returns the value as the
    /// engine will hold it (a stepped float snapped to its step) when allowed.
    pub fn check_value(&self, value: f64) -> Result<f64, ValueError> {
        self.rules().check(value)
    }

    /// `value` moved into this parameter's range and onto its grid (rounded for whole-number
    /// kinds, snapped for stepped floats); the default for NaN and infinities. Used when a
    /// reload changes a range and an old value must be kept.
    pub fn clamp_value(&self, value: f64) -> f64 {
        self.rules().sanitize(value).unwrap_or(self.default)
    }

    /// True when the two describe the same control apart from the current value and revision.
    pub fn same_shape(&self, other: &ParameterInfo) -> bool {
        let mut a = self.clone();
        a.value = other.value;
        a.revision = other.revision;
        a == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(kind: ParameterKind, min: f64, max: f64) -> ParameterInfo {
        ParameterInfo::new("p", "P", kind, min, max)
    }

    #[test]
    fn snake_case_ids() {
        for ok in ["gain", "cutoff_hz", "band2_q", "a", "x9"] {
            assert!(is_valid_id(ok), "{ok}");
        }
        for bad in [
            "", "Gain", "cutoffHz", "2band", "_gain", "gain_", "a__b", "gain-db", "gäin",
            "cut off", "gain\n",
        ] {
            assert!(!is_valid_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn check_value_and_clamp_value_apply_the_rules_to_this_parameter() {
        // The rules themselves are tested in `rules`; this checks every field reaches them.
        let mut stepped = info(ParameterKind::Float, -1.0, 1.0);
        stepped.step = Some(0.5);
        stepped.default = 0.5;
        assert_eq!(stepped.check_value(0.4), Ok(0.5));
        assert!(matches!(
            stepped.check_value(1.5),
            Err(ValueError::OutOfRange { .. })
        ));
        assert_eq!(stepped.check_value(f64::NAN), Err(ValueError::NotFinite));
        assert_eq!(stepped.clamp_value(-3.0), -1.0);
        assert_eq!(stepped.clamp_value(f64::NAN), 0.5, "the default");
        let i = info(ParameterKind::Int, 0.0, 4.0);
        assert!(matches!(
            i.check_value(2.5),
            Err(ValueError::NotWhole { .. })
        ));
        assert_eq!((i.clamp_value(9.0), i.clamp_value(2.6)), (4.0, 3.0));
        let mut mode = info(ParameterKind::Enum, 0.0, 1.0);
        mode.variants = vec!["Lo".into(), "Hi".into()];
        mode.unit = "x".into();
        assert_eq!(mode.rules().to_text(1.0).as_deref(), Some("Hi"));
        assert_eq!(mode.rules().unit, "x");
    }

    #[test]
    fn wire_form_is_camel_case_with_plain_values() {
        let mut p = info(ParameterKind::Enum, 0.0, 2.0);
        p.variants = vec!["a".into(), "b".into(), "c".into()];
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["kind"], "enum");
        assert_eq!(v["default"], 0.0);
        assert!(v.get("variants").unwrap().is_array());
        let back: ParameterInfo = serde_json::from_value(v).unwrap();
        assert_eq!(back, p);
    }
}
