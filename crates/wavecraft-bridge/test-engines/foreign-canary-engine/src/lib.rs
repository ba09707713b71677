//! Test fixture: a library with this host's ABI version whose canary claims another compiler
//! and SDK, as a library built by a different toolchain would.

use wavecraft_protocol::abi::{AbiStr, EngineHandle, EngineStatus, EngineVTable};

unsafe extern "C" fn text() -> AbiStr {
    AbiStr {
        ptr: std::ptr::null(),
        len: 0,
    }
}
unsafe extern "C" fn create() -> *mut EngineHandle {
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

static VTABLE: EngineVTable = EngineVTable {
    abi_version: wavecraft_protocol::ENGINE_ABI_VERSION,
    canary: foreign_canary,
    metadata_json: text,
    create,
    destroy,
    prepare,
    set_value,
    process,
    reset,
    last_error,
};

/// The entry point, with a foreign canary.
#[no_mangle]
pub extern "C" fn wavecraft_engine_vtable() -> *const EngineVTable {
    &VTABLE
}

const FOREIGN: &str =
    "wavecraft-abi=1;sdk=0.0.1;float=f32;rustc=rustc 1.0.0 (a28077b28 2015-05-13)";

unsafe extern "C" fn foreign_canary() -> AbiStr {
    AbiStr {
        ptr: FOREIGN.as_ptr(),
        len: FOREIGN.len(),
    }
}
