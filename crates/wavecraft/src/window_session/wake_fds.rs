//! The toolkit's file descriptors in the host's event loop: after every wake
//! the window's owner tells the host what would wake GTK
//! (`plugin_window::Wakeups`: GLib's descriptors and a timer descriptor armed
//! to GLib's next timeout), changes the ones whose interest changed and drops
//! the ones no longer waited on, so the host wakes the window as soon as GTK
//! or WebKit has work (a message the page posted, a pointer event, a WebKit
//! timer) instead of at the next tick of its timer. How a descriptor is
//! registered is the format's ([`FdRegistry`]: CLAP's `posix-fd-support`,
//! VST3's `Linux::IRunLoop`); the diffing is here, once. The host's timer
//! stays: it drives hosts that watch no descriptors.
//! Everything here runs on the host's main thread. Not on Windows (no POSIX
//! descriptors there; macOS registers none: its own loop drives the webview).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ops::BitOr;

/// What a descriptor is watched for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Interest {
    /// Readable (or urgent data) means work.
    pub read: bool,
    /// Writable means work.
    pub write: bool,
    /// Errors and hang-ups mean work.
    pub error: bool,
}

impl BitOr for Interest {
    type Output = Interest;

    fn bitor(self, other: Interest) -> Interest {
        Interest {
            read: self.read || other.read,
            write: self.write || other.write,
            error: self.error || other.error,
        }
    }
}

/// How a format registers descriptors with its host (main thread).
pub trait FdRegistry {
    /// Starts watching `fd`; `false` when the host refuses (the timer still ticks).
    fn register(&self, fd: i32, interest: Interest) -> bool;
    /// Changes what the registered `fd` is watched for; `false` when the host refuses.
    fn modify(&self, fd: i32, interest: Interest) -> bool;
    /// Stops watching `fd`.
    fn unregister(&self, fd: i32);
}

/// The descriptors one window has registered with its host, and what for.
#[derive(Default)]
pub struct WakeFds {
    registered: RefCell<BTreeMap<i32, Interest>>,
    /// Opened on the first sync, closed (after unregistering) by `clear`.
    #[cfg(unix)]
    wakeups: RefCell<Option<crate::plugin_window::Wakeups>>,
}

impl WakeFds {
    /// Makes the host's set match what the toolkit waits on now.
    pub fn sync(&self, registry: &dyn FdRegistry) {
        let wanted = self.wanted();
        let mut registered = self.registered.borrow_mut();
        registered.retain(|fd, _| {
            if wanted.contains_key(fd) {
                return true;
            }
            registry.unregister(*fd);
            false
        });
        for (fd, want) in wanted {
            match registered.get(&fd) {
                Some(had) if *had == want => {}
                Some(_) => {
                    if registry.modify(fd, want) {
                        registered.insert(fd, want);
                    }
                }
                None => {
                    // A host that refuses a descriptor still ticks the timer.
                    if registry.register(fd, want) {
                        registered.insert(fd, want);
                    }
                }
            }
        }
    }

    /// Unregisters every descriptor and closes the timer descriptor (the window is gone).
    pub fn clear(&self, registry: &dyn FdRegistry) {
        for fd in std::mem::take(&mut *self.registered.borrow_mut()).into_keys() {
            registry.unregister(fd);
        }
        #[cfg(unix)]
        self.wakeups.borrow_mut().take();
    }

    /// What the toolkit waits on now, one entry per descriptor.
    #[cfg(unix)]
    fn wanted(&self) -> BTreeMap<i32, Interest> {
        let mut wakeups = self.wakeups.borrow_mut();
        if wakeups.is_none() {
            // Without a timer descriptor the host's timer alone drives the window.
            *wakeups = crate::plugin_window::Wakeups::new().ok();
        }
        let Some(wakeups) = wakeups.as_ref() else {
            return BTreeMap::new();
        };
        wakeups
            .watched()
            .into_iter()
            .fold(BTreeMap::new(), |mut all, watch| {
                let interest = Interest {
                    read: watch.read,
                    write: watch.write,
                    error: watch.error,
                };
                // GLib may list one descriptor for several sources: wait for all they want.
                let entry = all.entry(watch.fd).or_insert(Interest::default());
                *entry = *entry | interest;
                all
            })
    }

    /// Nothing to wait on without POSIX descriptors.
    #[cfg(not(unix))]
    fn wanted(&self) -> BTreeMap<i32, Interest> {
        BTreeMap::new()
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use std::cell::RefCell;

    use super::*;

    /// Records what the window asked of the host.
    #[derive(Default)]
    struct Recorder {
        calls: RefCell<Vec<(&'static str, i32)>>,
    }

    impl FdRegistry for Recorder {
        fn register(&self, fd: i32, _interest: Interest) -> bool {
            self.calls.borrow_mut().push(("register", fd));
            true
        }

        fn modify(&self, fd: i32, _interest: Interest) -> bool {
            self.calls.borrow_mut().push(("modify", fd));
            true
        }

        fn unregister(&self, fd: i32) {
            self.calls.borrow_mut().push(("unregister", fd));
        }
    }

    #[test]
    fn descriptors_are_registered_once_and_all_unregistered_at_clear() {
        let fds = WakeFds::default();
        let host = Recorder::default();
        fds.sync(&host);
        let registered: Vec<i32> = host.calls.borrow().iter().map(|(_, fd)| *fd).collect();
        assert!(
            host.calls
                .borrow()
                .iter()
                .all(|(call, _)| *call == "register")
                && !registered.is_empty(),
            "at least the timer descriptor is registered: {:?}",
            host.calls.borrow()
        );
        host.calls.borrow_mut().clear();
        fds.sync(&host);
        assert!(
            host.calls
                .borrow()
                .iter()
                .all(|(call, _)| *call != "register"),
            "nothing registered twice: {:?}",
            host.calls.borrow()
        );
        host.calls.borrow_mut().clear();
        fds.clear(&host);
        let mut unregistered: Vec<i32> = host.calls.borrow().iter().map(|(_, fd)| *fd).collect();
        unregistered.sort_unstable();
        let mut registered = registered;
        registered.sort_unstable();
        assert_eq!(unregistered, registered);
    }
}
