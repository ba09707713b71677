//! The author's React UI in the DAW's plugin window, tested as a DAW meets
//! it: `wavecraft bundle` builds the example (its UI embedded), a CLAP host
//! (clack-host) loads the `.clap` by path, creates the GUI embedded in an
//! X11 window this test makes, and drives the plugin's timer as a DAW's
//! event loop would. The page is probed (`WAVECRAFT_WINDOW_PROBE=1`): the
//! plugin logs what the page posts and shows to the host's log.
//!
//! Checks: (a) the page loads and calls `getAllParameters`; (b) a screenshot
//! (PNG in `target/test-artifacts/`) is not blank and shows the controls;
//! (c) a host parameter change shows in the page; (d) while the host runs
//! audio the page shows meter levels and the DAW's audio status, and dragging
//! a slider with the pointer sends gesture begin / values / gesture end to the
//! host and changes the processed audio; (e) opening and closing the window 20 times
//! leaves no threads or file descriptors behind; at a host's scale above 1
//! the page keeps its logical layout, drawn that much larger; (f) two
//! instances stay independent; a host without `timer-support` gets no
//! window and a log line saying why, as does one whose process already runs
//! another GTK (a GTK 2 fork found by its `gtk_major_version`, Ardour's YTK
//! by its file name); and the pages kept nothing on disk (no
//! directory named after the host program in the XDG cache or data home).
//! The host is DAW-like: timers at the
//! plugin's 8 ms and `posix-fd-support`, whose descriptors must all be
//! unregistered when the window closes. It prints figures (not checks): the
//! release `.clap` size, the time from `gui.create` to the first
//! `getAllParameters` (cold and warm) and the page-side `setParameter` round
//! trip with and without `posix-fd-support`, at a 2 ms and a DAW's 16 ms timer
//! (there also while audio plays), and how soon a value the plugin pushes
//! reaches the page when nothing pumps GTK after it. With
//! `WAVECRAFT_COLD_OPENINGS=<n>` it only measures cold openings, each in a
//! process of its own (see `support/cold_open.rs`).
//!
//! Its own `main` (no libtest): GTK inside the plugin belongs to the thread
//! that first used it, as in a DAW, where that is the host's main thread.
//! Needs an X11 display: `cargo xtask test` runs it under `xvfb-run -a` when
//! `DISPLAY` is unset.

#[path = "support/other_gtk_host.rs"]
mod other_gtk_host;
#[path = "support/page_report.rs"]
mod page_report;
#[path = "support/process_resources.rs"]
mod process_resources;
#[path = "support/window_host.rs"]
mod window_host;
#[path = "support/x11.rs"]
mod x11;

use process_resources::{fd_targets, growth_settled, resources};

#[path = "support/window_figures.rs"]
mod figures;

#[path = "support/cold_open.rs"]
mod cold_open;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;
use window_host::{drive, Heard, Instance, Mode};
use x11::Display;

use page_report::{HEIGHT, PAGE_LOAD, SETTLE, WIDTH};

fn main() {
    // Set before the plugin is loaded: the window reads it when it opens.
    std::env::set_var("WAVECRAFT_WINDOW_PROBE", "1");
    if other_gtk_host::run_if_child() {
        return;
    }
    let display = Display::connect();
    if let Some(bundle) = cold_open::child() {
        cold_open::open_once(&display, &bundle);
        return;
    }
    let bundle = bundle_example();
    if let Some(openings) = cold_open::requested() {
        cold_open::measure(&bundle, openings);
        return;
    }
    // Left by runs of this binary before the page stopped keeping data there.
    for dir in host_program_dirs() {
        let _ = std::fs::remove_dir_all(dir);
    }
    let mut one = Instance::new(&bundle);
    let parent = display.parent_window(0, 0, WIDTH, HEIGHT);
    check_page_loads(&mut one, parent);
    check_screenshot(&display, &mut one);
    check_host_change_shows(&mut one);
    check_drag_reaches_host_and_audio(&display, &mut one);
    drop(one);
    check_scale(&display, &bundle);
    check_two_instances(&display, &bundle);
    check_open_close(&display, &bundle);
    check_host_without_timers(&bundle);
    other_gtk_host::check(&bundle, &page_report::scratch());
    figures::measure_round_trips(&display, &bundle);
    figures::measure_push_without_pump(&display, &bundle);
    check_nothing_kept_on_disk();
    eprintln!("plugin_window: all checks passed");
}

