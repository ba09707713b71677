//! Derive macros for Wavecraft plugins.
//!
//! `#[derive(Params)]` turns a struct of parameter fields (`FloatParam`,
//! `IntParam`, `BoolParam`, `EnumParam` or anything implementing
//! `wavecraft_dsp::param::Param`) into a `wavecraft_dsp::param::Params`
//! implementation that numbers the fields in declaration order. This crate
//! only generates code; it must never depend on the DSP crate at build time.

mod params;
mod plugin_info;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

/// The plugin's identity from the author's Cargo.toml (`[package.metadata.wavecraft]`
/// name, vendor, id; falling back to the package's name and first author) and version.
/// Used by `wavecraft::export!`; not meant to be called directly.
#[doc(hidden)]
#[proc_macro]
pub fn plugin_info(_input: TokenStream) -> TokenStream {
    plugin_info::expand().into()
}

/// Implements `Params` for a struct of parameter fields, indexed in field order.
///
/// ```
/// use wavecraft_dsp::param::{BoolParam, FloatParam, FloatRange, Params};
/// use wavecraft_macros::Params;
///
/// #[derive(Params)]
/// #[params(crate = "::wavecraft_dsp")] // a plugin using `wavecraft` leaves this out
/// struct GainParams {
///     gain: FloatParam,
///     bypass: BoolParam,
///     #[params(skip)]
///     scratch: Vec<f32>,
/// }
///
/// let params = GainParams {
///     gain: FloatParam::new("gain", "Gain", FloatRange::linear(-24.0, 24.0), 0.0),
///     bypass: BoolParam::new("bypass", "Bypass", false),
///     scratch: Vec::new(),
/// };
/// assert_eq!(params.count(), 2);
/// assert_eq!(params.index_of("bypass"), Some(1));
/// ```
///
/// The generated code names the DSP crate `::wavecraft::dsp` (the facade a
/// plugin author depends on); override it with
/// `#[params(crate = "::wavecraft_dsp")]` on the struct. Mark a field
/// that is not a parameter with `#[params(skip)]`. Parameter ids are
/// runtime values, so duplicates are reported by `Params::validate_ids`,
/// not at compile time.
#[proc_macro_derive(Params, attributes(params))]
pub fn derive_params(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    params::expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
