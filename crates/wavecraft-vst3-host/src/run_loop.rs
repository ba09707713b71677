//! The host's `Linux::IRunLoop`, as a DAW's event loop gives it to a plugin
//! window: timers (`ITimerHandler`) and file descriptors (`IEventHandler`,
//! called when the descriptor is readable) the plugin registers, and
//! [`RunLoop::run_once`], which waits with `ppoll` until a descriptor is
//! ready or the next timer is due, then calls the handlers (on this thread,
//! the host's main thread). The registrations are readable for tests
//! ([`RunLoop::timers`], [`RunLoop::fds`]), so a test can check that closing
//! a window unregisters everything.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use vst3::Steinberg::Linux::{
    IEventHandler, IEventHandlerTrait, ITimerHandler, ITimerHandlerTrait,
};
use vst3::{ComPtr, ComRef};

struct Timer {
    handler: ComPtr<ITimerHandler>,
    every: Duration,
    due: Instant,
}

#[derive(Default)]
struct Registered {
    timers: Vec<Timer>,
    fds: Vec<(ComPtr<IEventHandler>, i32)>,
}

/// The run loop's registrations, shared by the frame (which the plugin calls) and the test.
#[derive(Clone, Default)]
pub struct RunLoop(Rc<RefCell<Registered>>);

impl RunLoop {
    /// How many timers are registered.
    pub fn timers(&self) -> usize {
        self.0.borrow().timers.len()
    }

    /// The registered descriptors, sorted.
    pub fn fds(&self) -> Vec<i32> {
        let mut fds: Vec<i32> = self.0.borrow().fds.iter().map(|(_, fd)| *fd).collect();
        fds.sort_unstable();
        fds
    }

    /// Waits at most `max_wait` (less when a timer falls due first) for a registered descriptor
    /// to become readable, then calls the handlers of the ready descriptors and of the due
    /// timers. Handlers may register and unregister while they run.
    pub fn run_once(&self, max_wait: Duration) {
        let (mut polled, handlers, wait) = {
            let registered = self.0.borrow();
            let now = Instant::now();
            let wait = registered
                .timers
                .iter()
                .map(|t| t.due.saturating_duration_since(now))
                .fold(max_wait, Duration::min);
            let polled: Vec<libc::pollfd> = registered
                .fds
                .iter()
                .map(|(_, fd)| libc::pollfd {
                    fd: *fd,
                    events: libc::POLLIN,
                    revents: 0,
                })
                .collect();
            let handlers: Vec<ComPtr<IEventHandler>> =
                registered.fds.iter().map(|(h, _)| h.clone()).collect();
            (polled, handlers, wait)
        };
        let timeout = libc::timespec {
            tv_sec: wait.as_secs() as libc::time_t,
            tv_nsec: wait.subsec_nanos() as libc::c_long,
        };
        // SAFETY: `polled` holds `len` initialised pollfd records we own for the call;
        // `timeout` is a valid timespec and no signal mask is passed.
        let ready = unsafe {
            libc::ppoll(
                polled.as_mut_ptr(),
                polled.len() as libc::nfds_t,
                &timeout,
                std::ptr::null(),
            )
        };
        if ready > 0 {
            for (record, handler) in polled.iter().zip(&handlers) {
                if record.revents != 0 && self.is_registered(handler) {
                    // SAFETY: a handler the plugin registered and has not unregistered (checked
                    // just now); we hold our own reference for the call.
                    unsafe { handler.onFDIsSet(record.fd) };
                }
            }
        }
        let now = Instant::now();
        let due: Vec<ComPtr<ITimerHandler>> = {
            let mut registered = self.0.borrow_mut();
            registered
                .timers
                .iter_mut()
                .filter(|t| t.due <= now)
                .map(|t| {
                    t.due = now + t.every;
                    t.handler.clone()
                })
                .collect()
        };
        for handler in due {
            if self
                .0
                .borrow()
                .timers
                .iter()
                .any(|t| t.handler.as_ptr() == handler.as_ptr())
            {
                // SAFETY: a timer the plugin registered and has not unregistered; we hold our
                // own reference for the call.
                unsafe { handler.onTimer() };
            }
        }
    }

    /// Runs the loop until `done` answers true or `limit` passes; answers whether `done` did.
    pub fn run_until(&self, limit: Duration, mut done: impl FnMut() -> bool) -> bool {
        let end = Instant::now() + limit;
        loop {
            if done() {
                return true;
            }
            let now = Instant::now();
            if now >= end {
                return false;
            }
            self.run_once((end - now).min(Duration::from_millis(20)));
        }
    }

    fn is_registered(&self, handler: &ComPtr<IEventHandler>) -> bool {
        self.0
            .borrow()
            .fds
            .iter()
            .any(|(h, _)| h.as_ptr() == handler.as_ptr())
    }

    pub(crate) fn register_fd(&self, handler: ComRef<'_, IEventHandler>, fd: i32) {
        self.0.borrow_mut().fds.push((handler.to_com_ptr(), fd));
    }

    pub(crate) fn unregister_fd(&self, handler: *mut IEventHandler) -> bool {
        let mut registered = self.0.borrow_mut();
        let before = registered.fds.len();
        registered.fds.retain(|(h, _)| h.as_ptr() != handler);
        registered.fds.len() != before
    }

    pub(crate) fn register_timer(&self, handler: ComRef<'_, ITimerHandler>, every: Duration) {
        self.0.borrow_mut().timers.push(Timer {
            handler: handler.to_com_ptr(),
            every,
            due: Instant::now() + every,
        });
    }

    pub(crate) fn unregister_timer(&self, handler: *mut ITimerHandler) -> bool {
        let mut registered = self.0.borrow_mut();
        let before = registered.timers.len();
        registered.timers.retain(|t| t.handler.as_ptr() != handler);
        registered.timers.len() != before
    }
}
