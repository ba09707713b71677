//! The plugin factory (`IPluginFactory3`): one class, the effect, described from the
//! author's `PluginInfo` ("Audio Module Class", subcategory "Fx"), whose class id is
//! `wavecraft_identity`'s (compiled in by `export!`, written into `moduleinfo.json` by
//! `wavecraft bundle`). `createInstance` builds a [`Component`].

#![deny(unsafe_op_in_unsafe_fn)]

use std::ffi::{c_char, c_void, CStr};
use std::marker::PhantomData;

use vst3::Steinberg::Vst::SDKVersionString;
use vst3::Steinberg::{
    int32, tresult, FIDString, FUnknown, IPluginFactory, IPluginFactory2Trait, IPluginFactory3,
    IPluginFactory3Trait, IPluginFactoryTrait, PClassInfo, PClassInfo2, PClassInfoW,
    PClassInfo_::ClassCardinality_::kManyInstances, PFactoryInfo,
    PFactoryInfo_::FactoryFlags_::kUnicode, TUID,
};
use vst3::Steinberg::{kInvalidArgument, kResultFalse, kResultOk};
use vst3::{Class, ComWrapper};

use super::component::Component;
use super::strings::{copy_utf16, copy_utf8};
use crate::engine_abi::Export;
use crate::PluginInfo;

/// The class category of an audio effect or instrument.
const CATEGORY: &str = "Audio Module Class";
/// The class's subcategories: an effect.
const SUBCATEGORIES: &str = "Fx";

/// The class id as the SDK's `TUID` on this platform (COM byte order on Windows).
pub fn class_tuid(info: &PluginInfo) -> TUID {
    let b = info.vst3_class_id;
    let word = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    vst3::uid(word(0), word(4), word(8), word(12))
}

/// The factory of exported plugin `E`.
pub struct Factory<E>(PhantomData<fn() -> E>);

impl<E: Export> Factory<E> {
    /// A new factory as the raw pointer `GetPluginFactory` returns (one reference, the host's).
    pub fn into_raw() -> *mut IPluginFactory {
        ComWrapper::new(Factory::<E>(PhantomData))
            .to_com_ptr::<IPluginFactory>()
            .map_or(std::ptr::null_mut(), |ptr| ptr.into_raw())
    }
}

impl<E: Export> Class for Factory<E> {
    type Interfaces = (IPluginFactory3,);
}

impl<E: Export> IPluginFactoryTrait for Factory<E> {
    unsafe fn getFactoryInfo(&self, info: *mut PFactoryInfo) -> tresult {
        // SAFETY: the host passes null or a writable PFactoryInfo.
        let Some(info) = (unsafe { info.as_mut() }) else {
            return kInvalidArgument;
        };
        copy_utf8(E::info().vendor, &mut info.vendor);
        copy_utf8("", &mut info.url);
        copy_utf8("", &mut info.email);
        info.flags = kUnicode as int32;
        kResultOk
    }

    unsafe fn countClasses(&self) -> int32 {
        1
    }

    unsafe fn getClassInfo(&self, index: int32, info: *mut PClassInfo) -> tresult {
        // SAFETY: the host passes null or a writable PClassInfo.
        let Some(info) = (unsafe { info.as_mut() }) else {
            return kInvalidArgument;
        };
        if index != 0 {
            return kInvalidArgument;
        }
        let plugin = E::info();
        info.cid = class_tuid(plugin);
        info.cardinality = kManyInstances as int32;
        copy_utf8(CATEGORY, &mut info.category);
        copy_utf8(plugin.name, &mut info.name);
        kResultOk
    }

