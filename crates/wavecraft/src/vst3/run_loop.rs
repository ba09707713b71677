//! The host's `Linux::IRunLoop` as the plugin window's alarm clock: one
//! `ITimerHandler` (the fallback tick every host gives) and one
//! `IEventHandler` per file descriptor the toolkit waits on (the same
//! descriptors the CLAP registers through `posix-fd-support`), registered and
//! dropped as `window_session` diffs them after every wake. Everything is
//! unregistered when the [`HostRunLoop`] is dropped (the view's `removed`).
//! The run loop watches a descriptor for reading only (the interface has no
//! interest flags), which is what GLib's descriptors wait for in practice.
//! Main thread only; the handlers hold the wake callback, never the view.

#![deny(unsafe_op_in_unsafe_fn)]

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use vst3::Steinberg::kResultOk;
use vst3::Steinberg::Linux::{
    FileDescriptor, IEventHandler, IEventHandlerTrait, IRunLoop, IRunLoopTrait, ITimerHandler,
    ITimerHandlerTrait,
};
use vst3::{Class, ComPtr, ComWrapper};

use crate::window_session::{FdRegistry, Interest};

/// What a timer tick or a ready descriptor calls (the view's wake).
pub type Wake = Rc<dyn Fn()>;

/// Calls the wake on every tick of the host's timer.
struct TimerHandler(Wake);

impl Class for TimerHandler {
    type Interfaces = (ITimerHandler,);
}

impl ITimerHandlerTrait for TimerHandler {
    unsafe fn onTimer(&self) {
        // The wake may unregister this handler; keep the callback alive on our own.
        let wake = Rc::clone(&self.0);
        wake();
    }
}

/// Calls the wake when the host finds its descriptor ready.
struct FdHandler(Wake);

impl Class for FdHandler {
    type Interfaces = (IEventHandler,);
}

impl IEventHandlerTrait for FdHandler {
    unsafe fn onFDIsSet(&self, _fd: FileDescriptor) {
        // The wake re-diffs the descriptors and may drop this very handler.
        let wake = Rc::clone(&self.0);
        wake();
    }
}

/// The timer and descriptor handlers one open window has registered with the host.
pub struct HostRunLoop {
    run_loop: ComPtr<IRunLoop>,
    wake: Wake,
    timer: ComWrapper<TimerHandler>,
    fds: RefCell<BTreeMap<i32, ComWrapper<FdHandler>>>,
}

impl HostRunLoop {
    /// Registers a timer calling `wake` every `interval_ms`; `None` when the host refuses.
    pub fn start(run_loop: ComPtr<IRunLoop>, interval_ms: u64, wake: Wake) -> Option<Self> {
        let timer = ComWrapper::new(TimerHandler(Rc::clone(&wake)));
        let handler = timer.as_com_ref::<ITimerHandler>()?;
        // SAFETY: `run_loop` is the host's live run loop (we hold a reference); the handler is
        // ours and stays alive (this struct holds it) until `unregisterTimer` in `drop`.
        let result = unsafe { run_loop.registerTimer(handler.as_ptr(), interval_ms) };
        (result == kResultOk).then(|| HostRunLoop {
            run_loop,
            wake,
            timer,
            fds: RefCell::new(BTreeMap::new()),
        })
    }
}

impl FdRegistry for HostRunLoop {
    fn register(&self, fd: i32, _interest: Interest) -> bool {
        let handler = ComWrapper::new(FdHandler(Rc::clone(&self.wake)));
        let Some(raw) = handler.as_com_ref::<IEventHandler>() else {
            return false;
        };
        // SAFETY: the host's live run loop; the handler is kept in `fds` until it is
        // unregistered.
        let result = unsafe { self.run_loop.registerEventHandler(raw.as_ptr(), fd) };
        if result != kResultOk {
            return false;
        }
        self.fds.borrow_mut().insert(fd, handler);
        true
    }

    fn modify(&self, _fd: i32, _interest: Interest) -> bool {
        // The run loop watches for reading whatever GLib asks; nothing to change.
        true
    }

    fn unregister(&self, fd: i32) {
        let handler = self.fds.borrow_mut().remove(&fd);
        if let Some(raw) = handler
            .as_ref()
            .and_then(|h| h.as_com_ref::<IEventHandler>())
        {
            // SAFETY: the host's live run loop; `raw` is the handler registered for `fd`,
            // alive until `handler` drops after this call.
            unsafe { self.run_loop.unregisterEventHandler(raw.as_ptr()) };
        }
    }
}

impl Drop for HostRunLoop {
    fn drop(&mut self) {
        let fds: Vec<i32> = self.fds.borrow().keys().copied().collect();
        for fd in fds {
            self.unregister(fd);
        }
        if let Some(raw) = self.timer.as_com_ref::<ITimerHandler>() {
            // SAFETY: the host's live run loop; the timer handler registered in `start`,
            // alive until this struct's fields drop.
            unsafe { self.run_loop.unregisterTimer(raw.as_ptr()) };
        }
    }
}
