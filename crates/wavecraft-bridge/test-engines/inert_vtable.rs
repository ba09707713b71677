// Shared by the stale-ABI and foreign-canary fixture engines (`include!`d by
// both): a vtable whose entries do nothing, exported with the given ABI
// version and canary. The loader must refuse such a library on those two
// fields alone, before it calls anything else.

use wavecraft_protocol::abi::{AbiMessageBuf, AbiStr, EngineHandle, EngineStatus, EngineVTable};

unsafe extern "C" fn text() -> AbiStr {
    AbiStr {
        ptr: std::ptr::null(),
        len: 0,
    }
}
unsafe extern "C" fn metadata(_: *mut AbiMessageBuf) -> AbiStr {
    AbiStr {
        ptr: std::ptr::null(),
        len: 0,
    }
}
unsafe extern "C" fn create(_: *mut AbiMessageBuf) -> *mut EngineHandle {
    std::ptr::null_mut()
}
unsafe extern "C" fn destroy(_: *mut EngineHandle) {}
unsafe extern "C" fn prepare(_: *mut EngineHandle, _: f64, _: u32, _: u32) -> EngineStatus {
    2
}
unsafe extern "C" fn set_value(_: *mut EngineHandle, _: u32, _: f64) -> EngineStatus {
    2
}
unsafe extern "C" fn process(
    _: *mut EngineHandle,
    _: *const *mut f32,
    _: u32,
    _: u32,
) -> EngineStatus {
    2
}
unsafe extern "C" fn reset(_: *mut EngineHandle) -> EngineStatus {
    2
}
unsafe extern "C" fn last_error(_: *mut EngineHandle) -> AbiStr {
    AbiStr {
        ptr: std::ptr::null(),
        len: 0,
    }
}

/// Exports `wavecraft_engine_vtable` with ABI version `$abi` and canary function `$canary`.
macro_rules! export_inert_vtable {
    ($abi:expr, $canary:expr) => {
        static VTABLE: EngineVTable = EngineVTable {
            abi_version: $abi,
            canary: $canary,
            metadata_json: metadata,
            create,
            destroy,
            prepare,
            set_value,
            process,
            reset,
            last_error,
        };

        /// The entry point.
        #[no_mangle]
        pub extern "C" fn wavecraft_engine_vtable() -> *const EngineVTable {
            &VTABLE
        }
    };
}
