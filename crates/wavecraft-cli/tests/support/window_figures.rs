//! The window suite's figures (printed, never checked): the page-side
//! `setParameter` round trip in hosts with and without `posix-fd-support` at
//! several timer periods, and how soon a value the plugin pushes reaches the
//! page when nothing pumps GTK after it.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

use super::window_host::{drive, Instance, Mode};
use super::x11::Display;
use super::{slider, HEIGHT, PAGE_LOAD, SETTLE, WIDTH};

/// The page-side round trips (ms) of every `setParameter` so far, sorted.
fn round_trips(one: &Instance) -> Vec<f64> {
    sorted(one, "roundTrips")
}

/// The probe's list `name` (ms), sorted.
fn sorted(one: &Instance, name: &str) -> Vec<f64> {
    let mut trips: Vec<f64> = one.probe().unwrap()[name]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    trips.sort_by(f64::total_cmp);
    trips
}

/// The bridge's round trips of kind `kind` (`set`: replies to `setParameter`; `ping`: to the
/// probe's `getEngineInfo`) timed on the plugin's clock, reply sent → the page's
/// acknowledgement received (ms, sorted).
fn plugin_clock_loops(one: &Instance, kind: &str) -> Vec<f64> {
    let prefix = format!("wavecraft-probe:loop:{kind}:");
    let mut loops: Vec<f64> = one
        .logs()
        .iter()
        .filter_map(|(_, line)| line.strip_prefix(&prefix)?.parse::<f64>().ok())
        .map(|micros| micros / 1000.0)
        .collect();
    loops.sort_by(f64::total_cmp);
    loops
}

