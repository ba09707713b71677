//! `plugin_info!()`: the plugin's name, vendor, id, version and window size, read at
//! compile time from the *author's* Cargo.toml (the crate being compiled),
//! never from the SDK's, by `wavecraft-identity`'s rule.

use proc_macro2::TokenStream;
use quote::quote;
use wavecraft_identity::{identity, vst3_class_id, window, PluginIdentity, WindowMetadata};

pub(crate) fn expand() -> TokenStream {
    let dir = match std::env::var("CARGO_MANIFEST_DIR") {
        Ok(d) => d,
        Err(_) => {
            return quote!(::core::compile_error!(
                "wavecraft::export! must be compiled by cargo (CARGO_MANIFEST_DIR is not set)"
            ))
        }
    };
    let path = std::path::Path::new(&dir).join("Cargo.toml");
    let identity = std::fs::read_to_string(&path)
        .map_err(|e| format!("reading {}: {e}", path.display()))
        .and_then(|text| {
            let identity = identity(&text).map_err(|e| e.to_string())?;
            let window = window(&text).map_err(|e| e.to_string())?;
            Ok((identity, window))
        });
    let manifest = path.display().to_string();
    match identity {
        // Cargo does not rebuild a crate when only `[package.metadata]` changes, and this macro
        // reads the file behind its back: including the bytes makes the manifest a tracked input,
        // so an edited name, vendor or id reaches the next build.
        Ok((
            PluginIdentity { name, vendor, id },
            WindowMetadata {
                width,
                height,
                resizable,
                min_width,
                min_height,
            },
        )) => {
            let class_id = vst3_class_id(&id);
            quote! {{
                const _: &[u8] = ::core::include_bytes!(#manifest);
                ::wavecraft::PluginInfo {
                    name: #name,
                    vendor: #vendor,
                    id: #id,
                    version: ::core::env!("CARGO_PKG_VERSION"),
                    vst3_class_id: [#(#class_id),*],
                    window: ::wavecraft::WindowSize {
                        width: #width,
                        height: #height,
                        resizable: #resizable,
                        min_width: #min_width,
                        min_height: #min_height,
                    },
                }
            }}
        }
        Err(e) => {
            let msg = format!("wavecraft::export!: {e}");
            quote!(::core::compile_error!(#msg))
        }
    }
}
