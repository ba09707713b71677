//! One VST3 instance: a single-component effect, one object answering `IComponent`,
//! `IAudioProcessor`, `IProcessContextRequirements` and `IEditController` (the last in
//! `super::controller`). There is no separate controller class:
//! `getControllerClassId` answers `kResultFalse`.
//!
//! This file translates raw host calls into the safe parts: the audio side
//! (`super::audio`), the shared values and state (`crate::instance`). Buses: one stereo
//! input, one stereo output; any other arrangement is refused (`kResultFalse`, with a
//! line on stderr, never from `process`). 32-bit samples only: 64-bit is refused in
//! `canProcessSampleSize` and `setupProcessing` (`kResultFalse`). `process` only reads
//! the host's buffers and parameter queues and runs the audio side: no allocation, lock,
//! log or wait.

#![deny(unsafe_op_in_unsafe_fn)]

use std::ptr;
use std::slice;
use std::sync::{Arc, Mutex, PoisonError};

use atomic_refcell::AtomicRefCell;
use vst3::Steinberg::Vst::ProcessContext_::StatesAndFlags_::{kPlaying, kTempoValid};
use vst3::Steinberg::Vst::{
    kInfiniteTail, BusDirection, BusDirections_, BusInfo,
    BusInfo_::BusFlags_::kDefaultActive,
    BusTypes_, IAudioProcessor, IAudioProcessorTrait, IComponent, IComponentHandler,
    IComponentTrait, IEditController, IParamValueQueueTrait, IParameterChanges,
    IParameterChangesTrait, IProcessContextRequirements, IProcessContextRequirementsTrait,
    IProcessContextRequirements_::Flags_::{kNeedTempo, kNeedTransportState},
    IoMode, MediaType, MediaTypes_, ProcessContext, ProcessData, ProcessSetup as VstSetup,
    RoutingInfo, SpeakerArrangement, SymbolicSampleSizes_,
};
use vst3::Steinberg::{int32, tresult, uint32, FUnknown, IBStream, IPluginBaseTrait, TBool, TUID};
use vst3::Steinberg::{kInvalidArgument, kNotImplemented, kResultFalse, kResultOk};
use vst3::{Class, ComPtr, ComRef};
use wavecraft_dsp::buffer::MAX_CHANNELS;
use wavecraft_dsp::param::Params;
use wavecraft_dsp::processor::{Plugin as _, ProcessSetup};

use super::audio::{check_arrangement, AudioSide, HostTransport, ParamPoints, STEREO};
use super::params::ControllerValues;
use super::stream;
use super::strings::copy_utf16;
use crate::engine_abi::Export;
use crate::instance::param_table::ParamTable;
use crate::instance::shared_params::SharedParams;
use crate::instance::CHANNELS;
use crate::runner::Runner;
use crate::window_session::{daw_audio_started, daw_audio_stopped};
use wavecraft_bridge::StatusBoard;

/// One instance of exported plugin `E`.
pub struct Component<E: Export> {
    /// Shared with the view (`super::view`) while the host keeps one.
    pub(super) shared: Arc<SharedParams>,
    /// Shared with the view, which shows and edits the controller's values.
    pub(super) controller: Arc<ControllerValues>,
    /// What the view's `getAudioStatus` answers: set at `setActive`.
    pub(super) status: Arc<StatusBoard>,
    audio: AtomicRefCell<AudioSide<E::Plugin>>,
    /// The last accepted `setupProcessing` (main thread).
    setup: Mutex<Option<ProcessSetup>>,
    /// The host's component handler (main thread): told when a loaded state changed values.
    pub(super) handler: Mutex<Option<ComPtr<IComponentHandler>>>,
}

impl<E: Export> Class for Component<E> {
    type Interfaces = (
        IComponent,
        IAudioProcessor,
        IProcessContextRequirements,
        IEditController,
    );
}

impl<E: Export> Component<E> {
    /// A new instance with every parameter at its default; why not, when the author's
    /// `Default` panicked or the parameter ids break the rules.
    pub fn new() -> Result<Self, String> {
        let runner = Runner::<E::Plugin>::create()?;
        let table = ParamTable::new(runner.plugin().params().specs()).map_err(|e| e.to_string())?;
        let controller = Arc::new(ControllerValues::new(table.specs()));
        let shared = Arc::new(SharedParams::new(table));
        let audio = AudioSide::new(runner, shared.table().len());
        crate::resident::stay_loaded();
        Ok(Component {
            shared,
            controller,
            audio: AtomicRefCell::new(audio),
            setup: Mutex::new(None),
            handler: Mutex::new(None),
            status: Arc::new(StatusBoard::new()),
        })
    }

    /// Loads component state bytes (`IComponent::setState`): refused whole or applied whole,
    /// the controller's values following the processor's.
    pub fn load_state(&self, bytes: &[u8]) -> Result<(), String> {
        let values = self.shared.state_values(bytes).map_err(|e| e.to_string())?;
        self.shared.replace_all(&values);
        self.controller.set_all(&values);
        Ok(())
    }
}

