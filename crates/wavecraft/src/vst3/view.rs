//! The instance's editor (`IPlugView`, what `createView("editor")` answers):
//! the plugin window of `crate::window_session` inside the host's window.
//!
//! Linux/X11 (`X11EmbedWindowID`) is the platform built and tested here;
//! `NSView` (macOS) and `HWND` (Windows) are the same wry calls behind `cfg`,
//! untested and not compiled on this project's machines. On Linux the window
//! is woken by the host's `Linux::IRunLoop` (queried from the `IPlugFrame`):
//! a timer every [`TICK_MS`] and the toolkit's descriptors (`run_loop`). A
//! host whose frame offers no run loop gets `kResultFalse` from `attached`,
//! with a line on stderr saying why (nothing else would run GTK or answer the
//! page). `removed` closes the window, ends any gesture its page left open and
//! unregisters every handler; dropping a view that is still attached does the
//! same. Page edits reach the host as `beginEdit` / `performEdit` (normalised
//! by the parameter rules) / `endEdit` on the component handler; the host
//! relays them to the processor. The page shows the controller's values
//! (`setParamNormalized`, `setComponentState`) as `parameterChanged` and the
//! processor's meters. The host's content scale (`IPlugViewContentScaleSupport`)
//! sizes the window in physical pixels and zooms the page to keep its logical
//! layout; set while attached, the view asks its frame to resize. With the
//! page probe on, the page's messages go to the file named by
//! [`PROBE_LOG_ENV`] (VST3 has no host log). Main thread only.

#![deny(unsafe_op_in_unsafe_fn)]

use std::cell::{Cell, RefCell};
use std::ffi::{c_void, CStr};
use std::io::Write as _;
use std::rc::Rc;
use std::sync::Arc;

use raw_window_handle::{HandleError, HasWindowHandle, RawWindowHandle, WindowHandle};
use vst3::Steinberg::IPlugViewContentScaleSupport_::ScaleFactor;
use vst3::Steinberg::Vst::IComponentHandler;
use vst3::Steinberg::Vst::IComponentHandlerTrait;
use vst3::Steinberg::{
    char16, int16, kInvalidArgument, kResultFalse, kResultOk, tresult, FIDString, IPlugFrame,
    IPlugFrameTrait, IPlugView, IPlugViewContentScaleSupport, IPlugViewContentScaleSupportTrait,
    IPlugViewTrait, TBool, ViewRect,
};
use vst3::{Class, ComPtr, ComRef, ComWrapper};

use wavecraft_bridge::{MeterBank, StatusBoard};

use super::params::ControllerValues;
use crate::instance::param_table::ParamTable;
use crate::instance::shared_params::{SharedParams, UiEdit};
use crate::plugin_window::{self, AssetSource};
use crate::window_session::{FdRegistry, Physical, Session, WindowHost, WindowValues};
use crate::PluginInfo;

/// How often the host's run loop ticks the window: the fallback, since the toolkit's
/// descriptors wake it as soon as there is work.
pub const TICK_MS: u64 = 16;

/// With the page probe on (`plugin_window::PROBE_ENV`), the file every message of the page
/// is appended to, one line each (a test host reads it; VST3 has no host log).
pub const PROBE_LOG_ENV: &str = "WAVECRAFT_WINDOW_PROBE_LOG";

/// The platform type this build embeds into.
#[cfg(target_os = "linux")]
const PLATFORM_TYPE: &CStr = c"X11EmbedWindowID";
#[cfg(target_os = "macos")]
const PLATFORM_TYPE: &CStr = c"NSView";
#[cfg(target_os = "windows")]
const PLATFORM_TYPE: &CStr = c"HWND";

/// What the page of a VST3 instance shows and edits: the controller's values (what the host
/// last set with `setParamNormalized` or `setComponentState`, and the page's own edits) and
/// the processor's meters.
pub struct EditorValues {
    /// The instance's table and meters.
    pub shared: Arc<SharedParams>,
    /// The controller's values.
    pub controller: Arc<ControllerValues>,
}

impl WindowValues for EditorValues {
    fn table(&self) -> &ParamTable {
        self.shared.table()
    }

    fn value(&self, index: usize) -> f64 {
        self.controller.get(index)
    }

