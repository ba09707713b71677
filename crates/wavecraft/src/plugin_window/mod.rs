//! The plugin window: the author's React UI in a webview (wry: WebKitGTK on
//! Linux as an X11 child of the host's window, WKWebView on macOS, WebView2
//! on Windows), served from the files embedded at bundle time.
//!
//! This module knows nothing of CLAP or parameters. It owns the webview and
//! its two channels: text the page posts (`window.ipc.postMessage`) is queued
//! in an inbox the owner drains after pumping ([`PluginWindow::take_messages`]),
//! and text for the page is handed to `window.__WAVECRAFT_IPC__.receive` by
//! script evaluation ([`PluginWindow::send`]), the contract of
//! `@wavecraft/core`'s `NativeTransport`. Every function runs on the host's
//! main thread; on Linux someone must [`pump`] GTK (the CLAP glue does it from
//! the host's timer). Only Linux/X11 is built and tested here; the macOS and
//! Windows paths are the same wry calls behind `cfg`, untested and not
//! compiled on this project's machines.
//!
//! With `WAVECRAFT_WINDOW_PROBE=1` in the environment when a window opens,
//! the page also reports what it shows (its text and the place of each
//! slider) how long its `setParameter` calls took and when value pushes arrived, as probe messages, and the owner logs every message of the page
//! ([`PluginWindow::probing`]), so a test host can see the calls, read values
//! back from the page and point at its controls. Without it nothing is
//! injected and nothing is logged.

mod assets;
mod gtk_pump;
#[cfg(unix)]
mod wakeups;

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use raw_window_handle::HasWindowHandle;
use wry::dpi::{PhysicalPosition, PhysicalSize};
use wry::{Rect, WebContext, WebView, WebViewBuilder};

pub use assets::{AssetSource, ORIGIN};
pub use gtk_pump::{init as init_toolkit, pump};
#[cfg(unix)]
pub use wakeups::Wakeups;

/// The environment variable that turns the page probe on (value `1`).
pub const PROBE_ENV: &str = "WAVECRAFT_WINDOW_PROBE";

/// The first characters of a probe message from the page; never valid JSON-RPC.
pub const PROBE_PREFIX: &str = "wavecraft-probe:";

/// Reports what the page shows about four times a second: its text, each slider's label, value
/// text and box, the round-trip time of every `setParameter` so far (ms, page-side: from
/// the post to the reply reaching the page's receiver), and when the last 50
/// `parameterChanged` notifications reached the receiver (ms since the Unix epoch).
const PROBE_SCRIPT: &str = r#"(() => {
  const sent = new Map();
  const roundTrips = [];
  const pushes = [];
  const post = window.ipc.postMessage.bind(window.ipc);
  // window.ipc is frozen, so requests are timed where the bridge encodes them.
  const stringify = JSON.stringify;
  JSON.stringify = function (value, ...rest) {
    if (value && value.method === "setParameter" && value.id !== undefined) sent.set(value.id, performance.now());
    return stringify.call(this, value, ...rest);
  };
  let receiver;
  Object.defineProperty(window, "__WAVECRAFT_IPC__", {
    configurable: true,
    get: () => receiver,
    set: (r) => {
      receiver = r && {
        receive: (text) => {
          try {
            const m = JSON.parse(text);
            if (m && m.method === "parameterChanged") {
              pushes.push(performance.timeOrigin + performance.now());
              if (pushes.length > 50) pushes.shift();
            }
            if (m && m.id !== undefined && sent.has(m.id)) {
              roundTrips.push(performance.now() - sent.get(m.id));
              sent.delete(m.id);
            }
          } catch (_) {}
          r.receive(text);
        },
      };
    },
  });
  const report = () => {
    if (!document.body) return;
    const sliders = [...document.querySelectorAll('[role="slider"]')].map((el) => {
      const r = el.getBoundingClientRect();
      const labelled = document.getElementById(el.getAttribute("aria-labelledby") || "");
      return { label: (labelled ? labelled.textContent : el.getAttribute("aria-label")) || "", value: el.getAttribute("aria-valuetext") || el.getAttribute("aria-valuenow") || "", x: r.x, y: r.y, width: r.width, height: r.height };
    });
    post("wavecraft-probe:" + stringify({ text: document.body.innerText, sliders, roundTrips, pushes }));
  };
  setInterval(report, 250);
})();"#;

thread_local! {
    /// The one WebKit context of this library's windows (they all live on the host's main
    /// thread). A context per window starts helper processes and threads of its own that
    /// outlive the window: measured, 20 open/close cycles left 59 threads and 107 file
    /// descriptors behind. Its custom scheme is registered by the first window.
    static CONTEXT: RefCell<Option<WebContext>> = const { RefCell::new(None) };
}

