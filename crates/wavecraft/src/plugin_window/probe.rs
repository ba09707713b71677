//! The test probe (`WAVECRAFT_WINDOW_PROBE=1`): a script injected into the
//! page that reports what it shows and how fast it got there, and the stages
//! of opening a window as the Rust side sees them. Both arrive as probe
//! messages ([`PROBE_PREFIX`]) through the page's inbox, so the owner logs them
//! with everything else the page posts. Without the probe nothing here runs.

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// The environment variable that turns the page probe on (value `1`).
const PROBE_ENV: &str = "WAVECRAFT_WINDOW_PROBE";

/// The first characters of a probe message; never valid JSON-RPC.
pub const PROBE_PREFIX: &str = "wavecraft-probe:";

/// The first characters of a stage message: `wavecraft-probe:stage:<name>@<ms since epoch>`.
const STAGE_PREFIX: &str = "wavecraft-probe:stage:";

/// The first characters of the page's acknowledgement of a reply it received:
/// `wavecraft-probe:ack:<kind>:<id>`, `kind` being `set` (`setParameter`) or `ping`.
const ACK_PREFIX: &str = "wavecraft-probe:ack:";

/// The first characters of the line logged for an acknowledgement:
/// `wavecraft-probe:loop:<kind>:<µs>`, the time from handing the reply to the webview to the
/// page's acknowledgement reaching the plugin.
pub const LOOP_PREFIX: &str = "wavecraft-probe:loop:";

/// Most replies awaiting an acknowledgement (older ones are forgotten: a page that stopped
/// acknowledging must not grow this).
const MOST_AWAITED: usize = 1024;

/// The bridge's round trip on the plugin's clock, which (unlike the page's, which WebKit
/// coarsens to whole milliseconds) resolves microseconds: plugin → page (the reply, by script
/// evaluation) and page → plugin (the page's acknowledgement, posted as soon as the reply
/// reaches its receiver): the same two hops as the page's own round trip, started at the other
/// end. Probe only.
#[derive(Default)]
pub struct LoopClock {
    awaited: RefCell<HashMap<String, Instant>>,
}

impl LoopClock {
    /// Notes that `reply` is being handed to the page now (if it is a reply with an id).
    pub fn replied(&self, reply: &str) {
        let Some(id) = reply_id(reply) else { return };
        let mut awaited = self.awaited.borrow_mut();
        if awaited.len() >= MOST_AWAITED {
            awaited.clear();
        }
        awaited.insert(id, Instant::now());
    }

    /// For the page's acknowledgement of a noted reply, the line to log (see [`LOOP_PREFIX`]).
    pub fn acknowledged(&self, message: &str) -> Option<String> {
        let (kind, id) = message.strip_prefix(ACK_PREFIX)?.split_once(':')?;
        let sent = self.awaited.borrow_mut().remove(id)?;
        Some(format!(
            "{LOOP_PREFIX}{kind}:{}",
            sent.elapsed().as_micros()
        ))
    }
}

/// The id of a JSON-RPC reply as the page writes it with `String(id)`.
fn reply_id(reply: &str) -> Option<String> {
    match serde_json::from_str::<serde_json::Value>(reply)
        .ok()?
        .get("id")?
    {
        serde_json::Value::String(id) => Some(id.clone()),
        serde_json::Value::Null => None,
        id => Some(id.to_string()),
    }
}

/// Whether the probe is on for windows opened now.
pub fn enabled() -> bool {
    std::env::var(PROBE_ENV).as_deref() == Ok("1")
}

/// The stage message for `name`, stamped now (ms since the Unix epoch, as the page's clock).
pub fn stage(name: &str) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64()
        * 1000.0;
    format!("{STAGE_PREFIX}{name}@{now:.3}")
}

