//! What both window suites (CLAP and VST3) share: the example's window size,
//! how long they wait for a page, and how to read a probed page's report
//! (`plugin_window`'s probe: its viewport and its sliders).

use std::time::Duration;

use serde_json::Value;

/// The example's window (its Cargo.toml: 800 × 600, fixed), and each parent window's size.
pub const WIDTH: u16 = 800;
pub const HEIGHT: u16 = 600;
/// Longest wait for a page to load.
pub const PAGE_LOAD: Duration = Duration::from_secs(20);
/// Longest wait for a page to show a change.
pub const SETTLE: Duration = Duration::from_secs(5);

/// The page's viewport (CSS pixels) in `report`.
pub fn viewport(report: &Value) -> Option<(u64, u64)> {
    Some((
        report["viewport"]["width"].as_u64()?,
        report["viewport"]["height"].as_u64()?,
    ))
}

/// The slider labelled `label` in `report`: (centre x, centre y, width, value text).
pub fn slider(report: &Value, label: &str) -> Option<(f64, f64, f64, String)> {
    report["sliders"].as_array()?.iter().find_map(|s| {
        (s["label"] == label).then(|| {
            (
                s["x"].as_f64().unwrap() + s["width"].as_f64().unwrap() / 2.0,
                s["y"].as_f64().unwrap() + s["height"].as_f64().unwrap() / 2.0,
                s["width"].as_f64().unwrap(),
                s["value"].as_str().unwrap_or("").to_owned(),
            )
        })
    })
}
