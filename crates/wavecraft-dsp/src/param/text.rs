//! Text for parameter values: what a host's or the UI's value display
//! shows, and what a person types into a text box.
//!
//! `to_text` and `from_text` allocate and are for the host and UI side,
//! never the audio thread. They round-trip: a float is shown with as many
//! decimals as its step needs (two without a step), so reading its text
//! back gives the value to within half the last shown digit, and showing
//! that again gives the same text.

use super::spec::{ParamKind, ParamSpec, ParamValueError};

/// Number of decimals shown for a float without a step.
const DEFAULT_DECIMALS: usize = 2;
/// Most decimals ever shown for a float.
const MAX_DECIMALS: usize = 6;

impl ParamSpec {
    /// Number of decimals a float is shown with: enough for its step, else two.
    fn decimals(&self) -> usize {
        match self.step() {
            Some(step) if !self.is_discrete() => {
                let mut decimals = 0;
                let mut scaled = step;
                while decimals < MAX_DECIMALS && (scaled - scaled.round()).abs() > 1e-9 * scaled {
                    scaled *= 10.0;
                    decimals += 1;
                }
                decimals
            }
            _ => DEFAULT_DECIMALS,
        }
    }

    /// Formats a plain value for display: `"-6.00 dB"`, `"4 voices"`, `"On"`, `"Sine"`.
    ///
    /// A float is shown with two decimals (or as many as its step needs), so
    /// `from_text(to_text(v))` gives `v` back to within half the last shown
    /// digit, and `to_text(from_text(to_text(v)))` gives the same text.
    pub fn to_text(&self, value: f64) -> String {
        let number = match self.kind {
            ParamKind::Bool => return if value >= 0.5 { "On" } else { "Off" }.to_string(),
            ParamKind::Enum { variants } => {
                let index = self.sanitize(value).unwrap_or(self.default) as usize;
                return variants.get(index).copied().unwrap_or_default().to_string();
            }
            ParamKind::Int { .. } => format!("{}", value.round() as i64),
            ParamKind::Float(_) => {
                let decimals = self.decimals();
                let scale = 10f64.powi(decimals as i32);
                let mut shown = (value * scale).round() / scale;
                if shown == 0.0 {
                    shown = 0.0; // no "-0.00"
                }
                format!("{shown:.decimals$}")
            }
        };
        if self.unit.is_empty() {
            number
        } else {
            format!("{number} {}", self.unit)
        }
    }

    /// Reads a value typed by a person or sent by a host as text.
    ///
    /// Numbers may carry the unit (`"-6 dB"`, `"-6dB"`, `"-6"`); floats and
    /// ints are clamped into range and snapped, as a text box would. Bools
    /// accept on/off, true/false, yes/no, 1/0; enums a variant name (any case)
    /// or its index.
    pub fn from_text(&self, text: &str) -> Result<f64, ParamValueError> {
        let text = text.trim();
        match self.kind {
            ParamKind::Bool => match text.to_ascii_lowercase().as_str() {
                "on" | "true" | "yes" | "1" => Ok(1.0),
                "off" | "false" | "no" | "0" => Ok(0.0),
                _ => Err(ParamValueError::Unparseable),
            },
            ParamKind::Enum { variants } => {
                if let Some(index) = variants.iter().position(|v| v.eq_ignore_ascii_case(text)) {
                    return Ok(index as f64);
                }
                let index: usize = text.parse().map_err(|_| ParamValueError::Unparseable)?;
                self.validate(index as f64)
            }
            ParamKind::Int { .. } | ParamKind::Float(_) => {
                let number = strip_unit(text, self.unit);
                let value: f64 = number.parse().map_err(|_| ParamValueError::Unparseable)?;
                self.sanitize(value).ok_or(ParamValueError::NotFinite)
            }
        }
    }
}

/// Removes a trailing `unit` (any ASCII case) and surrounding whitespace from `text`.
fn strip_unit<'t>(text: &'t str, unit: &str) -> &'t str {
    if unit.is_empty() || text.len() < unit.len() {
        return text;
    }
    let split = text.len() - unit.len();
    if text.is_char_boundary(split) && text[split..].eq_ignore_ascii_case(unit) {
        text[..split].trim_end()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::param::spec::fixtures::{gain, spec, WAVES};
    use crate::param::FloatRange;

    #[test]
    fn text_round_trips_for_every_kind() {
        let g = gain();
        assert_eq!(g.to_text(-6.0), "-6.00 dB");
        assert_eq!(g.to_text(-0.001), "0.00 dB");
        for value in [-60.0, -6.02, -6.0, 0.0, 3.33, 12.0] {
            let text = g.to_text(value);
            let back = g.from_text(&text).unwrap();
            assert!((back - value).abs() <= 0.005, "{value} -> {text} -> {back}");
            assert_eq!(g.to_text(back), text);
        }
        assert_eq!(g.from_text("-6dB"), Ok(-6.0));
        assert_eq!(g.from_text(" -6 db "), Ok(-6.0));
        assert_eq!(g.from_text("-6"), Ok(-6.0));
        assert_eq!(g.from_text("100 dB"), Ok(12.0), "clamped like a text box");
        assert_eq!(g.from_text("loud"), Err(ParamValueError::Unparseable));
        assert_eq!(g.from_text("NaN dB"), Err(ParamValueError::NotFinite));

        let stepped = spec(
            ParamKind::Float(FloatRange::linear(0.0, 1.0).with_step(0.001)),
            "",
            0.0,
        );
        assert_eq!(stepped.to_text(0.125), "0.125");
        assert_eq!(stepped.from_text("0.125"), Ok(0.125));

        let int = spec(ParamKind::Int { min: 1, max: 16 }, "voices", 4.0);
        for value in 1..=16 {
            let text = int.to_text(f64::from(value));
            assert_eq!(int.from_text(&text), Ok(f64::from(value)), "{text}");
        }
        assert_eq!(int.to_text(4.0), "4 voices");

        let bool = spec(ParamKind::Bool, "", 0.0);
        assert_eq!(bool.to_text(1.0), "On");
        assert_eq!(bool.to_text(0.0), "Off");
        for value in [0.0, 1.0] {
            assert_eq!(bool.from_text(&bool.to_text(value)), Ok(value));
        }
        assert_eq!(bool.from_text("TRUE"), Ok(1.0));
        assert_eq!(bool.from_text("maybe"), Err(ParamValueError::Unparseable));

        let wave = spec(ParamKind::Enum { variants: WAVES }, "", 0.0);
        for (index, name) in WAVES.iter().enumerate() {
            assert_eq!(wave.to_text(index as f64), *name);
            assert_eq!(wave.from_text(name), Ok(index as f64));
        }
        assert_eq!(wave.from_text("square"), Ok(2.0));
        assert_eq!(wave.from_text("1"), Ok(1.0));
        assert!(wave.from_text("7").is_err());
        assert_eq!(
            wave.from_text("Triangle"),
            Err(ParamValueError::Unparseable)
        );
    }
}
