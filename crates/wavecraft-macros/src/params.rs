//! Expansion of `#[derive(Params)]`: reads the struct and its `#[params(..)]`
//! attributes and writes the `Params` impl. Pure token manipulation: no I/O,
//! no knowledge of the DSP crate beyond the trait paths it names.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitStr, Path};

/// The most parameters one struct may declare. The derived code (and the author's `Default`)
/// grows with the count, one huge function each in a debug build, about 2.5 KiB of stack per
/// parameter; the dev server's engine threads (`wavecraft_engine_loader::ENGINE_STACK_BYTES`) are
/// sized for this limit with room to spare. Beyond it the build fails with this message,
/// instead of an engine that would overflow its thread's stack and take the process down.
const MAX_PARAMETERS: usize = 10_000;

/// Generates the `Params` impl for `input`, or a spanned error.
pub(crate) fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let krate = crate_path(input)?;
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => &named.named,
            other => {
                return Err(syn::Error::new(
                    other.span(),
                    "#[derive(Params)] needs a struct with named fields",
                ))
            }
        },
        _ => {
            return Err(syn::Error::new(
                input.ident.span(),
                "#[derive(Params)] can only be used on a struct",
            ))
        }
    };

    let mut params = Vec::new();
    for field in fields {
        if !is_skipped(field)? {
            params.push(field);
        }
    }

    let count = params.len();
    if count > MAX_PARAMETERS {
        return Err(syn::Error::new(
            input.ident.span(),
            format!(
                "{} declares {count} parameters; a Wavecraft plugin may have at most {MAX_PARAMETERS}",
                input.ident
            ),
        ));
    }
    let arms = params.iter().enumerate().map(|(index, field)| {
        let ident = field.ident.as_ref().expect("named field");
        // Spanned on the field, so "does not implement Param" points at it.
        quote_spanned! {field.ty.span()=> #index => &self.#ident }
    });
    let arms_mut = params.iter().enumerate().map(|(index, field)| {
        let ident = field.ident.as_ref().expect("named field");
        quote_spanned! {field.ty.span()=> #index => &mut self.#ident }
    });

    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let panic_message = format!("{name} has {count} parameters; index {{}} is out of range");

    Ok(quote! {
        #[automatically_derived]
        impl #impl_generics #krate::param::Params for #name #ty_generics #where_clause {
            fn count(&self) -> usize {
                #count
            }

            fn param(&self, index: usize) -> &dyn #krate::param::Param {
                match index {
                    #(#arms,)*
                    _ => ::core::panic!(#panic_message, index),
                }
            }

            fn param_mut(&mut self, index: usize) -> &mut dyn #krate::param::Param {
                match index {
                    #(#arms_mut,)*
                    _ => ::core::panic!(#panic_message, index),
                }
            }
        }
    })
}

/// The DSP crate path: `#[params(crate = "...")]` on the struct, or `::wavecraft::dsp` (what a plugin author depends on).
fn crate_path(input: &DeriveInput) -> syn::Result<Path> {
    let mut krate: Path = syn::parse_quote!(::wavecraft::dsp);
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("params")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("crate") {
                let path: LitStr = meta.value()?.parse()?;
                krate = path.parse()?;
                Ok(())
            } else {
                Err(meta.error("unknown #[params] option on a struct; expected `crate = \"path\"`"))
            }
        })?;
    }
    Ok(krate)
}

/// True when the field carries `#[params(skip)]`.
fn is_skipped(field: &syn::Field) -> syn::Result<bool> {
    let mut skip = false;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("params")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("skip") {
                skip = true;
                Ok(())
            } else {
                Err(meta.error("unknown #[params] option on a field; expected `skip`"))
            }
        })?;
    }
    Ok(skip)
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn expand_to_string(input: DeriveInput) -> Result<String, String> {
        expand(&input)
            .map(|tokens| tokens.to_string())
            .map_err(|error| error.to_string())
    }

    #[test]
    fn numbers_fields_in_order_and_skips_marked_ones() {
        let code = expand_to_string(parse_quote! {
            struct P { a: FloatParam, #[params(skip)] scratch: Vec<f32>, b: BoolParam }
        })
        .unwrap();
        assert!(
            code.contains("impl :: wavecraft :: dsp :: param :: Params for P"),
            "{code}"
        );
        assert!(code.contains("0usize => & self . a"), "{code}");
        assert!(code.contains("1usize => & self . b"), "{code}");
        assert!(!code.contains("scratch"), "{code}");
        assert!(
            code.contains("fn count (& self) -> usize { 2usize }"),
            "{code}"
        );
    }

    #[test]
    fn crate_path_can_be_overridden() {
        let code = expand_to_string(parse_quote! {
            #[params(crate = "::wavecraft_dsp")]
            struct P { a: FloatParam }
        })
        .unwrap();
        assert!(
            code.contains(":: wavecraft_dsp :: param :: Params"),
            "{code}"
        );
        assert!(!code.contains(":: wavecraft ::"), "{code}");
    }

    #[test]
    fn keeps_generics() {
        let code = expand_to_string(parse_quote! {
            struct P<T: Param> where T: Send { a: T }
        })
        .unwrap();
        assert!(code.contains("impl < T : Param >"), "{code}");
        assert!(code.contains("for P < T > where T : Send"), "{code}");
    }

    #[test]
    fn refuses_more_parameters_than_the_limit() {
        let fields = |n: usize| -> Vec<syn::Field> {
            (0..n)
                .map(|i| {
                    let name = syn::Ident::new(&format!("p{i}"), proc_macro2::Span::call_site());
                    parse_quote! { #name: FloatParam }
                })
                .collect()
        };
        let at_limit = fields(MAX_PARAMETERS);
        assert!(expand_to_string(parse_quote! { struct P { #(#at_limit),* } }).is_ok());
        let over = fields(MAX_PARAMETERS + 1);
        let error = expand_to_string(parse_quote! { struct P { #(#over),* } }).unwrap_err();
        assert_eq!(
            error,
            "P declares 10001 parameters; a Wavecraft plugin may have at most 10000"
        );
    }

    #[test]
    fn refuses_what_it_cannot_number() {
        let tuple = expand_to_string(parse_quote! { struct P(FloatParam); });
        assert!(tuple.unwrap_err().contains("named fields"));
        let enumeration = expand_to_string(parse_quote! { enum P { A } });
        assert!(enumeration
            .unwrap_err()
            .contains("only be used on a struct"));
        let unknown = expand_to_string(parse_quote! {
            #[params(krate = "x")]
            struct P { a: FloatParam }
        });
        assert!(unknown.unwrap_err().contains("unknown #[params] option"));
        let bad_field = expand_to_string(parse_quote! {
            struct P { #[params(nested)] a: FloatParam }
        });
        assert!(bad_field.unwrap_err().contains("expected `skip`"));
    }
}
