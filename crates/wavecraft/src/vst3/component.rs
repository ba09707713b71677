//! One VST3 instance: a single-component effect, one object answering `IComponent`,
//! `IAudioProcessor`, `IProcessContextRequirements` and `IEditController` (the last in
//! `super::controller`). There is no separate controller class:
//! `getControllerClassId` answers `kResultFalse`.
//!
//! This file translates raw host calls into the safe parts: the audio side
//! (`super::audio`, fed by `super::process_data`), the shared values and state
//! (`crate::instance`). Buses: one stereo input, one stereo output; any other
//! arrangement is refused (`kResultFalse`, with a line on stderr, never from `process`).
//! 32-bit samples only: 64-bit is refused in `canProcessSampleSize` and
//! `setupProcessing` (`kResultFalse`). `process` only reads the host's buffers and
//! parameter queues and runs the audio side: no allocation, lock, log or wait.

#![deny(unsafe_op_in_unsafe_fn)]

use std::slice;
use std::sync::{Arc, Mutex, PoisonError};

use atomic_refcell::AtomicRefCell;
use vst3::Steinberg::Vst::{
    kInfiniteTail, BusDirection, BusDirections_, BusInfo,
    BusInfo_::BusFlags_::kDefaultActive,
    BusTypes_, IAudioProcessor, IAudioProcessorTrait, IComponent, IComponentHandler,
    IComponentTrait, IEditController, IProcessContextRequirements,
    IProcessContextRequirementsTrait,
    IProcessContextRequirements_::Flags_::{kNeedTempo, kNeedTransportState},
    IoMode, MediaType, MediaTypes_, ProcessData, ProcessSetup as VstSetup, RoutingInfo,
    SpeakerArrangement, SymbolicSampleSizes_,
};
use vst3::Steinberg::{int32, tresult, uint32, FUnknown, IBStream, IPluginBaseTrait, TBool, TUID};
use vst3::Steinberg::{kInvalidArgument, kNotImplemented, kResultFalse, kResultOk};
use vst3::{Class, ComPtr, ComRef};
use wavecraft_dsp::buffer::MAX_CHANNELS;
use wavecraft_dsp::param::Params;
use wavecraft_dsp::processor::{Plugin as _, ProcessSetup};

use super::audio::{check_arrangement, AudioSide, STEREO};
use super::params::ControllerValues;
use super::process_data::{host_channels, transport, HostChanges};
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
        // Cloned out of the lock: the host may call back into us from restartComponent.
        let handler = self
            .handler
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(handler) = handler {
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

impl<E: Export> IProcessContextRequirementsTrait for Component<E> {
    unsafe fn getProcessContextRequirements(&self) -> uint32 {
        (kNeedTempo | kNeedTransportState) as uint32
    }
}
