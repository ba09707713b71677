//! GTK on Linux, where wry's webview lives: initialised once per process on
//! the host's main thread (X11 backend only: the host hands us an X11
//! window), and pumped from the host's timer. No host runs GTK's loop for a
//! plugin, and no thread of ours ever touches GTK: every call here is made
//! on the thread the host calls the plugin's main-thread functions on.
//! On macOS and Windows the host's own event loop drives the webview, so
//! both functions do nothing there.

/// Initialises GTK on first call (later calls answer the first result).
#[cfg(target_os = "linux")]
pub fn init() -> Result<(), String> {
    use std::sync::OnceLock;
    static INIT: OnceLock<Result<(), String>> = OnceLock::new();
    INIT.get_or_init(|| {
        gtk::gdk::set_allowed_backends("x11");
        gtk::init().map_err(|e| {
            format!("GTK could not be initialised (is DISPLAY set to an X11 display?): {e}")
        })
    })
    .clone()
}

/// Initialises GTK on first call (later calls answer the first result).
#[cfg(not(target_os = "linux"))]
pub fn init() -> Result<(), String> {
    Ok(())
}

/// Most GTK events handled in one pump, so a flood never holds the host's main thread long.
#[cfg(target_os = "linux")]
const MAX_EVENTS_PER_PUMP: usize = 256;

/// Handles the GTK events that are pending now, without waiting for more.
#[cfg(target_os = "linux")]
pub fn pump(mut after_each: impl FnMut()) {
    for _ in 0..MAX_EVENTS_PER_PUMP {
        if !gtk::events_pending() {
            break;
        }
        gtk::main_iteration_do(false);
        after_each();
    }
}

/// Handles the GTK events that are pending now, without waiting for more.
#[cfg(not(target_os = "linux"))]
pub fn pump(mut after_each: impl FnMut()) {
    after_each();
}
