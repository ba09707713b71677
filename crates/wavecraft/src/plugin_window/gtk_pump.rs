//! GTK on Linux, where wry's webview lives: initialised once per process on
//! the host's main thread (X11 backend only: the host hands us an X11
//! window), pumped from the host's timer, and the two repairs wry's X11
//! teardown needs (its X errors trapped, its IPC handler's reference cycle
//! cut). This module owns the one `unsafe` GTK call. No host runs GTK's loop for a
//! plugin, and no thread of ours ever touches GTK: every call here is made
//! on the thread the host calls the plugin's main-thread functions on.
//! A host that is a GTK 2 program (GTK 2 already in the process) is refused
//! with a message instead of crashing. On macOS and Windows the host's own
//! event loop drives the webview, so both functions do nothing there.

/// Initialises GTK on first call (later calls answer the first result).
#[cfg(target_os = "linux")]
pub fn init() -> Result<(), String> {
    use std::sync::OnceLock;
    static INIT: OnceLock<Result<(), String>> = OnceLock::new();
    INIT.get_or_init(|| {
        if gtk2_loaded() {
            return Err(
                "the host is a GTK 2 program (GTK 2 is loaded in this process): GTK 3, \
                        which the plugin window needs, cannot run beside it; use the host's \
                        generic parameter UI"
                    .to_owned(),
            );
        }
        gtk::gdk::set_allowed_backends("x11");
        gtk::init().map_err(|e| {
            format!("GTK could not be initialised (is DISPLAY set to an X11 display?): {e}")
        })
    })
    .clone()
}

/// Whether GTK 2 is mapped into this process (hosts such as Ardour and Mixbus are GTK 2
/// programs; GTK 3 in the same process crashes them).
#[cfg(target_os = "linux")]
fn gtk2_loaded() -> bool {
    std::fs::read_to_string("/proc/self/maps").is_ok_and(|maps| maps.contains("libgtk-x11-2.0.so"))
}

/// Initialises GTK on first call (later calls answer the first result).
#[cfg(not(target_os = "linux"))]
pub fn init() -> Result<(), String> {
    Ok(())
}

/// Most GTK events handled in one pump, so a flood never holds the host's main thread long.
#[cfg(target_os = "linux")]
const MAX_EVENTS_PER_PUMP: usize = 256;

/// Handles the GTK events that are pending now, without waiting for more, and answers what
/// every live page (of any instance) posted, after each event and once at the end.
#[cfg(target_os = "linux")]
pub fn pump() {
    for _ in 0..MAX_EVENTS_PER_PUMP {
        if !gtk::events_pending() {
            break;
        }
        gtk::main_iteration_do(false);
        super::live::answer_all();
    }
    super::live::answer_all();
}

/// Answers what every live page posted (the host's own loop runs the webview here).
#[cfg(not(target_os = "linux"))]
pub fn pump() {
    super::live::answer_all();
}

/// WebKit settings for a plugin's page, set before its first load: no developer extras, no
/// page cache (one page, never navigated back to), and the context's cache sized for a
/// single local document. Hardware acceleration keeps WebKit's default: turning it off
/// painted faster under Xvfb's software GL but slowed the page's replies, and on a desktop
/// with a GPU it would move the meters' painting onto the DAW's CPU (docs/decisions.md).
#[cfg(target_os = "linux")]
pub fn tune(webview: &wry::WebView) {
    use webkit2gtk::{CacheModel, SettingsExt, WebContextExt, WebViewExt};
    use wry::WebViewExtUnix;
    let view = webview.webview();
    if let Some(settings) = WebViewExt::settings(&view) {
        settings.set_enable_developer_extras(false);
        settings.set_enable_page_cache(false);
    }
    if let Some(context) = view.context() {
        context.set_cache_model(CacheModel::DocumentViewer);
    }
}

/// With the probe on: stamps the load's steps as the UI process sees them into `inbox`.
#[cfg(target_os = "linux")]
pub fn report_load(
    webview: &wry::WebView,
    inbox: &std::rc::Rc<std::cell::RefCell<std::collections::VecDeque<String>>>,
) {
    use webkit2gtk::{LoadEvent, WebViewExt};
    use wry::WebViewExtUnix;
    let inbox = std::rc::Rc::downgrade(inbox);
    webview.webview().connect_load_changed(move |_, event| {
        let name = match event {
            LoadEvent::Started => "load started",
            LoadEvent::Committed => "load committed",
            LoadEvent::Finished => "load finished",
            _ => return,
        };
        if let Some(inbox) = inbox.upgrade() {
            inbox.borrow_mut().push_back(super::probe::stage(name));
        }
    });
}

/// Runs `f` with X errors ignored (GDK's default handler would exit the process).
#[cfg(target_os = "linux")]
pub fn trap_x_errors(f: impl FnOnce()) {
    #[allow(deprecated)] // the GDK 3 way; replaced only in GTK 4
    gtk::gdk::error_trap_push();
    f();
    #[allow(deprecated)]
    gtk::gdk::error_trap_pop_ignored();
}

/// Runs `f` (X11 is Linux-only here).
#[cfg(not(target_os = "linux"))]
pub fn trap_x_errors(f: impl FnOnce()) {
    f();
}

/// Disconnects wry's IPC handler from the page's content manager. wry's handler owns the
/// WebKit view it belongs to, and the view owns the manager: without this the view is never
/// finalized, and each closed window kept WebKit's shared memory for its page (one memfd per
/// window, measured over 20 windows).
#[cfg(target_os = "linux")]
pub fn release_message_handler(webview: &wry::WebView) {
    use gtk::glib::prelude::{Cast, ObjectType};
    use webkit2gtk::WebViewExt;
    use wry::WebViewExtUnix;
    if let Some(manager) = webview.webview().user_content_manager() {
        let raw = manager.upcast_ref::<gtk::glib::Object>().as_ptr();
        // SAFETY: `raw` points at the live manager (`manager` holds a reference for this call);
        // every handler on it is wry's IPC closure, which is not running (we are on the main
        // thread, outside any GTK callback) and is never needed again: the view is dropped next.
        unsafe { gtk::glib::gobject_ffi::g_signal_handlers_destroy(raw.cast()) };
    }
}
