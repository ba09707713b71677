//! The audio side of a [`Plugin`]: sample sizes, bus arrangements,
//! `setupProcessing`, bus and component activation, and `process` on 32-bit
//! float blocks with input and output parameter-change lists. Building a
//! process call uses the stack and the room made when processing started:
//! the host itself never allocates inside [`Processing::process`].

use vst3::Steinberg::Vst::BusDirections_::{kInput, kOutput};
use vst3::Steinberg::Vst::MediaTypes_::kAudio;
use vst3::Steinberg::Vst::ProcessModes_::{kOffline, kRealtime};
use vst3::Steinberg::Vst::SymbolicSampleSizes_::{kSample32, kSample64};
use vst3::Steinberg::Vst::{
    AudioBusBuffers, AudioBusBuffers__type0, BusDirection, IAudioProcessorTrait, IComponentTrait,
    MediaType, ProcessContext, ProcessData, ProcessSetup, SpeakerArr, SpeakerArrangement,
};

use crate::parameter_changes::ParameterChanges;
use crate::plugin::Plugin;
use crate::result::{check, Error, Vst3Result};

/// The most channels per bus this host passes.
const MAX_CHANNELS: usize = 8;

/// The sample type of a process call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleSize {
    /// `kSample32`.
    F32,
    /// `kSample64`.
    F64,
}

impl SampleSize {
    fn symbolic(self) -> i32 {
        match self {
            SampleSize::F32 => kSample32 as i32,
            SampleSize::F64 => kSample64 as i32,
        }
    }
}

/// Speaker arrangements a test asks for (`SpeakerArr`).
pub struct Speakers;

impl Speakers {
    /// One channel.
    pub const MONO: SpeakerArrangement = SpeakerArr::kMono;
    /// Left and right.
    pub const STEREO: SpeakerArrangement = SpeakerArr::kStereo;
    /// 5.1 (L R C LFE Ls Rs).
    pub const SURROUND_5_1: SpeakerArrangement = SpeakerArr::k51;
}

/// What `setupProcessing` is given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Setup {
    /// Frames per second.
    pub sample_rate: f64,
    /// The largest block `process` will get.
    pub max_block: usize,
    /// The sample type.
    pub sample_size: SampleSize,
    /// Offline (bounce) rather than real-time processing.
    pub offline: bool,
}

impl Setup {
    /// Real-time 32-bit processing at `sample_rate` with blocks up to `max_block`.
    pub fn realtime(sample_rate: f64, max_block: usize) -> Setup {
        Setup {
            sample_rate,
            max_block,
            sample_size: SampleSize::F32,
            offline: false,
        }
    }

    fn process_mode(&self) -> i32 {
        if self.offline {
            kOffline as i32
        } else {
            kRealtime as i32
        }
    }
}

const AUDIO: MediaType = kAudio as MediaType;
const INPUT: BusDirection = kInput as BusDirection;
const OUTPUT: BusDirection = kOutput as BusDirection;

impl Plugin {
    /// `canProcessSampleSize`: whether the plugin says yes (`kResultTrue`).
    pub fn can_process(&self, size: SampleSize) -> Result<(), Vst3Result> {
        // SAFETY: the processor is alive; a plain value.
        Vst3Result::check(unsafe { self.processor.canProcessSampleSize(size.symbolic()) })
    }

    /// `setBusArrangements` for the plugin's audio buses.
    pub fn set_bus_arrangements(
        &self,
        inputs: &[SpeakerArrangement],
        outputs: &[SpeakerArrangement],
    ) -> Result<(), Error> {
        let mut inputs = inputs.to_vec();
        let mut outputs = outputs.to_vec();
        // SAFETY: the processor is alive; both arrays live through the call and their
        // lengths are the counts given.
        check("IAudioProcessor::setBusArrangements", unsafe {
            self.processor.setBusArrangements(
                inputs.as_mut_ptr(),
                inputs.len() as i32,
                outputs.as_mut_ptr(),
                outputs.len() as i32,
            )
        })
    }

