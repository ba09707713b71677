//! The author's React UI in a VST3 host's plugin window, tested as a Linux
//! DAW meets it: `wavecraft bundle` builds the example (its UI embedded),
//! `wavecraft-vst3-host` loads the bundled `.vst3` by path, asks the
//! controller for its editor (`createView("editor")`), gives it an
//! `IPlugFrame` that answers `Linux::IRunLoop`, attaches it to an X11 window
//! this test makes, and runs the run loop (the view's timer and descriptors,
//! by `ppoll`) as a DAW's event loop would. The page is probed
//! (`WAVECRAFT_WINDOW_PROBE=1`): the plugin appends what the page posts and
//! shows to a file (`WAVECRAFT_WINDOW_PROBE_LOG`), which this test reads.
//!
//! Checks: the view's platform type and size (the example's fixed 800 × 600);
//! the page loads and calls `getAllParameters`; a screenshot (PNG in
//! `target/test-artifacts/`) is not blank and the Output slider is drawn; a
//! host `setParamNormalized` shows in the page; a pointer drag on a slider
//! is `beginEdit` / `performEdit` / `endEdit` at the host's component
//! handler, and the controller holds the last value; while the host processes
//! audio the page shows the DAW's audio status and the processor's meters;
//! a loaded component state moves the page; at a host's content scale the
//! view asks for that much more room (and, attached, its frame to resize) and
//! the page keeps its logical layout; `removed` unregisters
//! the timer and every descriptor, and 10 open/close cycles leave no thread
//! or file descriptor behind; a frame without `IRunLoop` gets
//! `kResultFalse` from `attached`; an instance released while its window is
//! open leaves the window working until the host removes it. It prints the
//! time from `attached` to the page's first `getAllParameters` (a figure,
//! not a check).
//!
//! Its own `main` (no libtest): GTK inside the plugin belongs to the thread
//! that first used it, as in a DAW. Needs an X11 display: run it under
//! `xvfb-run -a`, as `cargo xtask test` does when `DISPLAY` is unset.

#[path = "support/page_report.rs"]
mod page_report;
#[path = "support/probe_log.rs"]
mod probe_log;
#[path = "support/process_resources.rs"]
mod process_resources;
// Shared with bundle_vst3; this test uses its instance helpers, not its render.
#[allow(dead_code)]
#[path = "support/vst3_host.rs"]
mod vst3_host;
#[path = "support/x11.rs"]
mod x11;

use process_resources::{fd_targets, growth_settled, resources};

use std::path::PathBuf;
use std::time::{Duration, Instant};

use page_report::{HEIGHT, PAGE_LOAD, SETTLE, WIDTH};
use probe_log::Page;
use vst3_host::{instantiate, param};
use wavecraft_vst3_host::{Editor, HostEvent, Module, ParameterChanges, Plugin, Setup};
use x11::Display;

/// `kResultOk` and `kResultFalse`.
const OK: i32 = 0;
const FALSE: i32 = 1;

fn main() {
    let log = artifacts().join("vst3-window-probe.log");
    std::fs::create_dir_all(artifacts()).unwrap();
    std::fs::write(&log, "").unwrap();
    // Set before the plugin is loaded: the window reads them when it opens.
    std::env::set_var("WAVECRAFT_WINDOW_PROBE", "1");
    std::env::set_var("WAVECRAFT_WINDOW_PROBE_LOG", &log);
    let display = Display::connect();
    let module = Module::load(&bundle_example()).expect("load the bundled .vst3");
    let mut plugin = instantiate(&module);
    let mut page = Page::new(&log);
    let mut editor = plugin
        .create_editor(true)
        .expect("the example has an editor");
    check_view_answers(&editor);
    let parent = display.parent_window(0, 0, WIDTH, HEIGHT);
    check_page_loads(&mut editor, &mut page, parent);
    check_screenshot(&display, &editor, &mut page);
    check_host_change_shows(&plugin, &editor, &mut page);
    check_drag_reaches_host(&display, &plugin, &editor, &mut page);
    check_audio_reaches_page(&mut plugin, &editor, &mut page);
    check_loaded_state_shows(&plugin, &editor, &mut page);
    close(editor, &display, parent);
    check_open_close(&display, &plugin, &mut page);
    check_content_scale(&display, &plugin, &mut page);
    check_frame_without_run_loop(&display, &plugin);
    drop(plugin);
    check_instance_released_with_window_open(&display, &module, &mut page);
    eprintln!("vst3_window: all checks passed");
}

/// The example bundled in release (all formats) with its UI embedded: its `.vst3`.
fn bundle_example() -> PathBuf {
    page_report::bundle_example("vst3-window-bundled")
        .vst3
        .expect("the VST3 bundle")
        .path
}