    fn store(&self, index: usize, value: f64) {
        self.controller.set(index, value);
    }

    fn meters(&self) -> &MeterBank {
        self.shared.meters()
    }
}

/// The editor of one instance.
pub struct View {
    inner: Rc<Inner>,
}

impl Class for View {
    type Interfaces = (IPlugView, IPlugViewContentScaleSupport);
}

/// The view's state, shared with the run loop's wake callback (weakly).
struct Inner {
    name: &'static str,
    /// The parameter table (ids and rules for the host's edits).
    shared: Arc<SharedParams>,
    session: Session<EditorValues>,
    handler: Option<ComPtr<IComponentHandler>>,
    frame: RefCell<Option<ComPtr<IPlugFrame>>>,
    /// This view as the host holds it (no reference of its own: the view is alive whenever
    /// the host calls into it), for `IPlugFrame::resizeView`.
    this: Cell<*mut IPlugView>,
    #[cfg(target_os = "linux")]
    run_loop: RefCell<Option<super::run_loop::HostRunLoop>>,
    attached: Cell<bool>,
}

impl View {
    /// A view over `values` for the plugin `info` whose UI files `assets` serves, its audio
    /// status from `status` (the component keeps it); page edits go
    /// to `handler` (the host's component handler, if it gave one). The host gets one
    /// reference; null if the author's crate embeds no UI (the host shows its generic one).
    pub fn create_raw(
        values: EditorValues,
        status: Arc<StatusBoard>,
        info: &'static PluginInfo,
        assets: AssetSource,
        handler: Option<ComPtr<IComponentHandler>>,
    ) -> *mut IPlugView {
        if !Session::<EditorValues>::has_ui(assets) {
            return std::ptr::null_mut();
        }
        let view = View {
            inner: Rc::new(Inner {
                name: info.name,
                shared: Arc::clone(&values.shared),
                session: Session::new(values, info, assets, status),
                handler,
                frame: RefCell::new(None),
                this: Cell::new(std::ptr::null_mut()),
                #[cfg(target_os = "linux")]
                run_loop: RefCell::new(None),
                attached: Cell::new(false),
            }),
        };
        let inner = Rc::clone(&view.inner);
        let raw = ComWrapper::new(view)
            .to_com_ptr::<IPlugView>()
            .map_or(std::ptr::null_mut(), ComPtr::into_raw);
        inner.this.set(raw);
        raw
    }
}

impl Inner {
    /// Opens the window in `parent` and starts the host's run loop ticking it.
    fn attach(self: &Rc<Self>, parent: *mut c_void) -> Result<(), String> {
        if self.attached.get() {
            return Err("attached twice without removed".to_owned());
        }
        plugin_window::init_toolkit()?;
        #[cfg(target_os = "linux")]
        {
            let run_loop = self
                .frame
                .borrow()
                .as_ref()
                .and_then(|frame| frame.cast::<vst3::Steinberg::Linux::IRunLoop>())
                .ok_or(
                    "the host's IPlugFrame offers no Linux::IRunLoop: the plugin window needs the \
                     host's run loop to answer its page and run GTK, so the host's generic UI is \
                     shown instead",
                )?;
            let weak = Rc::downgrade(self);
            let wake: super::run_loop::Wake = Rc::new(move || {
                if let Some(inner) = weak.upgrade() {
                    inner.wake();
                }
            });
            let run_loop = super::run_loop::HostRunLoop::start(run_loop, TICK_MS, wake)
                .ok_or("the host's run loop refused a timer")?;
            *self.run_loop.borrow_mut() = Some(run_loop);
        }
        if let Err(error) = self.session.open(&Parent(parent)) {
            self.detach();
            return Err(error.to_string());
        }
        self.attached.set(true);
        Ok(())
    }

    /// Closes the window, ends open gestures and unregisters every handler.
    fn detach(&self) {
        self.attached.set(false);
        self.session.close(&Glue::new(self));
        #[cfg(target_os = "linux")]
        self.run_loop.borrow_mut().take();
    }