    /// `getBusArrangement` of audio bus `index` on the output side (or the input side).
    pub fn bus_arrangement(&self, output: bool, index: i32) -> Result<SpeakerArrangement, Error> {
        let mut arrangement = 0;
        let dir = if output { OUTPUT } else { INPUT };
        // SAFETY: the processor is alive; `arrangement` is a valid out pointer.
        check("IAudioProcessor::getBusArrangement", unsafe {
            self.processor
                .getBusArrangement(dir, index, &mut arrangement)
        })?;
        Ok(arrangement)
    }

    /// `setupProcessing`.
    pub fn setup_processing(&self, setup: &Setup) -> Result<(), Error> {
        let mut raw = ProcessSetup {
            processMode: setup.process_mode(),
            symbolicSampleSize: setup.sample_size.symbolic(),
            maxSamplesPerBlock: i32::try_from(setup.max_block).unwrap_or(i32::MAX),
            sampleRate: setup.sample_rate,
        };
        // SAFETY: the processor is alive and inactive (processing holds `&mut self` while
        // active); `raw` lives through the call.
        check("IAudioProcessor::setupProcessing", unsafe {
            self.processor.setupProcessing(&mut raw)
        })
    }

    /// What a host does before audio runs: stereo in and out, `setupProcessing`, both audio
    /// buses activated, `setActive(true)`, `setProcessing(true)`.
    pub fn start(&mut self, setup: Setup) -> Result<Processing<'_>, Error> {
        self.set_bus_arrangements(&[Speakers::STEREO], &[Speakers::STEREO])?;
        self.setup_processing(&setup)?;
        for dir in [INPUT, OUTPUT] {
            // SAFETY: the component is alive; plain values.
            check("IComponent::activateBus", unsafe {
                self.component.activateBus(AUDIO, dir, 0, 1)
            })?;
        }
        // SAFETY: the component is set up; plain value.
        check("IComponent::setActive", unsafe {
            self.component.setActive(1)
        })?;
        // SAFETY: the processor is active; plain value. `kNotImplemented` is allowed (the
        // SDK calls setProcessing optional for a plugin).
        let result = unsafe { self.processor.setProcessing(1) };
        if result != vst3::Steinberg::kNotImplemented {
            if let Err(error) = check("IAudioProcessor::setProcessing", result) {
                // SAFETY: activated just above; undone before reporting.
                unsafe { self.component.setActive(0) };
                return Err(error);
            }
        }
        Ok(Processing {
            plugin: self,
            setup,
            output_changes: ParameterChanges::with_capacity(64, 64),
            samples: 0,
            running: true,
        })
    }
}

/// A plugin between `setProcessing(true)` and [`Processing::stop`] (or drop).
pub struct Processing<'p> {
    plugin: &'p mut Plugin,
    setup: Setup,
    output_changes: ParameterChanges,
    samples: i64,
    running: bool,
}

