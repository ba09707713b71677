//! The audio-thread side of a CLAP instance: the author's plugin inside a
//! `Runner` (`crate::runner`), fed by the host's buffers and parameter events.
//!
//! `process` splits the block at every parameter event's sample, so a change
//! takes effect exactly there; each segment is processed once, and the runner
//! splits further at the prepared maximum, exactly as in dev mode. Output is
//! cleaned of NaN, infinities and denormals before the host sees it.
//! Nothing here allocates, locks or logs after `activate`
//! (`crates/wavecraft/tests/clap_no_alloc.rs` proves it for the example plugin).
//!
//! Constant masks: CLAP hosts must fill every buffer even when they flag it
//! constant (the mask is a hint), so the input mask changes nothing here: the
//! author's DSP runs on every sample, because a filter's state, a smoothing
//! ramp or a DC offset can make the output of a constant input vary, and
//! skipping it would also make the bundle sound different from dev mode. The
//! output mask is never assumed but measured: a channel's bit is set exactly
//! when all its cleaned output samples are equal (silence after the tail has
//! died out, for example), and cleared otherwise, whatever the host left in it.

use clack_extensions::params::PluginAudioProcessorParams;
use clack_plugin::events::event_types::{
    ParamGestureBeginEvent, ParamGestureEndEvent, ParamValueEvent, TransportFlags,
};
use clack_plugin::events::io::{InputEvents, OutputEvents};
use clack_plugin::events::{Event, Pckn};
use clack_plugin::host::HostAudioProcessorHandle;
use clack_plugin::plugin::{PluginAudioProcessor, PluginError};
use clack_plugin::process::audio::ChannelPair;
use clack_plugin::process::{
    Audio, ConstantMask, Events, PluginAudioConfiguration, Process, ProcessStatus,
};
use clack_plugin::utils::ClapId;
use wavecraft_dsp::buffer::{AudioBuffer, MAX_CHANNELS};
use wavecraft_dsp::param::Params;
use wavecraft_dsp::processor::{Plugin, ProcessSetup};

use super::main_thread::MainThread;
use super::{ClapError, ClapShared};
use crate::instance::shared_params::{SharedParams, UiEdit};
use crate::instance::CHANNELS;
use crate::runner::Runner;

/// The audio-thread part of a CLAP instance.
pub struct AudioThread<'a, P> {
    runner: Runner<P>,
    shared: &'a SharedParams,
    edits: Option<rtrb::Consumer<UiEdit>>,
}

impl<P: Plugin> AudioThread<'_, P> {
    /// Applies every value in [`SharedParams`] to the plugin: at once before audio runs (activation,
    /// a state loaded before the first block or while stopped), gliding while it runs (the
    /// runner's rule).
    fn apply_all(&mut self) {
        for index in 0..self.shared.table().len() {
            // A panic is recorded by the runner, which then outputs silence.
            let _ = self.runner.set_value(index, self.shared.value(index));
        }
    }

    /// Applies one parameter event and publishes the value the plugin now holds.
    fn apply(&mut self, event: &ParamValueEvent) {
        let Some(index) = event
            .param_id()
            .and_then(|id| self.shared.table().index_of(id.get()))
        else {
            return;
        };
        if !event.value().is_finite() || self.runner.set_value(index, event.value()).is_err() {
            return;
        }
        let held = self.runner.plugin().params().param(index).plain();
        self.shared.publish(index, held);
    }

    /// Applies every queued window edit at sample 0 and tells the host about each.
    fn apply_edits(&mut self, output: &mut OutputEvents) {
        let Some(edits) = self.edits.as_mut() else {
            return;
        };
        while let Ok(edit) = edits.pop() {
            let (UiEdit::Begin(index) | UiEdit::Value(index, _) | UiEdit::End(index)) = edit;
            let id = ClapId::new(self.shared.table().host_id(index));
            // A full host queue drops the event, never blocks: the value is applied regardless.
            let _ = match edit {
                UiEdit::Begin(_) => output.try_push(ParamGestureBeginEvent::new(0, id)),
                UiEdit::End(_) => output.try_push(ParamGestureEndEvent::new(0, id)),
                UiEdit::Value(_, value) => {
                    if self.runner.set_value(index, value).is_ok() {
                        let held = self.runner.plugin().params().param(index).plain();
                        self.shared.publish(index, held);
                    }
                    output.try_push(ParamValueEvent::new(0, id, Pckn::match_all(), value))
                }
            };
        }
    }

    fn apply_events(&mut self, input: &InputEvents) {
        for event in input {
            if let Some(event) = event.as_event::<ParamValueEvent>() {
                self.apply(event);
            }
        }
    }
}

