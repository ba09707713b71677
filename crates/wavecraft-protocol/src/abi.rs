//! The engine ABI's version and canary. A plugin's cdylib carries the canary
//! it was built with; the loader compares it with its own before touching
//! anything else in the library, and a mismatch says exactly what to rebuild.
//!
//! The canary travels as one line of text (`AbiCanary::to_line`) so it can be
//! read through the C ABI without trusting any Rust layout.

use std::fmt;

/// Version of the engine vtable layout. Bumped whenever the vtable changes shape.
pub const ENGINE_ABI_VERSION: u32 = 1;

/// The sample type the DSP runs on.
pub const FLOAT_TYPE: &str = "f32";

/// What must match between an engine library and the host that loads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbiCanary {
    /// [`ENGINE_ABI_VERSION`] at build time.
    pub abi_version: u32,
    /// Version of the Wavecraft SDK crates.
    pub sdk_version: String,
    /// `rustc --version` of the compiler that built it.
    pub rustc_version: String,
    /// The sample type ("f32").
    pub float_type: String,
}

/// Why a library's canary was refused, with what to rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CanaryMismatch {
    /// The canary line could not be read at all.
    Unreadable(String),
    /// One or more fields differ.
    Differs {
        /// The host's canary.
        host: AbiCanary,
        /// The engine's canary.
        engine: AbiCanary,
    },
}

impl fmt::Display for CanaryMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CanaryMismatch::Unreadable(line) => write!(
                f,
                "the engine's ABI canary is unreadable ({line:?}); it was not built with a \
                 compatible Wavecraft SDK. Rebuild the engine against this SDK (cargo clean -p \
                 <your engine>, then build again)"
            ),
            CanaryMismatch::Differs { host, engine } => {
                let mut parts = Vec::new();
                if host.abi_version != engine.abi_version {
                    parts.push(format!(
                        "engine ABI v{} but this host speaks v{}",
                        engine.abi_version, host.abi_version
                    ));
                }
                if host.sdk_version != engine.sdk_version {
                    parts.push(format!(
                        "engine built with Wavecraft SDK {} but this host is {}",
                        engine.sdk_version, host.sdk_version
                    ));
                }
                if host.rustc_version != engine.rustc_version {
                    parts.push(format!(
                        "engine built with {} but this host with {}",
                        engine.rustc_version, host.rustc_version
                    ));
                }
                if host.float_type != engine.float_type {
                    parts.push(format!(
                        "engine processes {} but this host expects {}",
                        engine.float_type, host.float_type
                    ));
                }
                write!(
                    f,
                    "the engine library does not match this host: {}. Rebuild the engine with the \
                     same toolchain and SDK as the wavecraft CLI (or rebuild the CLI with the \
                     engine's toolchain)",
                    parts.join("; ")
                )
            }
        }
    }
}

impl std::error::Error for CanaryMismatch {}

impl AbiCanary {
    /// The canary of the code being compiled right now.
    pub fn current() -> AbiCanary {
        AbiCanary {
            abi_version: ENGINE_ABI_VERSION,
            sdk_version: env!("CARGO_PKG_VERSION").to_owned(),
            rustc_version: env!("WAVECRAFT_RUSTC_VERSION").to_owned(),
            float_type: FLOAT_TYPE.to_owned(),
        }
    }

    /// The one-line text form carried across the C ABI.
    pub fn to_line(&self) -> String {
        format!(
            "wavecraft-abi={};sdk={};float={};rustc={}",
            self.abi_version, self.sdk_version, self.float_type, self.rustc_version
        )
    }

    /// Reads the text form back.
    pub fn parse(line: &str) -> Result<AbiCanary, CanaryMismatch> {
        let unreadable = || CanaryMismatch::Unreadable(line.to_owned());
        let mut fields = line.splitn(4, ';');
        let mut field = |key: &str| {
            fields
                .next()
                .and_then(|f| f.strip_prefix(key))
                .and_then(|f| f.strip_prefix('='))
                .map(str::to_owned)
                .ok_or_else(unreadable)
        };
        let abi = field("wavecraft-abi")?;
        let sdk_version = field("sdk")?;
        let float_type = field("float")?;
        let rustc_version = field("rustc")?;
        Ok(AbiCanary {
            abi_version: abi.parse().map_err(|_| unreadable())?,
            sdk_version,
            rustc_version,
            float_type,
        })
    }

    /// Accepts an engine's canary line when it matches this (the host's) canary.
    pub fn check(&self, engine_line: &str) -> Result<(), CanaryMismatch> {
        let engine = AbiCanary::parse(engine_line)?;
        if engine == *self {
            Ok(())
        } else {
            Err(CanaryMismatch::Differs {
                host: self.clone(),
                engine,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_round_trips_and_matches_itself() {
        let c = AbiCanary::current();
        assert!(c.rustc_version.starts_with("rustc "), "{}", c.rustc_version);
        assert_eq!(AbiCanary::parse(&c.to_line()), Ok(c.clone()));
        assert_eq!(c.check(&c.to_line()), Ok(()));
    }

    #[test]
    fn mismatch_names_what_differs_and_what_to_rebuild() {
        let host = AbiCanary::current();
        let mut engine = host.clone();
        engine.abi_version += 1;
        engine.rustc_version = "rustc 1.0.0".into();
        let err = host.check(&engine.to_line()).unwrap_err().to_string();
        assert!(
            err.contains(&format!("engine ABI v{}", ENGINE_ABI_VERSION + 1)),
            "{err}"
        );
        assert!(err.contains("rustc 1.0.0"), "{err}");
        assert!(err.contains("Rebuild the engine"), "{err}");
    }

    #[test]
    fn garbage_is_unreadable() {
        let host = AbiCanary::current();
        for line in [
            "",
            "hello",
            "wavecraft-abi=x;sdk=1;float=f32;rustc=r",
            "sdk=1",
        ] {
            assert!(
                matches!(host.check(line), Err(CanaryMismatch::Unreadable(_))),
                "{line}"
            );
        }
    }
}