/// Where a default WebKit context would keep a page's caches, HSTS database and storage:
/// directories named after the host program in the user's XDG cache and data homes.
fn host_program_dirs() -> [PathBuf; 2] {
    let home = PathBuf::from(std::env::var_os("HOME").expect("HOME is set"));
    let xdg = |var: &str, default: PathBuf| std::env::var_os(var).map_or(default, PathBuf::from);
    let exe = std::env::current_exe().expect("the test binary's path");
    let program = exe.file_name().expect("the test binary's name");
    [
        xdg("XDG_CACHE_HOME", home.join(".cache")).join(program),
        xdg("XDG_DATA_HOME", home.join(".local").join("share")).join(program),
    ]
}

/// The windows' pages kept nothing on disk: no directory named after the host appeared.
fn check_nothing_kept_on_disk() {
    let kept: Vec<PathBuf> = host_program_dirs()
        .into_iter()
        .filter(|dir| dir.exists())
        .collect();
    assert!(
        kept.is_empty(),
        "the plugin's pages wrote into the host's own directories: {:?}",
        kept.iter()
            .flat_map(|dir| wavecraft_test_support::files_below(dir))
            .collect::<Vec<_>>()
    );
}

/// The example bundled in release with its UI embedded: its `.clap` (size printed).
fn bundle_example() -> PathBuf {
    let clap = page_report::bundle_example("window-bundled")
        .clap
        .expect("the CLAP bundle")
        .path;
    let size = std::fs::metadata(&clap).unwrap().len();
    eprintln!(
        "figure: release {} with the example UI embedded: {:.2} MiB",
        clap.display(),
        size as f64 / 1_048_576.0
    );
    clap
}

fn artifacts() -> PathBuf {
    wavecraft_test_support::workspace_root()
        .join("target")
        .join("test-artifacts")
}

/// Every message the page posted, in order (the probe logs them; probe reports left out).
fn page_calls(instance: &Instance) -> Vec<(Instant, Value)> {
    instance
        .logs()
        .into_iter()
        .filter_map(|(at, line)| Some((at, serde_json::from_str(&line).ok()?)))
        .collect()
}

fn called(instance: &Instance, method: &str) -> Option<Instant> {
    page_calls(instance)
        .into_iter()
        .find(|(_, call)| call["method"] == method)
        .map(|(at, _)| at)
}

/// The slider labelled `label` in the newest probe: (centre x, centre y, width) in page pixels.
fn slider(instance: &Instance, label: &str) -> Option<(f64, f64, f64, String)> {
    page_report::slider(&instance.probe()?, label)
}

fn slider_value(instance: &Instance, label: &str) -> Option<String> {
    slider(instance, label).map(|s| s.3)
}

