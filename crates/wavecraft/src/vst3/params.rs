//! The VST3 view of a plugin's parameters, in safe Rust: `ParameterInfo` fields,
//! normalised ↔ plain, value ↔ text, and the values the edit controller shows.
//!
//! Nothing is decided here that the parameter rules (`wavecraft_protocol::rules`, through
//! `ParamSpec::rules`) already decide: normalisation is the rules' `normalize` /
//! `unnormalize_exact` (with the parameter's skew, so a host's automation lane moves like the
//! dev UI's slider), text is `to_exact_text` / `parse_clamped`, the same calls the CLAP
//! makes. The ids are the shared stable host ids (`crate::instance::param_table`).
//!
//! A single-component effect keeps two sets of values, as the SDK expects: the processor's
//! (what the DSP holds, `SharedParams`) and the controller's ([`ControllerValues`], what
//! the host last told the controller through `setParamNormalized`, or what a component
//! state it passed to `setComponentState` holds). The host relays controller edits to the
//! processor through `process`; the controller never writes the processor's values.

#![forbid(unsafe_code)]

use std::sync::atomic::{AtomicU64, Ordering};

use wavecraft_dsp::param::{ParamKind, ParamSpec};

/// `ParameterInfo::kCanAutomate`.
pub const CAN_AUTOMATE: i32 = 1;
/// `ParameterInfo::kIsList`: the host shows the values' texts as a list.
pub const IS_LIST: i32 = 8;

/// The plain value at normalised position `normalized` (clamped to `0..=1`), snapped, free
/// of the mapping's float noise (the rules' `unnormalize_exact`); allocation-free.
pub fn to_plain(spec: &ParamSpec, normalized: f64) -> f64 {
    spec.rules().unnormalize_exact(normalized)
}

/// The normalised position of plain value `plain` (clamped into range first).
pub fn to_normalized(spec: &ParamSpec, plain: f64) -> f64 {
    spec.rules().normalize(plain)
}

/// `ParameterInfo::stepCount`: the number of steps between the smallest and largest value
/// (int, bool, enum, and a float whose steps sit at equal normalised distances: unskewed,
/// its range a whole number of steps); `0` for any other float, which the host then treats
/// as continuous (the parameter rules still snap it).
pub fn step_count(spec: &ParamSpec) -> i32 {
    match spec.kind {
        ParamKind::Float(range) => match range.step {
            Some(step) if range.skew == 1.0 => {
                let steps = (range.max - range.min) / step;
                let whole = steps.round();
                let fits = (steps - whole).abs() <= 1e-9 * whole.max(1.0);
                if fits && (1.0..=f64::from(i32::MAX)).contains(&whole) {
                    whole as i32
                } else {
                    0
                }
            }
            _ => 0,
        },
        _ => (spec.max() - spec.min()).round() as i32,
    }
}

/// `ParameterInfo::flags`: automatable; a list for enums.
pub fn flags(spec: &ParamSpec) -> i32 {
    match spec.kind {
        ParamKind::Enum { .. } => CAN_AUTOMATE | IS_LIST,
        _ => CAN_AUTOMATE,
    }
}

/// The text a host shows for normalised value `normalized` (`getParamStringByValue`).
pub fn text_of(spec: &ParamSpec, normalized: f64) -> Option<String> {
    if !normalized.is_finite() {
        return None;
    }
    spec.rules().to_exact_text(to_plain(spec, normalized))
}

/// The normalised value a typed text names (`getParamValueByString`), read as the CLAP
/// and `render --set` read it.
pub fn normalized_of(spec: &ParamSpec, text: &str) -> Option<f64> {
    let plain = spec.rules().parse_clamped(text).ok()?;
    Some(to_normalized(spec, plain))
}

/// The edit controller's value of every parameter (plain), in atomics: the host may ask
/// from its UI thread while another thread sets.
pub struct ControllerValues {
    values: Box<[AtomicU64]>,
}

impl ControllerValues {
    /// Every parameter of `specs` at its default.
    pub fn new(specs: &[ParamSpec]) -> Self {
        ControllerValues {
            values: specs
                .iter()
                .map(|spec| AtomicU64::new(spec.default.to_bits()))
                .collect(),
        }
    }

    /// The controller's plain value of parameter `index`; panics when out of bounds.
    pub fn get(&self, index: usize) -> f64 {
        f64::from_bits(self.values[index].load(Ordering::Relaxed))
    }

    /// Sets the controller's plain value of parameter `index`; panics when out of bounds.
    pub fn set(&self, index: usize, plain: f64) {
        self.values[index].store(plain.to_bits(), Ordering::Relaxed);
    }