impl<'a, P: Plugin> PluginAudioProcessor<'a, ClapShared, MainThread<'a>> for AudioThread<'a, P> {
    fn activate(
        _host: HostAudioProcessorHandle<'a>,
        main_thread: &MainThread<'a>,
        shared: &'a ClapShared,
        config: PluginAudioConfiguration,
    ) -> Result<Self, PluginError> {
        let shared: &'a SharedParams = shared;
        let runner = Runner::<P>::create().map_err(ClapError)?;
        let mut processor = AudioThread {
            runner,
            shared,
            edits: shared.take_edits(),
        };
        shared.take_reload();
        processor.apply_all();
        let setup = ProcessSetup {
            sample_rate: config.sample_rate as f32,
            max_block_size: config.max_frames_count.max(1) as usize,
            channels: CHANNELS as usize,
        };
        // Values applied before audio start there (the runner's rule): an activated plugin starts
        // at its values, not on the way from the defaults.
        processor
            .runner
            .prepare(setup)
            .map_err(|_| ClapError(processor.runner.last_error().to_owned()))?;
        main_thread
            .gui()
            .audio_started(config.sample_rate, config.max_frames_count);
        Ok(processor)
    }

    fn process(
        &mut self,
        process: Process,
        mut audio: Audio,
        events: Events,
    ) -> Result<ProcessStatus, PluginError> {
        if self.shared.take_reload() {
            self.apply_all();
        }
        self.apply_edits(events.output);
        if let Some(transport) = process.transport {
            let flags = transport.flags;
            self.runner.set_transport(
                flags.contains(TransportFlags::IS_PLAYING),
                flags
                    .contains(TransportFlags::HAS_TEMPO)
                    .then_some(transport.tempo),
                flags
                    .contains(TransportFlags::HAS_SECONDS_TIMELINE)
                    .then(|| transport.song_pos_seconds.to_float()),
            );
        }
        let frames = audio.frames_count() as usize;
        let mut outputs: [&mut [f32]; MAX_CHANNELS] = Default::default();
        let mut count = 0;
        let mut port = audio.port_pair(0);
        if let Some(port) = port.as_mut() {
            // Static messages: even a host's contract violation allocates nothing here.
            let channels = port
                .channels()
                .map_err(|_| PluginError::Message("the host's audio buffers are inconsistent"))?
                .into_f32()
                .ok_or(PluginError::Message(
                    "the host offered no 32-bit float buffers",
                ))?;
            for pair in channels {
                let output = match pair {
                    ChannelPair::InputOutput(input, output) => {
                        output.copy_from_slice(input);
                        output
                    }
                    ChannelPair::InPlace(output) => output,
                    ChannelPair::OutputOnly(output) => {
                        output.fill(0.0);
                        output
                    }
                    ChannelPair::InputOnly(_) => continue,
                };
                if count < MAX_CHANNELS && output.len() == frames {
                    outputs[count] = output;
                    count += 1;
                }
            }
        }
        let mut buffer = AudioBuffer::new(&mut outputs[..count]);
        let frames = if count == 0 { 0 } else { frames };
        let mut start = 0;
        for event in events.input {
            let Some(event) = event.as_event::<ParamValueEvent>() else {
                continue;
            };
            let at = (event.header().time() as usize).clamp(start, frames);
            if at > start {
                let runner = &mut self.runner;
                buffer.with_sub_block(start..at, |segment| runner.process(segment).ok());
                start = at;
            }
            self.apply(event);
        }
        if start < frames {
            let runner = &mut self.runner;
            buffer.with_sub_block(start..frames, |segment| runner.process(segment).ok());
        }
        let mut constant = ConstantMask::from_bits(0);
        for (index, channel) in buffer.iter_mut().enumerate() {
            self.shared.deliver_output(index, channel);
            constant.set_channel_constant(index as u64, is_constant(channel));
        }
        // Always written: a host may hand the plugin an output mask left over from elsewhere.
        if let Some(mut output) = port.as_mut().and_then(|port| port.output()) {
            output.set_constant_mask(constant);
        }
        Ok(ProcessStatus::Continue)
    }