    unsafe fn createInstance(
        &self,
        cid: FIDString,
        iid: FIDString,
        obj: *mut *mut c_void,
    ) -> tresult {
        if cid.is_null() || iid.is_null() || obj.is_null() {
            return kInvalidArgument;
        }
        // SAFETY: a non-null `cid` points to a 16-byte class id (the SDK's contract).
        let cid = unsafe { *cid.cast::<TUID>() };
        if cid != class_tuid(E::info()) {
            return kInvalidArgument;
        }
        let component = match Component::<E>::new() {
            Ok(component) => component,
            Err(message) => {
                // Main thread (instantiation), so the message may be printed here.
                eprintln!("wavecraft: {}: {message}", E::info().name);
                return kResultFalse;
            }
        };
        let Some(unknown) = ComWrapper::new(component).to_com_ptr::<FUnknown>() else {
            return kResultFalse;
        };
        let ptr = unknown.as_ptr();
        // SAFETY: `ptr` is our live object (held by `unknown` for this call); `iid` is a
        // 16-byte interface id and `obj` a writable out pointer (checked non-null above).
        // queryInterface adds the reference the host owns; `unknown`'s drops at return.
        unsafe { ((*(*ptr).vtbl).queryInterface)(ptr, iid.cast::<TUID>(), obj) }
    }
}

impl<E: Export> IPluginFactory2Trait for Factory<E> {
    unsafe fn getClassInfo2(&self, index: int32, info: *mut PClassInfo2) -> tresult {
        // SAFETY: the host passes null or a writable PClassInfo2.
        let Some(info) = (unsafe { info.as_mut() }) else {
            return kInvalidArgument;
        };
        if index != 0 {
            return kInvalidArgument;
        }
        let plugin = E::info();
        info.cid = class_tuid(plugin);
        info.cardinality = kManyInstances as int32;
        copy_utf8(CATEGORY, &mut info.category);
        copy_utf8(plugin.name, &mut info.name);
        info.classFlags = 0;
        copy_utf8(SUBCATEGORIES, &mut info.subCategories);
        copy_utf8(plugin.vendor, &mut info.vendor);
        copy_utf8(plugin.version, &mut info.version);
        copy_utf8(sdk_version(), &mut info.sdkVersion);
        kResultOk
    }
}

impl<E: Export> IPluginFactory3Trait for Factory<E> {
    unsafe fn getClassInfoUnicode(&self, index: int32, info: *mut PClassInfoW) -> tresult {
        // SAFETY: the host passes null or a writable PClassInfoW.
        let Some(info) = (unsafe { info.as_mut() }) else {
            return kInvalidArgument;
        };
        if index != 0 {
            return kInvalidArgument;
        }
        let plugin = E::info();
        info.cid = class_tuid(plugin);
        info.cardinality = kManyInstances as int32;
        copy_utf8(CATEGORY, &mut info.category);
        copy_utf16(plugin.name, &mut info.name);
        info.classFlags = 0;
        copy_utf8(SUBCATEGORIES, &mut info.subCategories);
        copy_utf16(plugin.vendor, &mut info.vendor);
        copy_utf16(plugin.version, &mut info.version);
        copy_utf16(sdk_version(), &mut info.sdkVersion);
        kResultOk
    }

    unsafe fn setHostContext(&self, _context: *mut FUnknown) -> tresult {
        kResultOk
    }
}

/// The SDK version the bindings were generated from ("VST 3.8.0").
fn sdk_version() -> &'static str {
    // SAFETY: `SDKVersionString` is a NUL-terminated static string in the bindings.
    let version = unsafe { CStr::from_ptr(SDKVersionString as *const c_char) };
    version.to_str().unwrap_or("VST 3")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WindowSize;

    #[test]
    fn the_factory_class_id_is_the_identity_crates_in_the_platforms_byte_order() {
        let id = "dev.wavecraft.example";
        let info = PluginInfo {
            name: "Example",
            vendor: "Wavecraft",
            id,
            version: "0.1.0",
            vst3_class_id: wavecraft_identity::vst3_class_id(id),
            window: WindowSize {
                width: 1,
                height: 1,
                resizable: false,
                min_width: 1,
                min_height: 1,
            },
        };
        let bytes = class_tuid(&info).map(|b| b as u8);
        let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
        if cfg!(target_os = "windows") {
            // COM order: the first three fields little-endian.
            assert_ne!(hex, wavecraft_identity::vst3_class_id_string(id));
        } else {
            // What moduleinfo.json carries and the SDK's validator prints as `cid`.
            assert_eq!(hex, wavecraft_identity::vst3_class_id_string(id));
            assert_eq!(hex, "76E38AC368F35125A5FD46C8133A21DE");
        }
    }
}
