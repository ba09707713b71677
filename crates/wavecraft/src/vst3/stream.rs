//! Reading and writing a host's `IBStream` (component state): the only raw calls the
//! state path makes; what the bytes mean is `crate::instance::state`.

#![deny(unsafe_op_in_unsafe_fn)]

use std::ffi::c_void;

use vst3::ComRef;
use vst3::Steinberg::kResultOk;
use vst3::Steinberg::{IBStream, IBStreamTrait};

use crate::instance::state::MAX_BYTES;

/// Reads the stream to its end, at most one byte past the largest valid state (so an
/// oversized input is refused by the decoder, never read whole). `None` for a null stream
/// or a failed read.
///
/// # Safety
/// `stream` is null or a live `IBStream` the host lends for this call.
pub unsafe fn read_all(stream: *mut IBStream) -> Option<Vec<u8>> {
    // SAFETY: the caller's contract: null or a live IBStream for this call.
    let stream = unsafe { ComRef::from_raw(stream) }?;
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    while bytes.len() <= MAX_BYTES {
        let mut read = 0;
        // SAFETY: `chunk` is writable for its length, `read` is a valid out pointer.
        let result = unsafe {
            stream.read(
                chunk.as_mut_ptr().cast::<c_void>(),
                chunk.len() as i32,
                &mut read,
            )
        };
        if result != kResultOk {
            return None;
        }
        let read = usize::try_from(read).ok()?.min(chunk.len());
        if read == 0 {
            break;
        }
        bytes.extend_from_slice(&chunk[..read]);
    }
    Some(bytes)
}

/// Writes all of `bytes` to the stream; `false` for a null stream or a failed write.
///
/// # Safety
/// `stream` is null or a live `IBStream` the host lends for this call.
pub unsafe fn write_all(stream: *mut IBStream, bytes: &[u8]) -> bool {
    // SAFETY: the caller's contract: null or a live IBStream for this call.
    let Some(stream) = (unsafe { ComRef::from_raw(stream) }) else {
        return false;
    };
    let mut rest = bytes;
    while !rest.is_empty() {
        let mut written = 0;
        let len = rest.len().min(i32::MAX as usize) as i32;
        // SAFETY: `rest` is readable for `len` bytes (the SDK's signature is `void*` but a
        // stream only reads from it), `written` is a valid out pointer.
        let result = unsafe { stream.write(rest.as_ptr() as *mut c_void, len, &mut written) };
        let Ok(written) = usize::try_from(written) else {
            return false;
        };
        if result != kResultOk || written == 0 {
            return false;
        }
        rest = &rest[written.min(rest.len())..];
    }
    true
}