/// Acknowledges each reply to its `setParameter` and `getEngineInfo` calls at once (see
/// [`LoopClock`]), and reports what the page shows about four times a second: its text, its
/// viewport (CSS pixels), each slider's label, value
/// text and box, the round-trip time of every `setParameter` so far (ms, page-side: from
/// the post to the reply reaching the page's receiver), how long after the latest pointer move
/// each was posted (`inputToPost`), how long after each post the page's
/// next task ran (`busy`: the page's own work the reply may wait behind), the round trips of the
/// probe's own `getEngineInfo` requests (`pings`, sent between the page's tasks), the page clock's
/// step (ms), when the last 50 `parameterChanged` notifications reached the receiver, and
/// `timing`: when the page's load reached each step (navigation start, files received, scripts
/// run, first `getAllParameters` posted and answered, first paint, "controls in document": the
/// first frame whose document has sliders showing values, and "controls painted": the frame after
/// that one, once rendered). Times are ms since the Unix epoch.
pub const SCRIPT: &str = r#"(() => {
  const epoch = () => performance.timeOrigin + performance.now();
  const sent = new Map();
  const roundTrips = [];
  // How long after the latest pointer move each setParameter was posted (ms): what the
  // engine's hearing of a drag waits for on the page.
  const inputToPost = [];
  let lastMove;
  addEventListener("pointermove", () => { lastMove = performance.now(); }, { capture: true });
  const busy = [];
  // Requests of the probe's own (getEngineInfo, four times a second, between the page's own
  // work): the bridge's round trip when the page is not busy with an input of its own.
  const pings = [];
  const pingSent = new Map();
  let pingCount = 0;
  const pushes = [];
  const marks = { navigationStart: performance.timeOrigin, probeInstalled: epoch() };
  // The page clock's step (WebKit coarsens performance.now()); round trips are multiples of it.
  const clockStep = (() => {
    // The least of a few steps: a step the thread was descheduled in reads longer.
    let least = Infinity;
    for (let i = 0; i < 5; i++) {
      const first = performance.now();
      let a = first;
      while (a === first) a = performance.now();
      let b = a;
      while (b === a) b = performance.now();
      least = Math.min(least, b - a);
    }
    return least;
  })();
  const mark = (name) => { if (!(name in marks)) marks[name] = epoch(); };
  let firstList;
  const post = window.ipc.postMessage.bind(window.ipc);
  // window.ipc is frozen, so requests are timed where the bridge encodes them.
  const stringify = JSON.stringify;
  JSON.stringify = function (value, ...rest) {
    if (value && value.method === "setParameter" && value.id !== undefined) {
      const at = performance.now();
      sent.set(value.id, at);
      if (lastMove !== undefined) inputToPost.push(at - lastMove);
      // The first task after the post runs once the page is done with what it was doing
      // (usually rendering the frame whose callback posted): how long the page was busy.
      setTimeout(() => busy.push(performance.now() - at), 0);
    }
    if (value && value.method === "getAllParameters" && firstList === undefined) {
      firstList = value.id;
      mark("getAllParametersPosted");
    }
    return stringify.call(this, value, ...rest);
  };
  const painted = () => {
    if (document.querySelector('[role="slider"][aria-valuetext]')) {
      mark("controlsInDocument");
      requestAnimationFrame(() => setTimeout(() => mark("controlsPainted"), 0));
    } else {
      requestAnimationFrame(painted);
    }
  };
  let receiver;
  Object.defineProperty(window, "__WAVECRAFT_IPC__", {
    configurable: true,
    get: () => receiver,
    set: (r) => {
      receiver = r && {
        receive: (text) => {
          let answered = false;
          try {
            const m = JSON.parse(text);
            // First of all: the plugin times the loop (reply sent → this acknowledgement).
            if (m && m.id !== undefined && (pingSent.has(m.id) || sent.has(m.id))) {
              post("wavecraft-probe:ack:" + (pingSent.has(m.id) ? "ping" : "set") + ":" + String(m.id));
            }
            if (m && pingSent.has(m.id)) {
              pings.push(performance.now() - pingSent.get(m.id));
              pingSent.delete(m.id);
              if (pings.length > 200) pings.shift();
              return;
            }
            if (m && m.method === "parameterChanged") {
              pushes.push(epoch());
              if (pushes.length > 50) pushes.shift();
            }
            if (m && m.id !== undefined && sent.has(m.id)) {
              roundTrips.push(performance.now() - sent.get(m.id));
              sent.delete(m.id);
            }
            answered = m && firstList !== undefined && m.id === firstList && !("getAllParametersAnswered" in marks);
          } catch (_) {}
          if (answered) mark("getAllParametersAnswered");
          r.receive(text);
          if (answered) painted();
        },
      };
    },
  });
  const timing = () => {
    const nav = performance.getEntriesByType("navigation")[0];
    const at = (ms) => (ms ? performance.timeOrigin + ms : undefined);
    const steps = { ...marks };
    if (nav) {
      steps.htmlReceived = at(nav.responseEnd);
      steps.domInteractive = at(nav.domInteractive);
      steps.domContentLoaded = at(nav.domContentLoadedEventEnd);
    }
    for (const p of performance.getEntriesByType("paint")) steps[p.name] = at(p.startTime);
    const files = performance.getEntriesByType("resource").map((r) => ({ name: r.name, start: at(r.startTime), end: at(r.responseEnd) }));
    return { steps, files };
  };
  const report = () => {
    if (!document.body) return;
    const sliders = [...document.querySelectorAll('[role="slider"]')].map((el) => {
      const r = el.getBoundingClientRect();
      const labelled = document.getElementById(el.getAttribute("aria-labelledby") || "");
      return { label: (labelled ? labelled.textContent : el.getAttribute("aria-label")) || "", value: el.getAttribute("aria-valuetext") || el.getAttribute("aria-valuenow") || "", x: r.x, y: r.y, width: r.width, height: r.height };
    });
    post("wavecraft-probe:" + stringify({ text: document.body.innerText, viewport: { width: innerWidth, height: innerHeight }, sliders, roundTrips, inputToPost, busy, pings, clockStep, pushes, timing: timing() }));
    if (receiver) {
      // After the report's own work, in a task of its own.
      setTimeout(() => {
        const id = "wavecraft-probe-ping-" + ++pingCount;
        pingSent.set(id, performance.now());
        post(stringify({ jsonrpc: "2.0", id, method: "getEngineInfo" }));
      }, 20);
    }
  };
  setInterval(report, 250);
})();"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_acknowledged_reply_is_timed_once_and_anything_else_is_not() {
        let clock = LoopClock::default();
        clock.replied(r#"{"jsonrpc":"2.0","id":7,"result":null}"#);
        clock.replied(r#"{"jsonrpc":"2.0","id":"wavecraft-probe-ping-1","result":{}}"#);
        clock.replied(r#"{"jsonrpc":"2.0","method":"parameterChanged","params":{}}"#);
        let line = clock.acknowledged("wavecraft-probe:ack:set:7").unwrap();
        let micros: u128 = line
            .strip_prefix("wavecraft-probe:loop:set:")
            .unwrap()
            .parse()
            .unwrap();
        assert!(micros < 60_000_000, "{line}");
        assert_eq!(
            clock.acknowledged("wavecraft-probe:ack:set:7"),
            None,
            "timed once"
        );
        assert!(clock
            .acknowledged("wavecraft-probe:ack:ping:wavecraft-probe-ping-1")
            .is_some_and(|l| l.starts_with("wavecraft-probe:loop:ping:")));
        assert_eq!(
            clock.acknowledged("wavecraft-probe:ack:set:8"),
            None,
            "never sent"
        );
        assert_eq!(
            clock.acknowledged(r#"{"id":7}"#),
            None,
            "not an acknowledgement"
        );
    }
}
