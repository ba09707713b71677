//! Test fixture: a library with this host's ABI version whose canary claims another compiler
//! and SDK, as a library built by a different toolchain would.

include!("../../inert_vtable.rs");

export_inert_vtable!(wavecraft_protocol::ENGINE_ABI_VERSION, foreign_canary);

const FOREIGN: &str =
    "wavecraft-abi=1;sdk=0.0.1;float=f32;rustc=rustc 1.0.0 (a28077b28 2015-05-13)";

unsafe extern "C" fn foreign_canary() -> AbiStr {
    AbiStr {
        ptr: FOREIGN.as_ptr(),
        len: FOREIGN.len(),
    }
}
