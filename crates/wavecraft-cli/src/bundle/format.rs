//! Which plugin formats a bundle writes (`--format clap|vst3|all`) and the
//! cargo features that compile their entries into the one library: the same
//! `.so` exports `clap_entry` and `GetPluginFactory`, so asking for both
//! formats costs one build.

use std::fmt;
use std::str::FromStr;

/// The formats to write; at least one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    /// A `.clap`.
    pub clap: bool,
    /// A `.vst3`.
    pub vst3: bool,
}

impl Formats {
    /// CLAP and VST3 (the default).
    pub const ALL: Formats = Formats {
        clap: true,
        vst3: true,
    };
    /// CLAP only.
    pub const CLAP: Formats = Formats {
        clap: true,
        vst3: false,
    };
    /// VST3 only.
    pub const VST3: Formats = Formats {
        clap: false,
        vst3: true,
    };

    /// The `wavecraft` crate features the engine is built with: only the requested entries.
    pub fn cargo_features(self) -> Vec<String> {
        let mut features = Vec::new();
        if self.clap {
            features.push("wavecraft/clap".to_owned());
        }
        if self.vst3 {
            features.push("wavecraft/vst3".to_owned());
        }
        features
    }
}

impl Default for Formats {
    fn default() -> Self {
        Formats::ALL
    }
}

/// A `--format` that names no format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown plugin format `{0}`: expected clap, vst3 or all")]
pub struct UnknownFormat(pub String);

impl FromStr for Formats {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "clap" => Ok(Formats::CLAP),
            "vst3" => Ok(Formats::VST3),
            "all" => Ok(Formats::ALL),
            _ => Err(UnknownFormat(s.to_owned())),
        }
    }
}

impl fmt::Display for Formats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match (self.clap, self.vst3) {
            (true, true) => "CLAP and VST3",
            (true, false) => "CLAP",
            (false, true) => "VST3",
            (false, false) => "no format",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_and_name_their_features() {
        assert_eq!("clap".parse(), Ok(Formats::CLAP));
        assert_eq!("VST3".parse(), Ok(Formats::VST3));
        assert_eq!("all".parse(), Ok(Formats::ALL));
        assert_eq!(Formats::default(), Formats::ALL);
        assert_eq!(
            Formats::ALL.cargo_features(),
            ["wavecraft/clap", "wavecraft/vst3"]
        );
        assert_eq!(Formats::VST3.cargo_features(), ["wavecraft/vst3"]);
        assert_eq!(Formats::CLAP.to_string(), "CLAP");
    }

    #[test]
    fn an_unknown_format_is_refused_by_name() {
        let err = "aax".parse::<Formats>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown plugin format `aax`: expected clap, vst3 or all"
        );
        assert!("".parse::<Formats>().is_err());
        assert!("clap,vst3".parse::<Formats>().is_err());
    }
}
