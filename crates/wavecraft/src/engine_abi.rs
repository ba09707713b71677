//! The library side of the dev engine ABI: the one module of this crate with
//! `unsafe` and `extern "C"`. It turns a [`Plugin`] type into the static
//! [`EngineVTable`] that `export!` exposes.
//!
//! Rules every entry keeps:
//! - it catches panics (the engine must be built with `panic = "unwind"`)
//!   and reports them as `STATUS_PANICKED`, with the message behind `last_error`;
//! - after a panic in `process` the instance outputs silence until `reset` or
//!   `prepare`, never garbage;
//! - `process` and `set_value` never allocate, lock, log or wait (a panic
//!   message is the only allocation, and only on the panic path);
//! - blocks longer than the prepared maximum are split, so the author's
//!   `process` never sees more frames than `prepare` promised.
//!
//! The work behind the C surface is the safe [`Runner`], which the CLAP entry
//! uses too, so dev mode and a bundle drive the author's code the same way.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Mutex, OnceLock, PoisonError};

use wavecraft_dsp::buffer::AudioBuffer;
use wavecraft_dsp::param::Params;
use wavecraft_dsp::processor::{Plugin, ProcessSetup};
use wavecraft_protocol::abi::{
    AbiStr, EngineHandle, EngineStatus, EngineVTable, MAX_CHANNELS, STATUS_INVALID_ARGUMENT,
    STATUS_OK, STATUS_PANICKED,
};
use wavecraft_protocol::{AbiCanary, ENGINE_ABI_VERSION};

use crate::metadata::engine_metadata;
use crate::runner::{panic_message, RunError, Runner};
use crate::PluginInfo;

/// What `export!` implements for the exported plugin: its type and its statics.
pub trait Export: 'static {
    /// The author's plugin type.
    type Plugin: Plugin;
    /// The plugin's identity.
    fn info() -> &'static PluginInfo;
    /// Storage for the metadata JSON, filled on first request.
    fn metadata_cell() -> &'static OnceLock<String>;
}

/// The vtable for `E`, built at compile time into a static by `export!`.
pub const fn vtable<E: Export>() -> EngineVTable {
    EngineVTable {
        abi_version: ENGINE_ABI_VERSION,
        canary,
        metadata_json: metadata_json::<E>,
        create: create::<E>,
        destroy: destroy::<E>,
        prepare: prepare::<E>,
        set_value: set_value::<E>,
        process: process::<E>,
        reset: reset::<E>,
        last_error: last_error::<E>,
    }
}

static CANARY: OnceLock<String> = OnceLock::new();
static CREATE_ERROR: Mutex<String> = Mutex::new(String::new());

fn abi_str(s: &str) -> AbiStr {
    AbiStr {
        ptr: s.as_ptr(),
        len: s.len(),
    }
}

fn status(result: Result<(), RunError>) -> EngineStatus {
    match result {
        Ok(()) => STATUS_OK,
        Err(RunError::NotPrepared) => STATUS_INVALID_ARGUMENT,
        Err(RunError::Panicked) => STATUS_PANICKED,
    }
}

unsafe extern "C" fn canary() -> AbiStr {
    abi_str(CANARY.get_or_init(|| AbiCanary::current().to_line()))
}

unsafe extern "C" fn metadata_json<E: Export>() -> AbiStr {
    let json = catch_unwind(|| {
        E::metadata_cell().get_or_init(|| {
            let plugin = E::Plugin::default();
            let metadata = engine_metadata(E::info(), &plugin.params().specs());
            serde_json::to_string(&metadata).unwrap_or_default()
        })
    });
    match json {
        Ok(json) => abi_str(json),
        Err(payload) => {
            let message = format!(
                "building the metadata panicked: {}",
                panic_message(&*payload)
            );
            *CREATE_ERROR.lock().unwrap_or_else(PoisonError::into_inner) = message;
            abi_str("")
        }
    }
}

unsafe extern "C" fn create<E: Export>() -> *mut EngineHandle {
    match Runner::<E::Plugin>::create() {
        Ok(runner) => Box::into_raw(Box::new(runner)).cast(),
        Err(message) => {
            *CREATE_ERROR.lock().unwrap_or_else(PoisonError::into_inner) = message;
            std::ptr::null_mut()
        }
    }
}

/// The instance behind a handle, or `None` for null.
///
/// # Safety
/// `handle` must be null or a pointer returned by `create::<E>` of this library and not yet destroyed,
/// with no other reference to it alive.
unsafe fn instance<'a, E: Export>(handle: *mut EngineHandle) -> Option<&'a mut Runner<E::Plugin>> {
    // The cast reverses the one in `create`.
    // SAFETY: the caller guarantees `handle` is null or a live, exclusive `create::<E>` runner.
    unsafe { handle.cast::<Runner<E::Plugin>>().as_mut() }
}

unsafe extern "C" fn destroy<E: Export>(handle: *mut EngineHandle) {
    if handle.is_null() {
        return;
    }
    // SAFETY: the host passes a handle from `create::<E>` exactly once; it came from `Box::into_raw`.
    let boxed = unsafe { Box::from_raw(handle.cast::<Runner<E::Plugin>>()) };
    // A panicking Drop must not unwind across the C boundary.
    let _ = catch_unwind(AssertUnwindSafe(move || drop(boxed)));
}

