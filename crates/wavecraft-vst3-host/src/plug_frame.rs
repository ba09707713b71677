//! The plugin window as a DAW hosts it: `createView("editor")` on the
//! controller, an [`Editor`] around the plugin's `IPlugView`, and the host's
//! `IPlugFrame`, which also answers `Linux::IRunLoop` (the [`RunLoop`] whose
//! timers and descriptors wake the window). Main thread only.

use std::cell::RefCell;
use std::ffi::c_void;
use std::rc::Rc;
use std::time::Duration;

use vst3::Steinberg::Linux::{
    IEventHandler, IRunLoop, IRunLoopTrait, ITimerHandler, TimerInterval,
};
use vst3::Steinberg::Vst::IEditControllerTrait;
use vst3::Steinberg::{
    kInvalidArgument, kResultOk, tresult, IPlugFrame, IPlugFrameTrait, IPlugView,
    IPlugViewContentScaleSupport, IPlugViewContentScaleSupportTrait, IPlugViewTrait, ViewRect,
};
use vst3::{Class, ComPtr, ComRef, ComWrapper};

use crate::plugin::Plugin;
use crate::result::{check, Error};
use crate::run_loop::RunLoop;

/// The platform type of an X11 parent window.
const X11: &std::ffi::CStr = c"X11EmbedWindowID";

/// The host's frame around one view; with `run_loop: None` it offers no `IRunLoop`.
struct Frame {
    /// Registrations of the view's timers and descriptors (`None`: a frame without a run loop).
    run_loop: Option<RunLoop>,
    /// Every size the view asked for with `resizeView`, in order.
    resizes: Rc<RefCell<Vec<(i32, i32)>>>,
}

/// A frame that also answers `IRunLoop` (a Linux DAW's).
struct FrameWithRunLoop(Frame);

impl Class for Frame {
    type Interfaces = (IPlugFrame,);
}

impl Class for FrameWithRunLoop {
    type Interfaces = (IPlugFrame, IRunLoop);
}

impl Frame {
    fn resize(&self, view: *mut IPlugView, size: *mut ViewRect) -> tresult {
        // SAFETY: the plugin passes its own live view and null or a readable rect; a host
        // answers a resize request by telling the view its new size.
        match (unsafe { ComRef::from_raw(view) }, unsafe { size.as_ref() }) {
            (Some(view), Some(rect)) => {
                self.resizes
                    .borrow_mut()
                    .push((rect.right - rect.left, rect.bottom - rect.top));
                // SAFETY: as above; `size` stays valid for the call.
                unsafe { view.onSize(size) }
            }
            _ => kInvalidArgument,
        }
    }
}

impl IPlugFrameTrait for Frame {
    unsafe fn resizeView(&self, view: *mut IPlugView, size: *mut ViewRect) -> tresult {
        self.resize(view, size)
    }
}

impl IPlugFrameTrait for FrameWithRunLoop {
    unsafe fn resizeView(&self, view: *mut IPlugView, size: *mut ViewRect) -> tresult {
        self.0.resize(view, size)
    }
}

impl IRunLoopTrait for FrameWithRunLoop {
    unsafe fn registerEventHandler(&self, handler: *mut IEventHandler, fd: i32) -> tresult {
        let (Some(run_loop), Some(handler)) =
            // SAFETY: the plugin passes null or its live handler.
            (&self.0.run_loop, unsafe { ComRef::from_raw(handler) })
        else {
            return kInvalidArgument;
        };
        run_loop.register_fd(handler, fd);
        kResultOk
    }

    unsafe fn unregisterEventHandler(&self, handler: *mut IEventHandler) -> tresult {
        match &self.0.run_loop {
            Some(run_loop) if run_loop.unregister_fd(handler) => kResultOk,
            _ => kInvalidArgument,
        }
    }

    unsafe fn registerTimer(&self, handler: *mut ITimerHandler, ms: TimerInterval) -> tresult {
        let (Some(run_loop), Some(handler)) =
            // SAFETY: the plugin passes null or its live handler.
            (&self.0.run_loop, unsafe { ComRef::from_raw(handler) })
        else {
            return kInvalidArgument;
        };
        run_loop.register_timer(handler, Duration::from_millis(ms));
        kResultOk
    }

    unsafe fn unregisterTimer(&self, handler: *mut ITimerHandler) -> tresult {
        match &self.0.run_loop {
            Some(run_loop) if run_loop.unregister_timer(handler) => kResultOk,
            _ => kInvalidArgument,
        }
    }
}

/// The plugin's view, its frame set, ready to attach.
pub struct Editor {
    view: ComPtr<IPlugView>,
    run_loop: RunLoop,
    resizes: Rc<RefCell<Vec<(i32, i32)>>>,
    attached: bool,
    // Our reference to the frame, released after the view (fields drop in order).
    _frame: ComPtr<IPlugFrame>,
}

