//! The toolkit's file descriptors in the host's event loop (`posix-fd-support`):
//! after every wake the window's owner registers with the host what would wake
//! GTK (`plugin_window::Wakeups`: GLib's descriptors and a timer descriptor armed to GLib's
//! next timeout), changes the ones whose interest changed and unregisters the
//! ones no longer waited on, so the host calls `on_fd` as soon as GTK or WebKit
//! has work (a message the page posted, a pointer event, a WebKit timer)
//! instead of the window waiting for the next timer tick. The host's timer
//! stays: it drives hosts without this extension.
//! Everything here runs on the host's main thread. Not on Windows (no POSIX
//! descriptors there; macOS registers none: its own loop drives the webview).

#[cfg(unix)]
mod unix {
    use std::cell::RefCell;
    use std::collections::BTreeMap;

    use clack_extensions::posix_fd::{FdFlags, HostPosixFd};
    use clack_plugin::host::HostMainThreadHandle;

    use crate::plugin_window::{Wakeups, Watch};

    /// The descriptors this instance has registered with its host, and what for.
    pub struct HostFds {
        host: Option<HostPosixFd>,
        registered: RefCell<BTreeMap<i32, FdFlags>>,
        /// Opened on the first sync, closed (after unregistering) by `clear`.
        wakeups: RefCell<Option<Wakeups>>,
    }

    impl HostFds {
        /// Registers nothing yet; `host` may lack the extension (then nothing is ever registered).
        pub fn new(host: &HostMainThreadHandle) -> Self {
            HostFds {
                host: host.get_extension::<HostPosixFd>(),
                registered: RefCell::new(BTreeMap::new()),
                wakeups: RefCell::new(None),
            }
        }

        /// Makes the host's set match what the toolkit waits on now.
        pub fn sync(&self, host: &HostMainThreadHandle) {
            let Some(ext) = &self.host else {
                return;
            };
            let mut wakeups = self.wakeups.borrow_mut();
            if wakeups.is_none() {
                // Without a timer descriptor the host's timer alone drives the window.
                *wakeups = Wakeups::new().ok();
            }
            let Some(wakeups) = wakeups.as_ref() else {
                return;
            };
            let wanted = wakeups
                .watched()
                .into_iter()
                .fold(BTreeMap::new(), |mut all, watch| {
                    // GLib may list one descriptor for several sources: wait for all they want.
                    *all.entry(watch.fd).or_insert(FdFlags::empty()) |= flags(watch);
                    all
                });
            let mut registered = self.registered.borrow_mut();
            registered.retain(|fd, _| {
                if wanted.contains_key(fd) {
                    return true;
                }
                let _ = ext.unregister_fd(host, *fd);
                false
            });
            for (fd, want) in wanted {
                match registered.get(&fd) {
                    Some(had) if *had == want => {}
                    Some(_) => {
                        if ext.modify_fd(host, fd, want).is_ok() {
                            registered.insert(fd, want);
                        }
                    }
                    None => {
                        // A host that refuses a descriptor still ticks the timer.
                        if ext.register_fd(host, fd, want).is_ok() {
                            registered.insert(fd, want);
                        }
                    }
                }
            }
        }

        /// Unregisters every descriptor and closes the timer descriptor (the window is gone).
        pub fn clear(&self, host: &HostMainThreadHandle) {
            let Some(ext) = &self.host else {
                return;
            };
            for fd in std::mem::take(&mut *self.registered.borrow_mut()).into_keys() {
                let _ = ext.unregister_fd(host, fd);
            }
            self.wakeups.borrow_mut().take();
        }
    }

    fn flags(watch: Watch) -> FdFlags {
        let mut flags = FdFlags::empty();
        flags.set(FdFlags::READ, watch.read);
        flags.set(FdFlags::WRITE, watch.write);
        flags.set(FdFlags::ERROR, watch.error);
        flags
    }
}

#[cfg(unix)]
pub use unix::HostFds;

/// No descriptors to register on this platform.
#[cfg(not(unix))]
pub struct HostFds;

#[cfg(not(unix))]
impl HostFds {
    /// Registers nothing.
    pub fn new(_host: &clack_plugin::host::HostMainThreadHandle) -> Self {
        HostFds
    }

    /// Nothing to sync.
    pub fn sync(&self, _host: &clack_plugin::host::HostMainThreadHandle) {}

    /// Nothing to unregister.
    pub fn clear(&self, _host: &clack_plugin::host::HostMainThreadHandle) {}
}