/// (a) The page loads from the embedded files and asks for every parameter over the bridge.
fn check_page_loads(one: &mut Instance, parent: u32) {
    let from = one.logs().len();
    let created = Instant::now();
    let (width, height) = one.open(parent);
    assert_eq!(
        (width, height),
        (WIDTH.into(), HEIGHT.into()),
        "the size the example asks for"
    );
    let loaded = drive(&mut [&mut *one], PAGE_LOAD, |i| {
        called(i[0], "getAllParameters").is_some() && slider(i[0], "Output").is_some()
    });
    assert!(
        loaded,
        "the page never called getAllParameters and showed its sliders; it posted: {:?}",
        one.logs()
    );
    // The example's window is fixed.
    let size = (u32::from(WIDTH), u32::from(HEIGHT));
    assert_eq!(one.sizing(640, 480), (false, Some(size), false));
    assert_eq!(one.sizing(size.0, size.1), (false, Some(size), true));
    let first = called(one, "getAllParameters").unwrap();
    eprintln!(
        "figure: gui.create → first getAllParameters: {:.0} ms (cold, first WebKit process)",
        (first - created).as_secs_f64() * 1000.0
    );
    assert!(
        figures::wait_for_painted(one, from),
        "the page never reported its controls painted"
    );
    let steps = figures::open_steps(one, from);
    figures::print_open_steps("cold", &steps);
    print_painted("cold", &[steps]);
}

/// Prints when the controls were painted (the frame after the sliders first showed values,
/// rendered), median over `openings` (figure, not a check).
fn print_painted(label: &str, openings: &[Vec<(String, f64)>]) {
    let mut painted: Vec<f64> = openings
        .iter()
        .filter_map(|steps| {
            steps
                .iter()
                .find(|(name, _)| name == "page: controlsPainted")
                .map(|(_, at)| *at)
        })
        .collect();
    painted.sort_by(f64::total_cmp);
    if let Some(median) = painted.get(painted.len() / 2) {
        eprintln!(
            "figure: gui.create → controls painted ({label}): median {median:.0} ms over {} openings",
            painted.len()
        );
    }
}

/// (b) The window shows the page: not blank, and each slider's box is drawn.
fn check_screenshot(display: &Display, one: &mut Instance) {
    let (x, y, w, _) = slider(one, "Output").unwrap();
    page_report::assert_window_shows(
        display,
        1.0,
        (x, y, w),
        &artifacts().join("plugin-window.png"),
        || {
            drive(&mut [&mut *one], Duration::from_millis(200), |_| false);
        },
    );
    // Hidden, the host's (black) window shows through; shown again, the page is back.
    one.set_visible(false);
    drive(&mut [&mut *one], Duration::from_millis(300), |_| false);
    let hidden = display.screenshot(0, 0, WIDTH, HEIGHT).colours();
    one.set_visible(true);
    drive(&mut [&mut *one], Duration::from_millis(500), |_| false);
    let shown = display.screenshot(0, 0, WIDTH, HEIGHT).colours();
    assert!(
        hidden == 1 && shown > 50,
        "hide/show: {hidden} colours hidden, {shown} shown again"
    );
}

/// (c) A value the host sets reaches the page and is shown there.
fn check_host_change_shows(one: &mut Instance) {
    let id = one.param_id("Output");
    let before = slider_value(one, "Output").unwrap();
    one.host_change(id, -6.0);
    let shown = drive(&mut [&mut *one], SETTLE, |i| {
        slider_value(i[0], "Output").as_deref() == Some("-6.00 dB")
    });
    assert!(
        shown,
        "the page shows {:?} (was {before:?}) after the host set -6 dB",
        slider_value(one, "Output")
    );
}

