//! The library side of the dev engine ABI: the one module of this crate with
//! `extern "C"`, and with `unsafe` besides `denormals` (the floating-point
//! mode). It turns a [`Plugin`] type into the static [`EngineVTable`] that
//! `export!` exposes.
//!
//! Rules every entry keeps:
//! - it catches panics (the engine must be built with `panic = "unwind"`)
//!   and reports them as `STATUS_PANICKED`, with the message behind `last_error`;
//! - a library-level failure (`metadata_json`, `create`: no instance yet) is
//!   written into the buffer the host lent to that call, so no message lives
//!   in shared state and concurrent calls cannot overwrite each other's;
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
use std::sync::OnceLock;

use wavecraft_dsp::buffer::AudioBuffer;
use wavecraft_dsp::param::Params;
use wavecraft_dsp::processor::{Plugin, ProcessSetup};
use wavecraft_engine_abi::{
    AbiCanary, AbiMessageBuf, AbiStr, EngineHandle, EngineStatus, EngineVTable, ENGINE_ABI_VERSION,
    MAX_CHANNELS, STATUS_INVALID_ARGUMENT, STATUS_OK, STATUS_PANICKED,
};

use crate::metadata::engine_metadata;
use crate::runner::{panic_message, RunError, Runner};
use crate::ui_assets::UiAsset;
use crate::PluginInfo;

/// What `export!` implements for the exported plugin: its type and its statics.
pub trait Export: 'static {
    /// The author's plugin type.
    type Plugin: Plugin;
    /// The plugin's identity.
    fn info() -> &'static PluginInfo;
    /// Storage for the metadata JSON, filled on first request.
    fn metadata_cell() -> &'static OnceLock<String>;
    /// The embedded UI file at `path` (relative to the UI's build output, e.g.
    /// `index.html`), or `None`; a build without an embedded UI has none at all.
    fn ui_asset(_path: &str) -> Option<UiAsset> {
        None
    }
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

/// The longest prefix of `message` that fits in `capacity` bytes and ends on a character boundary.
fn fitting(message: &str, capacity: usize) -> &str {
    if message.len() <= capacity {
        return message;
    }
    let mut end = capacity;
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    &message[..end]
}

/// Writes `message` into the host's buffer (cut to fit); nothing when `out` or its `ptr` is null.
///
/// # Safety
/// `out` must be null or point to an `AbiMessageBuf` the caller may write, whose `ptr` is null or
/// addresses `capacity` writable bytes that nothing else reads or writes during this call.
unsafe fn write_message(out: *mut AbiMessageBuf, message: &str) {
    // SAFETY: the caller guarantees `out` is null or valid and writable for this call.
    let Some(out) = (unsafe { out.as_mut() }) else {
        return;
    };
    if out.ptr.is_null() {
        out.len = 0;
        return;
    }
    let text = fitting(message, out.capacity);
    // SAFETY: `ptr` addresses `capacity` writable bytes (caller's contract), `text.len()` is at
    // most `capacity`, and a host buffer cannot overlap this library's own string.
    unsafe { std::ptr::copy_nonoverlapping(text.as_ptr(), out.ptr, text.len()) };
    out.len = text.len();
}

unsafe extern "C" fn canary() -> AbiStr {
    abi_str(CANARY.get_or_init(|| AbiCanary::current().to_line()))
}

unsafe extern "C" fn metadata_json<E: Export>(error: *mut AbiMessageBuf) -> AbiStr {
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
            // SAFETY: the host passes null or a buffer it lends to this call (the ABI's contract).
            unsafe { write_message(error, &message) };
            abi_str("")
        }
    }
}

