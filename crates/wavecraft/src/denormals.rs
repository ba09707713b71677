//! Denormals flushed to zero while the author's `process` runs, and the
//! caller's mode given back afterwards. The one module of this crate that
//! touches the floating-point control register, and the only `unsafe` outside
//! the engine ABI.
//!
//! Subnormal floats (below ~1.2e-38 for `f32`) take a slow microcode path on
//! most CPUs: a filter's decaying tail or a host feeding subnormal input made
//! the example up to 2.3× slower per block. With the mode set, subnormal
//! inputs read as zero and subnormal results become zero, at full speed:
//! - x86_64: MXCSR's FTZ (bit 15, results) and DAZ (bit 6, inputs; set only
//!   where the CPU's MXCSR_MASK says it exists, since writing an absent DAZ
//!   faults: checked once with `fxsave`);
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
        let flushing = before | arch::flush_bits();
        if flushing == before {
            return FlushDenormals {
                restore: None,
                _not_send: std::marker::PhantomData,
            };
        }
        // SAFETY: the value just read, with `flush_bits` added.
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
    use std::sync::atomic::{AtomicU32, Ordering};

    /// MXCSR.
    pub type Register = u32;
    /// FTZ (bit 15): subnormal results become zero. Every SSE CPU has it.
    const FTZ: Register = 1 << 15;
    /// DAZ (bit 6): subnormal inputs read as zero. Present when MXCSR_MASK has the bit.
    const DAZ: Register = 1 << 6;
    /// The bits [`flush_bits`] found, or 0 before the first call.
    static FLUSH_BITS: AtomicU32 = AtomicU32::new(0);

    /// FTZ, plus DAZ when this CPU has it. Found once with `fxsave`, then one relaxed load.
    #[inline]
    pub fn flush_bits() -> Register {
        let known = FLUSH_BITS.load(Ordering::Relaxed);
        if known != 0 {
            return known;
        }
        let bits = FTZ | (mxcsr_mask() & DAZ);
        FLUSH_BITS.store(bits, Ordering::Relaxed);
        bits
    }

    /// The MXCSR bits this CPU lets software set (the FXSAVE image's MXCSR_MASK; zero there
    /// means the default mask, 0xFFBF, which lacks DAZ).
    #[cold]
    fn mxcsr_mask() -> Register {
        #[repr(C, align(16))]
        struct FxsaveArea([u8; 512]);
        let mut area = FxsaveArea([0; 512]);
        // SAFETY: `fxsave` writes the 512-byte x87/SSE state image to a 16-byte aligned address:
        // `area` is a live local of exactly that size and alignment, written by nothing else.
        // FXSR is part of every x86_64 CPU and enabled by every x86_64 OS (SSE needs it). It
        // changes no register and no flag.
        unsafe {
            asm!("fxsave [{}]", in(reg) area.0.as_mut_ptr(), options(nostack, preserves_flags));
        }
        let image = &area.0;
        let mask = Register::from_le_bytes([image[28], image[29], image[30], image[31]]);
        if mask == 0 {
            0xffbf
        } else {
            mask
        }
    }

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
    /// `value` must have come from [`read`] on this thread, with at most [`flush_bits`] added.
    #[inline]
    pub unsafe fn write(mxcsr: Register) {
        // SAFETY: `ldmxcsr` loads MXCSR from the 4 bytes of `mxcsr`, a live local it only reads.
        // The value is one MXCSR held, plus at most FTZ and the DAZ that MXCSR_MASK reports
        // (the caller's contract), so it sets no bit the CPU lacks and cannot fault. Changing
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
    #[inline]
    pub fn flush_bits() -> Register {
        1 << 24
    }

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
    /// `value` must have come from [`read`] on this thread, with at most [`flush_bits`] added.
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

    #[inline]
    pub fn flush_bits() -> Register {
        0
    }

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
            caller & arch::flush_bits(),
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
        assert_eq!(
            arch::read() & arch::flush_bits(),
            caller & arch::flush_bits()
        );
        assert!(subnormal_product() > 0.0);
    }

    #[test]
    fn a_caller_already_flushing_keeps_its_mode() {
        let caller = arch::read();
        // SAFETY: the value just read, with the flush bits added.
        unsafe { arch::write(caller | arch::flush_bits()) };
        drop(FlushDenormals::enable());
        let after = arch::read();
        // SAFETY: the value read at the start of this test.
        unsafe { arch::write(caller) };
        assert_eq!(
            after & arch::flush_bits(),
            arch::flush_bits(),
            "still flushing after the guard"
        );
    }
}