/// (d) A drag on a slider is one gesture at the host, and the audio follows.
fn check_drag_reaches_host_and_audio(display: &Display, one: &mut Instance) {
    one.start_audio();
    let id = one.param_id("Output");
    // The page hears the audio: meters from the audio thread, the DAW's audio status.
    let metered = drive(&mut [&mut *one], SETTLE, |i| {
        i[0].probe().is_some_and(|p| {
            let text = p["text"].as_str().unwrap_or("");
            // Silence reads "-∞ dB"; the test tone after the −6 dB output gain about −18 dB.
            text.contains("Peak\n-1") && !text.contains("-∞") && text.contains("Audio running")
        }) && i[0].block_rms.len() >= 40
    });
    assert!(
        metered,
        "the page shows no meter levels or audio status while audio runs: {:?}",
        one.probe().map(|p| p["text"].clone())
    );
    let quiet = level(one);
    let (x, y, w, _) = slider(one, "Output").unwrap();
    let heard_before = one.heard().len();
    // A person drags while the host's loop runs: the pointer moves on another thread.
    let ended = std::thread::scope(|scope| {
        scope.spawn(|| display.drag(x as i16, y as i16, (w / 3.0) as i16));
        drive(&mut [&mut *one], SETTLE, |i| {
            i[0].heard()[heard_before..].contains(&Heard::End(id))
        })
    });
    let heard: Vec<Heard> = one.heard()[heard_before..].to_vec();
    assert!(ended, "no gesture end reached the host: {heard:?}");
    assert_eq!(heard.first(), Some(&Heard::Begin(id)), "{heard:?}");
    assert_eq!(heard.last(), Some(&Heard::End(id)), "{heard:?}");
    let values: Vec<f64> = heard
        .iter()
        .filter_map(|h| match h {
            Heard::Value(i, v) if *i == id => Some(*v),
            _ => None,
        })
        .collect();
    assert!(
        !values.is_empty(),
        "no value between begin and end: {heard:?}"
    );
    let last = *values.last().unwrap();
    assert!(
        last > -6.0,
        "a drag to the right raises the gain: {values:?}"
    );
    assert_eq!(one.value(id), last, "the host reads the value the UI set");
    drive(&mut [&mut *one], Duration::from_millis(300), |_| false);
    let loud = level(one);
    figures::print_round_trips(one);
    let expected = 10f32.powf((last as f32 + 6.0) / 20.0);
    assert!(
        (loud / quiet - expected).abs() < 0.05 * expected,
        "output level went ×{:.3} for {last:.2} dB (expected ×{expected:.3})",
        loud / quiet
    );
}

/// The output's RMS over the last 40 blocks (a 256-frame block holds no whole number of the
/// test tone's periods, so one block's RMS wobbles by a few percent).
fn level(one: &Instance) -> f32 {
    let last = &one.block_rms[one.block_rms.len() - 40..];
    (last.iter().map(|r| r * r).sum::<f32>() / last.len() as f32).sqrt()
}

/// Opens the window, waits for the page's first call and its painted controls, closes it, lets
/// GTK settle; returns the time from `gui.create` to the page's `getAllParameters` and the
/// steps of the opening.
fn open_once(display: &Display, instance: &mut Instance) -> (Duration, Vec<(String, f64)>) {
    let parent = display.parent_window(0, 0, WIDTH, HEIGHT);
    let calls = page_calls(instance).len();
    let from = instance.logs().len();
    let created = Instant::now();
    instance.open(parent);
    let loaded = drive(&mut [&mut *instance], PAGE_LOAD, |i| {
        page_calls(i[0])[calls..]
            .iter()
            .any(|(_, call)| call["method"] == "getAllParameters")
    });
    assert!(
        !instance.fds().is_empty(),
        "an open window registers GLib's descriptors with a host that offers posix-fd-support"
    );
    assert!(
        loaded,
        "a reopened window's page never asked for its parameters"
    );
    let asked = page_calls(instance)[calls..]
        .iter()
        .find(|(_, call)| call["method"] == "getAllParameters")
        .map(|(at, _)| *at - created)
        .unwrap();
    assert!(
        figures::wait_for_painted(instance, from),
        "a reopened window's page never reported its controls painted"
    );
    let steps = figures::open_steps(instance, from);
    instance.close();
    assert_eq!(instance.timers(), 0, "destroy unregisters the timer");
    assert_eq!(instance.fds(), [], "destroy unregisters every descriptor");
    drive(&mut [&mut *instance], Duration::from_millis(200), |_| false);
    display.destroy(parent);
    (asked, steps)
}

/// The page's viewport (CSS pixels) in its newest report.
fn viewport(instance: &Instance) -> Option<(u64, u64)> {
    page_report::viewport(&instance.probe()?)
}

