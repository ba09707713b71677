//! The CLAP view of a plugin's parameters: stable CLAP ids and info flags.
//!
//! A CLAP parameter id is a `u32` that must never change, or a host loses the
//! automation recorded against it. Wavecraft's ids are stable snake_case
//! strings, so the CLAP id is derived from the string (FNV-1a, 31 bits),
//! never from the field's position: reordering fields keeps every id.
//!
//! Value text is not written here: the main thread calls the parameter rules
//! (`ParamSpec::rules`: `to_exact_text`, `parse_clamped`), so a host shows
//! what the dev UI shows and reads what `render --set` reads.
//! Nothing here runs on the audio thread except [`ParamTable::index_of`].

use std::fmt;

use clack_extensions::params::ParamInfoFlags;
use wavecraft_dsp::param::{id_problems, IdProblem, ParamKind, ParamSpec};

/// The CLAP id of a Wavecraft parameter id: 32-bit FNV-1a of the UTF-8 bytes, top bit cleared.
///
/// The top bit is cleared so the id can never be `CLAP_INVALID_ID` (`u32::MAX`).
pub fn clap_param_id(id: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in id.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash & 0x7fff_ffff
}

/// Why a plugin's parameters cannot be published to a CLAP host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamTableError {
    /// Ids break the SDK's rules (the same ones `wavecraft start` applies).
    Ids(Vec<IdProblem>),
    /// Two distinct ids map to the same CLAP id.
    Collision {
        /// The first id.
        first: &'static str,
        /// The second id.
        second: &'static str,
    },
}

impl fmt::Display for ParamTableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ids(problems) => {
                for (n, problem) in problems.iter().enumerate() {
                    write!(f, "{}{problem}", if n == 0 { "" } else { "; " })?;
                }
                Ok(())
            }
            Self::Collision { first, second } => write!(
                f,
                "parameter ids `{first}` and `{second}` map to the same CLAP id: rename one of them"
            ),
        }
    }
}

impl std::error::Error for ParamTableError {}

/// Every parameter's spec with its CLAP id, and a sorted id → index map.
#[derive(Debug)]
pub struct ParamTable {
    specs: Box<[ParamSpec]>,
    clap_ids: Box<[u32]>,
    by_clap_id: Box<[(u32, usize)]>,
}

impl ParamTable {
    /// Builds the table; refuses two ids whose CLAP ids collide.
    pub fn new(specs: Vec<ParamSpec>) -> Result<Self, ParamTableError> {
        let problems = id_problems(specs.iter().map(|s| s.id));
        if !problems.is_empty() {
            return Err(ParamTableError::Ids(problems));
        }
        let clap_ids: Box<[u32]> = specs.iter().map(|s| clap_param_id(s.id)).collect();
        let mut by_clap_id: Vec<(u32, usize)> = clap_ids.iter().copied().zip(0..).collect();
        by_clap_id.sort_unstable();
        if let Some(pair) = by_clap_id.windows(2).find(|pair| pair[0].0 == pair[1].0) {
            return Err(ParamTableError::Collision {
                first: specs[pair[0].1].id,
                second: specs[pair[1].1].id,
            });
        }
        Ok(ParamTable {
            specs: specs.into_boxed_slice(),
            clap_ids,
            by_clap_id: by_clap_id.into_boxed_slice(),
        })
    }

    /// Number of parameters.
    pub fn len(&self) -> usize {
        self.specs.len()
    }

    /// True when the plugin has no parameters.
    pub fn is_empty(&self) -> bool {
        self.specs.is_empty()
    }

    /// Every spec, in index order.
    pub fn specs(&self) -> &[ParamSpec] {
        &self.specs
    }

    /// The CLAP id of parameter `index`; panics when out of bounds.
    pub fn clap_id(&self, index: usize) -> u32 {
        self.clap_ids[index]
    }

    /// The index of the parameter with CLAP id `clap_id`; allocation-free (binary search).
    pub fn index_of(&self, clap_id: u32) -> Option<usize> {
        self.by_clap_id
            .binary_search_by_key(&clap_id, |&(id, _)| id)
            .ok()
            .map(|slot| self.by_clap_id[slot].1)
    }
}

/// The CLAP flags of a parameter: automatable; stepped for int, bool and enum; enum for enums.
pub fn info_flags(spec: &ParamSpec) -> ParamInfoFlags {
    let mut flags = ParamInfoFlags::IS_AUTOMATABLE;
    if spec.is_discrete() {
        flags |= ParamInfoFlags::IS_STEPPED;
    }
    if matches!(spec.kind, ParamKind::Enum { .. }) {
        flags |= ParamInfoFlags::IS_ENUM;
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;
    use wavecraft_dsp::param::{FloatRange, SmoothingStyle};

    fn spec(id: &'static str, kind: ParamKind, unit: &'static str, default: f64) -> ParamSpec {
        ParamSpec {
            id,
            name: "P",
            unit,
            group: "",
            kind,
            default,
            smoothing: SmoothingStyle::None,
        }
    }

    #[test]
    fn clap_ids_are_stable_and_never_invalid() {
        // Pinned: changing the hash would break every saved session's automation.
        assert_eq!(clap_param_id("output_gain"), clap_param_id("output_gain"));
        assert_eq!(clap_param_id(""), 0x811c_9dc5 & 0x7fff_ffff);
        assert_eq!(clap_param_id("a"), 0xe40c_292c & 0x7fff_ffff);
        assert!(["gain", "cutoff", "x"]
            .iter()
            .all(|id| clap_param_id(id) != u32::MAX));
    }

    #[test]
    fn the_table_maps_ids_both_ways_and_refuses_bad_ids() {
        let gain = spec(
            "gain",
            ParamKind::Float(FloatRange::linear(-1.0, 1.0)),
            "",
            0.0,
        );
        let mode = spec(
            "mode",
            ParamKind::Enum {
                variants: &["A", "B"],
            },
            "",
            0.0,
        );
        let table = ParamTable::new(vec![gain, mode]).unwrap();
        assert_eq!(table.len(), 2);
        for index in 0..2 {
            assert_eq!(table.index_of(table.clap_id(index)), Some(index));
        }
        assert_eq!(table.index_of(12345), None);
        let twice = ParamTable::new(vec![gain, gain]).unwrap_err();
        assert_eq!(
            twice.to_string(),
            "parameter id `gain` is used by both parameter 0 and parameter 1"
        );
        // The same id rules as the dev loop: a bundle never accepts what `start` refuses.
        let shouting = spec("Gain", gain.kind, "", 0.0);
        let refused = ParamTable::new(vec![shouting]).unwrap_err();
        assert!(refused
            .to_string()
            .contains("`Gain` (parameter 0) is not snake_case"));
    }

    #[test]
    fn flags_follow_the_kind() {
        let float = spec("f", ParamKind::Float(FloatRange::linear(0.0, 1.0)), "", 0.0);
        let int = spec("i", ParamKind::Int { min: 0, max: 3 }, "", 0.0);
        let bool = spec("b", ParamKind::Bool, "", 0.0);
        let mode = spec(
            "e",
            ParamKind::Enum {
                variants: &["A", "B"],
            },
            "",
            0.0,
        );
        assert_eq!(info_flags(&float), ParamInfoFlags::IS_AUTOMATABLE);
        assert!(info_flags(&int).contains(ParamInfoFlags::IS_STEPPED));
        assert!(info_flags(&bool).contains(ParamInfoFlags::IS_STEPPED));
        assert!(info_flags(&mode).contains(ParamInfoFlags::IS_STEPPED | ParamInfoFlags::IS_ENUM));
    }
}
