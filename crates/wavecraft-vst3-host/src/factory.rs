//! The module's plugin factory: its vendor info, its classes
//! (`IPluginFactory2`'s class info when the factory has it) and creating a
//! class's component. Owns the factory's FFI calls.

use vst3::Steinberg::Vst::IComponent;
use vst3::Steinberg::{
    IPluginFactory, IPluginFactory2, IPluginFactory2Trait, IPluginFactoryTrait, PClassInfo,
    PClassInfo2, PFactoryInfo, TUID,
};
use vst3::{ComPtr, Interface};

use crate::module::Module;
use crate::plugin::Plugin;
use crate::result::{check, Error};
use crate::text::from_char8;

/// What `getFactoryInfo` says about the vendor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactoryInfo {
    /// The vendor's name.
    pub vendor: String,
    /// The vendor's web address.
    pub url: String,
    /// The vendor's e-mail address.
    pub email: String,
    /// `PFactoryInfo::flags`.
    pub flags: i32,
}

/// One class the factory makes (`PClassInfo2`, or `PClassInfo` with the rest empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassInfo {
    /// The class id, the 16 bytes hosts store in a session.
    pub cid: [u8; 16],
    /// `kVstAudioEffectClass` ("Audio Module Class") for a processor.
    pub category: String,
    /// The name a DAW lists.
    pub name: String,
    /// `|`-separated sub-categories (`Fx|Filter`).
    pub sub_categories: String,
    /// The vendor.
    pub vendor: String,
    /// The plugin's version.
    pub version: String,
    /// The SDK version it was built against.
    pub sdk_version: String,
    /// `PClassInfo2::classFlags`.
    pub class_flags: u32,
    /// `PClassInfo::cardinality`.
    pub cardinality: i32,
}

/// The factory of a loaded module.
pub struct Factory {
    factory: ComPtr<IPluginFactory>,
    module: Module,
}

fn cid_bytes(cid: &TUID) -> [u8; 16] {
    cid.map(|b| b as u8)
}

impl Factory {
    pub(crate) fn new(factory: ComPtr<IPluginFactory>, module: Module) -> Factory {
        Factory { factory, module }
    }

    /// `getFactoryInfo`.
    pub fn info(&self) -> Result<FactoryInfo, Error> {
        // SAFETY: all-zero is a valid `PFactoryInfo` (integers and char arrays).
        let mut info: PFactoryInfo = unsafe { std::mem::zeroed() };
        // SAFETY: the factory is alive (owned by `self`) and `info` is a valid out pointer.
        check("IPluginFactory::getFactoryInfo", unsafe {
            self.factory.getFactoryInfo(&mut info)
        })?;
        Ok(FactoryInfo {
            vendor: from_char8(&info.vendor),
            url: from_char8(&info.url),
            email: from_char8(&info.email),
            flags: info.flags,
        })
    }

    /// How many classes the factory makes.
    pub fn class_count(&self) -> usize {
        // SAFETY: the factory is alive; `countClasses` takes no arguments.
        let count = unsafe { self.factory.countClasses() };
        usize::try_from(count).unwrap_or(0)
    }

    /// The info of class `index`: `getClassInfo2` when the factory is an `IPluginFactory2`.
    pub fn class_info(&self, index: usize) -> Result<ClassInfo, Error> {
        let index = i32::try_from(index).map_err(|_| Error::NoSuchClass(index.to_string()))?;
        if let Some(factory2) = self.factory.cast::<IPluginFactory2>() {
            // SAFETY: all-zero is a valid `PClassInfo2`.
            let mut info: PClassInfo2 = unsafe { std::mem::zeroed() };
            // SAFETY: `factory2` is a live reference from `queryInterface`; `info` is a valid out pointer.
            check("IPluginFactory2::getClassInfo2", unsafe {
                factory2.getClassInfo2(index, &mut info)
            })?;
            return Ok(ClassInfo {
                cid: cid_bytes(&info.cid),
                category: from_char8(&info.category),
                name: from_char8(&info.name),
                sub_categories: from_char8(&info.subCategories),
                vendor: from_char8(&info.vendor),
                version: from_char8(&info.version),
                sdk_version: from_char8(&info.sdkVersion),
                class_flags: info.classFlags,
                cardinality: info.cardinality,
            });
        }
        // SAFETY: all-zero is a valid `PClassInfo`.
        let mut info: PClassInfo = unsafe { std::mem::zeroed() };
        // SAFETY: the factory is alive; `info` is a valid out pointer.
        check("IPluginFactory::getClassInfo", unsafe {
            self.factory.getClassInfo(index, &mut info)
        })?;
        Ok(ClassInfo {
            cid: cid_bytes(&info.cid),
            category: from_char8(&info.category),
            name: from_char8(&info.name),
            sub_categories: String::new(),
            vendor: String::new(),
            version: String::new(),
            sdk_version: String::new(),
            class_flags: 0,
            cardinality: info.cardinality,
        })
    }

    /// Creates the component of class `cid` and makes it a [`Plugin`] (not yet initialised).
    pub fn create(&self, cid: &[u8; 16]) -> Result<Plugin, Error> {
        let mut object = std::ptr::null_mut();
        let iid = IComponent::IID;
        // SAFETY: `cid` and `iid` point at 16 bytes each for the call (FIDString is how the
        // SDK passes a TUID); `object` is a valid out pointer.
        let result = unsafe {
            self.factory
                .createInstance(cid.as_ptr().cast(), iid.as_ptr().cast(), &mut object)
        };
        check("IPluginFactory::createInstance", result)?;
        // SAFETY: on success `object` is an `IComponent` whose reference we now own.
        let component = unsafe { ComPtr::from_raw(object.cast::<IComponent>()) }
            .ok_or(Error::MissingInterface("IComponent"))?;
        Plugin::new(component, self.module.clone())
    }
}
