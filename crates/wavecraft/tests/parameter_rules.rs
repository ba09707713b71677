//! A plugin's parameters reach the world twice: as the DSP's `ParamSpec`
//! (what the engine, CLAP and VST3 read) and as the protocol's
//! `ParameterInfo` that `parameter_info` publishes (what the host behind
//! the UI and `render --set` read). Both hand their facts to the one rule,
//! `wavecraft_protocol::rules`; this checks the facts survive publishing, so
//! a set, a reload and a value's text come out the same either way.

use wavecraft::dsp::param::{BoolParam, EnumParam, FloatParam, FloatRange, IntParam, Param};

#[test]
fn a_spec_and_its_published_info_follow_the_same_rules() {
    let stepped = FloatParam::new("q", "Q", FloatRange::linear(0.0, 1.0).with_step(0.1), 0.5);
    let skewed = FloatParam::new(
        "f",
        "F",
        FloatRange::centred(20.0, 20_000.0, 1_000.0),
        1_000.0,
    )
    .unit("Hz");
    let int = IntParam::new("n", "N", -3, 7, 0).unit("st");
    let bool = BoolParam::new("b", "B", false);
    let mode = EnumParam::new("m", "M", &["Low", "High", "Band"], 1);
    let specs = [
        stepped.spec(),
        skewed.spec(),
        int.spec(),
        bool.spec(),
        mode.spec(),
    ];
    for spec in specs {
        let info = wavecraft::parameter_info(spec);
        let (dsp, host) = (spec.rules(), info.rules());
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
            assert_eq!(dsp.to_text(value), host.to_text(value), "text of {value}");
            assert_eq!(
                dsp.normalize(value).to_bits(),
                host.normalize(value).to_bits(),
                "position of {value}"
            );
        }
        for text in ["1", "High", "on", "-3 st", "1k", "0.3"] {
            assert_eq!(dsp.parse(text), host.parse(text), "{text} on {}", spec.id);
        }
    }
}
