//! `#[derive(Params)]` from an author's point of view: a params struct, a
//! plugin that owns it, and the host-side operations the runtime performs
//! (count, order, lookup by id, set by index, id validation).

use wavecraft_dsp::blocks::{Biquad, FilterKind, Gain};
use wavecraft_dsp::param::{
    BoolParam, EnumParam, FloatParam, FloatRange, IdProblem, IntParam, Param, ParamKind, Params,
    SmoothingStyle,
};
use wavecraft_dsp::{AudioBuffer, Plugin, ProcessContext, ProcessSetup, Processor};
use wavecraft_macros::Params;

const MODES: &[&str] = &["Low-pass", "High-pass"];

#[derive(Params)]
#[params(crate = "::wavecraft_dsp")]
struct FilterParams {
    gain: FloatParam,
    stages: IntParam,
    bypass: BoolParam,
    mode: EnumParam,
}

impl Default for FilterParams {
    fn default() -> Self {
        Self {
            gain: FloatParam::new("gain", "Gain", FloatRange::linear(-60.0, 12.0), 0.0)
                .unit("dB")
                .group("Output")
                .smoothing(SmoothingStyle::Linear { ms: 10.0 }),
            stages: IntParam::new("stages", "Stages", 1, 4, 1),
            bypass: BoolParam::new("bypass", "Bypass", false),
            mode: EnumParam::new("mode", "Mode", MODES, 0),
        }
    }
}

/// A complete plugin: filter then gain, bypassable.
#[derive(Default)]
struct FilterPlugin {
    params: FilterParams,
    filter: Biquad,
    gain: Gain,
}

impl Processor for FilterPlugin {
    fn prepare(&mut self, setup: &ProcessSetup) {
        self.params.set_sample_rate(setup.sample_rate);
        self.filter.prepare(setup.sample_rate);
        self.gain.prepare(setup.sample_rate);
    }

    fn process(&mut self, buffer: &mut AudioBuffer<'_>, _ctx: &ProcessContext) {
        if self.params.bypass.get() {
            return;
        }
        self.filter.set_kind(match self.params.mode.index() {
            0 => FilterKind::LowPass,
            _ => FilterKind::HighPass,
        });
        for frame in 0..buffer.frames() {
            let gain_db = self.params.gain.smoothed_at(frame);
            for channel in 0..buffer.channels() {
                let sample = &mut buffer.channel_mut(channel)[frame];
                let filtered = self.filter.process_sample(channel, *sample);
                *sample = self.gain.process_sample(filtered, gain_db);
            }
        }
    }

    fn reset(&mut self) {
        self.params.reset_smoothing();
        self.filter.reset();
    }
}

impl Plugin for FilterPlugin {
    type Params = FilterParams;
    fn params(&self) -> &FilterParams {
        &self.params
    }
    fn params_mut(&mut self) -> &mut FilterParams {
        &mut self.params
    }
}

#[test]
fn fields_are_numbered_in_declaration_order() {
    let params = FilterParams::default();
    assert_eq!(params.count(), 4);
    let ids: Vec<&str> = params.specs().iter().map(|s| s.id).collect();
    assert_eq!(ids, ["gain", "stages", "bypass", "mode"]);
    assert!(
        matches!(params.param(3).spec().kind, ParamKind::Enum { variants } if variants == MODES)
    );
    assert_eq!(params.index_of("bypass"), Some(2));
    assert_eq!(params.index_of("volume"), None);
    assert_eq!(params.validate_ids(), Ok(()));
}

#[test]
fn set_plain_by_index_reaches_the_field() {
    let mut params = FilterParams::default();
    let gain = params.index_of("gain").unwrap();
    params.param_mut(gain).set_plain(-6.0);
    assert_eq!(params.gain.value(), -6.0);
    assert_eq!(params.param(gain).plain(), -6.0);
    params.param_mut(1).set_plain(3.0);
    params.param_mut(2).set_plain(1.0);
    params.param_mut(3).set_plain(1.0);
    assert_eq!(params.stages.get(), 3);
    assert!(params.bypass.get());
    assert_eq!(params.mode.variant(), "High-pass");
}

#[test]
fn sample_rate_and_reset_reach_every_smoother() {
    let mut params = FilterParams::default();
    params.set_sample_rate(1_000.0);
    params.gain.set_plain(-10.0);
    let ramp: Vec<f32> = (0..10)
        .map(|frame| params.gain.smoothed_at(frame))
        .collect();
    assert_eq!(ramp[0], -1.0, "10 ms at 1 kHz is a 10-sample ramp");
    assert_eq!(ramp[9], -10.0);
    params.finish_block(10);
    params.gain.set_plain(0.0);
    assert!(params.param(0).is_smoothing());
    params.reset_smoothing();
    assert!(!params.param(0).is_smoothing());
    assert_eq!(params.gain.smoothed_at(0), 0.0);
}

#[test]
#[should_panic(expected = "FilterParams has 4 parameters; index 4 is out of range")]
fn out_of_range_index_panics_with_a_message() {
    let params = FilterParams::default();
    let _ = params.param(4);
}

#[test]
fn the_plugin_processes_through_its_params() {
    let mut plugin = FilterPlugin::default();
    plugin.prepare(&ProcessSetup {
        sample_rate: 48_000.0,
        max_block_size: 64,
        channels: 1,
    });
    let index = plugin.params().index_of("bypass").unwrap();
    plugin.params_mut().param_mut(index).set_plain(1.0);
    let mut samples = [0.25_f32; 64];
    let mut slices: [&mut [f32]; 1] = [&mut samples];
    plugin.process(
        &mut AudioBuffer::new(&mut slices),
        &ProcessContext::default(),
    );
    assert_eq!(samples, [0.25; 64], "bypassed");
    plugin.params_mut().param_mut(index).set_plain(0.0);
    let mut slices: [&mut [f32]; 1] = [&mut samples];
    plugin.process(
        &mut AudioBuffer::new(&mut slices),
        &ProcessContext::default(),
    );
    assert_ne!(samples, [0.25; 64], "processed");
}

mod facade {
    pub use wavecraft_dsp as dsp;
}

#[derive(Params)]
#[params(crate = "crate::facade::dsp")]
struct MessyParams {
    level: FloatParam,
    #[params(skip)]
    history: Vec<f32>,
    shouting: FloatParam,
    level_again: FloatParam,
}

#[test]
fn validate_ids_reports_duplicates_and_bad_case_and_skip_and_crate_path_work() {
    let range = FloatRange::linear(0.0, 1.0);
    let params = MessyParams {
        level: FloatParam::new("level", "Level", range, 0.0),
        history: Vec::new(),
        shouting: FloatParam::new("Level", "Level", range, 0.0),
        level_again: FloatParam::new("level", "Level again", range, 0.0),
    };
    assert_eq!(params.count(), 3, "the skipped field is not a parameter");
    assert!(params.history.is_empty());
    assert_eq!(
        params.validate_ids(),
        Err(vec![
            IdProblem::NotSnakeCase {
                id: "Level",
                index: 1
            },
            IdProblem::Duplicate {
                id: "level",
                first: 0,
                second: 2
            },
        ])
    );
    let message = params.validate_ids().unwrap_err()[1].to_string();
    assert_eq!(
        message,
        "parameter id `level` is used by both parameter 0 and parameter 2"
    );
}
