//! The fixture that holds the UI's port of these rules to them: every
//! parameter kind and unit, each swept densely across (and past) its range,
//! with what the Rust rules say for every value, and texts a person might
//! type into a value box with what [`parse_clamped`](super::ValueRules::parse_clamped)
//! reads from each.
//!
//! `ui/packages/components/src/mapping.test.ts` checks `mapping.ts` against
//! it: the text must be identical, the snapped value identical, every typed
//! text read to the same value or refused for the same reason, positions
//! and values from positions equal within `1e-9` of the range (both sides
//! call their platform's `pow`, which may differ in the last bit). The
//! `parameter_rules_fixture` test fails when the committed file is stale;
//! `cargo xtask gen-ts` rewrites it.

use std::fmt::Write;

use super::{skew_for_centre, TextError};
use crate::parameter::{ParameterInfo, ParameterKind, ValueError};

/// Where the fixture lives, relative to the workspace root.
pub const OUTPUT_PATH: &str = "ui/packages/components/src/generated/parameterRules.json";

/// Values swept evenly across each range (and 5 % past both ends).
const SWEEP: u32 = 120;
/// Slider positions swept evenly across `0..=1`.
const POSITIONS: u32 = 50;

fn param(kind: ParameterKind, min: f64, max: f64, unit: &str) -> ParameterInfo {
    ParameterInfo {
        unit: unit.to_owned(),
        ..ParameterInfo::new("", "", kind, min, max)
    }
}

fn stepped(step: f64, info: ParameterInfo) -> ParameterInfo {
    ParameterInfo {
        step: Some(step),
        ..info
    }
}

fn skewed(skew: f64, info: ParameterInfo) -> ParameterInfo {
    ParameterInfo { skew, ..info }
}

fn choice(variants: &[&str]) -> ParameterInfo {
    ParameterInfo {
        variants: variants.iter().map(|v| (*v).to_owned()).collect(),
        ..param(ParameterKind::Enum, 0.0, variants.len() as f64 - 1.0, "")
    }
}

/// Every kind, every unit the SDK's examples use, steps with 0–6 decimals, skews both ways.
fn parameters() -> Vec<ParameterInfo> {
    use ParameterKind::{Bool, Float, Int};
    let mut all = vec![
        param(Float, -60.0, 12.0, "dB"),
        param(Float, -24.0, 24.0, "dB"),
        param(Float, 0.0, 24.0, "dB"),
        skewed(
            skew_for_centre(20.0, 20_000.0, 1_000.0),
            param(Float, 20.0, 20_000.0, "Hz"),
        ),
        skewed(
            skew_for_centre(0.1, 10.0, 0.707),
            param(Float, 0.1, 10.0, ""),
        ),
        param(Float, 0.0, 1.0, ""),
        param(Float, 0.0, 100.0, "%"),
        skewed(2.0, param(Float, -1.0, 1.0, "")),
        param(Float, 0.0, 0.01, "s"),
        param(Float, -1e6, 1e6, "Hz"),
        stepped(0.1, param(Float, -1.0, 1.0, "")),
        stepped(0.001, param(Float, 0.0, 1.0, "")),
        stepped(0.5, param(Float, -24.0, 24.0, "st")),
        stepped(0.25, param(Float, -2.0, 2.0, "")),
        stepped(0.005, param(Float, 0.0, 10.0, "ms")),
        stepped(1e-7, param(Float, 0.0, 1e-5, "s")),
        stepped(10.0, param(Float, 5.0, 505.0, "ms")),
        stepped(
            1.0,
            skewed(
                skew_for_centre(1.0, 1_000.0, 100.0),
                param(Float, 1.0, 1_000.0, "ms"),
            ),
        ),
        param(Int, 1.0, 16.0, "voices"),
        param(Int, -24.0, 24.0, "st"),
        param(Int, 0.0, 0.0, ""),
        param(Bool, 0.0, 1.0, ""),
        choice(&["Low-pass", "High-pass", "Band-pass", "Notch", "Peak"]),
        choice(&["1x", "2x", "4x", "8x"]),
        choice(&["Only"]),
    ];
    for (n, info) in all.iter_mut().enumerate() {
        info.id = format!("p{n}");
        info.name = format!("P{n}");
    }
    all
}

/// The values each parameter is checked at: an even sweep from 5 % below `min` to 5 %
/// above `max`, and values that sit where a rule decides (decimal carries, halves, zero).
fn values(info: &ParameterInfo) -> Vec<f64> {
    let span = info.max - info.min;
    let (low, high) = (info.min - 0.05 * span, info.max + 0.05 * span);
    let mut values: Vec<f64> = (0..=SWEEP)
        .map(|k| low + (high - low) * f64::from(k) / f64::from(SWEEP))
        .collect();
    let edges = [
        0.0, -0.0, 0.004, 0.005, 0.0051, 0.5, 1.5, 2.5, 9.994, 9.995, 9.996, 9.9999, 10.0, 99.94,
        99.95, 99.96, 100.0, 999.5, 1_000.0,
    ];
    let specials = edges
        .iter()
        .flat_map(|&edge| [edge, -edge])
        .chain([info.min, info.max, info.default])
        .chain(info.step.map(|step| info.min + 2.5 * step))
        .filter(|v| *v >= low && *v <= high);
    values.extend(specials);
    values
}