unsafe extern "C" fn prepare<E: Export>(
    handle: *mut EngineHandle,
    sample_rate: f64,
    max_block_size: u32,
    channels: u32,
) -> EngineStatus {
    // SAFETY: the host keeps the handle contract of `instance`.
    let Some(instance) = (unsafe { instance::<E>(handle) }) else {
        return STATUS_INVALID_ARGUMENT;
    };
    if !(sample_rate.is_finite() && sample_rate > 0.0)
        || max_block_size == 0
        || channels as usize > MAX_CHANNELS
    {
        instance.set_last_error(format!(
            "prepare: invalid setup (sample rate {sample_rate}, block {max_block_size}, {channels} channels; at most {MAX_CHANNELS})"
        ));
        return STATUS_INVALID_ARGUMENT;
    }
    let setup = ProcessSetup {
        sample_rate: sample_rate as f32,
        max_block_size: max_block_size as usize,
        channels: channels as usize,
    };
    status(instance.prepare(setup))
}

unsafe extern "C" fn set_value<E: Export>(
    handle: *mut EngineHandle,
    index: u32,
    value: f64,
) -> EngineStatus {
    // SAFETY: the host keeps the handle contract of `instance`.
    let Some(instance) = (unsafe { instance::<E>(handle) }) else {
        return STATUS_INVALID_ARGUMENT;
    };
    if index as usize >= instance.plugin().params().count() || !value.is_finite() {
        return STATUS_INVALID_ARGUMENT;
    }
    status(instance.set_value(index as usize, value))
}

/// Checked channel pointers of one `process` call.
#[derive(Clone, Copy)]
struct Channels {
    ptrs: [*mut f32; MAX_CHANNELS],
    count: usize,
    frames: usize,
}

impl Channels {
    /// Reads and checks the host's channel pointer array.
    ///
    /// # Safety
    /// `ptrs` must point to `count` readable channel pointers (or be null when `count` is 0).
    unsafe fn read(ptrs: *const *mut f32, count: u32, frames: u32) -> Option<Channels> {
        let count = count as usize;
        if count > MAX_CHANNELS || (count > 0 && ptrs.is_null()) {
            return None;
        }
        let mut out = [std::ptr::null_mut(); MAX_CHANNELS];
        for (i, slot) in out.iter_mut().enumerate().take(count) {
            // SAFETY: the caller guarantees `count` readable pointers at `ptrs`.
            *slot = unsafe { *ptrs.add(i) };
            if slot.is_null() {
                return None;
            }
        }
        Some(Channels {
            ptrs: out,
            count,
            frames: frames as usize,
        })
    }

    /// The channels as slices.
    ///
    /// # Safety
    /// Each pointer must address `frames` writable f32s, distinct from the others, for `'a`,
    /// and no other slice over them may be alive.
    unsafe fn slices<'a>(&self) -> [&'a mut [f32]; MAX_CHANNELS] {
        let mut i = 0;
        [(); MAX_CHANNELS].map(|()| {
            let ptr = self.ptrs[i];
            i += 1;
            if i <= self.count {
                // SAFETY: guaranteed by the caller for the first `count` pointers.
                unsafe { std::slice::from_raw_parts_mut(ptr, self.frames) }
            } else {
                &mut []
            }
        })
    }
}

unsafe extern "C" fn process<E: Export>(
    handle: *mut EngineHandle,
    channel_ptrs: *const *mut f32,
    channel_count: u32,
    frames: u32,
) -> EngineStatus {
    // SAFETY: the host keeps the handle contract of `instance`.
    let Some(instance) = (unsafe { instance::<E>(handle) }) else {
        return STATUS_INVALID_ARGUMENT;
    };
    if instance.setup().is_none() {
        return STATUS_INVALID_ARGUMENT;
    }
    // The host passes `channel_count` pointers, each to `frames` writable, non-overlapping f32s.
    // SAFETY: they stay valid and unaliased for this call (the ABI's contract).
    let Some(channels) = (unsafe { Channels::read(channel_ptrs, channel_count, frames) }) else {
        return STATUS_INVALID_ARGUMENT;
    };
    // SAFETY: as above; these slices are the only ones alive until this call returns.
    let mut slices = unsafe { channels.slices() };
    let mut buffer = AudioBuffer::new(&mut slices[..channels.count]);
    // The runner catches panics and leaves silence in the buffer after one.
    status(instance.process(&mut buffer))
}

unsafe extern "C" fn reset<E: Export>(handle: *mut EngineHandle) -> EngineStatus {
    // SAFETY: the host keeps the handle contract of `instance`.
    let Some(instance) = (unsafe { instance::<E>(handle) }) else {
        return STATUS_INVALID_ARGUMENT;
    };
    status(instance.reset())
}

unsafe extern "C" fn last_error<E: Export>(handle: *mut EngineHandle) -> AbiStr {
    // SAFETY: the host keeps the handle contract of `instance`.
    match unsafe { instance::<E>(handle) } {
        Some(instance) => abi_str(instance.last_error()),
        None => {
            let guard = CREATE_ERROR.lock().unwrap_or_else(PoisonError::into_inner);
            // The string lives in a static; it is only replaced by a later failing `create` or
            // metadata call, which the host does not make while it reads this one.
            abi_str(guard.as_str())
        }
    }
}
