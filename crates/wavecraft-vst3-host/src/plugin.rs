//! One plugin instance: a single-component effect (`IComponent`,
//! `IAudioProcessor` and `IEditController` on one object), initialised with
//! the host's `IHostApplication` and given its `IComponentHandler`. Owns the
//! controller and component calls a DAW makes on its main thread: parameter
//! info, normalised values, value↔text, and component state through a memory
//! stream (handed to the controller's `setComponentState` after a load, as
//! hosts do). Processing is in [`crate::processing`].

use vst3::Steinberg::Vst::{
    IAudioProcessor, IComponent, IComponentHandler, IComponentTrait, IEditController,
    IEditControllerTrait, ParameterInfo as RawParameterInfo,
};
use vst3::Steinberg::{FUnknown, IBStream, IPluginBaseTrait};
use vst3::{ComPtr, ComWrapper};

use crate::component_handler::{ComponentHandler, HostEvent};
use crate::host_application::HostApplication;
use crate::module::Module;
use crate::result::{check, Error};
use crate::stream::MemoryStream;
use crate::text::{from_tchar, to_string128};

/// What `getParameterInfo` says about one parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterInfo {
    /// The parameter's VST3 id.
    pub id: u32,
    /// Its name.
    pub title: String,
    /// Its short name.
    pub short_title: String,
    /// Its unit (`dB`, `Hz`).
    pub units: String,
    /// 0 for continuous, else the number of steps (a toggle has 1).
    pub step_count: i32,
    /// Its default, normalised to 0..=1.
    pub default_normalized: f64,
    /// The unit (group) it belongs to.
    pub unit_id: i32,
    /// `ParameterInfo::ParameterFlags`.
    pub flags: i32,
}

/// A created (and, after [`Plugin::initialize`], initialised) plugin instance.
pub struct Plugin {
    // Released before the module (fields drop in this order).
    pub(crate) processor: ComPtr<IAudioProcessor>,
    controller: ComPtr<IEditController>,
    pub(crate) component: ComPtr<IComponent>,
    handler: ComWrapper<ComponentHandler>,
    host: ComWrapper<HostApplication>,
    initialized: bool,
    _module: Module,
}

impl Plugin {
    pub(crate) fn new(component: ComPtr<IComponent>, module: Module) -> Result<Plugin, Error> {
        let processor = component
            .cast::<IAudioProcessor>()
            .ok_or(Error::MissingInterface("IAudioProcessor"))?;
        let controller = component
            .cast::<IEditController>()
            .ok_or(Error::MissingInterface(
                "IEditController on the component (this host drives single-component plugins)",
            ))?;
        Ok(Plugin {
            processor,
            controller,
            component,
            handler: ComWrapper::new(ComponentHandler::default()),
            host: ComWrapper::new(HostApplication),
            initialized: false,
            _module: module,
        })
    }

    /// `initialize` with the host application, then `setComponentHandler` (once: the
    /// component is its own controller).
    pub fn initialize(&mut self) -> Result<(), Error> {
        let host = self
            .host
            .as_com_ref::<vst3::Steinberg::Vst::IHostApplication>()
            .ok_or(Error::MissingInterface("IHostApplication"))?;
        // SAFETY: the component is alive and not yet initialised; the host application
        // outlives it (`self` owns both and terminates the component first). Every
        // interface starts with FUnknown's vtable, so the pointer cast is sound.
        check("IComponent::initialize", unsafe {
            self.component.initialize(host.as_ptr().cast::<FUnknown>())
        })?;
        self.initialized = true;
        let handler = self
            .handler
            .as_com_ref::<IComponentHandler>()
            .ok_or(Error::MissingInterface("IComponentHandler"))?;
        // SAFETY: the controller is initialised; the handler lives as long as `self`, and is
        // taken back (null) before `terminate`.
        check("IEditController::setComponentHandler", unsafe {
            self.controller.setComponentHandler(handler.as_ptr())
        })
    }

    /// The controller face (for the window's `createView`, `crate::plug_frame`).
    pub(crate) fn controller(&self) -> &ComPtr<IEditController> {
        &self.controller
    }

    /// The calls the plugin made on the host's component handler since the last look.
    pub fn host_events(&self) -> Vec<HostEvent> {
        self.handler.take()
    }

    /// `getParameterCount`.
    pub fn parameter_count(&self) -> usize {
        // SAFETY: the controller is alive; no arguments.
        usize::try_from(unsafe { self.controller.getParameterCount() }).unwrap_or(0)
    }