/// The host's `IParameterChanges` for one `process` call, read through [`ParamPoints`].
struct HostChanges<'a>(Option<ComRef<'a, IParameterChanges>>);

impl HostChanges<'_> {
    fn queue(&self, queue: usize) -> Option<ComRef<'_, vst3::Steinberg::Vst::IParamValueQueue>> {
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

fn transport(context: &ProcessContext) -> HostTransport {
    HostTransport {
        playing: context.state & kPlaying != 0,
        tempo: (context.state & kTempoValid != 0).then_some(context.tempo),
        position_seconds: (context.sampleRate > 0.0)
            .then(|| context.projectTimeSamples as f64 / context.sampleRate),
    }
}

impl<E: Export> IPluginBaseTrait for Component<E> {
    unsafe fn initialize(&self, _context: *mut FUnknown) -> tresult {
        kResultOk
    }

    unsafe fn terminate(&self) -> tresult {
        *self.handler.lock().unwrap_or_else(PoisonError::into_inner) = None;
        kResultOk
    }
}

fn is_main_audio_bus(media: MediaType, index: int32) -> bool {
    media == MediaTypes_::kAudio as MediaType && index == 0
}

impl<E: Export> IComponentTrait for Component<E> {
    unsafe fn getControllerClassId(&self, _class_id: *mut TUID) -> tresult {
        // A single component: the edit controller is this object.
        kResultFalse
    }

    unsafe fn setIoMode(&self, _mode: IoMode) -> tresult {
        kResultOk
    }

    unsafe fn getBusCount(&self, media: MediaType, _dir: BusDirection) -> int32 {
        (media == MediaTypes_::kAudio as MediaType).into()
    }

    unsafe fn getBusInfo(
        &self,
        media: MediaType,
        dir: BusDirection,
        index: int32,
        bus: *mut BusInfo,
    ) -> tresult {
        // SAFETY: the host passes null or a writable BusInfo.
        let Some(bus) = (unsafe { bus.as_mut() }) else {
            return kInvalidArgument;
        };
        let input = dir == BusDirections_::kInput as BusDirection;
        if !is_main_audio_bus(media, index)
            || !(input || dir == BusDirections_::kOutput as BusDirection)
        {
            return kInvalidArgument;
        }
        bus.mediaType = media;
        bus.direction = dir;
        bus.channelCount = CHANNELS as int32;
        copy_utf16(if input { "Input" } else { "Output" }, &mut bus.name);
        bus.busType = BusTypes_::kMain as _;
        bus.flags = kDefaultActive as _;
        kResultOk
    }

    unsafe fn getRoutingInfo(&self, _in: *mut RoutingInfo, _out: *mut RoutingInfo) -> tresult {
        kNotImplemented
    }

    unsafe fn activateBus(
        &self,
        media: MediaType,
        _dir: BusDirection,
        index: int32,
        _state: TBool,
    ) -> tresult {
        if is_main_audio_bus(media, index) {
            kResultOk
        } else {
            kInvalidArgument
        }
    }

    unsafe fn setActive(&self, state: TBool) -> tresult {
        if state == 0 {
            daw_audio_stopped(&self.status);
            return kResultOk;
        }
        let Some(setup) = *self.setup.lock().unwrap_or_else(PoisonError::into_inner) else {
            eprintln!(
                "wavecraft: {}: setActive before setupProcessing",
                E::info().name
            );
            return kResultFalse;
        };
        let Ok(mut audio) = self.audio.try_borrow_mut() else {
            return kResultFalse;
        };
        match audio.activate(&self.shared, setup) {
            Ok(()) => {
                daw_audio_started(
                    &self.status,
                    f64::from(setup.sample_rate),
                    setup.max_block_size as u32,
                );
                kResultOk
            }
            Err(message) => {
                eprintln!("wavecraft: {}: {message}", E::info().name);
                kResultFalse
            }
        }
    }

    unsafe fn setState(&self, state: *mut IBStream) -> tresult {
        // SAFETY: the host lends null or a live IBStream for this call.
        let Some(bytes) = (unsafe { stream::read_all(state) }) else {
            return kResultFalse;
        };
        if let Err(message) = self.load_state(&bytes) {
            eprintln!("wavecraft: {}: state refused: {message}", E::info().name);
            return kResultFalse;
        }
        let handler = self.handler.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(handler) = handler.as_ref() {
            use vst3::Steinberg::Vst::{
                IComponentHandlerTrait, RestartFlags_::kParamValuesChanged,
            };
            // SAFETY: the handler the host gave us stays live until it replaces it or
            // `terminate`; this is the main thread, where the handler is called.
            unsafe { handler.restartComponent(kParamValuesChanged as int32) };
        }
        kResultOk
    }

    unsafe fn getState(&self, state: *mut IBStream) -> tresult {
        // SAFETY: the host lends null or a live IBStream for this call.
        if unsafe { stream::write_all(state, &self.shared.save_state()) } {
            kResultOk
        } else {
            kResultFalse
        }
    }
}