/// The median of sorted `values` (NaN when empty).
fn median(values: &[f64]) -> f64 {
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// "p50 …, mean …, p90 …, max … over N calls" of sorted `trips` (ms).
fn describe(trips: &[f64]) -> String {
    if trips.is_empty() {
        return "(not measured)".to_owned();
    }
    format!(
        "p50 {:.2} ms, mean {:.2} ms, p90 {:.2} ms, max {:.2} ms over {} calls",
        trips[trips.len() / 2],
        trips.iter().sum::<f64>() / trips.len() as f64,
        trips[trips.len() * 9 / 10],
        trips[trips.len() - 1],
        trips.len()
    )
}

/// Prints the page-side round trips of the drag's `setParameter` calls (figure, not a check).
pub fn print_round_trips(one: &Instance) {
    eprintln!(
        "figure: setParameter round trip on the plugin's clock (reply → page → its \
         acknowledgement; DAW-like host: 8 ms timer, posix-fd-support): {}",
        describe(&plugin_clock_loops(one, "set"))
    );
    let trips = round_trips(one);
    if let Some(median) = trips.get(trips.len() / 2) {
        eprintln!(
            "figure: setParameter round trip page → plugin → page: p50 {median:.2} ms, mean {:.2} \
             ms, max {:.2} ms over {} calls (DAW-like host: 8 ms timer, posix-fd-support; the \
             page's clock steps by {} ms)",
            trips.iter().sum::<f64>() / trips.len() as f64,
            trips.last().unwrap(),
            trips.len(),
            one.probe().unwrap()["clockStep"]
        );
    }
}

/// The `setParameter` round trips (ms, sorted) of four drags on the Output slider, in a host
/// running as `mode` says (and playing audio, so the page shows moving meters, if `audio`),
/// how long the page stayed busy after each post, and how many `on_fd` calls a second the
/// window made after the drags.
fn drag_round_trips(display: &Display, bundle: &Path, mode: Mode, audio: bool) -> Drags {
    let mut instance = Instance::in_host(bundle, mode);
    if audio {
        instance.start_audio();
    }
    let parent = display.parent_window(0, 0, WIDTH, HEIGHT);
    instance.open(parent);
    let loaded = drive(&mut [&mut instance], PAGE_LOAD, |i| {
        slider(i[0], "Output").is_some()
    });
    assert!(loaded, "the page shows its sliders ({mode:?})");
    let (x, y, w, _) = slider(&instance, "Output").unwrap();
    for _ in 0..4 {
        std::thread::scope(|scope| {
            let drag =
                scope.spawn(|| display.drag((x - w / 4.0) as i16, y as i16, (w / 2.0) as i16));
            drive(&mut [&mut instance], SETTLE, |_| drag.is_finished());
        });
    }
    // The probe reports four times a second.
    drive(&mut [&mut instance], Duration::from_millis(400), |_| false);
    let mut drags = Drags {
        trips: round_trips(&instance),
        busy: sorted(&instance, "busy"),
        input_to_post: sorted(&instance, "inputToPost"),
        pings: sorted(&instance, "pings"),
        set_loops: plugin_clock_loops(&instance, "set"),
        ping_loops: plugin_clock_loops(&instance, "ping"),
        idle_wakes: 0,
    };
    let wakes = instance.fd_wakes;
    drive(&mut [&mut instance], Duration::from_secs(1), |_| false);
    drags.idle_wakes = instance.fd_wakes - wakes;
    instance.close();
    display.destroy(parent);
    drags
}

/// What [`drag_round_trips`] measured (ms lists sorted).
#[derive(Default)]
struct Drags {
    /// The page-side `setParameter` round trips.
    trips: Vec<f64>,
    /// How long after each post the page's next task ran.
    busy: Vec<f64>,
    /// How long after the latest pointer move each `setParameter` was posted.
    input_to_post: Vec<f64>,
    /// The page-side round trips of the probe's `getEngineInfo` between inputs.
    pings: Vec<f64>,
    /// `setParameter` round trips on the plugin's clock.
    set_loops: Vec<f64>,
    /// `getEngineInfo` round trips on the plugin's clock.
    ping_loops: Vec<f64>,
    /// `on_fd` calls in the second after the drags.
    idle_wakes: usize,
}

impl Drags {
    fn extend(&mut self, other: Drags) {
        self.trips.extend(other.trips);
        self.busy.extend(other.busy);
        self.input_to_post.extend(other.input_to_post);
        self.pings.extend(other.pings);
        self.set_loops.extend(other.set_loops);
        self.ping_loops.extend(other.ping_loops);
        self.idle_wakes = other.idle_wakes;
    }

    fn sort(&mut self) {
        for list in [
            &mut self.trips,
            &mut self.busy,
            &mut self.input_to_post,
            &mut self.pings,
            &mut self.set_loops,
            &mut self.ping_loops,
        ] {
            list.sort_by(f64::total_cmp);
        }
    }
}

/// Figures: the `setParameter` round trip with and without `posix-fd-support`, at the 2 ms
/// timer this suite's host used to tick and at a DAW's 16 ms timer (there also while audio
/// plays), three rounds of four drags per mode; medians and the ratio of
/// each timer-only median to the one with descriptors, all measured in this run.
pub fn measure_round_trips(display: &Display, bundle: &Path) {
    for (period, audio) in [(2, false), (16, false), (16, true)] {
        let tick = Duration::from_millis(period);
        // Modes alternate, so the machine's other work weighs on both alike.
        let (mut timers, mut fds) = (Drags::default(), Drags::default());
        for _ in 0..3 {
            timers.extend(drag_round_trips(
                display,
                bundle,
                Mode::timers_only(tick),
                audio,
            ));
            fds.extend(drag_round_trips(
                display,
                bundle,
                Mode::with_fds(tick),
                audio,
            ));
        }
        timers.sort();
        fds.sort();
        assert!(
            !timers.trips.is_empty() && !fds.trips.is_empty(),
            "the drags made setParameter calls (timers {:?}, fds {:?})",
            timers.trips,
            fds.trips
        );
        let playing = if audio {
            ", audio playing"
        } else {
            ", no audio"
        };
        // The page's clock counts whole milliseconds; the mean of many such differences is
        // still the true mean (the calls start at random points of a millisecond). The
        // plugin's clock resolves microseconds.
        eprintln!(
            "figure: setParameter round trip, host timer every {period} ms{playing}: timer only {}; \
             with posix-fd-support {}; timer-only p50 / fd p50 = {:.1}×; then {} on_fd \
             calls in 1 s; with posix-fd-support the page's next task after a post ran {}; \
             the probe's getEngineInfo between inputs {}",
            describe(&timers.trips),
            describe(&fds.trips),
            timers.trips[timers.trips.len() / 2] / fds.trips[fds.trips.len() / 2],
            fds.idle_wakes,
            describe(&fds.busy),
            describe(&fds.pings),
        );
        eprintln!(
            "figure: on the plugin's clock, host timer every {period} ms{playing}, with \
             posix-fd-support: setParameter {}; getEngineInfo between inputs {}; setParameter \
             p50 / getEngineInfo p50 = {:.2}×; timer only: setParameter {}; on the page, pointer \
             move → setParameter posted {}",
            describe(&fds.set_loops),
            describe(&fds.ping_loops),
            median(&fds.set_loops) / median(&fds.ping_loops),
            describe(&timers.set_loops),
            describe(&fds.input_to_post),
        );
    }
}

/// Figure: whether text the plugin hands the page (script evaluation) needs GTK pumped again to
/// arrive. A timer-only host ticks once every 200 ms, one tick at a time, after a host value
/// change; the page notes when each `parameterChanged` reached it. Arrivals within a few ms of
/// the tick that sent them mean the text travels without a pump; ~200 ms, that it waits for the
/// next tick.
pub fn measure_push_without_pump(display: &Display, bundle: &Path) {
    let gap = Duration::from_millis(200);
    let mut instance = Instance::in_host(bundle, Mode::timers_only(gap));
    let parent = display.parent_window(0, 0, WIDTH, HEIGHT);
    instance.open(parent);
    let loaded = drive(&mut [&mut instance], PAGE_LOAD, |i| {
        slider(i[0], "Output").is_some()
    });
    assert!(loaded, "the page shows its sliders");
    let id = instance.param_id("Output");
    let mut ticks = Vec::new();
    for step in 0..20 {
        instance.host_change(id, -1.0 - f64::from(step) / 2.0);
        std::thread::sleep(gap);
        let before = SystemTime::now();
        instance.tick();
        ticks.push(before);
    }
    std::thread::sleep(gap);
    // The page's reports wait for pumps (page → plugin does need them).
    drive(&mut [&mut instance], Duration::from_millis(600), |_| false);
    let pushes: Vec<f64> = instance.probe().unwrap()["pushes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    // Each arrival against the latest tick that started before it.
    let mut delays: Vec<f64> = pushes
        .iter()
        .filter_map(|&at| {
            let tick = ticks
                .iter()
                .rev()
                .map(|t| epoch_ms(*t))
                .find(|t| *t <= at + 1.0)?;
            Some(at - tick)
        })
        .collect();
    delays.sort_by(f64::total_cmp);
    instance.close();
    display.destroy(parent);
    assert!(
        !delays.is_empty(),
        "the page received the host's values: {pushes:?}"
    );
    let waited = delays
        .iter()
        .filter(|d| **d >= gap.as_secs_f64() * 500.0)
        .count();
    eprintln!(
        "figure: plugin → page push with no pump after the tick that sent it: arrives p50 {:.0} ms, \
         max {:.0} ms after that tick started; {waited} of {} arrived only after the next pump \
         ({} ms later)",
        delays[delays.len() / 2],
        delays[delays.len() - 1],
        delays.len(),
        gap.as_millis()
    );
}

fn epoch_ms(t: SystemTime) -> f64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        * 1000.0
}

/// The newest probe report among the log lines from index `from` on.
fn report_since(instance: &Instance, from: usize) -> Option<Value> {
    let logs = instance.logs();
    logs.get(from..)?.iter().rev().find_map(|(_, line)| {
        let json = line.strip_prefix("wavecraft-probe:")?;
        serde_json::from_str(json).ok()
    })
}

/// Drives `instance` until the page opened after log line `from` reports its controls painted
/// (or `PAGE_LOAD` passes); whether it did.
pub fn wait_for_painted(instance: &mut Instance, from: usize) -> bool {
    drive(&mut [&mut *instance], PAGE_LOAD, |i| {
        report_since(i[0], from)
            .is_some_and(|r| r["timing"]["steps"]["controlsPainted"].is_number())
    })
}

/// Every step of the last `open` of `instance`, as ms after its `gui.create`, in time order:
/// the host's calls, the window's stages (`window:`), when the plugin got the page's first
/// `getAllParameters` (`plugin:`), and the page's own steps and files (`page:`) from its
/// newest report after log line `from`.
pub fn open_steps(instance: &Instance, from: usize) -> Vec<(String, f64)> {
    let start = epoch_ms(instance.opened[0].1);
    let mut steps: Vec<(String, f64)> = instance
        .opened
        .iter()
        .map(|(name, at)| ((*name).to_owned(), epoch_ms(*at) - start))
        .collect();
    let logs = instance.logs();
    let logs = logs.get(from..).unwrap_or_default();
    let (now, now_epoch) = (Instant::now(), epoch_ms(SystemTime::now()));
    for (at, line) in logs {
        if let Some((name, stamp)) = line
            .strip_prefix("wavecraft-probe:stage:")
            .and_then(|stage| stage.rsplit_once('@'))
        {
            steps.push((
                format!("window: {name}"),
                stamp.parse::<f64>().unwrap() - start,
            ));
        } else if serde_json::from_str::<Value>(line)
            .is_ok_and(|call| call["method"] == "getAllParameters")
            && !steps.iter().any(|(n, _)| n.starts_with("plugin:"))
        {
            let received = now_epoch - (now - *at).as_secs_f64() * 1000.0;
            steps.push((
                "plugin: getAllParameters received".to_owned(),
                received - start,
            ));
        }
    }
    if let Some(report) = report_since(instance, from) {
        let timing = &report["timing"];
        for (name, at) in timing["steps"].as_object().into_iter().flatten() {
            if let Some(at) = at.as_f64() {
                steps.push((format!("page: {name}"), at - start));
            }
        }
        for file in timing["files"].as_array().into_iter().flatten() {
            let name = file["name"].as_str().unwrap_or("?");
            let name = name.rsplit('/').next().unwrap_or(name);
            if let Some(end) = file["end"].as_f64() {
                steps.push((format!("page: {name} received"), end - start));
            }
        }
    }
    steps.sort_by(|a, b| a.1.total_cmp(&b.1));
    steps
}

/// Prints the steps of one opening (figure, not a check).
pub fn print_open_steps(label: &str, steps: &[(String, f64)]) {
    let line: Vec<String> = steps
        .iter()
        .map(|(name, at)| format!("{name} {at:.0}"))
        .collect();
    eprintln!(
        "figure: opening the window, ms after gui.create ({label}): {}",
        line.join(" → ")
    );
}

/// Prints the median of each step over several openings (figure, not a check).
pub fn print_median_steps(label: &str, openings: &[Vec<(String, f64)>]) {
    let mut by_name: Vec<(String, Vec<f64>)> = Vec::new();
    for (name, at) in openings.iter().flatten() {
        match by_name.iter_mut().find(|(n, _)| n == name) {
            Some((_, all)) => all.push(*at),
            None => by_name.push((name.clone(), vec![*at])),
        }
    }
    let mut medians: Vec<(String, f64)> = by_name
        .into_iter()
        .map(|(name, mut all)| {
            all.sort_by(f64::total_cmp);
            (name, all[all.len() / 2])
        })
        .collect();
    medians.sort_by(|a, b| a.1.total_cmp(&b.1));
    print_open_steps(&format!("{label}, median of each step"), &medians);
}
