//! Test fixture: a library that matches this host in everything but the compiler that built it
//! (its canary names another rustc), as an engine with its own `rust-toolchain.toml` would.
//! The loader must load it and say so in a note.

include!("../../inert_vtable.rs");

export_inert_vtable!(
    wavecraft_engine_abi::ENGINE_ABI_VERSION,
    foreign_rustc_canary,
    foreign_rustc_metadata
);

static CANARY: std::sync::OnceLock<String> = std::sync::OnceLock::new();

unsafe extern "C" fn foreign_rustc_canary() -> AbiStr {
    let line = CANARY.get_or_init(|| {
        let mut canary = wavecraft_engine_abi::AbiCanary::current();
        canary.rustc_version = "rustc 1.0.0 (a28077b28 2015-05-13)".to_owned();
        canary.to_line()
    });
    AbiStr {
        ptr: line.as_ptr(),
        len: line.len(),
    }
}

const METADATA: &str = r#"{"name":"Foreign Rustc","vendor":"Wavecraft","version":"0.1.0","pluginId":"dev.wavecraft.foreign-rustc","sdkVersion":"0.1.0","parameters":[]}"#;

unsafe extern "C" fn foreign_rustc_metadata(_: *mut AbiMessageBuf) -> AbiStr {
    AbiStr {
        ptr: METADATA.as_ptr(),
        len: METADATA.len(),
    }
}
