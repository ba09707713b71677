//! Parameter rules are written twice, because `wavecraft-dsp` depends on
//! nothing: once for the engine (`wavecraft_dsp::param`: `is_snake_case`,
//! `ParamSpec::validate`/`sanitize`) and once for the host that serves the UI
//! (`wavecraft_protocol::parameter`: `is_valid_id`,
//! `ParameterInfo::check_value`/`clamp_value`). They must never disagree:
//! on ids, and on the value a set or a reload leaves (else the UI would show
//! a value the DSP does not run).

use wavecraft::dsp::param::{FloatParam, FloatRange, IntParam, Param};

#[test]
fn the_sdk_and_the_host_agree_on_parameter_ids() {
    for id in [
        "gain",
        "cutoff_hz",
        "band2_q",
        "a",
        "x9",
        "",
        "Gain",
        "2band",
        "_gain",
        "gain_",
        "cut__off",
        "cut-off",
        "cut off",
        "émoi",
        "gain\n",
    ] {
        assert_eq!(
            wavecraft::dsp::param::is_snake_case(id),
            wavecraft_protocol::parameter::is_valid_id(id),
            "{id:?}"
        );
    }
}

#[test]
fn the_sdk_and_the_host_agree_on_values() {
    let stepped = FloatParam::new("q", "Q", FloatRange::linear(0.0, 1.0).with_step(0.1), 0.5);
    let skewed = FloatParam::new(
        "f",
        "F",
        FloatRange::centred(20.0, 20_000.0, 1_000.0),
        1_000.0,
    );
    let int = IntParam::new("n", "N", -3, 7, 0);
    let specs = [stepped.spec(), skewed.spec(), int.spec()];
    for spec in specs {
        let info = wavecraft::parameter_info(spec);
        for value in [
            -100.0,
            -3.0,
            -0.26,
            0.0,
            0.04,
            0.05,
            0.33,
            0.35,
            0.96,
            1.0,
            2.5,
            6.6,
            440.0,
            1e9,
            f64::NAN,
        ] {
            assert_eq!(
                spec.validate(value).ok(),
                info.check_value(value).ok(),
                "set {value} on {}",
                spec.id
            );
            let kept = spec.sanitize(value).unwrap_or(spec.default);
            assert_eq!(kept, info.clamp_value(value), "keep {value} on {}", spec.id);
        }
    }
}