    /// Sets every value (one per parameter, in index order).
    pub fn set_all(&self, values: &[f64]) {
        for (index, &value) in values.iter().enumerate().take(self.values.len()) {
            self.set(index, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use wavecraft_dsp::param::FloatRange;

    use super::*;

    fn spec(kind: ParamKind, unit: &'static str, default: f64) -> ParamSpec {
        crate::instance::fixtures::spec("p", kind, unit, default)
    }

    fn specs() -> [ParamSpec; 5] {
        [
            spec(ParamKind::Float(FloatRange::linear(-24.0, 24.0)), "dB", 0.0),
            spec(
                ParamKind::Float(FloatRange::centred(20.0, 20_000.0, 1_000.0)),
                "Hz",
                1_000.0,
            ),
            spec(ParamKind::Int { min: -2, max: 5 }, "", 0.0),
            spec(ParamKind::Bool, "", 0.0),
            spec(
                ParamKind::Enum {
                    variants: &["Soft", "Hard", "Fold"],
                },
                "",
                0.0,
            ),
        ]
    }

    #[test]
    fn normalisation_follows_the_skew_and_round_trips() {
        let [gain, freq, int, _, mode] = specs();
        assert_eq!(to_normalized(&gain, 0.0), 0.5);
        // The skew puts 1 kHz at the middle of the lane, as the dev UI's slider does.
        assert!((to_normalized(&freq, 1_000.0) - 0.5).abs() < 1e-12);
        assert!((to_plain(&freq, 0.5) - 1_000.0).abs() < 1e-9);
        for spec in specs() {
            for step in 0..=100 {
                let normalized = f64::from(step) / 100.0;
                let plain = to_plain(&spec, normalized);
                // Plain → normalised → plain is exact (up to float rounding for floats).
                let again = to_plain(&spec, to_normalized(&spec, plain));
                assert!(
                    (again - plain).abs() <= 1e-9 * plain.abs().max(1.0),
                    "{spec:?}"
                );
            }
        }
        // Discrete kinds: every value sits at index / stepCount.
        assert_eq!(to_normalized(&int, 5.0), 1.0);
        assert_eq!(to_normalized(&int, -2.0), 0.0);
        assert_eq!(to_plain(&int, 3.0 / 7.0), 1.0);
        assert_eq!(to_plain(&mode, 0.5), 1.0);
        assert_eq!(to_plain(&gain, 7.0), 24.0, "clamped");
    }

    #[test]
    fn step_counts_and_flags_follow_the_kind() {
        let [gain, _, int, bool, mode] = specs();
        assert_eq!([&gain, &int, &bool, &mode].map(step_count), [0, 7, 1, 2]);
        // A stepped float: steps only where they sit at equal normalised distances.
        let float = |range| spec(ParamKind::Float(range), "", 0.0);
        let semitones = float(FloatRange::linear(-12.0, 12.0).with_step(1.0));
        assert_eq!(step_count(&semitones), 24);
        assert_eq!(to_normalized(&semitones, -11.0), 1.0 / 24.0);
        let fine = float(FloatRange::linear(0.0, 1.0).with_step(0.1));
        assert_eq!(step_count(&fine), 10);
        let skewed = float(FloatRange::skewed(20.0, 20_000.0, 0.3).with_step(1.0));
        assert_eq!(step_count(&skewed), 0, "skewed steps are not evenly spaced");
        let ragged = float(FloatRange::linear(0.0, 1.0).with_step(0.3));
        assert_eq!(step_count(&ragged), 0, "the maximum is not on a step");
        assert_eq!(flags(&gain), CAN_AUTOMATE);
        assert_eq!(flags(&bool), CAN_AUTOMATE);
        assert_eq!(flags(&mode), CAN_AUTOMATE | IS_LIST);
    }

    #[test]
    fn value_text_value_round_trips_for_every_kind() {
        let [gain, freq, _, bool, mode] = specs();
        assert_eq!(text_of(&gain, 0.75).as_deref(), Some("12.0 dB"));
        // The position of 1 kHz names 1 kHz, not 1000.0000000000001 Hz.
        let one_k = to_normalized(&freq, 1_000.0);
        assert_eq!(text_of(&freq, one_k).as_deref(), Some("1000 Hz"));
        assert_eq!(text_of(&bool, 1.0).as_deref(), Some("On"));
        assert_eq!(text_of(&mode, 1.0).as_deref(), Some("Fold"));
        assert_eq!(normalized_of(&mode, "Hard"), Some(0.5));
        assert_eq!(normalized_of(&gain, "-6 dB"), Some(0.375));
        assert_eq!(
            normalized_of(&freq, "1 kHz"),
            Some(to_normalized(&freq, 1_000.0))
        );
        assert_eq!(normalized_of(&gain, "loud"), None);
        assert_eq!(text_of(&gain, f64::NAN), None);
        for spec in specs() {
            for step in 0..=50 {
                let normalized = f64::from(step) / 50.0;
                let text = text_of(&spec, normalized).unwrap();
                let back = normalized_of(&spec, &text).unwrap();
                // The text names exactly the value shown, and its position shows it again.
                assert_eq!(to_plain(&spec, back), to_plain(&spec, normalized), "{text}");
                assert_eq!(text_of(&spec, back).as_deref(), Some(text.as_str()));
            }
        }
    }

    #[test]
    fn controller_values_start_at_defaults_and_take_what_they_are_given() {
        let specs = specs();
        let values = ControllerValues::new(&specs);
        assert_eq!(values.get(1), 1_000.0);
        values.set(0, -6.0);
        assert_eq!(values.get(0), -6.0);
        values.set_all(&[1.0, 2.0, 3.0, 1.0, 2.0, 99.0]);
        assert_eq!((values.get(0), values.get(4)), (1.0, 2.0));
    }
}
