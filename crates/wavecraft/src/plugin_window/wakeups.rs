//! What would wake GTK, as file descriptors a host's event loop can wait on
//! (for the CLAP `posix-fd-support` extension): the descriptors GLib's default
//! main context polls (GDK's X11 connection, GLib's own wake-up, WebKit's
//! main-thread sources) and one timer descriptor armed to GLib's next timeout
//! (WebKit's main-thread timers), so the owner can pump when GTK or WebKit has
//! work instead of at the next tick of the host's timer. This module owns
//! those FFI calls (GLib's query, Linux's `timerfd`). Main thread only, after
//! a [`pump`](super::pump). Unix only; on macOS there is nothing to watch:
//! the host's own event loop drives the webview there.

/// A file descriptor to wait on, and for what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Watch {
    /// The descriptor.
    pub fd: i32,
    /// Readable (or urgent data) means work.
    pub read: bool,
    /// Writable means work.
    pub write: bool,
    /// Errors and hang-ups mean work.
    pub error: bool,
}

#[cfg(target_os = "linux")]
pub use linux::Wakeups;

#[cfg(target_os = "linux")]
mod linux {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    use std::time::Duration;

    use gtk::glib::ffi::{
        g_main_context_query, GPollFD, G_IO_ERR, G_IO_HUP, G_IO_IN, G_IO_OUT, G_IO_PRI,
    };
    use gtk::glib::translate::ToGlibPtr;

    use super::Watch;

    /// Least delay the timer is armed with, so a source GLib calls ready at once cannot make
    /// the host spin.
    const LEAST_DELAY: Duration = Duration::from_micros(200);

    /// The timer descriptor of one owner (closed when dropped).
    pub struct Wakeups {
        timer: OwnedFd,
    }

    impl Wakeups {
        /// A disarmed timer descriptor.
        pub fn new() -> std::io::Result<Self> {
            // SAFETY: plain system call with constant arguments; it returns a new descriptor
            // or -1.
            let fd = unsafe {
                libc::timerfd_create(
                    libc::CLOCK_MONOTONIC,
                    libc::TFD_NONBLOCK | libc::TFD_CLOEXEC,
                )
            };
            if fd < 0 {
                return Err(std::io::Error::last_os_error());
            }
            // SAFETY: `fd` was just opened and nothing else owns it.
            let timer = unsafe { OwnedFd::from_raw_fd(fd) };
            Ok(Wakeups { timer })
        }

        /// What to wait on now: GLib's descriptors and the timer, armed to GLib's next
        /// timeout (disarmed if there is none). Empty if another thread owns GLib's context.
        pub fn watched(&self) -> Vec<Watch> {
            let Some((mut watched, timeout)) = query() else {
                return Vec::new();
            };
            self.arm(timeout.map(|t| t.max(LEAST_DELAY)));
            watched.push(Watch {
                fd: self.timer.as_raw_fd(),
                read: true,
                write: false,
                error: false,
            });
            watched
        }

        /// Arms the timer to fire once after `delay` (`None`: disarms it). Either clears a
        /// past expiry, so the descriptor is no longer readable.
        fn arm(&self, delay: Option<Duration>) {
            let delay = delay.unwrap_or(Duration::ZERO);
            let spec = libc::itimerspec {
                it_interval: libc::timespec {
                    tv_sec: 0,
                    tv_nsec: 0,
                },
                it_value: libc::timespec {
                    tv_sec: delay.as_secs() as libc::time_t,
                    tv_nsec: delay.subsec_nanos() as libc::c_long,
                },
            };
            // SAFETY: `timer` is our open timer descriptor and `spec` a valid, readable
            // itimerspec; the old value is not asked for (null).
            unsafe {
                libc::timerfd_settime(self.timer.as_raw_fd(), 0, &spec, std::ptr::null_mut())
            };
        }
    }

    /// GLib's default context's descriptors now and its next timeout (`None`: none), or
    /// `None` if another thread owns the context.
    fn query() -> Option<(Vec<Watch>, Option<Duration>)> {
        let context = gtk::glib::MainContext::default();
        let _owner = context.acquire().ok()?;
        // `prepare` settles which sources take part and at what priority; sources it finds
        // ready stay ready for the next pump.
        let (_, priority) = context.prepare();
        let empty = GPollFD {
            fd: -1,
            events: 0,
            revents: 0,
        };
        let mut fds = vec![empty; 16];
        let mut timeout = -1;
        loop {
            let capacity = i32::try_from(fds.len()).unwrap_or(i32::MAX);
            // SAFETY: the context is the live default context, owned by this thread for the
            // call (`_owner`); `fds` holds `capacity` writable records and `timeout` is a
            // writable int. GLib writes at most `capacity` records and answers how many it has.
            let wanted = unsafe {
                g_main_context_query(
                    context.to_glib_none().0,
                    priority,
                    &mut timeout,
                    fds.as_mut_ptr(),
                    capacity,
                )
            };
            let wanted = usize::try_from(wanted).unwrap_or(0);
            if wanted <= fds.len() {
                fds.truncate(wanted);
                break;
            }
            fds.resize(wanted, empty);
        }
        let wants = |record: &GPollFD, flags: u32| u32::from(record.events) & flags != 0;
        let watched = fds
            .iter()
            .filter(|record| record.fd >= 0)
            .map(|record| Watch {
                fd: record.fd,
                read: wants(record, G_IO_IN | G_IO_PRI),
                write: wants(record, G_IO_OUT),
                error: wants(record, G_IO_ERR | G_IO_HUP),
            })
            .collect();
        let timeout = u64::try_from(timeout).ok().map(Duration::from_millis);
        Some((watched, timeout))
    }
}

/// Nothing to wait on (the host's own event loop drives the webview on macOS).
#[cfg(not(target_os = "linux"))]
pub struct Wakeups;

#[cfg(not(target_os = "linux"))]
impl Wakeups {
    /// Nothing to open.
    pub fn new() -> std::io::Result<Self> {
        Ok(Wakeups)
    }

    /// Nothing to wait on.
    pub fn watched(&self) -> Vec<Watch> {
        Vec::new()
    }
}
