//! The plugin window: the author's React UI in a webview (wry: WebKitGTK on
//! Linux as an X11 child of the host's window, WKWebView on macOS, WebView2
//! on Windows), served from the files embedded at bundle time.
//!
//! This module knows nothing of CLAP or parameters. It owns the webview and
//! its two channels: text the page posts (`window.ipc.postMessage`) is queued
//! in the page's inbox and handed, after each GTK event of any window's
//! [`pump`], to the responder its owner gave [`PluginWindow::open`] (see
//! `live`); replies and the owner's own pushes ([`PluginWindow::send_all`])
//! reach `window.__WAVECRAFT_IPC__.receive` by one script evaluation per
//! batch, the contract of `@wavecraft/core`'s `NativeTransport`. Every
//! function runs on the host's main thread; on Linux someone must [`pump`]
//! GTK (the CLAP glue does it from the host's timer and descriptors). On
//! Linux every window's view runs in one web process and one ephemeral WebKit
//! context (nothing kept on disk), kept between windows by a hidden view (see
//! `warm`), and WebKit is set up before the first load. Only
//! Linux/X11 is built and tested here; the macOS and Windows paths are the
//! same wry calls behind `cfg`, untested and not compiled on this project's
//! machines.
//!
//! With `WAVECRAFT_WINDOW_PROBE=1` in the environment when a window opens,
//! the page also reports what it shows (its text and the place of each
//! slider), how long its `setParameter` calls took, when value pushes
//! arrived and when its load reached each step, and the window reports the
//! stages of opening it (see `probe`); every message of the page then goes to
//! the owner's log, so a test host can see the calls, read values back from
//! the page and point at its controls. Without it nothing is injected and
//! nothing is logged.

mod assets;
mod gtk_pump;
mod live;
mod probe;
#[cfg(unix)]
mod wakeups;
#[cfg(target_os = "linux")]
mod warm;

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