impl Processing<'_> {
    /// The plugin, for what a host's main thread does while audio runs (state, parameters).
    pub fn plugin(&self) -> &Plugin {
        self.plugin
    }

    /// The changes the plugin wrote in the last `process` call.
    pub fn output_changes(&self) -> &ParameterChanges {
        &self.output_changes
    }

    /// One `process` call on `input` into `output` (one bus each, one slice per channel,
    /// all the same length, at most the setup's block) with `changes` as its
    /// `inputParameterChanges`. Allocates nothing.
    pub fn process(
        &mut self,
        input: &[&[f32]],
        output: &mut [&mut [f32]],
        changes: &ParameterChanges,
    ) -> Result<(), Error> {
        let frames = output.first().map_or(0, |c| c.len());
        if input.len() > MAX_CHANNELS || output.len() > MAX_CHANNELS {
            return Err(Error::Capacity {
                what: "channels per bus",
                capacity: MAX_CHANNELS,
            });
        }
        if input.iter().any(|c| c.len() != frames) || output.iter().any(|c| c.len() != frames) {
            return Err(Error::Buffers("every channel must have the same length"));
        }
        if frames > self.setup.max_block {
            return Err(Error::Buffers("a block longer than the setup's maximum"));
        }
        let mut inputs = [std::ptr::null_mut::<f32>(); MAX_CHANNELS];
        for (slot, channel) in inputs.iter_mut().zip(input) {
            // The plugin reads inputs only; the ABI has no const pointer for them.
            *slot = channel.as_ptr().cast_mut();
        }
        let mut outputs = [std::ptr::null_mut::<f32>(); MAX_CHANNELS];
        for (slot, channel) in outputs.iter_mut().zip(output.iter_mut()) {
            *slot = channel.as_mut_ptr();
        }
        let mut input_bus = AudioBusBuffers {
            numChannels: input.len() as i32,
            silenceFlags: 0,
            __field0: AudioBusBuffers__type0 {
                channelBuffers32: inputs.as_mut_ptr(),
            },
        };
        let mut output_bus = AudioBusBuffers {
            numChannels: output.len() as i32,
            silenceFlags: 0,
            __field0: AudioBusBuffers__type0 {
                channelBuffers32: outputs.as_mut_ptr(),
            },
        };
        // SAFETY: all-zero is a valid `ProcessContext` (flags, numbers, no pointers).
        let mut context: ProcessContext = unsafe { std::mem::zeroed() };
        context.sampleRate = self.setup.sample_rate;
        context.projectTimeSamples = self.samples;
        context.continousTimeSamples = self.samples;
        self.output_changes.clear();
        let mut data = ProcessData {
            processMode: self.setup.process_mode(),
            symbolicSampleSize: kSample32 as i32,
            numSamples: frames as i32,
            numInputs: 1,
            numOutputs: 1,
            inputs: &mut input_bus,
            outputs: &mut output_bus,
            inputParameterChanges: changes.as_ptr(),
            outputParameterChanges: self.output_changes.as_ptr(),
            inputEvents: std::ptr::null_mut(),
            outputEvents: std::ptr::null_mut(),
            processContext: &mut context,
        };
        // SAFETY: the plugin is active and processing; every pointer in `data` (buses,
        // channel arrays of `numChannels` entries with `numSamples` frames each, change
        // lists, context) lives on this stack frame or in `self`/the caller through the call.
        let result = unsafe { self.plugin.processor.process(&mut data) };
        check("IAudioProcessor::process", result)?;
        self.samples += frames as i64;
        Ok(())
    }

    /// `setProcessing(state)` while active, as a host pausing and resuming the audio does
    /// (the SDK allows it on the audio thread: the plugin must not allocate there).
    pub fn set_processing(&mut self, state: bool) -> Result<(), Error> {
        // SAFETY: the plugin is active (since `Plugin::start`); a plain value.
        let result = unsafe { self.plugin.processor.setProcessing(u8::from(state)) };
        if result == vst3::Steinberg::kNotImplemented {
            return Ok(());
        }
        check("IAudioProcessor::setProcessing", result)
    }

    /// `setProcessing(false)` then `setActive(false)`.
    pub fn stop(mut self) -> Result<(), Error> {
        self.halt()
    }

    fn halt(&mut self) -> Result<(), Error> {
        if !std::mem::replace(&mut self.running, false) {
            return Ok(());
        }
        // SAFETY: processing was started by `Plugin::start`; a plain value.
        let processing = unsafe { self.plugin.processor.setProcessing(0) };
        // SAFETY: active since `Plugin::start`; a plain value.
        let active = unsafe { self.plugin.component.setActive(0) };
        if processing != vst3::Steinberg::kNotImplemented {
            check("IAudioProcessor::setProcessing", processing)?;
        }
        check("IComponent::setActive", active)
    }
}

impl Drop for Processing<'_> {
    fn drop(&mut self) {
        // A test that wants the results calls `stop`; here the plugin is only put back.
        let _ = self.halt();
    }
}
