//! Block-size independence: the same input and the same parameter changes,
//! processed in blocks of 1, 32, 64 and 512 frames, give the same output.
//! Smoothers advance per sample and every block keeps per-channel state, so
//! the only way to differ is a bug.

mod common;

use common::{noise, sine, GainStage, LowPassStage, SaturatorStage};
use wavecraft_dsp::chain::{Chain, ProcessorExt};
use wavecraft_dsp::param::Param;
use wavecraft_dsp::{AudioBuffer, ProcessContext, ProcessSetup, Processor};

const SR: f32 = 48_000.0;
const FRAMES: usize = 9_216;
/// Frame at which the second set of parameter changes arrives (a multiple of every block size).
const SECOND_CHANGE: usize = 4_608;

type TestChain = Chain<Chain<GainStage, LowPassStage>, SaturatorStage>;

fn set_targets(chain: &mut TestChain, gain_db: f64, cutoff_hz: f64, drive_db: f64) {
    chain.first_mut().first_mut().gain_db.set_plain(gain_db);
    chain
        .first_mut()
        .second_mut()
        .cutoff_hz
        .set_plain(cutoff_hz);
    chain.second_mut().drive_db.set_plain(drive_db);
}

/// Runs the chain over a fixed stereo signal in blocks of `block` frames.
fn render(block: usize) -> [Vec<f32>; 2] {
    let mut chain = GainStage::new()
        .then(LowPassStage::new())
        .then(SaturatorStage::new());
    chain.prepare(&ProcessSetup {
        sample_rate: SR,
        max_block_size: block,
        channels: 2,
    });
    let mut left: Vec<f32> = sine(220.0, SR, FRAMES, 0.8);
    let mut right: Vec<f32> = noise(FRAMES, 0.8, 7);
    let ctx = ProcessContext::default();
    set_targets(&mut chain, -12.0, 400.0, 18.0);
    let mut start = 0;
    while start < FRAMES {
        if start == SECOND_CHANGE {
            set_targets(&mut chain, 6.0, 8_000.0, 3.0);
        }
        let end = (start + block).min(FRAMES);
        let mut slices: [&mut [f32]; 2] = [&mut left[start..end], &mut right[start..end]];
        chain.process(&mut AudioBuffer::new(&mut slices), &ctx);
        start = end;
    }
    [left, right]
}

#[test]
fn chain_output_does_not_depend_on_block_size() {
    let reference = render(1);
    for block in [32, 64, 512] {
        let output = render(block);
        let max_difference = reference
            .iter()
            .zip(&output)
            .flat_map(|(a, b)| a.iter().zip(b).map(|(x, y)| (x - y).abs()))
            .fold(0.0_f32, f32::max);
        println!("block {block}: max |difference| from block 1 = {max_difference:e}");
        assert!(max_difference <= 1e-6, "block {block}: {max_difference}");
    }
    let moved = reference[0].iter().any(|&s| s.abs() > 1e-3);
    assert!(
        moved,
        "the chain produced signal, so the comparison means something"
    );
}