impl<E: Export> IAudioProcessorTrait for Component<E> {
    unsafe fn setBusArrangements(
        &self,
        inputs: *mut SpeakerArrangement,
        num_ins: int32,
        outputs: *mut SpeakerArrangement,
        num_outs: int32,
    ) -> tresult {
        let read = |arr: *mut SpeakerArrangement, n: int32| -> &[SpeakerArrangement] {
            match usize::try_from(n) {
                // SAFETY: the host passes `n` readable arrangements at `arr`.
                Ok(n) if n > 0 && !arr.is_null() => unsafe { slice::from_raw_parts(arr, n) },
                _ => &[],
            }
        };
        match check_arrangement(read(inputs, num_ins), read(outputs, num_outs)) {
            Ok(()) => kResultOk,
            Err(message) => {
                // Main thread (the SDK's contract for setBusArrangements).
                eprintln!("wavecraft: {}: {message}", E::info().name);
                kResultFalse
            }
        }
    }

    unsafe fn getBusArrangement(
        &self,
        dir: BusDirection,
        index: int32,
        arr: *mut SpeakerArrangement,
    ) -> tresult {
        let known = dir == BusDirections_::kInput as BusDirection
            || dir == BusDirections_::kOutput as BusDirection;
        // SAFETY: the host passes null or a writable SpeakerArrangement.
        match unsafe { arr.as_mut() } {
            Some(arr) if known && index == 0 => {
                *arr = STEREO;
                kResultOk
            }
            _ => kInvalidArgument,
        }
    }

    unsafe fn canProcessSampleSize(&self, size: int32) -> tresult {
        if size == SymbolicSampleSizes_::kSample32 as int32 {
            kResultOk
        } else {
            kResultFalse
        }
    }

    unsafe fn getLatencySamples(&self) -> uint32 {
        0
    }

    unsafe fn setupProcessing(&self, setup: *mut VstSetup) -> tresult {
        // SAFETY: the host passes null or a readable ProcessSetup.
        let Some(setup) = (unsafe { setup.as_ref() }) else {
            return kInvalidArgument;
        };
        if setup.symbolicSampleSize != SymbolicSampleSizes_::kSample32 as int32
            || !setup.sampleRate.is_finite()
            || setup.sampleRate <= 0.0
            || setup.maxSamplesPerBlock <= 0
        {
            return kResultFalse;
        }
        *self.setup.lock().unwrap_or_else(PoisonError::into_inner) = Some(ProcessSetup {
            sample_rate: setup.sampleRate as f32,
            max_block_size: setup.maxSamplesPerBlock as usize,
            channels: CHANNELS as usize,
        });
        kResultOk
    }

    unsafe fn setProcessing(&self, state: TBool) -> tresult {
        if state == 0 {
            if let Ok(mut audio) = self.audio.try_borrow_mut() {
                audio.stop();
            }
        }
        kResultOk
    }

    unsafe fn process(&self, data: *mut ProcessData) -> tresult {
        // SAFETY: the host passes null or a ProcessData valid for this call.
        let Some(data) = (unsafe { data.as_ref() }) else {
            return kInvalidArgument;
        };
        if data.symbolicSampleSize != SymbolicSampleSizes_::kSample32 as int32 {
            return kResultFalse;
        }
        // Never contended under a conforming host (process is not called alongside
        // setActive/setupProcessing); a borrow flag, so a host that does is refused, not waited for.
        let Ok(mut audio) = self.audio.try_borrow_mut() else {
            return kResultFalse;
        };
        let frames = usize::try_from(data.numSamples).unwrap_or(0);
        let mut channels: [&mut [f32]; MAX_CHANNELS] = Default::default();
        // SAFETY: the host's buses are valid for this call (the SDK's process contract).
        let count = unsafe { host_channels(data, frames, &mut channels) };
        // SAFETY: the host passes null or IParameterChanges live for this call.
        let changes = HostChanges(unsafe { ComRef::from_raw(data.inputParameterChanges) });
        // SAFETY: the host passes null or a ProcessContext valid for this call.
        let context = unsafe { data.processContext.as_ref() }.map(transport);
        audio.process(&self.shared, &mut channels[..count], &changes, context);
        kResultOk
    }

    unsafe fn getTailSamples(&self) -> uint32 {
        // As the CLAP (which always continues): the host keeps calling process.
        kInfiniteTail
    }
}

/// Fills `channels` with the main output bus's channels, each holding its input channel
/// (copied unless in place; silence where there is none), and returns how many.
///
/// # Safety
/// `data`'s bus arrays, channel pointer arrays and channel buffers are valid for `frames`
/// samples for the lifetime of `channels`' slices (the current `process` call), and no two
/// channels alias.
unsafe fn host_channels(
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

impl<E: Export> IProcessContextRequirementsTrait for Component<E> {
    unsafe fn getProcessContextRequirements(&self) -> uint32 {
        (kNeedTempo | kNeedTransportState) as uint32
    }
}