fn artifacts() -> PathBuf {
    wavecraft_test_support::workspace_root()
        .join("target")
        .join("test-artifacts")
}

/// Runs the editor's run loop until `done` holds for the page or `limit` passes.
fn drive(
    editor: &Editor,
    page: &mut Page,
    limit: Duration,
    mut done: impl FnMut(&Page) -> bool,
) -> bool {
    editor.run_loop().run_until(limit, || {
        page.poll();
        done(page)
    })
}

/// The host closes the window: `removed`, which unregisters the view's timer and every
/// descriptor, then the view and its parent window go.
fn close(mut editor: Editor, display: &Display, parent: u32) {
    editor.remove().expect("removed");
    assert_eq!(
        editor.run_loop().timers(),
        0,
        "removed unregisters the timer"
    );
    let fds = editor.run_loop().fds();
    assert!(
        fds.is_empty(),
        "removed unregisters every descriptor: {fds:?}"
    );
    drop(editor);
    display.destroy(parent);
}

/// The view's platform type and size, from the example's window metadata.
fn check_view_answers(editor: &Editor) {
    assert!(editor.supports_x11(), "X11EmbedWindowID is supported");
    assert_eq!(editor.size().unwrap(), (WIDTH.into(), HEIGHT.into()));
    assert!(!editor.can_resize(), "the example's window is fixed");
    assert_eq!(
        editor.constrain(640, 480).unwrap(),
        (WIDTH.into(), HEIGHT.into()),
        "a fixed window constrains any size to its own"
    );
}

/// The page loads from the embedded files and asks for every parameter over the bridge.
fn check_page_loads(editor: &mut Editor, page: &mut Page, parent: u32) {
    page.poll();
    let from = page.calls.len();
    let attached = Instant::now();
    assert_eq!(editor.attach(parent), OK, "attached");
    assert!(
        editor.run_loop().timers() == 1,
        "attached registers one timer"
    );
    let loaded = drive(editor, page, PAGE_LOAD, |p| {
        p.called_since(from, "getAllParameters").is_some() && p.slider("Output").is_some()
    });
    assert!(
        loaded,
        "the page never called getAllParameters and showed its sliders; it posted {:?}",
        page.calls
    );
    assert!(
        !editor.run_loop().fds().is_empty(),
        "an open window registers the toolkit's descriptors with the run loop"
    );
    let first = page.called_since(from, "getAllParameters").unwrap();
    eprintln!(
        "figure: attached → first getAllParameters: {:.0} ms (cold, first WebKit process)",
        (first - attached).as_secs_f64() * 1000.0
    );
}

/// The window shows the page: not blank, and the Output slider is drawn.
fn check_screenshot(display: &Display, editor: &Editor, page: &mut Page) {
    let (x, y, w, _) = page.slider("Output").unwrap();
    let painted = page_report::assert_window_shows(
        display,
        1.0,
        (x, y, w),
        &artifacts().join("vst3-window.png"),
        || {
            drive(editor, page, Duration::from_millis(200), |_| false);
        },
    );
    eprintln!(
        "painted {:.0} ms after the page showed its sliders",
        painted.as_secs_f64() * 1000.0
    );
}

/// A value the host sets on the controller reaches the page and is shown there.
fn check_host_change_shows(plugin: &Plugin, editor: &Editor, page: &mut Page) {
    let id = param(plugin, "Output").id;
    let before = page.slider("Output").unwrap().3;
    plugin
        .set_normalized(id, plugin.to_normalized(id, -6.0))
        .expect("setParamNormalized");
    let shown = drive(editor, page, SETTLE, |p| {
        p.slider("Output").is_some_and(|s| s.3 == "-6.00 dB")
    });
    assert!(
        shown,
        "the page shows {:?} (was {before:?}) after the host set -6 dB",
        page.slider("Output").map(|s| s.3)
    );
}

/// A drag on a slider is one gesture at the host's component handler.
fn check_drag_reaches_host(display: &Display, plugin: &Plugin, editor: &Editor, page: &mut Page) {
    let id = param(plugin, "Output").id;
    let before = plugin.normalized(id);
    plugin.host_events();
    let (x, y, w, _) = page.slider("Output").unwrap();
    let mut heard = Vec::new();
    // A person drags while the host's loop runs: the pointer moves on another thread.
    let ended = std::thread::scope(|scope| {
        scope.spawn(|| display.drag(x as i16, y as i16, (w / 3.0) as i16));
        drive(editor, page, SETTLE, |_| {
            heard.extend(plugin.host_events());
            heard.contains(&HostEvent::EndEdit(id))
        })
    });
    assert!(ended, "no endEdit reached the host: {heard:?}");
    assert_eq!(heard.first(), Some(&HostEvent::BeginEdit(id)), "{heard:?}");
    assert_eq!(heard.last(), Some(&HostEvent::EndEdit(id)), "{heard:?}");
    let values: Vec<f64> = heard
        .iter()
        .filter_map(|h| match h {
            HostEvent::PerformEdit(i, v) if *i == id => Some(*v),
            _ => None,
        })
        .collect();
    let last = *values
        .last()
        .unwrap_or_else(|| panic!("no performEdit between begin and end: {heard:?}"));
    assert!(
        last > before,
        "a drag to the right raises the value: {before} → {values:?}"
    );
    assert!(
        values.iter().all(|v| (0.0..=1.0).contains(v)),
        "performEdit takes normalised values: {values:?}"
    );
    assert_eq!(
        plugin.normalized(id),
        last,
        "the controller holds the value the UI set"
    );
}

