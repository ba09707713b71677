//! `--set id=value`: parsing an assignment and resolving it against an
//! engine's parameter list into (index, plain value).
//!
//! Values are plain, as on the wire (dB are dB, Hz are Hz), read by the one
//! parameter rule (`ValueRules::parse`): a number with or without its unit
//! (`-6 dB`, `-6`, `1k`), a variant's name, on/off. Every value is checked
//! like a value from the wire before it reaches the engine.

use std::str::FromStr;

use wavecraft_protocol::parameter::ValueError;
use wavecraft_protocol::rules::TextError;
use wavecraft_protocol::ParameterInfo;

/// One `--set id=value` as typed, before it meets an engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The parameter id.
    pub id: String,
    /// The value as typed.
    pub value: String,
}

/// Why an assignment was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParamError {
    /// Not of the form `id=value`.
    #[error("`{0}` is not an assignment: write --set id=value (e.g. --set output_gain=-6)")]
    Syntax(String),
    /// No parameter has this id.
    #[error("the engine has no parameter `{id}`; valid ids: {valid}")]
    UnknownId {
        /// The id given.
        id: String,
        /// The engine's ids, comma-separated.
        valid: String,
    },
    /// The value could not be read for this parameter's kind.
    #[error("`{value}` is not a value for {id}: expected {expected}")]
    Unreadable {
        /// The parameter id.
        id: String,
        /// The value as typed.
        value: String,
        /// What this parameter accepts.
        expected: String,
    },
    /// The value was read but refused by the parameter's rules.
    #[error("{id}={value} refused: {reason}; expected {expected}")]
    Refused {
        /// The parameter id.
        id: String,
        /// The value as typed.
        value: String,
        /// The rule it broke.
        reason: ValueError,
        /// What this parameter accepts.
        expected: String,
    },
}

impl FromStr for Assignment {
    type Err = ParamError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (id, value) = s
            .split_once('=')
            .ok_or_else(|| ParamError::Syntax(s.to_owned()))?;
        let (id, value) = (id.trim(), value.trim());
        if id.is_empty() || value.is_empty() {
            return Err(ParamError::Syntax(s.to_owned()));
        }
        Ok(Assignment {
            id: id.to_owned(),
            value: value.to_owned(),
        })
    }
}

impl Assignment {
    /// The index of the parameter in `params` and the checked plain value to give it.
    pub fn resolve(&self, params: &[ParameterInfo]) -> Result<(usize, f64), ParamError> {
        let (index, info) = params
            .iter()
            .enumerate()
            .find(|(_, p)| p.id == self.id)
            .ok_or_else(|| ParamError::UnknownId {
                id: self.id.clone(),
                valid: params
                    .iter()
                    .map(|p| p.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        let rules = info.rules();
        let value = rules.parse(&self.value).map_err(|error| match error {
            TextError::Unreadable => ParamError::Unreadable {
                id: self.id.clone(),
                value: self.value.clone(),
                expected: rules.describe(),
            },
            TextError::Refused(reason) => ParamError::Refused {
                id: self.id.clone(),
                value: self.value.clone(),
                reason,
                expected: rules.describe(),
            },
        })?;
        Ok((index, value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wavecraft_protocol::ParameterKind;

    fn param(
        id: &str,
        kind: ParameterKind,
        min: f64,
        max: f64,
        variants: &[&str],
    ) -> ParameterInfo {
        ParameterInfo {
            unit: if kind == ParameterKind::Float {
                "dB".into()
            } else {
                String::new()
            },
            variants: variants.iter().map(|v| (*v).to_owned()).collect(),
            ..ParameterInfo::new(id, id, kind, min, max)
        }
    }

    fn params() -> Vec<ParameterInfo> {
        vec![
            param("gain", ParameterKind::Float, -60.0, 12.0, &[]),
            param(
                "mode",
                ParameterKind::Enum,
                0.0,
                2.0,
                &["Low-pass", "High-pass", "Peak"],
            ),
            param("bypass", ParameterKind::Bool, 0.0, 1.0, &[]),
        ]
    }

    fn set(text: &str) -> Result<(usize, f64), ParamError> {
        text.parse::<Assignment>()?.resolve(&params())
    }

    #[test]
    fn resolves_numbers_variant_names_and_bool_words() {
        assert_eq!(set("gain=-6"), Ok((0, -6.0)));
        assert_eq!(set("gain=-6 dB"), Ok((0, -6.0)));
        assert_eq!(set("gain=-6dB"), Ok((0, -6.0)));
        assert_eq!(set("mode=High-pass"), Ok((1, 1.0)));
        assert_eq!(set("mode=peak"), Ok((1, 2.0)));
        assert_eq!(set("mode=1"), Ok((1, 1.0)));
        assert_eq!(set("bypass=on"), Ok((2, 1.0)));
        assert_eq!(set("bypass=False"), Ok((2, 0.0)));
    }

    #[test]
    fn errors_list_valid_ids_and_ranges() {
        let unknown = set("nope=1").unwrap_err().to_string();
        assert!(unknown.contains("gain, mode, bypass"), "{unknown}");
        let range = set("gain=99").unwrap_err().to_string();
        assert!(range.contains("-60..=12 dB"), "{range}");
        let variant = set("mode=Notch").unwrap_err().to_string();
        assert!(variant.contains("Low-pass, High-pass, Peak"), "{variant}");
        assert!(matches!(set("mode=1.5"), Err(ParamError::Refused { .. })));
        assert!(matches!(set("gain=NaN"), Err(ParamError::Refused { .. })));
        assert!(matches!(
            "gain".parse::<Assignment>(),
            Err(ParamError::Syntax(_))
        ));
        assert!(matches!(
            "=3".parse::<Assignment>(),
            Err(ParamError::Syntax(_))
        ));
    }
}
