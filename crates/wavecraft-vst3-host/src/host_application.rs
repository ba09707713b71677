//! The host's `IHostApplication`, passed to the plugin's `initialize`: its
//! name, and no objects to create (this host offers no `IMessage` or
//! `IAttributeList`, which a single-component plugin does not need).

use vst3::Class;
use vst3::Steinberg::Vst::{IHostApplication, IHostApplicationTrait, String128};
use vst3::Steinberg::{tresult, TUID};

use crate::text::to_string128;

/// The name the plugin reads from `getName`.
pub(crate) const HOST_NAME: &str = "Wavecraft VST3 test host";

/// The `IHostApplication` object.
pub(crate) struct HostApplication;

impl Class for HostApplication {
    type Interfaces = (IHostApplication,);
}

impl IHostApplicationTrait for HostApplication {
    unsafe fn getName(&self, name: *mut String128) -> tresult {
        if name.is_null() {
            return vst3::Steinberg::kInvalidArgument;
        }
        // SAFETY: the caller passes a writable `String128` (checked non-null above).
        unsafe { *name = to_string128(HOST_NAME) };
        vst3::Steinberg::kResultOk
    }

    unsafe fn createInstance(
        &self,
        _cid: *mut TUID,
        _iid: *mut TUID,
        obj: *mut *mut std::ffi::c_void,
    ) -> tresult {
        if !obj.is_null() {
            // SAFETY: a non-null out pointer the caller owns; null says "nothing created".
            unsafe { *obj = std::ptr::null_mut() };
        }
        vst3::Steinberg::kNotImplemented
    }
}
