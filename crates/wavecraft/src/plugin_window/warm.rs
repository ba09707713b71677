//! The web process the plugin's windows share, started before the first
//! window and kept between windows (Linux). WebKitGTK starts one web process
//! per view at its first load, which the page then waits for: measured in the
//! window test, ~220 ms of a warm reopening's ~370 ms before the page's first
//! call. The first [`start`] (the host's `gui.create`) builds one hidden view
//! on the shared context, never shown, with a page of our origin (`/.warm`,
//! a 404 text), and keeps it for the life of the process; every window's view
//! is created related to it, so it runs in that same process, already up.
//! The cost: one idle web process stays after the last window closes (as
//! WebKit's network process already does). Main thread only.

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

/// Builds the hidden view and starts its load, once per process.
pub fn start(assets: AssetSource) -> Result<(), WindowError> {
    if WARM.with(|warm| warm.borrow().is_some()) {
        return Ok(());
    }
    super::probe::early_stage("toolkit ready");
    let container = gtk::Box::new(gtk::Orientation::Vertical, 0);
    let view = with_builder(assets, |builder| builder.build_gtk(&container))?;
    super::probe::early_stage("context and hidden view built");
    super::gtk_pump::tune(&view);
    view.webview().load_uri(&format!("{ORIGIN}/.warm"));
    super::probe::early_stage("web process asked for");
    WARM.with(|warm| *warm.borrow_mut() = Some(ManuallyDrop::new((container, view))));
    Ok(())
}

/// The hidden view, for a window's view to share its web process (`None` before [`start`]).
pub fn view() -> Option<webkit2gtk::WebView> {
    WARM.with(|warm| warm.borrow().as_ref().map(|kept| kept.1.webview()))
}