    /// Asks the host to resize the frame around this attached view to the session's size
    /// (the host answers with `onSize`).
    fn ask_host_to_resize(&self) {
        let frame = self.frame.borrow().clone();
        let (Some(frame), this) = (frame, self.this.get()) else {
            return;
        };
        if this.is_null() {
            return;
        }
        let mut size = rect(self.session.size());
        // SAFETY: the host's live frame (we hold a reference) and this view, which is alive
        // while the host calls into it (we are inside such a call); `size` is a valid rect
        // for the call. A host that refuses keeps its frame: the window is resized anyway.
        unsafe { frame.resizeView(this, &mut size) };
    }

    fn wake(&self) {
        if self.attached.get() {
            self.session.wake(&Glue::new(self));
        }
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        // A host that releases the view (or the instance) with the window open.
        if self.attached.get() {
            self.detach();
        }
    }
}

/// The host as the session sees it during one call: the component handler and the run loop.
struct Glue<'a> {
    inner: &'a Inner,
    #[cfg(target_os = "linux")]
    run_loop: std::cell::Ref<'a, Option<super::run_loop::HostRunLoop>>,
}

impl<'a> Glue<'a> {
    fn new(inner: &'a Inner) -> Self {
        Glue {
            inner,
            #[cfg(target_os = "linux")]
            run_loop: inner.run_loop.borrow(),
        }
    }
}

impl WindowHost for Glue<'_> {
    fn edit(&self, edit: UiEdit) {
        let Some(handler) = &self.inner.handler else {
            return;
        };
        let (UiEdit::Begin(index) | UiEdit::Value(index, _) | UiEdit::End(index)) = edit;
        let table = self.inner.shared.table();
        let id = table.host_id(index);
        // SAFETY: the host's live component handler (we hold a reference), called on the
        // main thread as the SDK requires; a failed call leaves nothing of ours to undo.
        unsafe {
            match edit {
                UiEdit::Begin(_) => handler.beginEdit(id),
                UiEdit::Value(_, plain) => {
                    handler.performEdit(id, table.specs()[index].rules().normalize(plain))
                }
                UiEdit::End(_) => handler.endEdit(id),
            };
        }
    }

    fn fds(&self) -> Option<&dyn FdRegistry> {
        #[cfg(target_os = "linux")]
        if let Some(run_loop) = self.run_loop.as_ref() {
            return Some(run_loop);
        }
        None
    }

    fn log_probe(&self, message: &str) {
        // VST3 has no host log: a probed page (tests only) reports one line per message to
        // the file named by PROBE_LOG_ENV, else on stderr.
        let line = message.replace('\n', " ");
        let written = std::env::var_os(PROBE_LOG_ENV).is_some_and(|path| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .and_then(|mut file| writeln!(file, "{line}"))
                .is_ok()
        });
        if !written {
            eprintln!("wavecraft: {}: {line}", self.inner.name);
        }
    }
}

/// The host's parent window, as the webview takes it.
struct Parent(*mut c_void);

impl HasWindowHandle for Parent {
    fn window_handle(&self) -> Result<WindowHandle<'_>, HandleError> {
        #[cfg(target_os = "linux")]
        let raw = RawWindowHandle::Xlib(raw_window_handle::XlibWindowHandle::new(
            self.0 as std::ffi::c_ulong,
        ));
        #[cfg(target_os = "macos")]
        let raw = RawWindowHandle::AppKit(raw_window_handle::AppKitWindowHandle::new(
            std::ptr::NonNull::new(self.0).ok_or(HandleError::Unavailable)?,
        ));
        #[cfg(target_os = "windows")]
        let raw = RawWindowHandle::Win32(raw_window_handle::Win32WindowHandle::new(
            std::num::NonZeroIsize::new(self.0 as isize).ok_or(HandleError::Unavailable)?,
        ));
        // SAFETY: the host's parent window stays valid from `attached` to `removed`, and the
        // handle is used only by `Session::open` inside `attached`.
        Ok(unsafe { WindowHandle::borrow_raw(raw) })
    }
}

fn rect(size: Physical) -> ViewRect {
    ViewRect {
        left: 0,
        top: 0,
        right: i32::try_from(size.width).unwrap_or(i32::MAX),
        bottom: i32::try_from(size.height).unwrap_or(i32::MAX),
    }
}

fn physical(rect: &ViewRect) -> Physical {
    let side = |a: i32, b: i32| u32::try_from(b.saturating_sub(a)).unwrap_or(0);
    Physical {
        width: side(rect.left, rect.right),
        height: side(rect.top, rect.bottom),
    }
}

