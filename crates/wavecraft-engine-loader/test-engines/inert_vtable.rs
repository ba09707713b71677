// Shared by the stale-ABI, foreign-canary and foreign-rustc fixture engines
// (`include!`d by each): a vtable whose entries do nothing, exported with the
// given ABI version, canary and (optionally) metadata function. The loader
// must judge such a library on the version and canary alone, before it calls
// anything else.

use wavecraft_engine_abi::{AbiMessageBuf, AbiStr, EngineHandle, EngineStatus, EngineVTable};

// An empty string: the stale-ABI fixture's canary (unused by the others).
#[allow(dead_code)]
unsafe extern "C" fn text() -> AbiStr {
    AbiStr {
        ptr: std::ptr::null(),
        len: 0,
    }
}
// No metadata: the default of `export_inert_vtable!` (the foreign-rustc fixture has its own).
#[allow(dead_code)]
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

/// Exports `wavecraft_engine_vtable` with ABI version `$abi`, canary function `$canary` and
/// metadata function `$metadata` (by default: none, an empty string).
macro_rules! export_inert_vtable {
    ($abi:expr, $canary:expr) => {
        export_inert_vtable!($abi, $canary, metadata);
    };
    ($abi:expr, $canary:expr, $metadata:expr) => {
        static VTABLE: EngineVTable = EngineVTable {
            abi_version: $abi,
            canary: $canary,
            metadata_json: $metadata,
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
