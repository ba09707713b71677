//! Test fixture: a library with this host's ABI version whose canary claims another Wavecraft
//! SDK (so another protocol) and another compiler, as an engine built against an older SDK
//! would. The loader must refuse it over the SDK, saying what to rebuild.

include!("../../inert_vtable.rs");

export_inert_vtable!(wavecraft_engine_abi::ENGINE_ABI_VERSION, foreign_canary);

static FOREIGN: std::sync::OnceLock<String> = std::sync::OnceLock::new();

unsafe extern "C" fn foreign_canary() -> AbiStr {
    let line = FOREIGN.get_or_init(|| {
        format!(
            "wavecraft-abi={};sdk=0.0.1;float=f32;rustc=rustc 1.0.0 (a28077b28 2015-05-13)",
            wavecraft_engine_abi::ENGINE_ABI_VERSION
        )
    });
    AbiStr {
        ptr: line.as_ptr(),
        len: line.len(),
    }
}