/// While the host processes audio the page shows the DAW's audio status and meter levels from
/// the processor; when it stops, the page says so.
fn check_audio_reaches_page(plugin: &mut Plugin, editor: &Editor, page: &mut Page) {
    const BLOCK: usize = 256;
    let text = |p: &Page| {
        p.probe
            .as_ref()
            .and_then(|probe| probe["text"].as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    let mut processing = plugin
        .start(Setup::realtime(48_000.0, BLOCK))
        .expect("set up and activate");
    let points = ParameterChanges::with_capacity(8, 8);
    let tone: Vec<f32> = (0..BLOCK)
        .map(|i| 0.5 * (std::f32::consts::TAU * 750.0 * i as f32 / 48_000.0).sin())
        .collect();
    let mut outs = vec![vec![0.0f32; BLOCK]; 2];
    let metered = drive(editor, page, SETTLE, |p| {
        let (left, right) = outs.split_at_mut(1);
        processing
            .process(&[&tone, &tone], &mut [&mut left[0], &mut right[0]], &points)
            .expect("process");
        let shown = text(p);
        shown.contains("Audio running") && !shown.contains("-∞")
    });
    assert!(
        metered,
        "the page shows no meter levels or audio status while the host processes: {:?}",
        text(page)
    );
    processing.stop().expect("stop processing and deactivate");
    let stopped = drive(editor, page, SETTLE, |p| !text(p).contains("Audio running"));
    assert!(
        stopped,
        "the page still says audio runs after setActive(false)"
    );
}

/// A component state the host loads (`setState`, then the controller's `setComponentState`)
/// moves the page to the values it holds.
fn check_loaded_state_shows(plugin: &Plugin, editor: &Editor, page: &mut Page) {
    let id = param(plugin, "Output").id;
    // The host relayed none of its own or the page's edits to the processor, whose state
    // therefore holds the default 0 dB while the controller and the page show another value.
    let state = plugin.state().expect("getState");
    let shown = page.slider("Output").unwrap().3;
    assert_ne!(
        shown, "0.00 dB",
        "the page starts away from the state's value"
    );
    plugin
        .load_state(&state)
        .expect("setState + setComponentState");
    assert_eq!(plugin.to_plain(id, plugin.normalized(id)), 0.0);
    let moved = drive(editor, page, SETTLE, |p| {
        p.slider("Output").is_some_and(|s| s.3 == "0.00 dB")
    });
    assert!(
        moved,
        "the page shows {:?} (was {shown:?}) after the host loaded a state with 0 dB",
        page.slider("Output").map(|s| s.3)
    );
}

/// Creates a view, attaches it, waits for the page's first call, removes and releases it.
fn open_once(display: &Display, plugin: &Plugin, page: &mut Page) -> Duration {
    let parent = display.parent_window(0, 0, WIDTH, HEIGHT);
    let mut editor = plugin.create_editor(true).unwrap();
    page.poll();
    let from = page.calls.len();
    let attached = Instant::now();
    assert_eq!(editor.attach(parent), OK);
    let loaded = drive(&editor, page, PAGE_LOAD, |p| {
        p.called_since(from, "getAllParameters").is_some()
    });
    assert!(
        loaded,
        "a reopened window's page never asked for its parameters"
    );
    let asked = page.called_since(from, "getAllParameters").unwrap() - attached;
    close(editor, display, parent);
    asked
}

/// The host's content scale (HiDPI, `IPlugViewContentScaleSupport`): set before `attached`,
/// the view asks for that much more room and its page keeps its logical 800 × 600 CSS
/// pixels; a NaN scale is refused and changes nothing; set while attached, the view asks its
/// frame to resize (`resizeView`, which the host answers with `onSize`) and its page keeps
/// its layout. (Sizes that fit xvfb-run's 1280 × 1024 screen.)
fn check_content_scale(display: &Display, plugin: &Plugin, page: &mut Page) {
    let logical = (u64::from(WIDTH), u64::from(HEIGHT));
    let mut editor = plugin.create_editor(true).unwrap();
    assert_eq!(editor.set_content_scale(1.25).unwrap(), OK);
    assert_eq!(editor.size().unwrap(), (1000, 750), "getSize at scale 1.25");
    assert_ne!(
        editor.set_content_scale(f32::NAN).unwrap(),
        OK,
        "a NaN scale is refused"
    );
    assert_eq!(editor.size().unwrap(), (1000, 750), "and changes nothing");
    let parent = display.parent_window(0, 0, 1000, 750);
    page.poll();
    let reports = page.reports;
    assert_eq!(editor.attach(parent), OK, "attached at scale 1.25");
    let loaded = drive(&editor, page, PAGE_LOAD, |p| {
        p.reports > reports && p.slider("Output").is_some()
    });
    assert!(loaded, "the page loads at scale 1.25");
    assert_eq!(
        page.viewport(),
        Some(logical),
        "at scale 1.25 the page keeps the example's logical size"
    );
    assert_eq!(editor.set_content_scale(1.5).unwrap(), OK);
    assert_eq!(
        editor.resizes(),
        vec![(1200, 900)],
        "attached, the view asks its frame for 1.5 × the example's size"
    );
    assert_eq!(editor.size().unwrap(), (1200, 900), "getSize at scale 1.5");
    // Two reports after the change: the newest shows the page as it is now.
    let reports = page.reports;
    let reported = drive(&editor, page, SETTLE, |p| p.reports > reports + 1);
    assert!(reported, "the page reported after the scale changed");
    assert_eq!(
        page.viewport(),
        Some(logical),
        "after a scale change while attached the page keeps its logical size"
    );
    close(editor, display, parent);
}

/// Ten open/close cycles leave no thread or file descriptor behind, and values live on.
fn check_open_close(display: &Display, plugin: &Plugin, page: &mut Page) {
    let id = param(plugin, "Drive").id;
    let drive_value = plugin.to_normalized(id, 12.0);
    plugin.set_normalized(id, drive_value).unwrap();
    // The first window after a close starts WebKit's shared machinery again if it stopped.
    open_once(display, plugin, page);
    // Counted after the same settling time as the count it is compared with: WebKit opens
    // some descriptors of its own a while after a page (seen once: one more here).
    std::thread::sleep(Duration::from_secs(3));
    let before = resources();
    let fds_before = fd_targets();
    let mut warm: Vec<Duration> = (0..10).map(|_| open_once(display, plugin, page)).collect();
    warm.sort();
    eprintln!(
        "figure: attached → first getAllParameters, warm (10 reopenings): median {:.0} ms, max {:.0} ms",
        warm[5].as_secs_f64() * 1000.0,
        warm[9].as_secs_f64() * 1000.0
    );
    // Let WebKit's helper processes finish with the last window.
    let (threads, grown) = growth_settled((before.0, &fds_before), Duration::from_secs(10), || {
        std::thread::sleep(Duration::from_millis(250))
    });
    eprintln!(
        "threads, fds: {before:?} after two windows, {:?} after 10 more",
        resources()
    );
    assert!(
        threads <= before.0 && grown.is_empty(),
        "10 open/close cycles grew the threads from {} to {threads} and left these descriptors: \
         {grown:?}",
        before.0
    );
    assert_eq!(
        plugin.normalized(id),
        drive_value,
        "closing windows keeps the values"
    );
}

/// A host that releases the instance while its window is open: the window keeps working
/// until the host removes the view, then goes as usual.
fn check_instance_released_with_window_open(display: &Display, module: &Module, page: &mut Page) {
    let plugin = instantiate(module);
    let parent = display.parent_window(0, 0, WIDTH, HEIGHT);
    let mut editor = plugin.create_editor(true).unwrap();
    page.poll();
    let from = page.calls.len();
    assert_eq!(editor.attach(parent), OK);
    assert!(drive(&editor, page, PAGE_LOAD, |p| p
        .called_since(from, "getAllParameters")
        .is_some()));
    drop(plugin);
    // The page still runs and its messages are still served: new probe reports arrive.
    let reports = page.reports;
    assert!(
        drive(&editor, page, SETTLE, |p| p.reports >= reports + 3),
        "the window stopped after the instance was released"
    );
    close(editor, display, parent);
}

/// A frame without `Linux::IRunLoop`: nothing would run GTK or answer the page, so no window.
fn check_frame_without_run_loop(display: &Display, plugin: &Plugin) {
    let parent = display.parent_window(0, 0, WIDTH, HEIGHT);
    let mut editor = plugin.create_editor(false).unwrap();
    assert_eq!(
        editor.attach(parent),
        FALSE,
        "attached must refuse without the host's run loop"
    );
    drop(editor);
    display.destroy(parent);
}