/// Texts typed into every parameter's value box: spellings of numbers Rust reads or
/// refuses, thousands, minus signs, whitespace, words for a bool, non-numbers.
const TYPED: &[&str] = &[
    "",
    " ",
    "0",
    "1",
    "-1",
    "+3",
    "5.",
    ".5",
    "-.5",
    "1e3",
    "1E-2",
    "2.5e+1",
    "0.5",
    "1.5",
    "2.6",
    "7",
    "-6",
    "\u{2212}6",
    "\u{2212}-6",
    "--6",
    "1k",
    "1K",
    "2.5k",
    "2.5 K",
    "k",
    "-0.2k",
    "1000",
    "20000",
    "1e6",
    "1e400",
    "inf",
    "-Infinity",
    "INF",
    "NaN",
    "nan",
    "Infinity",
    "0x10",
    "1_000",
    "1,5",
    "1 000",
    "\u{bd}",
    " \t-6\n ",
    "\u{a0}5\u{a0}",
    "5\u{85}",
    "\u{3000}5",
    "\u{feff}5",
    "on",
    "OFF",
    "True",
    "false",
    "yes",
    "No",
    "maybe",
    "loud",
    "Sine",
    "low-pass",
    "HIGH-PASS",
    " notch ",
    "4x",
    "4X",
    "8",
    "1x",
    "Only",
    "-6 Hz",
    "6 dBx",
    "dB",
    "Hz",
    "1 kHz",
    "1khz",
    "-6db",
    "-6 DB",
    "50 %",
    "50%",
    "4 voices",
    "4voices",
    "-3.5 st",
    "1000 ms",
    "0.005 s",
];

/// What a text box reads from `text`: the value, or the reason it gives none.
fn parsed(info: &ParameterInfo, text: &str) -> String {
    match info.rules().parse_clamped(text) {
        Ok(value) => number(value),
        Err(TextError::Unreadable) => "\"unreadable\"".to_owned(),
        Err(TextError::Refused(ValueError::NotFinite)) => "\"notFinite\"".to_owned(),
        Err(TextError::Refused(ValueError::OutOfRange { .. })) => "\"outOfRange\"".to_owned(),
        Err(TextError::Refused(ValueError::NotWhole { .. })) => "\"notWhole\"".to_owned(),
    }
}

/// The texts checked for one parameter: [`TYPED`], what it shows for a few values (as
/// shown, in other cases, without the space, without the unit) and its variants' names.
fn typed(info: &ParameterInfo) -> Vec<String> {
    let rules = info.rules();
    let mut texts: Vec<String> = TYPED.iter().map(|t| (*t).to_owned()).collect();
    let middle = rules.unnormalize(0.5);
    for value in [info.min, info.max, info.default, middle] {
        let shown = rules.to_text(value).expect("finite values have text");
        texts.push(shown.to_lowercase());
        texts.push(shown.to_uppercase());
        texts.push(shown.replace(' ', ""));
        if let Some(bare) = shown.strip_suffix(info.unit.as_str()) {
            texts.push(bare.trim_end().to_owned());
        }
        texts.push(shown);
    }
    if !info.unit.is_empty() {
        let unit = &info.unit;
        texts.extend([
            format!("5 {unit}"),
            format!("5{}", unit.to_uppercase()),
            format!("1 k{unit}"),
            format!("-0.5K{unit}"),
            format!("\u{2212}6 {unit}"),
            format!("{unit} 5"),
            format!("5 {unit} {unit}"),
        ]);
    }
    for variant in &info.variants {
        texts.extend([
            variant.to_uppercase(),
            format!(" {variant} "),
            variant.clone(),
        ]);
    }
    texts
}

fn number(value: f64) -> String {
    serde_json::to_string(&value).expect("finite numbers serialise")
}

/// The fixture's JSON text: one parameter per block, one checked value per line.
pub fn generate() -> String {
    let mut out = String::from(
        "{\n  \"generatedBy\": \"cargo xtask gen-ts (wavecraft_protocol::rules::fixture)\",\n  \
         \"rows\": \"values: [value, text, snapped, position]; positions: [position, value]; \
         parses: [typed text, value or why refused]\",\n  \
         \"parameters\": [\n",
    );
    let parameters = parameters();
    for (n, info) in parameters.iter().enumerate() {
        let rules = info.rules();
        let info_json = serde_json::to_string(info).expect("parameter info serialises");
        let _ = write!(
            out,
            "    {{\n      \"info\": {info_json},\n      \"values\": [\n"
        );
        let values = values(info);
        for (k, &value) in values.iter().enumerate() {
            let text = rules.to_text(value).expect("finite values have text");
            let snapped = rules.sanitize(value).expect("finite values sanitise");
            let _ = writeln!(
                out,
                "        [{}, {}, {}, {}]{}",
                number(value),
                serde_json::to_string(&text).expect("strings serialise"),
                number(snapped),
                number(rules.normalize(value)),
                if k + 1 < values.len() { "," } else { "" }
            );
        }
        out.push_str("      ],\n      \"positions\": [\n");
        let positions: Vec<f64> = (0..=POSITIONS)
            .map(|k| f64::from(k) / f64::from(POSITIONS))
            .chain([-0.1, 1.1])
            .collect();
        for (k, &position) in positions.iter().enumerate() {
            let _ = writeln!(
                out,
                "        [{}, {}]{}",
                number(position),
                number(rules.unnormalize(position)),
                if k + 1 < positions.len() { "," } else { "" }
            );
        }
        out.push_str("      ],\n      \"parses\": [\n");
        let texts = typed(info);
        for (k, text) in texts.iter().enumerate() {
            let _ = writeln!(
                out,
                "        [{}, {}]{}",
                serde_json::to_string(text).expect("strings serialise"),
                parsed(info, text),
                if k + 1 < texts.len() { "," } else { "" }
            );
        }
        let _ = writeln!(
            out,
            "      ]\n    }}{}",
            if n + 1 < parameters.len() { "," } else { "" }
        );
    }
    out.push_str("  ]\n}\n");
    out
}
