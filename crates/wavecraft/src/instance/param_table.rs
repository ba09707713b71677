//! The parameter table every plugin format publishes: each parameter's spec and its
//! stable `u32` host id (CLAP's `clap_id`, VST3's `ParamID`).
//!
//! A host parameter id must never change, or a host loses the automation recorded
//! against it. Wavecraft's ids are stable snake_case strings, so the host id is derived
//! from the string (FNV-1a, 31 bits), never from the field's position: reordering fields
//! keeps every id. The same number serves both formats and the state format.
//!
//! Value text is not written here: the formats call the parameter rules
//! (`ParamSpec::rules`: `to_exact_text`, `parse_clamped`), so a host shows
//! what the dev UI shows and reads what `render --set` reads.
//! Nothing here runs on the audio thread except [`ParamTable::index_of`].

use std::fmt;

use wavecraft_dsp::param::{id_problems, IdProblem, ParamSpec};

/// The host id of a Wavecraft parameter id: 32-bit FNV-1a of the UTF-8 bytes, top bit cleared.
///
/// The top bit is cleared so the id can never be CLAP's `CLAP_INVALID_ID` (`u32::MAX`), and
/// VST3 reserves the ids with the top bit set for hosts.
pub fn param_id(id: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in id.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash & 0x7fff_ffff
}

/// Why a plugin's parameters cannot be published to a host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamTableError {
    /// Ids break the SDK's rules (the same ones `wavecraft start` applies).
    Ids(Vec<IdProblem>),
    /// Two distinct ids map to the same host id.
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
                "parameter ids `{first}` and `{second}` map to the same host parameter id: rename one of them"
            ),
        }
    }
}

impl std::error::Error for ParamTableError {}

/// Every parameter's spec with its host id, and a sorted id → index map.
#[derive(Debug)]
pub struct ParamTable {
    specs: Box<[ParamSpec]>,
    host_ids: Box<[u32]>,
    by_host_id: Box<[(u32, usize)]>,
}

impl ParamTable {
    /// Builds the table; refuses two ids whose host ids collide.
    pub fn new(specs: Vec<ParamSpec>) -> Result<Self, ParamTableError> {
        let problems = id_problems(specs.iter().map(|s| s.id));
        if !problems.is_empty() {
            return Err(ParamTableError::Ids(problems));
        }
        let host_ids: Box<[u32]> = specs.iter().map(|s| param_id(s.id)).collect();
        let mut by_host_id: Vec<(u32, usize)> = host_ids.iter().copied().zip(0..).collect();
        by_host_id.sort_unstable();
        if let Some(pair) = by_host_id.windows(2).find(|pair| pair[0].0 == pair[1].0) {
            return Err(ParamTableError::Collision {
                first: specs[pair[0].1].id,
                second: specs[pair[1].1].id,
            });
        }
        Ok(ParamTable {
            specs: specs.into_boxed_slice(),
            host_ids,
            by_host_id: by_host_id.into_boxed_slice(),
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

    /// The host id of parameter `index`; panics when out of bounds.
    pub fn host_id(&self, index: usize) -> u32 {
        self.host_ids[index]
    }

    /// The index of the parameter with host id `host_id`; allocation-free (binary search).
    pub fn index_of(&self, host_id: u32) -> Option<usize> {
        self.by_host_id
            .binary_search_by_key(&host_id, |&(id, _)| id)
            .ok()
            .map(|slot| self.by_host_id[slot].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instance::fixtures::spec;
    use wavecraft_dsp::param::{FloatRange, ParamKind};

    #[test]
    fn host_ids_are_stable_and_never_invalid() {
        // Pinned: changing the hash would break every saved session's automation.
        assert_eq!(param_id("output_gain"), param_id("output_gain"));
        assert_eq!(param_id(""), 0x811c_9dc5 & 0x7fff_ffff);
        assert_eq!(param_id("a"), 0xe40c_292c & 0x7fff_ffff);
        assert!(["gain", "cutoff", "x"]
            .iter()
            .all(|id| param_id(id) != u32::MAX));
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
            assert_eq!(table.index_of(table.host_id(index)), Some(index));
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
}