/// The host's scale (HiDPI): at scale 1.25 the window is that much larger than the example's
/// size in physical pixels and the page keeps its logical layout (its viewport stays 800 × 600
/// CSS pixels), so its controls are drawn that much larger where they belong; a scale the host
/// sets while the window is open (1.5) resizes it and keeps the page's layout too. (Scales
/// that fit xvfb-run's 1280 × 1024 screen, which the screenshot must stay within.)
fn check_scale(display: &Display, bundle: &Path) {
    const SCALE: f64 = 1.25;
    let scaled = |side: u16| (f64::from(side) * SCALE).round() as u16;
    let mut instance = Instance::new(bundle);
    instance.scale = SCALE;
    let parent = display.parent_window(0, 0, scaled(WIDTH), scaled(HEIGHT));
    let size = instance.open(parent);
    assert_eq!(
        size,
        (u32::from(scaled(WIDTH)), u32::from(scaled(HEIGHT))),
        "get_size at scale {SCALE}"
    );
    let logical = (u64::from(WIDTH), u64::from(HEIGHT));
    let loaded = drive(&mut [&mut instance], PAGE_LOAD, |i| {
        viewport(i[0]).is_some() && slider(i[0], "Output").is_some()
    });
    assert!(loaded, "the page loads at scale {SCALE}");
    assert_eq!(
        viewport(&instance),
        Some(logical),
        "at scale {SCALE} the page keeps the example's logical size"
    );
    let (x, y, w, _) = slider(&instance, "Output").unwrap();
    page_report::assert_window_shows(
        display,
        SCALE,
        (x, y, w),
        &artifacts().join("plugin-window-scaled.png"),
        || {
            drive(&mut [&mut instance], Duration::from_millis(200), |_| false);
        },
    );
    assert_eq!(
        instance.set_scale(1.5),
        (u32::from(WIDTH) * 3 / 2, u32::from(HEIGHT) * 3 / 2),
        "get_size after set_scale(1.5)"
    );
    // The page reports four times a second: wait for one made after the change.
    let from = instance.logs().len();
    drive(&mut [&mut instance], Duration::from_millis(300), |_| false);
    let reported = drive(&mut [&mut instance], SETTLE, |i| {
        i[0].logs()[from..]
            .iter()
            .any(|(_, line)| line.starts_with("wavecraft-probe:{") && line.contains("\"viewport\""))
    });
    assert!(reported, "the page reported after set_scale(1.5)");
    assert_eq!(
        viewport(&instance),
        Some(logical),
        "after set_scale(1.5) on the open window the page keeps its logical size"
    );
    instance.close();
    display.destroy(parent);
}

/// (e) Twenty open/close cycles leave no thread or file descriptor behind, and values live on.
fn check_open_close(display: &Display, bundle: &Path) {
    let mut instance = Instance::new(bundle);
    let id = instance.param_id("Drive");
    instance.host_change(id, 12.0);
    // The first window starts WebKit's shared machinery (its network process), which stays.
    open_once(display, &mut instance);
    let before = resources();
    let fds_before = fd_targets();
    let (mut warm, steps): (Vec<Duration>, Vec<_>) =
        (0..20).map(|_| open_once(display, &mut instance)).unzip();
    warm.sort();
    figures::print_median_steps("warm, 20 reopenings", &steps);
    print_painted("warm", &steps);
    eprintln!(
        "figure: gui.create → first getAllParameters, warm (20 reopenings): median {:.0} ms, max {:.0} ms",
        warm[10].as_secs_f64() * 1000.0,
        warm[19].as_secs_f64() * 1000.0
    );
    let (threads, grown) = growth_settled((before.0, &fds_before), Duration::from_secs(10), || {
        drive(&mut [&mut instance], Duration::from_millis(250), |_| false);
    });
    eprintln!(
        "threads, fds: {before:?} after one window, {:?} after 20 more",
        resources()
    );
    assert!(
        threads <= before.0 && grown.is_empty(),
        "20 open/close cycles grew the threads from {} to {threads} and left these descriptors: \
         {grown:?}",
        before.0
    );
    assert_eq!(instance.value(id), 12.0, "closing windows keeps the values");
}