impl Plugin {
    /// `createView("editor")`, then `setFrame` with a frame that offers `Linux::IRunLoop`
    /// when `with_run_loop` (a Linux DAW's does).
    pub fn create_editor(&self, with_run_loop: bool) -> Result<Editor, Error> {
        // SAFETY: the controller is alive; the name is a NUL-terminated string.
        let raw = unsafe { self.controller().createView(c"editor".as_ptr()) };
        // SAFETY: the plugin hands us a new reference (or null), which `ComPtr` now owns.
        let view = unsafe { ComPtr::from_raw(raw) }.ok_or(Error::MissingInterface(
            "IPlugView (createView(\"editor\") answered null)",
        ))?;
        let run_loop = RunLoop::default();
        let resizes = Rc::default();
        let frame = if with_run_loop {
            ComWrapper::new(FrameWithRunLoop(Frame {
                run_loop: Some(run_loop.clone()),
                resizes: Rc::clone(&resizes),
            }))
            .to_com_ptr::<IPlugFrame>()
        } else {
            ComWrapper::new(Frame {
                run_loop: None,
                resizes: Rc::clone(&resizes),
            })
            .to_com_ptr::<IPlugFrame>()
        }
        .ok_or(Error::MissingInterface("IPlugFrame"))?;
        // SAFETY: the view is alive; the frame outlives it (the editor drops the view first).
        check("IPlugView::setFrame", unsafe {
            view.setFrame(frame.as_ptr())
        })?;
        Ok(Editor {
            view,
            run_loop,
            resizes,
            attached: false,
            _frame: frame,
        })
    }
}

impl Editor {
    /// `isPlatformTypeSupported("X11EmbedWindowID")`.
    pub fn supports_x11(&self) -> bool {
        // SAFETY: the view is alive; the type is a NUL-terminated string.
        unsafe { self.view.isPlatformTypeSupported(X11.as_ptr()) == kResultOk }
    }

    /// `getSize`: (width, height).
    pub fn size(&self) -> Result<(i32, i32), Error> {
        let mut rect = ViewRect {
            left: 0,
            top: 0,
            right: 0,
            bottom: 0,
        };
        // SAFETY: the view is alive; `rect` is a valid out pointer.
        check("IPlugView::getSize", unsafe {
            self.view.getSize(&mut rect)
        })?;
        Ok((rect.right - rect.left, rect.bottom - rect.top))
    }

    /// `IPlugViewContentScaleSupport::setContentScaleFactor(factor)`: the plugin's answer.
    pub fn set_content_scale(&self, factor: f32) -> Result<tresult, Error> {
        let scaling = self
            .view
            .cast::<IPlugViewContentScaleSupport>()
            .ok_or(Error::MissingInterface("IPlugViewContentScaleSupport"))?;
        // SAFETY: the view is alive.
        Ok(unsafe { scaling.setContentScaleFactor(factor) })
    }

    /// Every size the view asked its frame for (`resizeView`), in order.
    pub fn resizes(&self) -> Vec<(i32, i32)> {
        self.resizes.borrow().clone()
    }

    /// `canResize`.
    pub fn can_resize(&self) -> bool {
        // SAFETY: the view is alive.
        unsafe { self.view.canResize() == kResultOk }
    }

    /// `checkSizeConstraint` on `width` × `height`: the size the view says it can take.
    pub fn constrain(&self, width: i32, height: i32) -> Result<(i32, i32), Error> {
        let mut rect = ViewRect {
            left: 0,
            top: 0,
            right: width,
            bottom: height,
        };
        // SAFETY: the view is alive; `rect` is readable and writable.
        check("IPlugView::checkSizeConstraint", unsafe {
            self.view.checkSizeConstraint(&mut rect)
        })?;
        Ok((rect.right - rect.left, rect.bottom - rect.top))
    }

    /// `attached` into the X11 window `parent`; the plugin's answer.
    pub fn attach(&mut self, parent: u32) -> tresult {
        // SAFETY: the view is alive; an X11 parent is passed as its window id in the pointer.
        let result = unsafe {
            self.view
                .attached(parent as usize as *mut c_void, X11.as_ptr())
        };
        self.attached = result == kResultOk;
        result
    }

    /// `removed` (the host closes the window).
    pub fn remove(&mut self) -> Result<(), Error> {
        self.attached = false;
        // SAFETY: the view is alive.
        check("IPlugView::removed", unsafe { self.view.removed() })
    }

    /// The run loop the view's frame offers (its timers, descriptors, and the loop itself).
    pub fn run_loop(&self) -> &RunLoop {
        &self.run_loop
    }
}

impl Drop for Editor {
    fn drop(&mut self) {
        if self.attached {
            let _ = self.remove();
        }
        // SAFETY: the view is alive; null takes the frame back before our frame reference goes.
        unsafe { self.view.setFrame(std::ptr::null_mut()) };
    }
}
