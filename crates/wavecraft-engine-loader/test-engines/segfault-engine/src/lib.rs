//! Test fixture: an engine whose `process` writes to an invalid address (a
//! segfault, as `unsafe` code in an author's DSP can cause), while `crash` is on.

use wavecraft::prelude::*;

/// The fixture's parameters.
#[derive(Params)]
pub struct SegfaultParams {
    /// When on, `process` segfaults.
    pub crash: BoolParam,
}

impl Default for SegfaultParams {
    fn default() -> Self {
        Self {
            crash: BoolParam::new("crash", "Crash", true),
        }
    }
}

/// Passes audio through, or segfaults.
#[derive(Default)]
pub struct SegfaultPlugin {
    params: SegfaultParams,
}

impl Processor for SegfaultPlugin {
    fn prepare(&mut self, _setup: &ProcessSetup) {}

    fn process(&mut self, _buffer: &mut AudioBuffer<'_>, _ctx: &ProcessContext) {
        if self.params.crash.get() {
            // SAFETY: none: this fixture crashes on purpose (address 16 is never mapped).
            unsafe { std::ptr::write_volatile(16usize as *mut u64, 1) };
        }
    }
}

impl Plugin for SegfaultPlugin {
    type Params = SegfaultParams;
    fn params(&self) -> &SegfaultParams {
        &self.params
    }
    fn params_mut(&mut self) -> &mut SegfaultParams {
        &mut self.params
    }
}

wavecraft::export!(SegfaultPlugin);
