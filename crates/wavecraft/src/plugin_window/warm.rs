//! The web process the plugin's windows share, kept between windows
//! (Linux). WebKitGTK starts a web process for each new view at its first
//! load, and the page waits for it: measured in the window test, ~220 ms of a
//! warm reopening's ~370–450 ms before the page's first call. After the first
//! window's view is built, [`keep`] builds one hidden view in that view's
//! process (never shown, a page of our origin: `/.warm`, a 404 text) and
//! keeps it for the life of the process; every later window's view is
//! created related to it, so it runs in that process, already up. The cost:
//! one idle web process stays after the last window closes (as WebKit's
//! network process already does). Starting it earlier, at `gui.create`, was
//! tried and measured no better (this suite calls `set_parent` right after
//! `create`, so there is nothing to overlap), so scanning and creating never
//! start WebKit. Main thread only.

use std::cell::RefCell;
use std::mem::ManuallyDrop;

use webkit2gtk::WebViewExt;
use wry::{WebView, WebViewBuilderExtUnix, WebViewExtUnix};

use super::{with_builder, AssetSource, WindowError, ORIGIN};

thread_local! {
    /// The hidden view and its container. Never dropped: tearing GTK widgets down in a
    /// thread-local destructor at process exit is not safe.
    static WARM: RefCell<Option<ManuallyDrop<(gtk::Box, WebView)>>> =
        const { RefCell::new(None) };
}

/// Keeps a hidden view in `window`'s web process, so that process outlives the window; once
/// per process (`true` when this call made it).
pub fn keep(assets: AssetSource, window: webkit2gtk::WebView) -> Result<bool, WindowError> {
    if WARM.with(|warm| warm.borrow().is_some()) {
        return Ok(false);
    }
    let container = gtk::Box::new(gtk::Orientation::Vertical, 0);
    let view = with_builder(assets, true, |builder| {
        builder.with_related_view(window).build_gtk(&container)
    })?;
    super::gtk_pump::tune(&view);
    view.webview().load_uri(&format!("{ORIGIN}/.warm"));
    WARM.with(|warm| *warm.borrow_mut() = Some(ManuallyDrop::new((container, view))));
    Ok(true)
}

/// The hidden view, for a window's view to share its web process (`None` before [`keep`]).
pub fn view() -> Option<webkit2gtk::WebView> {
    WARM.with(|warm| warm.borrow().as_ref().map(|kept| kept.1.webview()))
}
