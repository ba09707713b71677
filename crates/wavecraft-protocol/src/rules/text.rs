//! Text for parameter values: what a host's or the UI's value display
//! shows, and what a person types into a text box or after `--set id=`.
//!
//! **Shown**: a float with three significant digits' worth of decimals
//! (`1000 Hz`, `440 Hz`, `-12.5 dB`, `-6.00 dB`, `0.71`), or exactly the
//! decimals its step needs (`0.125`, `-3.5 st`); an int as a whole number; a
//! bool as `On`/`Off`; an enum as its variant's name. The unit follows after
//! a space, as declared (no `kHz` rescaling: the author chose the unit).
//! Values are first made valid (clamped, snapped), so the text always names
//! a value the plugin can hold.
//!
//! **Read**: a number with or without the unit in any case (`-6 dB`, `-6db`,
//! `-6`), a `k` for thousands (`1k`, `1.5 kHz`), a leading `−` (U+2212) as a
//! minus; `on`/`off`/`true`/`false`/`yes`/`no` or a number for a bool; a
//! variant's name in any case (tried first) or its index for an enum.
//!
//! The UI's `formatValue` and `parseValue` (`ui/packages/components/src/mapping.ts`)
//! are ports of [`ValueRules::to_text`] and [`ValueRules::parse_clamped`]; the `fixture`
//! module writes the sweep and the typed texts that check the two agree. These functions allocate: never on the audio thread.

use std::fmt;

use super::ValueRules;
use crate::parameter::{ParameterKind, ValueError};

/// Most decimals a float is ever shown with.
const MAX_DECIMALS: usize = 6;
/// `10^n` for the decimals a float can be shown with: a table, so the UI's port scales
/// by the same numbers.
const POW10: [f64; MAX_DECIMALS + 1] = [1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6];

/// Why a text gave no value.
#[derive(Debug, Clone, PartialEq)]
pub enum TextError {
    /// The text names no value of this parameter's kind.
    Unreadable,
    /// The text names a value the parameter refuses.
    Refused(ValueError),
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unreadable => write!(f, "the text names no value of this parameter"),
            Self::Refused(reason) => reason.fmt(f),
        }
    }
}

impl std::error::Error for TextError {}

/// Decimals a stepped float is shown with: as many as the step has (at most six).
fn step_decimals(step: f64) -> usize {
    let mut decimals = 0;
    let mut scaled = step;
    while decimals < MAX_DECIMALS && (scaled - scaled.round()).abs() > 1e-9 * scaled {
        scaled *= 10.0;
        decimals += 1;
    }
    decimals
}

/// Decimals that give a number of this size three significant digits (at most two decimals).
fn magnitude_decimals(magnitude: f64) -> usize {
    if magnitude >= 100.0 {
        0
    } else if magnitude >= 10.0 {
        1
    } else {
        2
    }
}

/// `value` rounded to `decimals` (halves away from zero).
fn round_to(value: f64, decimals: usize) -> f64 {
    (value * POW10[decimals]).round() / POW10[decimals]
}

/// `text` without a trailing `suffix` (any ASCII case) and the whitespace before it.
fn strip_suffix_ignore_case<'t>(text: &'t str, suffix: &str) -> &'t str {
    let Some(split) = text.len().checked_sub(suffix.len()) else {
        return text;
    };
    if !suffix.is_empty()
        && text.is_char_boundary(split)
        && text[split..].eq_ignore_ascii_case(suffix)
    {
        text[..split].trim_end()
    } else {
        text
    }
}

