//! The host's `IComponentHandler`: it records what the plugin's controller
//! tells the host (`beginEdit`/`performEdit`/`endEdit` gestures and
//! `restartComponent`), in order, for tests to read. Called on the host's
//! main thread, never from `process`.

use std::sync::{Arc, Mutex, PoisonError};

use vst3::Class;
use vst3::Steinberg::tresult;
use vst3::Steinberg::Vst::{IComponentHandler, IComponentHandlerTrait, ParamID, ParamValue};

/// One call the plugin made on the host's component handler.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HostEvent {
    /// `beginEdit(id)`: a gesture starts.
    BeginEdit(u32),
    /// `performEdit(id, normalised value)`.
    PerformEdit(u32, f64),
    /// `endEdit(id)`: the gesture ends.
    EndEdit(u32),
    /// `restartComponent(flags)`.
    Restart(i32),
}

/// The recorded calls, shared by the COM object and the [`crate::Plugin`] that reads them.
#[derive(Clone, Default)]
pub struct ComponentHandler {
    events: Arc<Mutex<Vec<HostEvent>>>,
}

impl ComponentHandler {
    /// Takes the calls recorded so far, oldest first.
    pub fn take(&self) -> Vec<HostEvent> {
        std::mem::take(&mut *self.events.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn record(&self, event: HostEvent) -> tresult {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(event);
        vst3::Steinberg::kResultOk
    }
}

impl Class for ComponentHandler {
    type Interfaces = (IComponentHandler,);
}

impl IComponentHandlerTrait for ComponentHandler {
    unsafe fn beginEdit(&self, id: ParamID) -> tresult {
        self.record(HostEvent::BeginEdit(id))
    }

    unsafe fn performEdit(&self, id: ParamID, value: ParamValue) -> tresult {
        self.record(HostEvent::PerformEdit(id, value))
    }

    unsafe fn endEdit(&self, id: ParamID) -> tresult {
        self.record(HostEvent::EndEdit(id))
    }

    unsafe fn restartComponent(&self, flags: i32) -> tresult {
        self.record(HostEvent::Restart(flags))
    }
}
