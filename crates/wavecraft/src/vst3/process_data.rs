//! Reading the host's `ProcessData` for one `process` call: the main buses' channels as
//! slices (input copied into output unless in place), the parameter queues as
//! [`ParamPoints`], the transport. Raw reads only, no allocation, lock or log: what the
//! audio side does with them is `super::audio`.

#![deny(unsafe_op_in_unsafe_fn)]

use std::ptr;
use std::slice;

use vst3::ComRef;
use vst3::Steinberg::int32;
use vst3::Steinberg::kResultOk;
use vst3::Steinberg::Vst::ProcessContext_::StatesAndFlags_::{kPlaying, kTempoValid};
use vst3::Steinberg::Vst::{
    IParamValueQueue, IParamValueQueueTrait, IParameterChanges, IParameterChangesTrait,
    ProcessContext, ProcessData,
};
use wavecraft_dsp::buffer::MAX_CHANNELS;

use super::audio::{HostTransport, ParamPoints};

/// The host's `IParameterChanges` for one `process` call, read through [`ParamPoints`].
pub struct HostChanges<'a>(pub Option<ComRef<'a, IParameterChanges>>);

impl HostChanges<'_> {
    fn queue(&self, queue: usize) -> Option<ComRef<'_, IParamValueQueue>> {
        let changes = self.0.as_ref()?;
        // SAFETY: `changes` is live for this `process` call; the index is in range (the
        // audio side asks only below `getParameterCount`) and a null answer is handled.
        unsafe { ComRef::from_raw(changes.getParameterData(queue as int32)) }
    }
}

impl ParamPoints for HostChanges<'_> {
    fn queues(&self) -> usize {
        self.0.as_ref().map_or(0, |changes| {
            // SAFETY: `changes` is live for this `process` call.
            let count = unsafe { changes.getParameterCount() };
            usize::try_from(count).unwrap_or(0)
        })
    }

    fn id(&self, queue: usize) -> u32 {
        // SAFETY: the queue is live for this `process` call.
        self.queue(queue)
            .map_or(u32::MAX, |q| unsafe { q.getParameterId() })
    }

    fn points(&self, queue: usize) -> usize {
        self.queue(queue).map_or(0, |q| {
            // SAFETY: the queue is live for this `process` call.
            usize::try_from(unsafe { q.getPointCount() }).unwrap_or(0)
        })
    }

    fn point(&self, queue: usize, point: usize) -> Option<(i32, f64)> {
        let q = self.queue(queue)?;
        let (mut offset, mut value) = (0, 0.0);
        // SAFETY: the queue is live for this `process` call; both out pointers are valid.
        let result = unsafe { q.getPoint(point as int32, &mut offset, &mut value) };
        (result == kResultOk).then_some((offset, value))
    }
}

/// The transport a host's `ProcessContext` describes.
pub fn transport(context: &ProcessContext) -> HostTransport {
    HostTransport {
        playing: context.state & kPlaying != 0,
        tempo: (context.state & kTempoValid != 0).then_some(context.tempo),
        position_seconds: (context.sampleRate > 0.0)
            .then(|| context.projectTimeSamples as f64 / context.sampleRate),
    }
}

/// Fills `channels` with the main output bus's channels, each holding its input channel
/// (copied unless in place; silence where there is none), and returns how many.
///
/// # Safety
/// `data`'s bus arrays, channel pointer arrays and channel buffers are valid for `frames`
/// samples for the lifetime of `channels`' slices (the current `process` call), and no two
/// channels alias.
pub unsafe fn host_channels(
    data: &ProcessData,
    frames: usize,
    channels: &mut [&mut [f32]; MAX_CHANNELS],
) -> usize {
    if frames == 0 || data.numOutputs < 1 || data.outputs.is_null() {
        return 0;
    }
    // SAFETY: `outputs` points to `numOutputs` ≥ 1 buses (caller's contract).
    let output = unsafe { &mut *data.outputs };
    output.silenceFlags = 0;
    // SAFETY: for a 32-bit process, `channelBuffers32` is the active union field.
    let outs = unsafe { output.__field0.channelBuffers32 };
    let input = (data.numInputs >= 1 && !data.inputs.is_null())
        // SAFETY: `inputs` points to `numInputs` ≥ 1 buses (caller's contract).
        .then(|| unsafe { &*data.inputs })
        // SAFETY: for a 32-bit process, `channelBuffers32` is the active union field.
        .map(|bus| {
            (usize::try_from(bus.numChannels).unwrap_or(0), unsafe {
                bus.__field0.channelBuffers32
            })
        })
        .filter(|(_, ins)| !ins.is_null());
    if outs.is_null() {
        return 0;
    }
    let wanted = usize::try_from(output.numChannels)
        .unwrap_or(0)
        .min(MAX_CHANNELS);
    let mut count = 0;
    for channel in 0..wanted {
        // SAFETY: `outs` holds `numChannels` channel pointers (caller's contract).
        let out = unsafe { *outs.add(channel) };
        if out.is_null() {
            break;
        }
        let source = input
            .filter(|&(n, _)| channel < n)
            // SAFETY: the input bus holds `numChannels` channel pointers.
            .map(|(_, ins)| unsafe { *ins.add(channel) })
            .filter(|p| !p.is_null());
        match source {
            // SAFETY: both buffers hold `frames` samples; `ptr::copy` allows them to overlap.
            Some(src) if src != out => unsafe { ptr::copy(src, out, frames) },
            Some(_) => {}
            // SAFETY: the output buffer holds `frames` writable samples.
            None => unsafe { ptr::write_bytes(out, 0, frames) },
        }
        // SAFETY: `out` holds `frames` samples, valid and unaliased for this call.
        channels[count] = unsafe { slice::from_raw_parts_mut(out, frames) };
        count += 1;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(state: u32, tempo: f64, sample_rate: f64, samples: i64) -> ProcessContext {
        // SAFETY: ProcessContext is plain numbers (and a struct of them); all-zero is valid.
        let mut context: ProcessContext = unsafe { std::mem::zeroed() };
        context.state = state;
        context.tempo = tempo;
        context.sampleRate = sample_rate;
        context.projectTimeSamples = samples;
        context
    }

    #[test]
    fn the_transport_reads_only_what_the_host_marks_valid() {
        let playing = transport(&context(kPlaying | kTempoValid, 128.0, 48_000.0, 96_000));
        assert_eq!(
            playing,
            HostTransport {
                playing: true,
                tempo: Some(128.0),
                position_seconds: Some(2.0),
            }
        );
        // A tempo the host does not mark valid is not read; no rate, no position.
        let stopped = transport(&context(0, 128.0, 0.0, 96_000));
        assert_eq!(
            stopped,
            HostTransport {
                playing: false,
                tempo: None,
                position_seconds: None,
            }
        );
    }
}