thread_local! {
    /// The context wry's builder is handed for this library's views (they all live on the
    /// host's main thread), made once. Elsewhere than Linux it is the one context of every
    /// window, its custom scheme registered by the first. On Linux the views run in the
    /// ephemeral context of the first view (see [`with_builder`]); this one is handed to the
    /// views that join it, so wry makes no context of its own for each. A context per
    /// window starts helper processes and threads of its own that outlive the window:
    /// measured, 20 open/close cycles left 59 threads and 107 file descriptors behind.
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

/// Answers one message of the page (`None`: nothing to send back).
pub type Responder = Box<dyn Fn(&str) -> Option<String>>;

/// Takes one line for the owner's log (every message of a probed page).
pub type ProbeLog = Box<dyn Fn(&str)>;

/// One open plugin window: its page (the webview, inbox and responder, shared with the
/// registry of live pages).
pub struct PluginWindow {
    page: Rc<Page>,
}

/// What the registry of live pages answers: the webview, what the page posted, and who
/// answers it.
struct Page {
    /// Always `Some` until the window drops (taken in `Drop`, inside an X error trap).
    webview: RefCell<Option<WebView>>,
    inbox: Rc<RefCell<VecDeque<String>>>,
    respond: Responder,
    /// Some when the probe is on: every message of the page goes there.
    log: Option<ProbeLog>,
    /// With the probe on: times each reply until the page acknowledges it.
    clock: probe::LoopClock,
}

impl live::Answer for Page {
    fn answer(&self) {
        let messages: Vec<String> = self.inbox.borrow_mut().drain(..).collect();
        if messages.is_empty() {
            return;
        }
        let replies: Vec<String> = messages
            .iter()
            .filter_map(|message| {
                if let Some(log) = &self.log {
                    match self.clock.acknowledged(message) {
                        Some(line) => log(&line),
                        None => log(message),
                    }
                }
                if message.starts_with(probe::PROBE_PREFIX) {
                    return None;
                }
                (self.respond)(message)
            })
            .collect();
        if self.log.is_some() {
            replies.iter().for_each(|reply| self.clock.replied(reply));
        }
        // The page may be gone (closing); its next load asks for everything again.
        let _ = self.send_all(&replies);
    }
}

impl Page {
    fn send_all(&self, texts: &[String]) -> Result<(), wry::Error> {
        if texts.is_empty() {
            return Ok(());
        }
        match self.webview.borrow().as_ref() {
            Some(webview) => webview.evaluate_script(&receive_script(texts)),
            None => Ok(()),
        }
    }

    fn with_view<T>(&self, f: impl FnOnce(&WebView) -> T) -> T {
        f(self
            .webview
            .borrow()
            .as_ref()
            .expect("the webview lives as long as its window"))
    }
}

impl PluginWindow {
    /// Opens the UI served by `assets` as a child of `parent`, `width` × `height` physical
    /// pixels; `respond` answers each message the page posts (on the main thread, after a
    /// GTK event of any window's pump) and, with the probe on, `log` gets every message.
    pub fn open(
        parent: &impl HasWindowHandle,
        assets: AssetSource,
        width: u32,
        height: u32,
        respond: Responder,
        log: ProbeLog,
    ) -> Result<Self, WindowError> {
        let probing = probe::enabled();
        let inbox = Rc::new(RefCell::new(VecDeque::new()));
        let stage = |name: &str| {
            if probing {
                inbox.borrow_mut().push_back(probe::stage(name));
            }
        };
        stage("open");
        init_toolkit().map_err(WindowError::Toolkit)?;
        let sink = Rc::clone(&inbox);
        #[cfg(target_os = "linux")]
        let warm = warm::view();
        #[cfg(target_os = "linux")]
        let joins = warm.is_some();
        #[cfg(not(target_os = "linux"))]
        let joins = false;
        let webview = with_builder(assets, joins, |builder| {
            // No URL yet: the settings below must hold before the first load.
            let mut builder = builder
                .with_bounds(bounds(width, height))
                .with_ipc_handler(move |request| sink.borrow_mut().push_back(request.into_body()));
            #[cfg(target_os = "linux")]
            if let Some(warm) = warm {
                use wry::WebViewBuilderExtUnix;
                builder = builder.with_related_view(warm);
            }
            if probing {
                builder = builder.with_initialization_script(probe::SCRIPT);
            }
            builder.build_as_child(parent)
        })?;
        stage("webview built");
        #[cfg(target_os = "linux")]
        {
            gtk_pump::tune(&webview);
            if probing {
                gtk_pump::report_load(&webview, &inbox);
            }
        }
        #[cfg(target_os = "linux")]
        let related = {
            use wry::WebViewExtUnix;
            webview.webview()
        };
        let page = Rc::new(Page {
            webview: RefCell::new(Some(webview)),
            inbox,
            respond,
            log: probing.then_some(log),
            clock: probe::LoopClock::default(),
        });
        live::register(&page);
        // From here an error drops the window through its `Drop` (X errors trapped).
        let window = PluginWindow { page };
        window
            .page
            .with_view(|view| view.load_url(&format!("{ORIGIN}/")))?;
        window.stage("load asked");
        // Without the hidden view only reopening is slower; the window itself is fine.
        #[cfg(target_os = "linux")]
        match warm::keep(assets, related) {
            Ok(true) => window.stage("hidden view kept"),
            Ok(false) => {}
            Err(_) => window.stage("hidden view failed"),
        }
        Ok(window)
    }

    /// With the probe on, stamps stage `name` into the page's inbox.
    fn stage(&self, name: &str) {
        if self.page.log.is_some() {
            self.page.inbox.borrow_mut().push_back(probe::stage(name));
        }
    }

    /// Hands each of `texts` to the page's receiver, in order, by one script evaluation
    /// (dropped if the page has not installed a receiver yet).
    pub fn send_all(&self, texts: &[String]) -> Result<(), wry::Error> {
        self.page.send_all(texts)
    }

    /// Resizes the webview to `width` × `height` physical pixels.
    pub fn set_size(&self, width: u32, height: u32) -> Result<(), wry::Error> {
        self.page
            .with_view(|view| view.set_bounds(bounds(width, height)))
    }

    /// Lays the page out at `scale` physical pixels per CSS pixel, the host's scale (CLAP
    /// `set_scale`, VST3 `setContentScaleFactor`), so it keeps its logical size in a window
    /// `scale` times as large. On Linux (X11 sizes windows in physical pixels) the page is
    /// zoomed by what the toolkit's own scale (`GDK_SCALE`) leaves of it; on macOS
    /// (logical points) and Windows (WebView2 follows the monitor's DPI itself) the system
    /// scales the page and this does nothing (untested).
    pub fn set_scale(&self, scale: f64) -> Result<(), wry::Error> {
        self.page.with_view(|view| {
            #[cfg(target_os = "linux")]
            {
                use gtk::prelude::WidgetExt;
                use wry::WebViewExtUnix;
                let toolkit = f64::from(view.webview().scale_factor().max(1));
                view.zoom(scale / toolkit)
            }
            #[cfg(not(target_os = "linux"))]
            {
                let _ = (view, scale);
                Ok(())
            }
        })
    }

    /// Shows or hides the webview (CLAP `show` / `hide`).
    #[cfg(feature = "clap")]
    pub fn set_visible(&self, visible: bool) -> Result<(), wry::Error> {
        self.page.with_view(|view| view.set_visible(visible))
    }
}

impl Drop for PluginWindow {
    fn drop(&mut self) {
        // wry destroys its X11 container window, then closes the GTK window wrapping it, whose
        // unmap then names a window that no longer exists. GDK's default X error handler exits
        // the process (the host!) on that BadWindow, so errors of this teardown are ignored.
        let webview = self.page.webview.borrow_mut().take();
        #[cfg(target_os = "linux")]
        if let Some(webview) = &webview {
            gtk_pump::release_message_handler(webview);
        }
        gtk_pump::trap_x_errors(|| drop(webview));
    }
}

/// Runs `build` with a builder for one of this library's views, without developer tools.
/// On Linux a view that `joins` another (`build` makes it related to that view) runs in
/// that view's WebKit context; any other gets a new ephemeral context that serves `assets`,
/// so the page keeps nothing on disk (a default context keeps its caches, HSTS database and
/// storage under the host's own `~/.cache/<host>` and `~/.local/share/<host>`); only if
/// keeping the hidden view failed does each window get one. Elsewhere every view runs in
/// the shared context, whose first builder registers the custom scheme.
fn with_builder<T>(
    assets: AssetSource,
    joins: bool,
    build: impl FnOnce(WebViewBuilder<'_>) -> Result<T, wry::Error>,
) -> Result<T, wry::Error> {
    if cfg!(target_os = "linux") && !joins {
        // wry makes the ephemeral context of an incognito view itself.
        let builder = WebViewBuilder::new()
            .with_devtools(false)
            .with_incognito(true);
        return build(serve(builder, assets));
    }
    CONTEXT.with(|context| {
        let mut context = context.borrow_mut();
        let context = context.get_or_insert_with(|| WebContext::new(None));
        let serving =
            cfg!(target_os = "linux") || context.is_custom_protocol_registered(assets::SCHEME);
        let builder = WebViewBuilder::new_with_web_context(context).with_devtools(false);
        build(if serving {
            builder
        } else {
            serve(builder, assets)
        })
    })
}

/// `builder` serving `assets` on the custom scheme.
fn serve(builder: WebViewBuilder<'_>, assets: AssetSource) -> WebViewBuilder<'_> {
    builder.with_custom_protocol(assets::SCHEME.to_owned(), move |_, request| {
        assets::respond(assets, &request)
    })
}

fn bounds(width: u32, height: u32) -> Rect {
    Rect {
        position: PhysicalPosition::new(0, 0).into(),
        size: PhysicalSize::new(width, height).into(),
    }
}

/// The script that hands each of `texts` to the page, in order: each text as a JSON string
/// literal (valid JavaScript), so nothing in it can break out of its call, and each call on
/// its own, so one that throws (reported as uncaught, later) does not stop the rest.
fn receive_script(texts: &[String]) -> String {
    let mut script = String::from("(r => { if (!r) return;");
    for text in texts {
        let literal = serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned());
        script.push_str(&format!(
            " try {{ r.receive({literal}); }} catch (e) {{ setTimeout(() => {{ throw e; }}); }}"
        ));
    }
    script.push_str(" })(window.__WAVECRAFT_IPC__);");
    script
}

#[cfg(test)]
mod tests {
    use super::receive_script;

    #[test]
    fn each_text_reaches_the_page_as_one_string_literal_in_order() {
        let script = receive_script(&["\");alert(1);(\"\n\u{2028}".to_owned(), "{}".to_owned()]);
        assert_eq!(
            script,
            "(r => { if (!r) return; \
             try { r.receive(\"\\\");alert(1);(\\\"\\n\u{2028}\"); } catch (e) { setTimeout(() => { throw e; }); } \
             try { r.receive(\"{}\"); } catch (e) { setTimeout(() => { throw e; }); } \
             })(window.__WAVECRAFT_IPC__);"
        );
    }
}
