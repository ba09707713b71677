//! Denormals flushed to zero while the author's `process` runs, and the
//! caller's mode given back afterwards. The one module of this crate that
//! touches the floating-point control register, and the only `unsafe` outside
//! the engine ABI.
//!
//! Subnormal floats (below ~1.2e-38 for `f32`) take a slow microcode path on
//! most CPUs: a filter's decaying tail or a host feeding subnormal input made
//! the example up to 2.3× slower per block. With the mode set, subnormal
//! inputs read as zero and subnormal results become zero, at full speed:
//! - x86_64: MXCSR's FTZ (bit 15, results) and DAZ (bit 6, inputs);
//! - aarch64: FPCR's FZ (bit 24, inputs and results);
//! - any other architecture: nothing happens (no portable control exists);
//!   [`FlushDenormals::enable`] is then an empty guard and DSP runs with
//!   the caller's mode, as before.
//!
//! The mode is per thread and belongs to whoever calls us (a host's audio
//! thread, the dev server's, `render`'s main thread), so [`FlushDenormals`]
//! is a guard: it sets the bits only when they are not already set, and its
//! `Drop` writes back exactly the value it read, also after a caught panic.
//! Reading and writing the register costs a few cycles per call and never
//! allocates, locks or waits.
//!
//! What Rust promises here: nothing beyond the register write itself. LLVM
//! compiles floating-point code for the default environment (the standard
//! library's `_mm_setcsr` docs go as far as calling a changed DAZ flag
//! undefined behaviour, and rust-lang/rust#123123 asks to change that); the
//! known effect is that an operation the compiler folded at build time keeps
//! a subnormal result that the same operation at run time would flush. Audio
//! hosts and plugin frameworks in every language run DSP in this mode for
//! the speed. No `unsafe` code of this SDK depends on a float's value (slice
//! indices are bounds-checked integers), so a flushed or kept subnormal
//! changes a sample value by less than 1.2e-38, never memory safety.

/// Keeps denormals flushed to zero on this thread until dropped, then restores the caller's mode.
#[must_use = "the mode is restored when the guard is dropped"]
pub struct FlushDenormals {
    /// The control register as the caller had it, when this guard changed it.
    restore: Option<arch::Register>,
    /// The mode is per thread: the guard must be dropped where it was made.
    _not_send: std::marker::PhantomData<*const ()>,
}

impl FlushDenormals {
    /// Flushes denormals to zero on this thread (a no-op when they already are, or on an
    /// architecture without the control).
    #[inline]
    pub fn enable() -> Self {
        let before = arch::read();
        let flushing = before | arch::FLUSH;
        if flushing == before {
            return FlushDenormals {
                restore: None,
                _not_send: std::marker::PhantomData,
            };
        }
        // SAFETY: the value just read, with the flush bits added.
        unsafe { arch::write(flushing) };
        FlushDenormals {
            restore: Some(before),
            _not_send: std::marker::PhantomData,
        }
    }
}

