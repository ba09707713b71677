//! Wavecraft Example: input gain → multimode filter → drive → output gain.
//!
//! Every continuous parameter is smoothed per sample, so automation and UI
//! moves never click. Drive fades the saturator in over its first 6 dB, so
//! 0 dB drive is exactly clean and turning it up never jumps.

use wavecraft::prelude::*;

/// The filter modes, in the order the UI lists them.
pub const FILTER_MODES: &[&str] = &["Low-pass", "High-pass", "Band-pass", "Peak"];

/// The plugin's parameters.
#[derive(Params)]
pub struct ExamplePluginParams {
    /// Gain before the filter.
    pub input_gain: FloatParam,
    /// Filter mode.
    pub filter_mode: EnumParam,
    /// Filter cutoff / centre frequency.
    pub cutoff: FloatParam,
    /// Filter resonance.
    pub resonance: FloatParam,
    /// Saturation drive.
    pub drive: FloatParam,
    /// Gain after everything.
    pub output_gain: FloatParam,
}

impl Default for ExamplePluginParams {
    fn default() -> Self {
        let gain_smoothing = SmoothingStyle::Linear { ms: 20.0 };
        Self {
            input_gain: FloatParam::new(
                "input_gain",
                "Input",
                FloatRange::linear(-24.0, 24.0),
                0.0,
            )
            .unit("dB")
            .group("Input")
            .smoothing(gain_smoothing),
            filter_mode: EnumParam::new("filter_mode", "Mode", FILTER_MODES, 0).group("Filter"),
            cutoff: FloatParam::new(
                "cutoff",
                "Cutoff",
                FloatRange::centred(20.0, 20_000.0, 1_000.0),
                20_000.0,
            )
            .unit("Hz")
            .group("Filter")
            .smoothing(SmoothingStyle::Logarithmic { ms: 30.0 }),
            resonance: FloatParam::new(
                "resonance",
                "Resonance",
                FloatRange::centred(0.1, 10.0, 0.707),
                0.707,
            )
            .group("Filter")
            .smoothing(SmoothingStyle::Logarithmic { ms: 30.0 }),
            drive: FloatParam::new("drive", "Drive", FloatRange::linear(0.0, 24.0), 0.0)
                .unit("dB")
                .group("Drive")
                .smoothing(gain_smoothing),
            output_gain: FloatParam::new(
                "output_gain",
                "Output",
                FloatRange::linear(-60.0, 12.0),
                0.0,
            )
            .unit("dB")
            .group("Output")
            .smoothing(gain_smoothing),
        }
    }
}

/// The plugin: its parameters and DSP state.
#[derive(Default)]
pub struct ExamplePlugin {
    params: ExamplePluginParams,
    input: Gain,
    filter: Biquad,
    saturator: Saturator,
    output: Gain,
}

const FILTER_KINDS: [FilterKind; 4] = [
    FilterKind::LowPass,
    FilterKind::HighPass,
    FilterKind::BandPass,
    FilterKind::Peak,
];

/// Drive (dB) over which the saturator fades in from fully dry.
const DRIVE_FADE_DB: f32 = 6.0;

impl Processor for ExamplePlugin {
    fn prepare(&mut self, setup: &ProcessSetup) {
        self.input.prepare(setup.sample_rate);
        self.filter.prepare(setup.sample_rate);
        self.saturator.prepare(setup.sample_rate);
        self.output.prepare(setup.sample_rate);
    }

    fn process(&mut self, buffer: &mut AudioBuffer<'_>, _ctx: &ProcessContext) {
        let p = &mut self.params;
        self.filter
            .set_kind(FILTER_KINDS[p.filter_mode.index().min(FILTER_KINDS.len() - 1)]);
        let peak_gain_db = 6.0;
        for frame in 0..buffer.frames() {
            let input_db = p.input_gain.smoothed_at(frame);
            let cutoff = p.cutoff.smoothed_at(frame);
            let q = p.resonance.smoothed_at(frame);
            let drive_db = p.drive.smoothed_at(frame);
            let output_db = p.output_gain.smoothed_at(frame);
            self.filter.set(cutoff, q, peak_gain_db);
            let wet = (drive_db / DRIVE_FADE_DB).clamp(0.0, 1.0);
            for channel in 0..buffer.channels() {
                let x = buffer.channel(channel)[frame];
                let y = self
                    .filter
                    .process_sample(channel, self.input.process_sample(x, input_db));
                let driven = if wet > 0.0 {
                    let saturated = self.saturator.process_sample(y, drive_db);
                    y + (saturated - y) * wet
                } else {
                    y
                };
                buffer.channel_mut(channel)[frame] = self.output.process_sample(driven, output_db);
            }
        }
    }

    fn reset(&mut self) {
        self.input.reset();
        self.filter.reset();
        self.saturator.reset();
        self.output.reset();
    }
}

impl Plugin for ExamplePlugin {
    type Params = ExamplePluginParams;

    fn params(&self) -> &ExamplePluginParams {
        &self.params
    }

    fn params_mut(&mut self) -> &mut ExamplePluginParams {
        &mut self.params
    }
}

wavecraft::export!(ExamplePlugin);