    /// `getParameterInfo` for parameter `index`.
    pub fn parameter_info(&self, index: usize) -> Result<ParameterInfo, Error> {
        // SAFETY: all-zero is a valid `ParameterInfo` (integers, floats, UTF-16 arrays).
        let mut info: RawParameterInfo = unsafe { std::mem::zeroed() };
        let index = i32::try_from(index).unwrap_or(i32::MAX);
        // SAFETY: the controller is alive; `info` is a valid out pointer.
        check("IEditController::getParameterInfo", unsafe {
            self.controller.getParameterInfo(index, &mut info)
        })?;
        Ok(ParameterInfo {
            id: info.id,
            title: from_tchar(&info.title),
            short_title: from_tchar(&info.shortTitle),
            units: from_tchar(&info.units),
            step_count: info.stepCount,
            default_normalized: info.defaultNormalizedValue,
            unit_id: info.unitId,
            flags: info.flags,
        })
    }

    /// Every parameter's info, in the controller's order.
    pub fn parameters(&self) -> Result<Vec<ParameterInfo>, Error> {
        (0..self.parameter_count())
            .map(|i| self.parameter_info(i))
            .collect()
    }

    /// `getParamNormalized`: the controller's value of `id`.
    pub fn normalized(&self, id: u32) -> f64 {
        // SAFETY: the controller is alive; plain values.
        unsafe { self.controller.getParamNormalized(id) }
    }

    /// `setParamNormalized`: the controller's value of `id` (what a host does for a UI update).
    pub fn set_normalized(&self, id: u32, value: f64) -> Result<(), Error> {
        // SAFETY: the controller is alive; plain values.
        check("IEditController::setParamNormalized", unsafe {
            self.controller.setParamNormalized(id, value)
        })
    }

    /// `normalizedParamToPlain`.
    pub fn to_plain(&self, id: u32, normalized: f64) -> f64 {
        // SAFETY: the controller is alive; plain values.
        unsafe { self.controller.normalizedParamToPlain(id, normalized) }
    }

    /// `plainParamToNormalized`.
    pub fn to_normalized(&self, id: u32, plain: f64) -> f64 {
        // SAFETY: the controller is alive; plain values.
        unsafe { self.controller.plainParamToNormalized(id, plain) }
    }

    /// `getParamStringByValue`: the text a host shows for `normalized`.
    pub fn text(&self, id: u32, normalized: f64) -> Result<String, Error> {
        let mut text = [0; 128];
        // SAFETY: the controller is alive; `text` is a writable `String128`.
        check("IEditController::getParamStringByValue", unsafe {
            self.controller
                .getParamStringByValue(id, normalized, &mut text)
        })?;
        Ok(from_tchar(&text))
    }

    /// `getParamValueByString`: the normalised value a host's text box reads from `text`.
    pub fn value_of_text(&self, id: u32, text: &str) -> Result<f64, Error> {
        let mut text = to_string128(text);
        let mut value = f64::NAN;
        // SAFETY: the controller is alive; `text` is a NUL-terminated UTF-16 string that
        // lives through the call, `value` a valid out pointer.
        check("IEditController::getParamValueByString", unsafe {
            self.controller
                .getParamValueByString(id, text.as_mut_ptr(), &mut value)
        })?;
        Ok(value)
    }

    /// `IComponent::getState`: the component state, as a host saves it in a session.
    pub fn state(&self) -> Result<Vec<u8>, Error> {
        let stream = ComWrapper::new(MemoryStream::new(Vec::new()));
        let ptr = stream_ptr(&stream)?;
        // SAFETY: the component is alive; the stream lives through the call.
        check("IComponent::getState", unsafe {
            self.component.getState(ptr)
        })?;
        Ok(stream.bytes())
    }

    /// `IComponent::setState` with `bytes`, then the same bytes to the controller's
    /// `setComponentState`, as a host loading a session does. A refused state stops there.
    pub fn load_state(&self, bytes: &[u8]) -> Result<(), Error> {
        let stream = ComWrapper::new(MemoryStream::new(bytes.to_vec()));
        let ptr = stream_ptr(&stream)?;
        // SAFETY: the component is alive; the stream lives through the call.
        check("IComponent::setState", unsafe {
            self.component.setState(ptr)
        })?;
        stream.rewind();
        // SAFETY: the controller is alive; the stream lives through the call.
        check("IEditController::setComponentState", unsafe {
            self.controller.setComponentState(ptr)
        })
    }
}

fn stream_ptr(stream: &ComWrapper<MemoryStream>) -> Result<*mut IBStream, Error> {
    stream
        .as_com_ref::<IBStream>()
        .map(|s| s.as_ptr())
        .ok_or(Error::MissingInterface("IBStream"))
}

impl Drop for Plugin {
    fn drop(&mut self) {
        if self.initialized {
            // SAFETY: the controller is alive; null takes the handler back before it goes.
            unsafe { self.controller.setComponentHandler(std::ptr::null_mut()) };
            // SAFETY: initialised above and not yet terminated; nothing calls it afterwards.
            unsafe { self.component.terminate() };
        }
    }
}
