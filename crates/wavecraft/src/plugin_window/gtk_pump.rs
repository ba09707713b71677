//! GTK on Linux, where wry's webview lives: initialised once per process on
//! the host's main thread (X11 backend only: the host hands us an X11
//! window), pumped from the host's timer, and the two repairs wry's X11
//! teardown needs (its X errors trapped, its IPC handler's reference cycle
//! cut). This module owns the `unsafe` GTK calls. No host runs GTK's loop for a
//! plugin, and no thread of ours ever touches GTK: every call here is made
//! on the thread the host calls the plugin's main-thread functions on.
//! A host whose process already runs another GTK (GTK 2, Ardour's GTK 2 fork
//! YTK, GTK 4) is refused with a message instead of crashing. On macOS and Windows the host's own
//! event loop drives the webview, so both functions do nothing there.

/// Initialises GTK on first call (later calls answer the first result).
#[cfg(target_os = "linux")]
pub fn init() -> Result<(), String> {
    use std::sync::OnceLock;
    static INIT: OnceLock<Result<(), String>> = OnceLock::new();
    INIT.get_or_init(|| {
        if let Some(other) = other_gtk() {
            return Err(format!(
                "the host's process already runs {other}: GTK 3, which the plugin window \
                 needs, cannot run beside it, so the host's generic parameter UI is shown \
                 instead"
            ));
        }
        gtk::gdk::set_allowed_backends("x11");
        gtk::init().map_err(|e| {
            format!("GTK could not be initialised (is DISPLAY set to an X11 display?): {e}")
        })
    })
    .clone()
}

/// The libraries of another GTK, by file name, and what to call each.
#[cfg(target_os = "linux")]
const OTHER_GTK_FILES: [(&str, &str); 3] = [
    ("libgtk-x11-2.0.so", "GTK 2"),
    ("libytk.so", "YTK (Ardour's GTK 2)"),
    ("libgtk-4.so", "GTK 4"),
];

/// The other GTK already in this process, if any: GTK 3 in the same process crashes beside
/// GTK 2 (Ardour and Mixbus are GTK 2 programs; Ardour 8.4 on carries its own GTK 2, YTK,
/// under other file names) or GTK 4. Found by the files mapped (however they were loaded),
/// and by the `gtk_major_version` a toolkit in the process's global scope exports (a fork
/// under any name).
#[cfg(target_os = "linux")]
fn other_gtk() -> Option<String> {
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap_or_default();
    if let Some((_, name)) = OTHER_GTK_FILES.iter().find(|(file, _)| maps.contains(file)) {
        return Some((*name).to_owned());
    }
    match global_gtk_major_version() {
        Some(3) | None => None,
        Some(major) => Some(format!("GTK {major} (its gtk_major_version)")),
    }
}

/// The `gtk_major_version` the first GTK in the process's global scope (the host program,
/// its libraries and what was loaded `RTLD_GLOBAL`) exports, if one does.
#[cfg(target_os = "linux")]
fn global_gtk_major_version() -> Option<u32> {
    // SAFETY: `dlsym` only looks the NUL-terminated name up; every GTK exports
    // `gtk_major_version` as a `const guint` (a u32 that lives as long as its library, which
    // the host keeps loaded), read once here.
    unsafe {
        let symbol = libc::dlsym(libc::RTLD_DEFAULT, c"gtk_major_version".as_ptr());
        (!symbol.is_null()).then(|| symbol.cast::<u32>().read())
    }
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
