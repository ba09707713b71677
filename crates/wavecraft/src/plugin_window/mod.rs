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
//! Windows paths compile through the same wry calls and are untested.
//!
//! With `WAVECRAFT_WINDOW_PROBE=1` in the environment when a window opens,
//! the page also reports what it shows (its text and the place of each
//! slider) as probe messages, and the owner logs every message of the page
//! ([`PluginWindow::probing`]), so a test host can see the calls, read values
//! back from the page and point at its controls. Without it nothing is
//! injected and nothing is logged.

mod assets;
mod gtk_pump;

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use raw_window_handle::HasWindowHandle;
use wry::dpi::{PhysicalPosition, PhysicalSize};
use wry::{Rect, WebView, WebViewBuilder};

pub use assets::{AssetSource, ORIGIN};
pub use gtk_pump::{init as init_toolkit, pump};

/// The environment variable that turns the page probe on (value `1`).
pub const PROBE_ENV: &str = "WAVECRAFT_WINDOW_PROBE";

/// The first characters of a probe message from the page; never valid JSON-RPC.
pub const PROBE_PREFIX: &str = "wavecraft-probe:";

/// Reports what the page shows about four times a second: its text and each slider's box.
const PROBE_SCRIPT: &str = r#"(() => {
  const report = () => {
    if (!window.ipc || !document.body) return;
    const sliders = [...document.querySelectorAll('[role="slider"]')].map((el) => {
      const r = el.getBoundingClientRect();
      const labelled = document.getElementById(el.getAttribute("aria-labelledby") || "");
      return { label: (labelled ? labelled.textContent : el.getAttribute("aria-label")) || "", value: el.getAttribute("aria-valuetext") || el.getAttribute("aria-valuenow") || "", x: r.x, y: r.y, width: r.width, height: r.height };
    });
    window.ipc.postMessage("wavecraft-probe:" + JSON.stringify({ text: document.body.innerText, sliders }));
  };
  setInterval(report, 250);
})();"#;

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
    webview: WebView,
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
        let mut builder = WebViewBuilder::new()
            .with_custom_protocol(assets::SCHEME.to_owned(), move |_, request| {
                assets::respond(assets, &request)
            })
            .with_url(format!("{ORIGIN}/"))
            .with_bounds(bounds(width, height))
            .with_ipc_handler(move |request| sink.borrow_mut().push_back(request.into_body()));
        let probing = std::env::var(PROBE_ENV).as_deref() == Ok("1");
        if probing {
            builder = builder.with_initialization_script(PROBE_SCRIPT);
        }
        let webview = builder.build_as_child(parent)?;
        Ok(PluginWindow {
            webview,
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
        self.webview.evaluate_script(&receive_script(text))
    }

    /// Resizes the webview to `width` × `height` physical pixels.
    pub fn set_size(&self, width: u32, height: u32) -> Result<(), wry::Error> {
        self.webview.set_bounds(bounds(width, height))
    }

    /// Shows or hides the webview.
    pub fn set_visible(&self, visible: bool) -> Result<(), wry::Error> {
        self.webview.set_visible(visible)
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
