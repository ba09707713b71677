//! The parameter field types a plugin author puts in their params struct:
//! [`FloatParam`], [`IntParam`], [`BoolParam`] and [`EnumParam`].
//!
//! Each holds its [`ParamSpec`], its current plain value and a [`Smoother`].
//! Builders run once, when the plugin is created; after that, setting and
//! reading values (`set_plain`, `value`, `smoothed_at`, `smoothed_block`) is
//! allocation-free and safe on the audio thread.
//!
//! Smoothed values are read by frame: `smoothed_at(frame)` is the value at
//! that frame of the current block, however often it is asked for, and the
//! runner advances every parameter to the end of each block, so a parameter
//! read twice per frame — or not at all for a block — still ramps in time.

use super::range::FloatRange;
use super::smoothing::{Smoother, SmoothingStyle};
use super::spec::{ParamKind, ParamSpec};
use super::Param;

/// State shared by every parameter type: spec, target plain value and smoother.
#[derive(Debug, Clone)]
struct ParamState {
    spec: ParamSpec,
    value: f64,
    smoother: Smoother,
    /// Frames of the current block the smoother has produced.
    frames_read: usize,
    /// The smoothed value at frame `frames_read - 1` (the resting value before frame 0).
    last: f32,
}

impl ParamState {
    /// The state of a parameter with no unit, group or smoothing yet (the builders add them).
    fn new(id: &'static str, name: &'static str, kind: ParamKind, default: f64) -> Self {
        let spec = ParamSpec {
            id,
            name,
            unit: "",
            group: "",
            kind,
            default,
            smoothing: SmoothingStyle::None,
        };
        let default = spec.validate(spec.default).unwrap_or_else(|error| {
            panic!(
                "parameter `{}`: default {} is not a valid value: {error}",
                spec.id, spec.default
            )
        });
        let mut smoother = Smoother::new(spec.smoothing);
        smoother.reset(default as f32);
        Self {
            spec,
            value: default,
            smoother,
            frames_read: 0,
            last: default as f32,
        }
    }

    #[inline]
    fn smoothed_at(&mut self, frame: usize) -> f32 {
        while self.frames_read <= frame {
            self.last = self.smoother.next();
            self.frames_read += 1;
        }
        self.last
    }

    fn smoothed_block(&mut self, out: &mut [f32]) {
        if self.frames_read == 0 {
            self.smoother.next_block(out);
            self.frames_read = out.len();
            if let Some(&last) = out.last() {
                self.last = last;
            }
        } else {
            for (frame, value) in out.iter_mut().enumerate() {
                *value = self.smoothed_at(frame);
            }
        }
    }

    fn finish_block(&mut self, frames: usize) {
        if self.smoother.is_smoothing() {
            while self.frames_read < frames {
                self.last = self.smoother.next();
                self.frames_read += 1;
            }
        } else {
            self.last = self.smoother.current();
        }
        self.frames_read = 0;
    }

    fn set_smoothing(&mut self, style: SmoothingStyle) {
        self.spec.smoothing = style;
        self.smoother.set_style(style);
    }

    fn set_plain(&mut self, value: f64) {
        if let Some(value) = self.spec.sanitize(value) {
            self.value = value;
            self.smoother.set_target(value as f32);
        }
    }

    fn reset_smoothing(&mut self) {
        self.smoother.reset(self.value as f32);
        self.last = self.value as f32;
        self.frames_read = 0;
    }
}

/// Implements [`Param`] and the shared accessors for a type with a `state: ParamState` field.
macro_rules! impl_param {
    ($ty:ty) => {
        impl Param for $ty {
            fn spec(&self) -> &ParamSpec {
                &self.state.spec
            }
            fn plain(&self) -> f64 {
                self.state.value
            }
            fn set_plain(&mut self, value: f64) {
                self.state.set_plain(value);
            }
            fn set_sample_rate(&mut self, sample_rate: f32) {
                self.state.smoother.set_sample_rate(sample_rate);
            }
            fn reset_smoothing(&mut self) {
                self.state.reset_smoothing();
            }
            fn is_smoothing(&self) -> bool {
                self.state.smoother.is_smoothing()
            }
            fn finish_block(&mut self, frames: usize) {
                self.state.finish_block(frames);
            }
        }

        impl $ty {
            /// Sets the group the UI lists this parameter under.
            pub fn group(mut self, group: &'static str) -> Self {
                self.state.spec.group = group;
                self
            }

            /// The target plain value as `f32` (what the smoother is heading to).
            pub fn value(&self) -> f32 {
                self.state.value as f32
            }

            /// The smoothed value at `frame` of the current block (0-based): the same value
            /// however often it is read. Read frames in increasing order; asking for an
            /// earlier frame than one already read gives the latest read value.
            #[inline]
            pub fn smoothed_at(&mut self, frame: usize) -> f32 {
                self.state.smoothed_at(frame)
            }

            /// Fills `out` with the smoothed values at frames `0..out.len()` of the current block.
            pub fn smoothed_block(&mut self, out: &mut [f32]) {
                self.state.smoothed_block(out);
            }
        }
    };
}

/// The `unit` and `smoothing` builders of the numeric parameter types.
macro_rules! impl_unit_and_smoothing {
    ($ty:ty, $unit:literal) => {
        impl $ty {
            #[doc = concat!("Sets the unit shown after the value, e.g. `\"", $unit, "\"`.")]
            pub fn unit(mut self, unit: &'static str) -> Self {
                self.state.spec.unit = unit;
                self
            }

            /// Sets how the smoothed value follows changes (for an int, smoothed values may
            /// be fractional).
            pub fn smoothing(mut self, style: SmoothingStyle) -> Self {
                self.state.set_smoothing(style);
                self
            }
        }
    };
}

