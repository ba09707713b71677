//! Keeps a bundle's library loaded until the process exits.
//!
//! A bundle links GTK and WebKitGTK (the plugin window). Neither can be
//! unloaded safely: GLib types cannot be unregistered, and loading them
//! leaves thread-specific data whose destructors point into their code, so a
//! host thread that unloads the plugin and then exits jumps into unmapped
//! memory (measured: `wavecraft bundle`'s parameter read and every clack-host
//! test crashed with SIGSEGV in `__nptl_deallocate_tsd`). So as the library is
//! loaded (from its `.init_array`, which `export!` emits: `__export_resident!`),
//! before the host calls anything, it re-opens itself with `RTLD_NODELETE`,
//! which makes every later `dlclose` of it, and of what it links, keep the code
//! mapped — also for a host that loads a plugin only to look at it. This module
//! owns that FFI.
//! Windows has no such loader flag and no GTK: nothing is done there.

/// Marks the library holding this code as never to be unloaded (once per process).
#[cfg(unix)]
pub fn stay_loaded() {
    use std::sync::Once;
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let mut info = std::mem::MaybeUninit::<libc::Dl_info>::zeroed();
        let here = stay_loaded as *const libc::c_void;
        // SAFETY: `here` is an address inside this library; `info` is a valid out-pointer.
        if unsafe { libc::dladdr(here, info.as_mut_ptr()) } == 0 {
            return;
        }
        // SAFETY: dladdr succeeded, so `info` is initialised; `dli_fname` is the library's path
        // (NUL-terminated, owned by the loader) or null.
        let path = unsafe { info.assume_init() }.dli_fname;
        if path.is_null() {
            return;
        }
        // SAFETY: `path` names an object already loaded (RTLD_NOLOAD loads nothing new); the
        // returned handle is never closed, on purpose.
        unsafe {
            libc::dlopen(
                path,
                libc::RTLD_NOW | libc::RTLD_NOLOAD | libc::RTLD_NODELETE,
            )
        };
    });
}

/// Marks the library holding this code as never to be unloaded (nothing to do on Windows).
#[cfg(not(unix))]
pub fn stay_loaded() {}