impl<V: AsRef<str>> ValueRules<'_, V> {
    /// The text shown for `value`; `None` for NaN and infinities.
    pub fn to_text(&self, value: f64) -> Option<String> {
        let value = self.sanitize(value)?;
        let number = match self.kind {
            ParameterKind::Bool => return Some(if value >= 0.5 { "On" } else { "Off" }.into()),
            ParameterKind::Enum => {
                let name = self.variants.get(value as usize).map(AsRef::as_ref);
                return Some(name.unwrap_or_default().to_owned());
            }
            ParameterKind::Int => format!("{}", value as i64),
            ParameterKind::Float => {
                let decimals = match self.step {
                    Some(step) if step > 0.0 => step_decimals(step),
                    // Rounding can carry into the next size (99.96 → 100.0): decide on the
                    // rounded number, so the text reads back to the same text.
                    _ => magnitude_decimals(round_to(value, magnitude_decimals(value.abs())).abs()),
                };
                // `+ 0.0` turns a rounded −0 into 0: no "-0.00".
                let shown = round_to(value, decimals) + 0.0;
                format!("{shown:.decimals$}")
            }
        };
        Some(if self.unit.is_empty() {
            number
        } else {
            format!("{number} {}", self.unit)
        })
    }

    /// The text a plugin host shows: [`to_text`](Self::to_text) when it reads back (through
    /// [`parse_clamped`](Self::parse_clamped)) to exactly `value` made valid, else the
    /// shortest text that does (`-6.0123 dB` rather than `-6.01 dB`), because CLAP and VST3
    /// hosts and validators expect value → text → value to round-trip.
    pub fn to_exact_text(&self, value: f64) -> Option<String> {
        let value = self.sanitize(value)?;
        let pretty = self.to_text(value)?;
        if self.parse_clamped(&pretty) == Ok(value) {
            return Some(pretty);
        }
        Some(if self.unit.is_empty() {
            format!("{value}")
        } else {
            format!("{value} {}", self.unit)
        })
    }

    /// The plain value a text names, checked like a value from the wire (refused when out
    /// of range, fractional for a whole kind, or not finite). What `render --set` uses.
    pub fn parse(&self, text: &str) -> Result<f64, TextError> {
        self.check(self.read(text)?).map_err(TextError::Refused)
    }

    /// The plain value a text names, read the way a text box reads it: a number is clamped
    /// into range and onto the grid; an enum index or a bool must still be valid. What
    /// plugin hosts' text entry uses.
    pub fn parse_clamped(&self, text: &str) -> Result<f64, TextError> {
        let value = self.read(text)?;
        match self.kind {
            ParameterKind::Float | ParameterKind::Int => self
                .sanitize(value)
                .ok_or(TextError::Refused(ValueError::NotFinite)),
            ParameterKind::Bool | ParameterKind::Enum => {
                self.check(value).map_err(TextError::Refused)
            }
        }
    }

    /// The number `text` names, before any check.
    fn read(&self, text: &str) -> Result<f64, TextError> {
        let text = text.trim();
        match self.kind {
            ParameterKind::Enum => {
                if let Some(index) = self
                    .variants
                    .iter()
                    .position(|v| v.as_ref().trim().eq_ignore_ascii_case(text))
                {
                    return Ok(index as f64);
                }
            }
            ParameterKind::Bool => match text.to_ascii_lowercase().as_str() {
                "on" | "true" | "yes" => return Ok(1.0),
                "off" | "false" | "no" => return Ok(0.0),
                _ => {}
            },
            ParameterKind::Float | ParameterKind::Int => {}
        }
        let number = strip_suffix_ignore_case(text, self.unit);
        let (number, scale) = match number.strip_suffix(['k', 'K']) {
            Some(rest) => (rest.trim_end(), 1e3),
            None => (number, 1.0),
        };
        let value: f64 = match number.strip_prefix('\u{2212}') {
            Some(rest) => format!("-{rest}").parse(),
            None => number.parse(),
        }
        .map_err(|_| TextError::Unreadable)?;
        Ok(scale * value)
    }

    /// What text this parameter accepts, for error messages: `a number in -60..=12 dB`.
    pub fn describe(&self) -> String {
        let unit = if self.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", self.unit)
        };
        let (min, max) = (self.min, self.max);
        match self.kind {
            ParameterKind::Enum => {
                let names: Vec<&str> = self.variants.iter().map(AsRef::as_ref).collect();
                format!("one of {} (or an index {min}..={max})", names.join(", "))
            }
            ParameterKind::Bool => "on, off, true, false, yes, no, 1 or 0".to_owned(),
            ParameterKind::Int => format!("a whole number in {min}..={max}{unit}"),
            ParameterKind::Float => format!("a number in {min}..={max}{unit}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::rules;
    use super::*;

    const WAVES: &[&str] = &["Sine", "Saw", "Square"];

    fn gain() -> ValueRules<'static, &'static str> {
        ValueRules {
            unit: "dB",
            ..rules(ParameterKind::Float, -60.0, 12.0)
        }
    }

    fn text(rules: ValueRules<'_, &str>, value: f64) -> String {
        rules.to_text(value).unwrap()
    }

    #[test]
    fn floats_show_three_significant_digits_or_their_steps_decimals() {
        let freq = ValueRules {
            unit: "Hz",
            ..rules(ParameterKind::Float, 20.0, 20_000.0)
        };
        assert_eq!(text(freq, 1_000.0), "1000 Hz");
        assert_eq!(text(freq, 440.4), "440 Hz");
        assert_eq!(text(freq, 45.55), "45.6 Hz");
        assert_eq!(text(gain(), -6.0), "-6.00 dB");
        assert_eq!(text(gain(), -12.5), "-12.5 dB");
        assert_eq!(text(gain(), -0.001), "0.00 dB", "no minus zero");
        assert_eq!(text(gain(), 99.0), "12.0 dB", "clamped first");
        assert_eq!(
            text(gain(), 9.996),
            "10.0 dB",
            "decided on the rounded number"
        );
        assert_eq!(text(freq, 99.96), "100 Hz");
        assert_eq!(gain().to_text(f64::NAN), None);
        let fine = ValueRules {
            step: Some(0.001),
            ..rules(ParameterKind::Float, 0.0, 1.0)
        };
        assert_eq!(text(fine, 0.125), "0.125");
        let semis = ValueRules {
            step: Some(0.5),
            unit: "st",
            ..rules(ParameterKind::Float, -24.0, 24.0)
        };
        assert_eq!(text(semis, -3.4), "-3.5 st", "snapped, then shown");
        assert_eq!(text(semis, 12.0), "12.0 st");
    }

    #[test]
    fn whole_kinds_show_numbers_on_off_and_names() {
        let voices = ValueRules {
            unit: "voices",
            ..rules(ParameterKind::Int, 1.0, 16.0)
        };
        assert_eq!(text(voices, 4.0), "4 voices");
        let bool = rules(ParameterKind::Bool, 0.0, 1.0);
        assert_eq!(
            (text(bool, 1.0), text(bool, 0.0)),
            ("On".into(), "Off".into())
        );
        let wave = ValueRules {
            variants: WAVES,
            ..rules(ParameterKind::Enum, 0.0, 2.0)
        };
        for (index, name) in WAVES.iter().enumerate() {
            assert_eq!(text(wave, index as f64), *name);
        }
        assert_eq!(text(wave, 7.0), "Square");
    }

    #[test]
    fn text_reads_back_to_the_same_text() {
        let g = gain();
        for value in [-60.0, -6.02, -6.0, 0.0, 3.33, 9.996, 12.0] {
            let shown = text(g, value);
            let back = g.parse_clamped(&shown).unwrap();
            assert!((back - value).abs() <= 0.05, "{value} -> {shown} -> {back}");
            assert_eq!(text(g, back), shown);
        }
    }

    #[test]
    fn parsing_accepts_what_a_daw_user_types() {
        let g = gain();
        for typed in ["-6 dB", "-6dB", " -6 db ", "-6", "−6 dB", "-6.0"] {
            assert_eq!(g.parse(typed), Ok(-6.0), "{typed}");
        }
        let freq = ValueRules {
            unit: "Hz",
            ..rules(ParameterKind::Float, 20.0, 20_000.0)
        };
        for typed in ["1k", "1K", "1 kHz", "1khz", "1000 Hz", "1000"] {
            assert_eq!(freq.parse(typed), Ok(1_000.0), "{typed}");
        }
        assert_eq!(freq.parse("2.5k"), Ok(2_500.0));
        assert_eq!(g.parse("loud"), Err(TextError::Unreadable));
        assert_eq!(g.parse("-6 Hz"), Err(TextError::Unreadable));
        let bool = rules(ParameterKind::Bool, 0.0, 1.0);
        for (typed, value) in [
            ("On", 1.0),
            ("off", 0.0),
            ("TRUE", 1.0),
            ("no", 0.0),
            ("1", 1.0),
        ] {
            assert_eq!(bool.parse(typed), Ok(value), "{typed}");
        }
        assert_eq!(bool.parse("maybe"), Err(TextError::Unreadable));
        let wave = ValueRules {
            variants: WAVES,
            ..rules(ParameterKind::Enum, 0.0, 2.0)
        };
        assert_eq!(wave.parse("square"), Ok(2.0));
        assert_eq!(wave.parse("1"), Ok(1.0));
        assert_eq!(wave.parse("Triangle"), Err(TextError::Unreadable));
        let numbered = ValueRules {
            variants: &["1", "2", "4"],
            ..rules(ParameterKind::Enum, 0.0, 2.0)
        };
        assert_eq!(numbered.parse("4"), Ok(2.0), "names before indices");
    }

    #[test]
    fn parse_refuses_like_the_wire_and_parse_clamped_clamps_numbers_only() {
        let g = gain();
        let out = ValueError::OutOfRange {
            value: 100.0,
            min: -60.0,
            max: 12.0,
        };
        assert_eq!(g.parse("100 dB"), Err(TextError::Refused(out)));
        assert_eq!(g.parse_clamped("100 dB"), Ok(12.0), "like a text box");
        for typed in ["NaN dB", "inf"] {
            assert_eq!(
                g.parse(typed),
                Err(TextError::Refused(ValueError::NotFinite))
            );
            assert_eq!(
                g.parse_clamped(typed),
                Err(TextError::Refused(ValueError::NotFinite))
            );
        }
        let int = rules(ParameterKind::Int, 0.0, 8.0);
        assert!(matches!(
            int.parse("2.5"),
            Err(TextError::Refused(ValueError::NotWhole { .. }))
        ));
        assert_eq!(int.parse_clamped("2.6"), Ok(3.0));
        let wave = ValueRules {
            variants: WAVES,
            ..rules(ParameterKind::Enum, 0.0, 2.0)
        };
        for typed in ["7", "1.5"] {
            assert!(
                wave.parse_clamped(typed).is_err(),
                "{typed}: a choice is never clamped"
            );
        }
        assert!(rules(ParameterKind::Bool, 0.0, 1.0)
            .parse_clamped("0.5")
            .is_err());
    }

    #[test]
    fn exact_text_round_trips_every_value() {
        let g = gain();
        assert_eq!(g.to_exact_text(-6.0).as_deref(), Some("-6.00 dB"));
        assert_eq!(g.to_exact_text(99.0).as_deref(), Some("12.0 dB"));
        assert_eq!(g.to_exact_text(f64::NAN), None);
        for value in [
            -60.0,
            -6.0,
            -6.012_345_678_9,
            0.1 + 0.2,
            1e-9,
            11.999_999_999,
        ] {
            let shown = g.to_exact_text(value).unwrap();
            assert_eq!(g.parse_clamped(&shown), Ok(value), "{value} -> {shown}");
        }
        assert_eq!(g.to_exact_text(-6.0123).as_deref(), Some("-6.0123 dB"));
        let freq = ValueRules {
            unit: "Hz",
            skew: 0.2,
            ..rules(ParameterKind::Float, 20.0, 20_000.0)
        };
        for step in 0..=100 {
            let value = freq.unnormalize(f64::from(step) / 100.0);
            let shown = freq.to_exact_text(value).unwrap();
            assert_eq!(freq.parse_clamped(&shown), Ok(value), "{value} -> {shown}");
        }
    }

    #[test]
    fn describe_says_what_parses() {
        assert_eq!(gain().describe(), "a number in -60..=12 dB");
        let wave = ValueRules {
            variants: WAVES,
            ..rules(ParameterKind::Enum, 0.0, 2.0)
        };
        assert_eq!(
            wave.describe(),
            "one of Sine, Saw, Square (or an index 0..=2)"
        );
    }
}