/// Whether `kind` (null or a NUL-terminated string from the host) is this build's platform.
///
/// # Safety
/// `kind` is null or points to a NUL-terminated string live for the call.
unsafe fn is_platform(kind: FIDString) -> bool {
    // SAFETY: the caller's contract.
    !kind.is_null() && unsafe { CStr::from_ptr(kind) } == PLATFORM_TYPE
}

impl IPlugViewContentScaleSupportTrait for View {
    unsafe fn setContentScaleFactor(&self, factor: ScaleFactor) -> tresult {
        if let Err(why) = self.inner.session.set_scale(f64::from(factor)) {
            eprintln!(
                "wavecraft: {}: content scale {factor} refused: {why}",
                self.inner.name
            );
            return kResultFalse;
        }
        if self.inner.attached.get() {
            self.inner.ask_host_to_resize();
        }
        kResultOk
    }
}

impl IPlugViewTrait for View {
    unsafe fn isPlatformTypeSupported(&self, kind: FIDString) -> tresult {
        // SAFETY: the host passes null or a NUL-terminated platform type.
        if unsafe { is_platform(kind) } {
            kResultOk
        } else {
            kResultFalse
        }
    }

    unsafe fn attached(&self, parent: *mut c_void, kind: FIDString) -> tresult {
        // SAFETY: the host passes null or a NUL-terminated platform type.
        if parent.is_null() || !unsafe { is_platform(kind) } {
            return kInvalidArgument;
        }
        match self.inner.attach(parent) {
            Ok(()) => kResultOk,
            Err(why) => {
                eprintln!(
                    "wavecraft: {}: the plugin window cannot open: {why}",
                    self.inner.name
                );
                kResultFalse
            }
        }
    }

    unsafe fn removed(&self) -> tresult {
        self.inner.detach();
        kResultOk
    }

    unsafe fn onWheel(&self, _distance: f32) -> tresult {
        // The webview takes its own input from the window system.
        kResultFalse
    }

    unsafe fn onKeyDown(&self, _key: char16, _key_code: int16, _modifiers: int16) -> tresult {
        kResultFalse
    }

    unsafe fn onKeyUp(&self, _key: char16, _key_code: int16, _modifiers: int16) -> tresult {
        kResultFalse
    }

    unsafe fn getSize(&self, size: *mut ViewRect) -> tresult {
        // SAFETY: the host passes null or a writable ViewRect.
        let Some(size) = (unsafe { size.as_mut() }) else {
            return kInvalidArgument;
        };
        *size = rect(self.inner.session.size());
        kResultOk
    }

    unsafe fn onSize(&self, new_size: *mut ViewRect) -> tresult {
        // SAFETY: the host passes null or a readable ViewRect.
        let Some(new_size) = (unsafe { new_size.as_ref() }) else {
            return kInvalidArgument;
        };
        let session = &self.inner.session;
        match session.set_size(session.sizing().adjust(physical(new_size))) {
            Ok(()) => kResultOk,
            Err(_) => kResultFalse,
        }
    }

    unsafe fn onFocus(&self, _state: TBool) -> tresult {
        kResultOk
    }

    unsafe fn setFrame(&self, frame: *mut IPlugFrame) -> tresult {
        // SAFETY: the host passes null or a live frame; `to_com_ptr` takes a reference of our
        // own, released when the frame is replaced or the view is dropped.
        let frame = unsafe { ComRef::from_raw(frame) }.map(|frame| frame.to_com_ptr());
        *self.inner.frame.borrow_mut() = frame;
        kResultOk
    }

    unsafe fn canResize(&self) -> tresult {
        if self.inner.session.sizing().resizable() {
            kResultOk
        } else {
            kResultFalse
        }
    }

    unsafe fn checkSizeConstraint(&self, rect_in: *mut ViewRect) -> tresult {
        // SAFETY: the host passes null or a readable, writable ViewRect.
        let Some(asked) = (unsafe { rect_in.as_mut() }) else {
            return kInvalidArgument;
        };
        let fits = self.inner.session.sizing().adjust(physical(asked));
        asked.right = asked.left.saturating_add(rect(fits).right);
        asked.bottom = asked.top.saturating_add(rect(fits).bottom);
        kResultOk
    }
}
