//! Cold-open figures for the window suite (printed, never checked). With
//! `WAVECRAFT_COLD_OPENINGS=<n>` the suite runs nothing else: it opens the
//! bundled example's window in `n` fresh processes (this test binary again),
//! each the first window of its process, so GTK, WebKit's context and its web
//! and network processes all start, and prints the median of every step of
//! an opening. One cold opening per run of the whole suite is too few to
//! compare changes on a noisy machine. With
//! `WAVECRAFT_COLD_OPEN_BASELINE=<path to another .clap>` every pair of
//! openings also opens that bundle (alternating which goes first), and the
//! ratio of the two medians is printed: a change measured against the code
//! before it, in the same session.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::figures;
use super::window_host::{drive, Instance};
use super::x11::Display;
use super::{called, slider, HEIGHT, PAGE_LOAD, WIDTH};

/// How many cold openings to measure instead of running the suite.
const OPENINGS: &str = "WAVECRAFT_COLD_OPENINGS";
/// The bundle to measure against, alternating with this suite's.
const BASELINE: &str = "WAVECRAFT_COLD_OPEN_BASELINE";
/// Set by [`measure`] for each process it starts: the bundle that process opens once.
const CHILD: &str = "WAVECRAFT_COLD_OPEN_CHILD";
/// The first characters of the line in which a child reports its opening's steps.
const REPORT: &str = "cold-open-steps:";
/// The step the figure is taken at, and the one the user sees.
const FIRST_CALL: &str = "plugin: getAllParameters received";
const PAINTED: &str = "page: controlsPainted";

/// The number of cold openings asked for (`None`: run the suite).
pub fn requested() -> Option<usize> {
    let openings = std::env::var(OPENINGS).ok()?;
    match openings.parse() {
        Ok(n) if n > 0 => Some(n),
        _ => panic!("{OPENINGS} must be a number of openings (at least 1), not {openings:?}"),
    }
}

/// The bundle this process was started to open once, cold.
pub fn child() -> Option<PathBuf> {
    std::env::var_os(CHILD).map(PathBuf::from)
}

/// In a process [`measure`] started: opens `bundle`'s window once (the first of the process)
/// and prints every step of the opening, as ms after `gui.create`.
pub fn open_once(display: &Display, bundle: &Path) {
    let mut instance = Instance::new(bundle);
    let parent = display.parent_window(0, 0, WIDTH, HEIGHT);
    instance.open(parent);
    let loaded = drive(&mut [&mut instance], PAGE_LOAD, |i| {
        called(i[0], "getAllParameters").is_some() && slider(i[0], "Output").is_some()
    });
    assert!(loaded, "the page never called getAllParameters");
    assert!(
        figures::wait_for_painted(&mut instance, 0),
        "the page never reported its controls painted"
    );
    let steps = figures::open_steps(&instance, 0);
    println!("{REPORT}{}", serde_json::to_string(&steps).unwrap());
    instance.close();
    display.destroy(parent);
}

/// Opens `bundle`'s window cold `openings` times (each in a process of its own, alternating
/// with the baseline bundle if one is named) and prints the medians.
pub fn measure(bundle: &Path, openings: usize) {
    let baseline = std::env::var_os(BASELINE).map(PathBuf::from);
    let (mut this, mut base) = (Vec::new(), Vec::new());
    for round in 0..openings {
        match &baseline {
            Some(other) if round % 2 == 1 => {
                base.push(open_in_child(other));
                this.push(open_in_child(bundle));
            }
            Some(other) => {
                this.push(open_in_child(bundle));
                base.push(open_in_child(other));
            }
            None => this.push(open_in_child(bundle)),
        }
    }
    let label = format!("cold, {openings} processes");
    figures::print_median_steps(&label, &this);
    print_figures("this bundle", &this);
    if let Some(other) = baseline {
        figures::print_median_steps(&format!("{label}, baseline"), &base);
        print_figures(&format!("baseline {}", other.display()), &base);
        for step in [FIRST_CALL, PAINTED] {
            eprintln!(
                "figure: cold {step}: this / baseline = {:.2} (medians {:.0} / {:.0} ms)",
                median(&this, step) / median(&base, step),
                median(&this, step),
                median(&base, step)
            );
        }
    }
}

/// Runs this test binary to open `bundle` once; the steps it reports.
fn open_in_child(bundle: &Path) -> Vec<(String, f64)> {
    let exe = std::env::current_exe().expect("the test binary's path");
    let out = Command::new(exe)
        .env(CHILD, bundle)
        .env_remove(OPENINGS)
        .output()
        .expect("start a process for one cold opening");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report = stdout.lines().find_map(|line| line.strip_prefix(REPORT));
    match (out.status.success(), report) {
        (true, Some(steps)) => serde_json::from_str(steps).expect("the child's steps"),
        _ => panic!(
            "a cold opening of {} failed ({}): {}",
            bundle.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// Prints the median, least and most of the first call and of the painted controls.
fn print_figures(label: &str, openings: &[Vec<(String, f64)>]) {
    for step in [FIRST_CALL, PAINTED] {
        let all = at(openings, step);
        eprintln!(
            "figure: gui.create → {step} ({label}, cold): median {:.0} ms, least {:.0}, most {:.0} \
             over {} processes",
            median(openings, step),
            all.first().copied().unwrap_or(f64::NAN),
            all.last().copied().unwrap_or(f64::NAN),
            all.len()
        );
    }
}

/// When each opening reached `step` (ms after `gui.create`), sorted.
fn at(openings: &[Vec<(String, f64)>], step: &str) -> Vec<f64> {
    let mut all: Vec<f64> = openings
        .iter()
        .filter_map(|steps| steps.iter().find(|(name, _)| name == step).map(|s| s.1))
        .collect();
    all.sort_by(f64::total_cmp);
    all
}

fn median(openings: &[Vec<(String, f64)>], step: &str) -> f64 {
    let all = at(openings, step);
    all.get(all.len() / 2).copied().unwrap_or(f64::NAN)
}
