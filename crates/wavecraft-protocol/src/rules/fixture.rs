//! The fixture that holds the UI's port of these rules to them: every
//! parameter kind and unit, each swept densely across (and past) its range,
//! with what the Rust rules say for every value.
//!
//! `ui/packages/components/src/mapping.test.ts` checks `mapping.ts` against
//! it: the text must be identical, the snapped value identical, positions
//! and values from positions equal within `1e-9` of the range (both sides
//! call their platform's `pow`, which may differ in the last bit). The
//! `parameter_rules_fixture` test fails when the committed file is stale;
//! `cargo xtask gen-ts` rewrites it.

use std::fmt::Write;

use super::skew_for_centre;
use crate::parameter::{ParameterInfo, ParameterKind};

/// Where the fixture lives, relative to the workspace root.
pub const OUTPUT_PATH: &str = "ui/packages/components/src/generated/parameterRules.json";

/// Values swept evenly across each range (and 5 % past both ends).
const SWEEP: u32 = 120;
/// Slider positions swept evenly across `0..=1`.
const POSITIONS: u32 = 50;

fn param(kind: ParameterKind, min: f64, max: f64, unit: &str) -> ParameterInfo {
    ParameterInfo {
        id: String::new(),
        name: String::new(),
        kind,
        min,
        max,
        default: min,
        value: min,
        revision: 0,
        unit: unit.to_owned(),
        group: String::new(),
        step: None,
        skew: 1.0,
        variants: Vec::new(),
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

fn number(value: f64) -> String {
    serde_json::to_string(&value).expect("finite numbers serialise")
}

/// The fixture's JSON text: one parameter per block, one checked value per line.
pub fn generate() -> String {
    let mut out = String::from(
        "{\n  \"generatedBy\": \"cargo xtask gen-ts (wavecraft_protocol::rules::fixture)\",\n  \
         \"rows\": \"values: [value, text, snapped, position]; positions: [position, value]\",\n  \
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
        let _ = writeln!(
            out,
            "      ]\n    }}{}",
            if n + 1 < parameters.len() { "," } else { "" }
        );
    }
    out.push_str("  ]\n}\n");
    out
}