/// A continuous parameter, e.g. a gain in dB or a cutoff in Hz.
#[derive(Debug, Clone)]
pub struct FloatParam {
    state: ParamState,
}

impl FloatParam {
    /// A float parameter with the given id, name, range and default plain value.
    ///
    /// Panics if `default` lies outside `range`.
    pub fn new(id: &'static str, name: &'static str, range: FloatRange, default: f64) -> Self {
        Self {
            state: ParamState::new(id, name, ParamKind::Float(range), default),
        }
    }
}

impl_param!(FloatParam);
impl_unit_and_smoothing!(FloatParam, "dB");

/// An integer parameter, e.g. a voice count or a semitone offset.
#[derive(Debug, Clone)]
pub struct IntParam {
    state: ParamState,
}

impl IntParam {
    /// An int parameter over `min..=max` with the given default.
    ///
    /// Panics if `min > max` or `default` lies outside them.
    pub fn new(id: &'static str, name: &'static str, min: i64, max: i64, default: i64) -> Self {
        assert!(min <= max, "parameter `{id}`: min {min} > max {max}");
        Self {
            state: ParamState::new(id, name, ParamKind::Int { min, max }, default as f64),
        }
    }

    /// The current value as an integer.
    pub fn get(&self) -> i64 {
        self.state.value as i64
    }
}

impl_param!(IntParam);
impl_unit_and_smoothing!(IntParam, "st");

/// An on/off switch, e.g. a bypass.
#[derive(Debug, Clone)]
pub struct BoolParam {
    state: ParamState,
}

impl BoolParam {
    /// A bool parameter with the given default.
    pub fn new(id: &'static str, name: &'static str, default: bool) -> Self {
        Self {
            state: ParamState::new(id, name, ParamKind::Bool, if default { 1.0 } else { 0.0 }),
        }
    }

    /// True when the switch is on.
    pub fn get(&self) -> bool {
        self.state.value >= 0.5
    }
}

impl_param!(BoolParam);

/// A choice among named variants, e.g. a filter type.
#[derive(Debug, Clone)]
pub struct EnumParam {
    state: ParamState,
}

impl EnumParam {
    /// An enum parameter over `variants` with the default variant's index.
    ///
    /// Panics if `variants` is empty or `default_index` is out of bounds.
    pub fn new(
        id: &'static str,
        name: &'static str,
        variants: &'static [&'static str],
        default_index: usize,
    ) -> Self {
        assert!(!variants.is_empty(), "parameter `{id}`: no variants");
        Self {
            state: ParamState::new(id, name, ParamKind::Enum { variants }, default_index as f64),
        }
    }

    /// Index of the selected variant.
    pub fn index(&self) -> usize {
        self.state.value as usize
    }

    /// Name of the selected variant.
    pub fn variant(&self) -> &'static str {
        match self.state.spec.kind {
            ParamKind::Enum { variants } => variants[self.index()],
            _ => unreachable!("EnumParam always has an Enum kind"),
        }
    }
}

impl_param!(EnumParam);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_fills_the_spec() {
        let gain = FloatParam::new("gain", "Gain", FloatRange::linear(-60.0, 12.0), 0.0)
            .unit("dB")
            .group("Output")
            .smoothing(SmoothingStyle::Linear { ms: 20.0 });
        let spec = gain.spec();
        assert_eq!(
            (spec.id, spec.name, spec.unit, spec.group),
            ("gain", "Gain", "dB", "Output")
        );
        assert_eq!(spec.smoothing, SmoothingStyle::Linear { ms: 20.0 });
        assert_eq!(gain.value(), 0.0);
        assert_eq!(gain.plain(), 0.0);
    }

    #[test]
    fn set_plain_targets_the_smoother() {
        let mut gain = FloatParam::new("gain", "Gain", FloatRange::linear(-60.0, 12.0), 0.0)
            .smoothing(SmoothingStyle::Linear { ms: 1.0 });
        gain.set_sample_rate(10_000.0);
        gain.set_plain(-10.0);
        assert_eq!(gain.value(), -10.0);
        assert!(gain.is_smoothing());
        let ramp: Vec<f32> = (0..10).map(|frame| gain.smoothed_at(frame)).collect();
        assert_eq!(ramp[0], -1.0);
        assert_eq!(ramp[9], -10.0);
        gain.set_plain(f64::NAN);
        assert_eq!(gain.value(), -10.0, "non-finite values are ignored");
        gain.set_plain(100.0);
        assert_eq!(gain.value(), 12.0, "clamped into range");
        gain.reset_smoothing();
        assert_eq!(gain.smoothed_at(0), 12.0);
    }

    #[test]
    fn typed_getters() {
        let mut voices = IntParam::new("voices", "Voices", 1, 8, 4);
        assert_eq!(voices.get(), 4);
        voices.set_plain(6.4);
        assert_eq!(voices.get(), 6);
        let mut bypass = BoolParam::new("bypass", "Bypass", false);
        assert!(!bypass.get());
        bypass.set_plain(1.0);
        assert!(bypass.get());
        assert_eq!(bypass.smoothed_at(0), 1.0, "bools never ramp");
        let mut mode = EnumParam::new("mode", "Mode", &["Low", "High", "Band"], 1);
        assert_eq!((mode.index(), mode.variant()), (1, "High"));
        mode.set_plain(2.0);
        assert_eq!((mode.index(), mode.variant()), (2, "Band"));
        mode.set_plain(9.0);
        assert_eq!(mode.index(), 2);
    }

    #[test]
    #[should_panic(expected = "default")]
    fn default_outside_range_panics() {
        let _ = FloatParam::new("gain", "Gain", FloatRange::linear(-60.0, 12.0), 20.0);
    }
}