unsafe extern "C" fn create<E: Export>(error: *mut AbiMessageBuf) -> *mut EngineHandle {
    match Runner::<E::Plugin>::create() {
        Ok(runner) => Box::into_raw(Box::new(runner)).cast(),
        Err(message) => {
            // SAFETY: the host passes null or a buffer it lends to this call (the ABI's contract).
            unsafe { write_message(error, &message) };
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
        // Owned by the instance, which only the host's next call on it can change.
        Some(instance) => abi_str(instance.last_error()),
        // Library-level failures went into the buffer the failing call was lent.
        None => abi_str(""),
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use wavecraft_dsp::processor::Processor;

    #[test]
    fn a_message_is_cut_to_fit_on_a_character_boundary() {
        let mut bytes = [0u8; 5];
        let mut out = AbiMessageBuf {
            ptr: bytes.as_mut_ptr(),
            capacity: bytes.len(),
            len: 99,
        };
        // SAFETY: `out` addresses `bytes`, alive and otherwise untouched during the call.
        unsafe { write_message(&mut out, "ab\u{e9}\u{e9}") };
        assert_eq!(
            &bytes[..out.len],
            "ab\u{e9}".as_bytes(),
            "no half character"
        );
        // SAFETY: as above.
        unsafe { write_message(&mut out, "ok") };
        assert_eq!(&bytes[..out.len], b"ok");
        // SAFETY: null asks for no message.
        unsafe { write_message(std::ptr::null_mut(), "ignored") };
    }

    thread_local! {
        static TAG: Cell<u32> = const { Cell::new(0) };
    }

    #[derive(crate::Params)]
    #[params(crate = "::wavecraft_dsp")]
    struct NoParams {}

    /// A plugin whose creation fails with a message naming the creating thread's tag.
    struct Failing {
        params: NoParams,
    }

    impl Default for Failing {
        fn default() -> Self {
            panic!("failed for thread {}", TAG.with(Cell::get));
        }
    }

    impl Processor for Failing {
        fn prepare(&mut self, _: &ProcessSetup) {}
        fn process(
            &mut self,
            _: &mut AudioBuffer<'_>,
            _: &wavecraft_dsp::processor::ProcessContext,
        ) {
        }
    }

    impl Plugin for Failing {
        type Params = NoParams;
        fn params(&self) -> &NoParams {
            &self.params
        }
        fn params_mut(&mut self) -> &mut NoParams {
            &mut self.params
        }
    }

    struct Exported;

    impl Export for Exported {
        type Plugin = Failing;
        fn info() -> &'static PluginInfo {
            static INFO: PluginInfo = PluginInfo {
                name: "Failing",
                vendor: "Tests",
                id: "dev.tests.failing",
                version: "0.0.0",
                vst3_class_id: [0; 16],
                window: crate::WindowSize {
                    width: 1,
                    height: 1,
                    resizable: false,
                    min_width: 1,
                    min_height: 1,
                },
            };
            &INFO
        }
        fn metadata_cell() -> &'static OnceLock<String> {
            static CELL: OnceLock<String> = OnceLock::new();
            &CELL
        }
    }

    /// `create` from this thread, returning the message it wrote.
    fn failed_create(table: &EngineVTable) -> String {
        let mut bytes = [0u8; 256];
        let mut out = AbiMessageBuf {
            ptr: bytes.as_mut_ptr(),
            capacity: bytes.len(),
            len: 0,
        };
        // SAFETY: `out` is lent to this one call and addresses `bytes`.
        let handle = unsafe { (table.create)(&mut out) };
        assert!(handle.is_null());
        String::from_utf8(bytes[..out.len].to_vec()).unwrap()
    }

    #[test]
    fn concurrent_failed_creates_each_get_their_own_message() {
        static TABLE: EngineVTable = vtable::<Exported>();
        let threads: Vec<_> = (1..=2u32)
            .map(|tag| {
                std::thread::spawn(move || {
                    TAG.with(|t| t.set(tag));
                    for _ in 0..100 {
                        let message = failed_create(&TABLE);
                        assert_eq!(
                            message,
                            format!("creating the plugin panicked: failed for thread {tag}")
                        );
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        let mut bytes = [0u8; 8];
        let mut out = AbiMessageBuf {
            ptr: bytes.as_mut_ptr(),
            capacity: bytes.len(),
            len: 0,
        };
        // SAFETY: `out` is lent to this one call and addresses `bytes`.
        let json = unsafe { (TABLE.metadata_json)(&mut out) };
        assert_eq!(json.len, 0, "metadata of a plugin that cannot be created");
        assert_eq!(&bytes[..out.len], b"building", "cut to the lent capacity");
        // SAFETY: null asks for the library-level message, which no longer exists.
        assert_eq!(unsafe { (TABLE.last_error)(std::ptr::null_mut()) }.len, 0);
    }
}
