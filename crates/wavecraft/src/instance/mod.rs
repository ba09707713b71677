//! What every plugin format shares for one instance: the parameter table with its stable
//! host ids ([`param_table`]), the values and window edits both threads see
//! ([`shared_params`]) and the state format ([`state`]). A format (`crate::clap`,
//! `crate::vst3`) only translates its host's calls into these and the `Runner`'s, so a
//! rule lives here once and never per format. No `unsafe` here.

#![forbid(unsafe_code)]

pub mod param_table;
pub mod shared_params;
pub mod state;

/// Channels of the one input and the one output bus (stereo in, stereo out).
pub const CHANNELS: u32 = 2;

/// Parameter specs for the unit tests of every format's parameter code.
#[cfg(test)]
pub(crate) mod fixtures {
    use wavecraft_dsp::param::{ParamKind, ParamSpec, SmoothingStyle};

    /// A spec named `P` with id `id`, no group and no smoothing.
    pub(crate) fn spec(
        id: &'static str,
        kind: ParamKind,
        unit: &'static str,
        default: f64,
    ) -> ParamSpec {
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
}
