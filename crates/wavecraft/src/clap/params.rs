//! The CLAP view of a plugin's parameters: their info flags. The ids are the shared
//! stable host ids (`crate::instance::param_table`).

use clack_extensions::params::ParamInfoFlags;
use wavecraft_dsp::param::{ParamKind, ParamSpec};

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
    use crate::instance::fixtures::spec;
    use wavecraft_dsp::param::FloatRange;

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