/// (f) Two instances at once: each page shows its own instance's values.
fn check_two_instances(display: &Display, bundle: &Path) {
    let mut a = Instance::new(bundle);
    let mut b = Instance::new(bundle);
    let (pa, pb) = (
        display.parent_window(0, 0, WIDTH, HEIGHT),
        display.parent_window(400, 200, WIDTH, HEIGHT),
    );
    a.open(pa);
    b.open(pb);
    let id = a.param_id("Output");
    let both = drive(&mut [&mut a, &mut b], PAGE_LOAD, |i| {
        slider(i[0], "Output").is_some() && slider(i[1], "Output").is_some()
    });
    assert!(both, "both pages load");
    a.host_change(id, -6.0);
    b.host_change(id, 3.0);
    let shown = drive(&mut [&mut a, &mut b], SETTLE, |i| {
        slider_value(i[0], "Output").as_deref() == Some("-6.00 dB")
            && slider_value(i[1], "Output").as_deref() == Some("3.00 dB")
    });
    assert!(
        shown,
        "each page shows its own value: a {:?}, b {:?}",
        slider_value(&a, "Output"),
        slider_value(&b, "Output")
    );
    assert_eq!((a.value(id), b.value(id)), (-6.0, 3.0));
    check_one_wake_answers_every_page(display, &mut a, &mut b, (400, 200));
    a.close();
    // Destroying an instance whose window is open is safe.
    drop(b);
    drop(a);
    display.destroy(pa);
    display.destroy(pb);
}

/// GTK's loop is one per process, so one instance's pump also takes what another's page posts.
/// With only `a` woken, a drag on `b`'s slider (its parent at `b_at`) must still be answered by
/// `b`'s own handler: `b`'s value changes and its page gets its replies.
fn check_one_wake_answers_every_page(
    display: &Display,
    a: &mut Instance,
    b: &mut Instance,
    b_at: (i16, i16),
) {
    let id = b.param_id("Output");
    let before = b.value(id);
    let (x, y, w, _) = slider(b, "Output").unwrap();
    std::thread::scope(|scope| {
        let drag =
            scope.spawn(|| display.drag(b_at.0 + x as i16, b_at.1 + y as i16, (w / 3.0) as i16));
        drive(&mut [&mut *a], SETTLE, |_| drag.is_finished());
    });
    drive(&mut [&mut *a], Duration::from_millis(600), |_| false);
    // Only b's handler stores b's value, and only when it answers b's page.
    assert!(
        b.value(id) != before,
        "with only the other instance woken, b's setParameter calls were not answered: \
         value {} (was {before})",
        b.value(id)
    );
    // b's page counted the replies as they arrived; its probe report reaches b's host log
    // at b's own next wake.
    drive(&mut [&mut *b], Duration::from_millis(300), |_| false);
    let trips = b
        .probe()
        .map(|p| p["roundTrips"].as_array().map_or(0, Vec::len))
        .unwrap_or(0);
    assert!(
        trips > 0,
        "b's page saw no replies to its setParameter calls"
    );
    eprintln!("one instance's wakes answered the other's page: {trips} setParameter round trips");
}

/// A Linux host without `timer-support` gets no window (nothing would run GTK) and a log line
/// saying why.
fn check_host_without_timers(bundle: &Path) {
    let no_timers = Mode {
        timers: false,
        ..Mode::with_fds(Duration::from_millis(8))
    };
    let mut instance = Instance::in_host(bundle, no_timers);
    assert!(
        !instance.try_create(),
        "gui.create must fail without the host's timer"
    );
    let logs = instance.logs();
    assert!(
        logs.iter()
            .any(|(_, line)| line.contains("no timer-support")),
        "the host's log says why: {logs:?}"
    );
}
