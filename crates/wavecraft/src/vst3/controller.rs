//! The instance's `IEditController` face: parameter info, normalised ↔ plain, value ↔ text
//! (all through `super::params`, i.e. the parameter rules) and the controller's values.
//!
//! As the SDK expects of a single component: `setParamNormalized` sets the controller's
//! value only (the host relays changes to the processor through `process`);
//! `setComponentState` sets the controller's values from a component state, refusing
//! garbage with nothing changed. The controller's own state is empty (everything lives in
//! the component state). `createView("editor")` answers the plugin window
//! (`super::view`) when the author's crate embeds a UI, else null (the host's generic UI).

#![deny(unsafe_op_in_unsafe_fn)]

use std::ffi::{c_char, CStr};
use std::sync::{Arc, PoisonError};

use vst3::ComRef;
use vst3::Steinberg::Vst::{
    kRootUnitId, IComponentHandler, IEditControllerTrait, ParamID, ParamValue, ParameterInfo,
    String128, TChar,
};
use vst3::Steinberg::{int32, tresult, IBStream, IPlugView};
use vst3::Steinberg::{kInvalidArgument, kResultFalse, kResultOk};
use wavecraft_dsp::param::ParamSpec;

use super::component::Component;
use super::params::{flags, normalized_of, step_count, text_of, to_normalized, to_plain};
use super::stream;
use super::strings::{copy_utf16, from_utf16};
use super::view::{EditorValues, View};
use crate::engine_abi::Export;

/// Longest text a host may hand `getParamValueByString` (a `String128`).
const MAX_TEXT: usize = 128;

impl<E: Export> Component<E> {
    fn param(&self, id: ParamID) -> Option<(usize, &ParamSpec)> {
        let table = self.shared.table();
        let index = table.index_of(id)?;
        Some((index, &table.specs()[index]))
    }
}

impl<E: Export> IEditControllerTrait for Component<E> {
    unsafe fn setComponentState(&self, state: *mut IBStream) -> tresult {
        // SAFETY: the host lends null or a live IBStream for this call.
        let Some(bytes) = (unsafe { stream::read_all(state) }) else {
            return kResultFalse;
        };
        match self.shared.state_values(&bytes) {
            Ok(values) => {
                self.controller.set_all(&values);
                kResultOk
            }
            Err(error) => {
                eprintln!("wavecraft: {}: state refused: {error}", E::info().name);
                kResultFalse
            }
        }
    }

    unsafe fn setState(&self, _state: *mut IBStream) -> tresult {
        // The controller keeps nothing of its own: every value is in the component state.
        kResultOk
    }

    unsafe fn getState(&self, _state: *mut IBStream) -> tresult {
        kResultOk
    }

    unsafe fn getParameterCount(&self) -> int32 {
        self.shared.table().len() as int32
    }

    unsafe fn getParameterInfo(&self, index: int32, info: *mut ParameterInfo) -> tresult {
        // SAFETY: the host passes null or a writable ParameterInfo.
        let Some(info) = (unsafe { info.as_mut() }) else {
            return kInvalidArgument;
        };
        let table = self.shared.table();
        let Some(spec) = usize::try_from(index)
            .ok()
            .and_then(|i| table.specs().get(i))
        else {
            return kInvalidArgument;
        };
        info.id = table.host_id(index as usize);
        copy_utf16(spec.name, &mut info.title);
        copy_utf16(spec.name, &mut info.shortTitle);
        copy_utf16(spec.unit, &mut info.units);
        info.stepCount = step_count(spec);
        info.defaultNormalizedValue = to_normalized(spec, spec.default);
        info.unitId = kRootUnitId;
        info.flags = flags(spec);
        kResultOk
    }

    unsafe fn getParamStringByValue(
        &self,
        id: ParamID,
        normalized: ParamValue,
        string: *mut String128,
    ) -> tresult {
        // SAFETY: the host passes null or a writable String128.
        let Some(string) = (unsafe { string.as_mut() }) else {
            return kInvalidArgument;
        };
        match self
            .param(id)
            .and_then(|(_, spec)| text_of(spec, normalized))
        {
            Some(text) => {
                copy_utf16(&text, string);
                kResultOk
            }
            None => kInvalidArgument,
        }
    }

    unsafe fn getParamValueByString(
        &self,
        id: ParamID,
        string: *mut TChar,
        normalized: *mut ParamValue,
    ) -> tresult {
        if string.is_null() || normalized.is_null() {
            return kInvalidArgument;
        }
        let mut len = 0;
        // SAFETY: the host passes a NUL-terminated UTF-16 string; reading stops at its NUL
        // or at a String128's length, whichever comes first.
        while len < MAX_TEXT && unsafe { *string.add(len) } != 0 {
            len += 1;
        }
        // SAFETY: the first `len` units were just read.
        let text = from_utf16(unsafe { std::slice::from_raw_parts(string, len) });
        match text.and_then(|text| normalized_of(self.param(id)?.1, &text)) {
            Some(value) => {
                // SAFETY: checked non-null above; the host's out pointer.
                unsafe { *normalized = value };
                kResultOk
            }
            None => kResultFalse,
        }
    }

    unsafe fn normalizedParamToPlain(&self, id: ParamID, normalized: ParamValue) -> ParamValue {
        self.param(id)
            .map_or(0.0, |(_, spec)| to_plain(spec, normalized))
    }

    unsafe fn plainParamToNormalized(&self, id: ParamID, plain: ParamValue) -> ParamValue {
        self.param(id)
            .map_or(0.0, |(_, spec)| to_normalized(spec, plain))
    }

    unsafe fn getParamNormalized(&self, id: ParamID) -> ParamValue {
        self.param(id).map_or(0.0, |(index, spec)| {
            to_normalized(spec, self.controller.get(index))
        })
    }

    unsafe fn setParamNormalized(&self, id: ParamID, normalized: ParamValue) -> tresult {
        match self.param(id) {
            Some((index, spec)) if normalized.is_finite() => {
                self.controller.set(index, to_plain(spec, normalized));
                kResultOk
            }
            _ => kInvalidArgument,
        }
    }

    unsafe fn setComponentHandler(&self, handler: *mut IComponentHandler) -> tresult {
        // SAFETY: the host passes null or a live handler; `to_com_ptr` takes a reference of
        // our own, released when the handler is replaced or at `terminate`.
        let handler = unsafe { ComRef::from_raw(handler) }.map(|h| h.to_com_ptr());
        *self.handler.lock().unwrap_or_else(PoisonError::into_inner) = handler;
        kResultOk
    }

    unsafe fn createView(&self, name: *const c_char) -> *mut IPlugView {
        // SAFETY: the host passes null or a NUL-terminated view name.
        if name.is_null() || unsafe { CStr::from_ptr(name) } != c"editor" {
            return std::ptr::null_mut();
        }
        let handler = self
            .handler
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let values = EditorValues {
            shared: Arc::clone(&self.shared),
            controller: Arc::clone(&self.controller),
        };
        View::create_raw(
            values,
            Arc::clone(&self.status),
            E::info(),
            E::ui_asset,
            handler,
        )
    }
}