/// Why a window could not open.
#[derive(Debug, thiserror::Error)]
pub enum WindowError {
    /// The toolkit (GTK on Linux) could not start.
    #[error("{0}")]
    Toolkit(String),
    /// The webview could not be created in the host's window.
    #[error("the webview could not be created in the host's window: {0}")]
    Webview(#[from] wry::Error),
}

/// One open plugin window: the webview inside the host's window and its inbox.
pub struct PluginWindow {
    /// Always `Some` until dropped (taken in `Drop`, inside an X error trap).
    webview: Option<WebView>,
    inbox: Rc<RefCell<VecDeque<String>>>,
    probing: bool,
}

impl PluginWindow {
    /// Opens the UI served by `assets` as a child of `parent`, `width` × `height` physical pixels.
    pub fn open(
        parent: &impl HasWindowHandle,
        assets: AssetSource,
        width: u32,
        height: u32,
    ) -> Result<Self, WindowError> {
        init_toolkit().map_err(WindowError::Toolkit)?;
        let inbox = Rc::new(RefCell::new(VecDeque::new()));
        let sink = Rc::clone(&inbox);
        let probing = std::env::var(PROBE_ENV).as_deref() == Ok("1");
        let webview = CONTEXT.with(|context| {
            let mut context = context.borrow_mut();
            let context = context.get_or_insert_with(|| WebContext::new(None));
            let serving = context.is_custom_protocol_registered(assets::SCHEME);
            let mut builder = WebViewBuilder::new_with_web_context(context)
                .with_url(format!("{ORIGIN}/"))
                .with_bounds(bounds(width, height))
                .with_ipc_handler(move |request| sink.borrow_mut().push_back(request.into_body()));
            if !serving {
                builder = builder
                    .with_custom_protocol(assets::SCHEME.to_owned(), move |_, request| {
                        assets::respond(assets, &request)
                    });
            }
            if probing {
                builder = builder.with_initialization_script(PROBE_SCRIPT);
            }
            builder.build_as_child(parent)
        })?;
        Ok(PluginWindow {
            webview: Some(webview),
            inbox,
            probing,
        })
    }

    /// Whether this window was opened with the probe on (see the module doc).
    pub fn probing(&self) -> bool {
        self.probing
    }

    /// Every message the page posted since the last call, oldest first.
    pub fn take_messages(&self) -> Vec<String> {
        self.inbox.borrow_mut().drain(..).collect()
    }

    /// Hands `text` to the page's receiver (dropped if the page has not installed one yet).
    pub fn send(&self, text: &str) -> Result<(), wry::Error> {
        self.view().evaluate_script(&receive_script(text))
    }

    /// Resizes the webview to `width` × `height` physical pixels.
    pub fn set_size(&self, width: u32, height: u32) -> Result<(), wry::Error> {
        self.view().set_bounds(bounds(width, height))
    }

    /// Shows or hides the webview (CLAP `show` / `hide`).
    #[cfg(feature = "clap")]
    pub fn set_visible(&self, visible: bool) -> Result<(), wry::Error> {
        self.view().set_visible(visible)
    }

    fn view(&self) -> &WebView {
        self.webview
            .as_ref()
            .expect("the webview lives as long as its window")
    }
}

impl Drop for PluginWindow {
    fn drop(&mut self) {
        // wry destroys its X11 container window, then closes the GTK window wrapping it, whose
        // unmap then names a window that no longer exists. GDK's default X error handler exits
        // the process (the host!) on that BadWindow, so errors of this teardown are ignored.
        let webview = self.webview.take();
        #[cfg(target_os = "linux")]
        if let Some(webview) = &webview {
            gtk_pump::release_message_handler(webview);
        }
        gtk_pump::trap_x_errors(|| drop(webview));
    }
}

fn bounds(width: u32, height: u32) -> Rect {
    Rect {
        position: PhysicalPosition::new(0, 0).into(),
        size: PhysicalSize::new(width, height).into(),
    }
}

/// The script that hands `text` to the page: the text as a JSON string literal (valid
/// JavaScript), so nothing in it can break out of the call.
fn receive_script(text: &str) -> String {
    let literal = serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned());
    format!("window.__WAVECRAFT_IPC__ && window.__WAVECRAFT_IPC__.receive({literal});")
}

#[cfg(test)]
mod tests {
    use super::receive_script;

    #[test]
    fn text_reaches_the_page_as_one_string_literal() {
        let script = receive_script("\");alert(1);(\"\n\u{2028}");
        assert_eq!(
            script,
            "window.__WAVECRAFT_IPC__ && window.__WAVECRAFT_IPC__.receive(\"\\\");alert(1);(\\\"\\n\u{2028}\");"
        );
    }
}
