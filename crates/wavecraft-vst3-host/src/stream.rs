//! A memory `IBStream`, what a host hands `getState`/`setState`: bytes
//! with a position, read, write (growing) and seek as the SDK's
//! `MemoryStream` does.

use std::cell::{Cell, RefCell};

use vst3::Class;
use vst3::Steinberg::IBStream_::IStreamSeekMode;
use vst3::Steinberg::IBStream_::IStreamSeekMode_ as seek;
use vst3::Steinberg::{tresult, IBStream, IBStreamTrait};

/// The stream object: its bytes and the read/write position.
pub(crate) struct MemoryStream {
    bytes: RefCell<Vec<u8>>,
    position: Cell<usize>,
}

impl MemoryStream {
    /// A stream holding `bytes`, positioned at the start.
    pub(crate) fn new(bytes: Vec<u8>) -> MemoryStream {
        MemoryStream {
            bytes: RefCell::new(bytes),
            position: Cell::new(0),
        }
    }

    /// A copy of the bytes written or given.
    pub(crate) fn bytes(&self) -> Vec<u8> {
        self.bytes.borrow().clone()
    }

    /// Back to the start (as a host does before handing the same stream on).
    pub(crate) fn rewind(&self) {
        self.position.set(0);
    }
}

impl Class for MemoryStream {
    type Interfaces = (IBStream,);
}

impl IBStreamTrait for MemoryStream {
    unsafe fn read(&self, buffer: *mut std::ffi::c_void, count: i32, read: *mut i32) -> tresult {
        let Ok(count) = usize::try_from(count) else {
            return vst3::Steinberg::kInvalidArgument;
        };
        if buffer.is_null() && count > 0 {
            return vst3::Steinberg::kInvalidArgument;
        }
        let bytes = self.bytes.borrow();
        let start = self.position.get().min(bytes.len());
        let n = count.min(bytes.len() - start);
        if n > 0 {
            // SAFETY: the caller's buffer holds `count >= n` bytes (checked non-null), and our
            // range `start..start + n` is inside `bytes`; the two cannot overlap.
            unsafe { std::ptr::copy_nonoverlapping(bytes[start..].as_ptr(), buffer.cast(), n) };
        }
        self.position.set(start + n);
        if !read.is_null() {
            // SAFETY: a non-null out pointer from the caller.
            unsafe { *read = n as i32 };
        }
        vst3::Steinberg::kResultOk
    }

    unsafe fn write(
        &self,
        buffer: *mut std::ffi::c_void,
        count: i32,
        written: *mut i32,
    ) -> tresult {
        let Ok(count) = usize::try_from(count) else {
            return vst3::Steinberg::kInvalidArgument;
        };
        if buffer.is_null() && count > 0 {
            return vst3::Steinberg::kInvalidArgument;
        }
        let mut bytes = self.bytes.borrow_mut();
        let start = self.position.get();
        if bytes.len() < start + count {
            bytes.resize(start + count, 0);
        }
        if count > 0 {
            // SAFETY: the caller's buffer holds `count` readable bytes (checked non-null), and
            // `bytes` was just grown to hold `start + count`.
            unsafe {
                std::ptr::copy_nonoverlapping(
                    buffer.cast::<u8>(),
                    bytes[start..].as_mut_ptr(),
                    count,
                )
            };
        }
        self.position.set(start + count);
        if !written.is_null() {
            // SAFETY: a non-null out pointer from the caller.
            unsafe { *written = count as i32 };
        }
        vst3::Steinberg::kResultOk
    }

    unsafe fn seek(&self, pos: i64, mode: i32, result: *mut i64) -> tresult {
        let len = self.bytes.borrow().len() as i64;
        let base = match mode as IStreamSeekMode {
            seek::kIBSeekSet => 0,
            seek::kIBSeekCur => self.position.get() as i64,
            seek::kIBSeekEnd => len,
            _ => return vst3::Steinberg::kInvalidArgument,
        };
        let Some(target) = base.checked_add(pos).filter(|&t| t >= 0) else {
            return vst3::Steinberg::kInvalidArgument;
        };
        self.position.set(target as usize);
        if !result.is_null() {
            // SAFETY: a non-null out pointer from the caller.
            unsafe { *result = target };
        }
        vst3::Steinberg::kResultOk
    }

    unsafe fn tell(&self, pos: *mut i64) -> tresult {
        if pos.is_null() {
            return vst3::Steinberg::kInvalidArgument;
        }
        // SAFETY: a non-null out pointer from the caller.
        unsafe { *pos = self.position.get() as i64 };
        vst3::Steinberg::kResultOk
    }
}
