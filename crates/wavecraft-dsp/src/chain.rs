//! [`Chain`]: two [`Processor`]s in series, built with [`ProcessorExt::then`].
//! It composes processors (an author's own sub-processors), not the built-in
//! [`blocks`](crate::blocks), which own no parameters and are called per sample.
//!
//! Chains nest (`a.then(b).then(c)`), are fully generic and hold their
//! processors by value, so a chain is resolved at compile time and costs no
//! allocation or dynamic dispatch.

use crate::buffer::AudioBuffer;
use crate::processor::{ProcessContext, ProcessSetup, Processor};

/// Runs `first`, then `second`, on the same buffer.
#[derive(Debug, Clone, Default)]
pub struct Chain<A, B> {
    first: A,
    second: B,
}

impl<A, B> Chain<A, B> {
    /// Chains `first` into `second`.
    pub fn new(first: A, second: B) -> Self {
        Self { first, second }
    }

    /// The first processor.
    pub fn first(&self) -> &A {
        &self.first
    }

    /// The first processor, mutably.
    pub fn first_mut(&mut self) -> &mut A {
        &mut self.first
    }

    /// The second processor.
    pub fn second(&self) -> &B {
        &self.second
    }

    /// The second processor, mutably.
    pub fn second_mut(&mut self) -> &mut B {
        &mut self.second
    }

    /// Splits the chain back into its processors.
    pub fn into_parts(self) -> (A, B) {
        (self.first, self.second)
    }
}

impl<A: Processor, B: Processor> Processor for Chain<A, B> {
    fn prepare(&mut self, setup: &ProcessSetup) {
        self.first.prepare(setup);
        self.second.prepare(setup);
    }

    fn process(&mut self, buffer: &mut AudioBuffer<'_>, ctx: &ProcessContext) {
        self.first.process(buffer, ctx);
        self.second.process(buffer, ctx);
    }

    fn reset(&mut self) {
        self.first.reset();
        self.second.reset();
    }
}

/// Adds `.then(next)` to every [`Processor`].
pub trait ProcessorExt: Processor + Sized {
    /// Chains `next` after this processor.
    fn then<B: Processor>(self, next: B) -> Chain<Self, B> {
        Chain::new(self, next)
    }
}

impl<P: Processor> ProcessorExt for P {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Appends a digit to every sample (`x * 10 + digit`), so the order of a chain shows in the output.
    struct Digit(f32, usize);

    impl Processor for Digit {
        fn prepare(&mut self, setup: &ProcessSetup) {
            self.1 = setup.max_block_size;
        }
        fn process(&mut self, buffer: &mut AudioBuffer<'_>, _ctx: &ProcessContext) {
            for channel in buffer.iter_mut() {
                for sample in channel.iter_mut() {
                    *sample = *sample * 10.0 + self.0;
                }
            }
        }
        fn reset(&mut self) {
            self.1 = 0;
        }
    }

    #[test]
    fn runs_in_order_and_forwards_prepare_and_reset() {
        let mut chain = Digit(1.0, 0).then(Digit(2.0, 0)).then(Digit(3.0, 0));
        let setup = ProcessSetup {
            sample_rate: 48_000.0,
            max_block_size: 64,
            channels: 1,
        };
        chain.prepare(&setup);
        assert_eq!(chain.second().1, 64);
        assert_eq!(chain.first().first().1, 64);
        let mut samples = [0.0_f32; 2];
        let mut slices: [&mut [f32]; 1] = [&mut samples];
        let mut buffer = AudioBuffer::new(&mut slices);
        chain.process(&mut buffer, &ProcessContext::default());
        assert_eq!(samples, [123.0, 123.0]);
        chain.reset();
        assert_eq!(chain.first().second().1, 0);
    }
}
