//! The audio path never allocates. A counting global allocator
//! (`wavecraft-alloc-counter`) counts allocations made on the current thread
//! while a region runs; the test
//! drives thousands of blocks through every built-in processor, a chain,
//! smoothing and `set_plain`, and requires a count of zero. A control test
//! proves the counter does see an allocation, so the check can fail.

mod common;

use std::hint::black_box;

use common::{noise, sine, GainStage, LowPassStage, SaturatorStage};
use wavecraft_dsp::blocks::{Biquad, FilterKind, Gain, Mix, MixLaw, Saturator};
use wavecraft_dsp::chain::ProcessorExt;
use wavecraft_dsp::param::{BoolParam, FloatParam, FloatRange, Param, Params, SmoothingStyle};
use wavecraft_dsp::{AudioBuffer, ProcessContext, ProcessSetup, Processor};
use wavecraft_macros::Params;

#[global_allocator]
static ALLOCATOR: wavecraft_alloc_counter::CountingAllocator =
    wavecraft_alloc_counter::CountingAllocator;

/// Number of allocations `f` makes on this thread.
fn count_allocations(f: impl FnOnce()) -> u64 {
    wavecraft_alloc_counter::count_allocations(f).1
}

#[test]
fn the_counter_sees_an_allocation() {
    let count = count_allocations(|| {
        let vector: Vec<f32> = Vec::with_capacity(black_box(16));
        black_box(vector);
    });
    assert!(count >= 1, "a Vec allocation was not counted");
}

#[derive(Params)]
#[params(crate = "::wavecraft_dsp")]
struct NoAllocParams {
    gain: FloatParam,
    cutoff: FloatParam,
    mix: FloatParam,
    bypass: BoolParam,
}

const BLOCKS: usize = 4_000;
const BLOCK: usize = 64;
const SR: f32 = 48_000.0;

#[test]
fn the_audio_path_does_not_allocate() {
    // Everything is built before counting starts, as the runtime does in `prepare`.
    let mut params = NoAllocParams {
        gain: FloatParam::new("gain", "Gain", FloatRange::linear(-60.0, 12.0), 0.0)
            .smoothing(SmoothingStyle::Linear { ms: 20.0 }),
        cutoff: FloatParam::new(
            "cutoff",
            "Cutoff",
            FloatRange::centred(20.0, 20_000.0, 1_000.0),
            1_000.0,
        )
        .smoothing(SmoothingStyle::Logarithmic { ms: 50.0 }),
        mix: FloatParam::new("mix", "Mix", FloatRange::linear(0.0, 1.0), 0.5)
            .smoothing(SmoothingStyle::Linear { ms: 10.0 }),
        bypass: BoolParam::new("bypass", "Bypass", false),
    };
    params.set_sample_rate(SR);
    let mut chain = GainStage::new()
        .then(LowPassStage::new())
        .then(SaturatorStage::new());
    chain.prepare(&ProcessSetup {
        sample_rate: SR,
        max_block_size: BLOCK,
        channels: 2,
    });
    let mut gain = Gain::new();
    let mut filter = Biquad::new(FilterKind::Peak);
    let mut saturator = Saturator::default();
    let mut mix = Mix::new(MixLaw::EqualPower);
    filter.prepare(SR);
    let source_left = sine(440.0, SR, BLOCK, 0.5);
    let source_right = noise(BLOCK, 0.5, 3);
    let (mut left, mut right) = (vec![0.0_f32; BLOCK], vec![0.0_f32; BLOCK]);
    let (mut dry_left, mut dry_right) = (vec![0.0_f32; BLOCK], vec![0.0_f32; BLOCK]);
    let mut values = vec![0.0_f32; BLOCK];
    let mix_index = params.index_of("mix").unwrap();
    let ctx = ProcessContext::default();

    let count = count_allocations(|| {
        for block in 0..BLOCKS {
            let phase = block as f64 / BLOCKS as f64;
            params.param_mut(0).set_plain(-24.0 * phase);
            params.param_mut(1).set_plain(200.0 + 8_000.0 * phase);
            params.param_mut(mix_index).set_plain(phase);
            params.param_mut(3).set_plain((block % 2) as f64);
            let _ = params.param(0).spec().validate(f64::NAN);
            chain
                .first_mut()
                .second_mut()
                .cutoff_hz
                .set_plain(300.0 + 5_000.0 * phase);

            left.copy_from_slice(&source_left);
            right.copy_from_slice(&source_right);
            dry_left.copy_from_slice(&source_left);
            dry_right.copy_from_slice(&source_right);
            let mut wet_slices: [&mut [f32]; 2] = [&mut left, &mut right];
            let mut wet = AudioBuffer::new(&mut wet_slices);

            chain.process(&mut wet, &ctx);

            params.gain.smoothed_block(&mut values);
            gain.process_block(&mut wet, &values);
            for frame in 0..BLOCK {
                filter.set(params.cutoff.smoothed_at(frame), 1.0, 3.0);
                for channel in 0..wet.channels() {
                    let sample = &mut wet.channel_mut(channel)[frame];
                    *sample = filter.process_sample(channel, *sample);
                }
            }
            filter.process_block(&mut wet);
            values.fill(6.0);
            saturator.process_block(&mut wet, &values);
            wet.for_each_block(16, |_, sub| filter.process_block(sub));

            params.mix.smoothed_block(&mut values);
            let mut dry_slices: [&mut [f32]; 2] = [&mut dry_left, &mut dry_right];
            let dry = AudioBuffer::new(&mut dry_slices);
            mix.process_block(&dry, &mut wet, &values);
            params.finish_block(BLOCK);
            black_box(&mut wet);
        }
    });
    assert_eq!(count, 0, "the audio path allocated {count} times");
    assert!(left.iter().all(|s| s.is_finite()) && left.iter().any(|&s| s != 0.0));
}