    fn reset(&mut self) {
        // A panic is recorded by the runner, which then outputs silence.
        let _ = self.runner.reset();
    }

    fn deactivate(mut self, main_thread: &MainThread<'a>) {
        main_thread.gui().audio_stopped();
        if let Some(edits) = self.edits.take() {
            self.shared.return_edits(edits);
        }
    }

    fn stop_processing(&mut self) {
        // The next block need not follow this one: values that arrive until then start there.
        self.runner.stop();
    }
}

/// True when every sample of `channel` equals the first (an empty channel is not constant).
///
/// Runs after the output is cleaned, so every zero is `+0.0` and there is no NaN.
/// Real audio differs at its second sample, so this costs almost nothing.
fn is_constant(channel: &[f32]) -> bool {
    channel
        .split_first()
        .is_some_and(|(first, rest)| rest.iter().all(|sample| sample == first))
}

impl<P: Plugin> PluginAudioProcessorParams for AudioThread<'_, P> {
    fn flush(&mut self, input: &InputEvents, output: &mut OutputEvents) {
        if self.shared.take_reload() {
            self.apply_all();
        }
        self.apply_edits(output);
        self.apply_events(input);
    }
}

#[cfg(test)]
mod tests {
    use clack_plugin::events::io::EventBuffer;
    use wavecraft_alloc_counter::count_allocations;
    use wavecraft_dsp::param::{FloatParam, FloatRange};
    use wavecraft_dsp::processor::{ProcessContext, Processor};

    use super::*;
    use crate::instance::param_table::ParamTable;

    #[derive(crate::Params)]
    #[params(crate = "::wavecraft_dsp")]
    struct GainParams {
        gain: FloatParam,
    }

    impl Default for GainParams {
        fn default() -> Self {
            Self {
                gain: FloatParam::new("gain", "Gain", FloatRange::linear(0.0, 1.0), 0.0),
            }
        }
    }

    #[derive(Default)]
    struct Quiet {
        params: GainParams,
    }

    impl Processor for Quiet {
        fn prepare(&mut self, _: &ProcessSetup) {}
        fn process(&mut self, _: &mut AudioBuffer<'_>, _: &ProcessContext) {}
    }

    impl Plugin for Quiet {
        type Params = GainParams;
        fn params(&self) -> &GainParams {
            &self.params
        }
        fn params_mut(&mut self) -> &mut GainParams {
            &mut self.params
        }
    }

    #[test]
    fn window_edits_reach_the_host_and_the_dsp_in_order_without_allocating() {
        let shared = SharedParams::new(ParamTable::new(GainParams::default().specs()).unwrap());
        let mut audio = AudioThread::<Quiet> {
            runner: Runner::create().unwrap(),
            shared: &shared,
            edits: shared.take_edits(),
        };
        for edit in [
            UiEdit::Begin(0),
            UiEdit::Value(0, 0.5),
            UiEdit::Value(0, 0.75),
            UiEdit::End(0),
        ] {
            assert!(shared.push_edit(edit));
        }
        let mut buffer = EventBuffer::with_capacity(16);
        let ((), allocations) = count_allocations(|| {
            audio.apply_edits(&mut OutputEvents::from_buffer(&mut buffer));
        });
        // The counter is installed (a Vec is two calls), so the zero above means something.
        assert_eq!(count_allocations(|| vec![1u8].len()).1, 2);
        assert_eq!(allocations, 0, "applying window edits allocated");
        let id = shared.table().host_id(0);
        let mut heard = Vec::new();
        for event in &buffer {
            if let Some(e) = event.as_event::<ParamGestureBeginEvent>() {
                heard.push(("begin", e.param_id().map(ClapId::get), None));
            } else if let Some(e) = event.as_event::<ParamValueEvent>() {
                heard.push(("value", e.param_id().map(ClapId::get), Some(e.value())));
            } else if let Some(e) = event.as_event::<ParamGestureEndEvent>() {
                heard.push(("end", e.param_id().map(ClapId::get), None));
            }
        }
        assert_eq!(
            heard,
            [
                ("begin", Some(id), None),
                ("value", Some(id), Some(0.5)),
                ("value", Some(id), Some(0.75)),
                ("end", Some(id), None),
            ]
        );
        assert_eq!(audio.runner.plugin().params().param(0).plain(), 0.75);
        assert_eq!(shared.value(0), 0.75);
    }
}
