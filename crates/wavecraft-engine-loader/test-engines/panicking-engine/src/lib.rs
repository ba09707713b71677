//! Test fixture: an engine whose `process` panics while `explode` is on.

use wavecraft::prelude::*;

/// The fixture's parameters.
#[derive(Params)]
pub struct PanicParams {
    /// When on, `process` panics.
    pub explode: BoolParam,
}

impl Default for PanicParams {
    fn default() -> Self {
        Self {
            explode: BoolParam::new("explode", "Explode", false),
        }
    }
}

/// Passes audio through, or panics.
#[derive(Default)]
pub struct PanickingPlugin {
    params: PanicParams,
}

impl Processor for PanickingPlugin {
    fn prepare(&mut self, _setup: &ProcessSetup) {}

    fn process(&mut self, _buffer: &mut AudioBuffer<'_>, _ctx: &ProcessContext) {
        if self.params.explode.get() {
            panic!("the fixture exploded on purpose");
        }
    }
}

impl Plugin for PanickingPlugin {
    type Params = PanicParams;
    fn params(&self) -> &PanicParams {
        &self.params
    }
    fn params_mut(&mut self) -> &mut PanicParams {
        &mut self.params
    }
}

wavecraft::export!(PanickingPlugin);