impl Drop for FlushDenormals {
    #[inline]
    fn drop(&mut self) {
        if let Some(before) = self.restore {
            // SAFETY: the value `enable` read on this thread (the guard is neither `Send` nor
            // `Sync`, so it is dropped on the thread that made it).
            unsafe { arch::write(before) };
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod arch {
    use std::arch::asm;

    /// MXCSR.
    pub type Register = u32;
    /// FTZ (bit 15: subnormal results become zero) and DAZ (bit 6: subnormal inputs read as zero).
    pub const FLUSH: Register = 1 << 15 | 1 << 6;

    #[inline]
    pub fn read() -> Register {
        let mut mxcsr: Register = 0;
        // SAFETY: `stmxcsr` stores MXCSR into the 4 bytes at the given address, which is `mxcsr`,
        // a live, aligned, writable local; SSE (and so MXCSR) is part of every x86_64 CPU. It
        // touches no stack below the pointer and no flags.
        unsafe {
            asm!("stmxcsr [{}]", in(reg) &mut mxcsr, options(nostack, preserves_flags));
        }
        mxcsr
    }

    /// Writes the control register.
    ///
    /// # Safety
    /// `value` must have come from [`read`] on this thread, with at most [`FLUSH`] added.
    #[inline]
    pub unsafe fn write(mxcsr: Register) {
        // SAFETY: `ldmxcsr` loads MXCSR from the 4 bytes of `mxcsr`, a live local it only reads.
        // The value is one MXCSR held, possibly with FTZ and DAZ set, so no reserved bit is set
        // and it cannot fault: every x86_64 CPU has both bits (DAZ predates x86_64). Changing
        // the mode only changes how subnormal floats round (see the module docs for what Rust
        // does and does not promise about that); the guard restores the caller's value.
        unsafe {
            asm!("ldmxcsr [{}]", in(reg) &mxcsr, options(nostack, preserves_flags, readonly));
        }
    }
}

#[cfg(target_arch = "aarch64")]
mod arch {
    use std::arch::asm;

    /// FPCR.
    pub type Register = u64;
    /// FZ (bit 24): subnormal inputs and results of single and double precision become zero.
    pub const FLUSH: Register = 1 << 24;

    #[inline]
    pub fn read() -> Register {
        let fpcr: Register;
        // SAFETY: reading FPCR is allowed at EL0, has no side effects and touches no memory.
        unsafe {
            asm!("mrs {}, fpcr", out(reg) fpcr, options(nomem, nostack, preserves_flags));
        }
        fpcr
    }

    /// Writes the control register.
    ///
    /// # Safety
    /// `value` must have come from [`read`] on this thread, with at most [`FLUSH`] added.
    #[inline]
    pub unsafe fn write(fpcr: Register) {
        // SAFETY: writing FPCR is allowed at EL0 and touches no memory; the value is one FPCR
        // held, possibly with FZ set, which only changes how subnormal floats round (see the
        // module docs); the guard restores the caller's value.
        unsafe {
            asm!("msr fpcr, {}", in(reg) fpcr, options(nomem, nostack, preserves_flags));
        }
    }
}

/// No portable floating-point control: the guard does nothing.
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
mod arch {
    pub type Register = u32;
    pub const FLUSH: Register = 0;

    #[inline]
    pub fn read() -> Register {
        0
    }

    /// Does nothing.
    ///
    /// # Safety
    /// None; `unsafe` only to match the other architectures.
    #[inline]
    pub unsafe fn write(_: Register) {}
}

#[cfg(all(test, any(target_arch = "x86_64", target_arch = "aarch64")))]
mod tests {
    use super::*;
    use std::hint::black_box;

    /// The smallest positive subnormal `f32` times one: zero only while denormals are flushed.
    fn subnormal_product() -> f32 {
        black_box(f32::from_bits(1)) * black_box(1.0f32)
    }

    #[test]
    fn flushes_while_held_and_restores_the_callers_mode() {
        let caller = arch::read();
        assert_eq!(
            caller & arch::FLUSH,
            0,
            "a Rust test thread starts in IEEE mode"
        );
        assert!(subnormal_product() > 0.0);
        {
            let _flush = FlushDenormals::enable();
            assert_eq!(subnormal_product(), 0.0);
            {
                let _nested = FlushDenormals::enable();
                assert_eq!(subnormal_product(), 0.0);
            }
            assert_eq!(
                subnormal_product(),
                0.0,
                "a nested guard leaves the outer mode"
            );
        }
        // (MXCSR's sticky status flags may have changed; the mode bits must not have.)
        assert_eq!(arch::read() & arch::FLUSH, caller & arch::FLUSH);
        assert!(subnormal_product() > 0.0);
    }

    #[test]
    fn a_caller_already_flushing_keeps_its_mode() {
        let caller = arch::read();
        // SAFETY: the value just read, with the flush bits added.
        unsafe { arch::write(caller | arch::FLUSH) };
        drop(FlushDenormals::enable());
        let after = arch::read();
        // SAFETY: the value read at the start of this test.
        unsafe { arch::write(caller) };
        assert_eq!(
            after & arch::FLUSH,
            arch::FLUSH,
            "still flushing after the guard"
        );
    }
}
