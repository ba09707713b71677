//! What both window suites (CLAP and VST3) share: the example's window size,
//! how long they wait for a page, and how to read a probed page's report
//! (`plugin_window`'s probe: its viewport and its sliders), and how to tell
//! from a screenshot that the window shows the page; and the example they
//! load, bundled with its UI.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;
use wavecraft_cli::bundle::{bundle, BundleOptions, Bundled};

use super::x11::{Display, Shot};

/// The example's window (its Cargo.toml: 800 × 600, fixed), and each parent window's size.
pub const WIDTH: u16 = 800;
pub const HEIGHT: u16 = 600;
/// Longest wait for a page to load.
pub const PAGE_LOAD: Duration = Duration::from_secs(20);
/// Longest wait for a page to show a change.
pub const SETTLE: Duration = Duration::from_secs(5);

/// The window suites' scratch folder (`target/test-bundles`, the build shared with the other
/// bundle suites).
pub fn scratch() -> PathBuf {
    wavecraft_test_support::workspace_root()
        .join("target")
        .join("test-bundles")
}

/// The example bundled in release (all formats) with its UI embedded, into `scratch()/<out>`.
pub fn bundle_example(out: &str) -> Bundled {
    let scratch = scratch();
    let options = BundleOptions {
        target_dir: Some(scratch.clone()),
        out_dir: scratch.join(out),
        ..BundleOptions::new(
            wavecraft_test_support::workspace_root()
                .join("examples")
                .join("example-plugin"),
        )
    };
    let done = bundle(&options).expect("bundling the example");
    assert!(done.ui.is_some(), "the example's UI is embedded");
    done
}

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

/// Screenshots the window (the top-left `scale` × [`WIDTH`] × [`HEIGHT`] pixels of the
/// display) until it shows the page drawn or [`SETTLE`] passes, running `pump` (the host's
/// loop, a little) between shots: WebKit paints a while after the page's DOM is ready, and
/// may first paint an earlier state (its "Loading parameters…" text is not blank). Saves
/// the last shot as `png` and asserts it is not (nearly) blank and that something is drawn
/// where `slider` (its centre x, centre y and width in CSS pixels, from the page's report)
/// sits, at `scale` times its place. How long painting took.
pub fn assert_window_shows(
    display: &Display,
    scale: f64,
    slider: (f64, f64, f64),
    png: &Path,
    mut pump: impl FnMut(),
) -> Duration {
    let (x, y, w) = slider;
    let slider_drawn = |shot: &Shot| {
        shot.colours_in(
            (scale * (x - w / 2.0)) as u32,
            (scale * y - 10.0) as u32,
            (scale * w) as u32,
            20,
        ) > 2
    };
    let scaled = |side: u16| (f64::from(side) * scale).round() as u16;
    let shoot = || display.screenshot(0, 0, scaled(WIDTH), scaled(HEIGHT));
    let painting = Instant::now();
    let mut shot = shoot();
    while !(shot.colours() > 50 && slider_drawn(&shot)) && painting.elapsed() < SETTLE {
        pump();
        shot = shoot();
    }
    let painted = painting.elapsed();
    shot.save_png(png);
    eprintln!("screenshot: {}", png.display());
    assert!(
        shot.colours() > 50,
        "the window is (nearly) blank: {} colours; see {}",
        shot.colours(),
        png.display()
    );
    assert!(
        slider_drawn(&shot),
        "nothing is drawn at {scale} × the Output slider's place; see {}",
        png.display()
    );
    painted
}
