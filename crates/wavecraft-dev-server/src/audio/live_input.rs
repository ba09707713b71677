//! Live input for the device backend (`--live-input`): the input device's
//! samples carried from cpal's input callback to the output callback through
//! a lock-free ring (rtrb), as the DSP's input instead of the test signal.
//!
//! Input and output are two streams with two clocks. The output side takes
//! whole frames: when the ring holds less than a block it plays what is there
//! and silence for the rest (a stalled input is heard as a gap, never as a
//! repeat); when it holds more than a block plus the latency bound (the
//! clocks drifted, or the output stalled) it drops the oldest frames, so the
//! monitoring latency never grows. The input side queues whole frames and
//! drops what does not fit. Neither end allocates, locks or waits.

use rtrb::{Consumer, Producer, RingBuffer};

use super::frame_ring::push_frames;

/// The input callback's end: queues interleaved input frames.
#[derive(Debug)]
pub(crate) struct InputFeed {
    producer: Producer<f32>,
    channels: usize,
}

/// The output callback's end: fills the DSP's planar input from the queue.
#[derive(Debug)]
pub(crate) struct LiveInput {
    consumer: Consumer<f32>,
    channels: usize,
    max_latency: usize,
}

/// A connected pair for `channels` input channels that keeps at most
/// `max_latency` frames queued beyond the block being read.
pub(crate) fn live_input(channels: usize, max_latency: usize) -> (InputFeed, LiveInput) {
    let channels = channels.max(1);
    // Room for the bound, a block of any size the output asks for, and input bursts.
    let (producer, consumer) = RingBuffer::new(4 * max_latency.max(1) * channels);
    (
        InputFeed { producer, channels },
        LiveInput {
            consumer,
            channels,
            max_latency,
        },
    )
}

impl InputFeed {
    /// Queues the whole frames of `interleaved` that fit; returns how many frames were dropped.
    pub(crate) fn push(&mut self, interleaved: &[f32]) -> usize {
        push_frames(&mut self.producer, interleaved, self.channels)
    }
}

impl LiveInput {
    /// Writes `frames` frames into `channels` planar channels of `buffer`, each `stride` long:
    /// output channel `c` takes input channel `c % input channels` (a mono input feeds every
    /// channel). Missing frames are silence. Audio-thread safe.
    pub(crate) fn fill(
        &mut self,
        buffer: &mut [f32],
        stride: usize,
        channels: usize,
        frames: usize,
    ) {
        let width = self.channels;
        let queued = self.consumer.slots() / width;
        let excess = queued.saturating_sub(frames + self.max_latency);
        if excess > 0 {
            if let Ok(chunk) = self.consumer.read_chunk(excess * width) {
                chunk.commit_all();
            }
        }
        let take = (queued - excess).min(frames);
        if let Ok(chunk) = self.consumer.read_chunk(take * width) {
            let (first, second) = chunk.as_slices();
            let sample = |i: usize| match first.get(i) {
                Some(&s) => s,
                None => second[i - first.len()],
            };
            for c in 0..channels {
                let source = c % width;
                for frame in 0..take {
                    buffer[c * stride + frame] = sample(frame * width + source);
                }
            }
            chunk.commit_all();
        }
        for c in 0..channels {
            buffer[c * stride + take..c * stride + frames].fill(0.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STRIDE: usize = 8;

    /// Interleaved frames numbered from `first`: channel `c` of frame `n` is `n + c / 10`.
    fn frames(first: usize, count: usize, channels: usize) -> Vec<f32> {
        (first..first + count)
            .flat_map(|n| (0..channels).map(move |c| n as f32 + c as f32 / 10.0))
            .collect()
    }

    fn planar(input: &mut LiveInput, channels: usize, count: usize) -> Vec<Vec<f32>> {
        let mut buffer = vec![f32::NAN; channels * STRIDE];
        input.fill(&mut buffer, STRIDE, channels, count);
        buffer.chunks(STRIDE).map(|c| c[..count].to_vec()).collect()
    }

    #[test]
    fn stereo_frames_arrive_in_order_and_a_shortfall_is_silence() {
        let (mut feed, mut input) = live_input(2, 16);
        assert_eq!(feed.push(&frames(1, 3, 2)), 0);
        assert_eq!(
            planar(&mut input, 2, 5),
            [vec![1.0, 2.0, 3.0, 0.0, 0.0], vec![1.1, 2.1, 3.1, 0.0, 0.0]]
        );
        // Nothing queued: a whole block of silence, never the old frames again.
        assert_eq!(planar(&mut input, 2, 2), [vec![0.0; 2], vec![0.0; 2]]);
        feed.push(&frames(4, 2, 2));
        assert_eq!(planar(&mut input, 2, 2), [vec![4.0, 5.0], vec![4.1, 5.1]]);
    }

    #[test]
    fn a_mono_input_feeds_every_channel_and_wider_inputs_wrap() {
        let (mut feed, mut input) = live_input(1, 16);
        feed.push(&frames(1, 2, 1));
        assert_eq!(planar(&mut input, 2, 2), [vec![1.0, 2.0], vec![1.0, 2.0]]);
        let (mut feed, mut input) = live_input(3, 16);
        feed.push(&frames(1, 1, 3));
        assert_eq!(planar(&mut input, 2, 1), [vec![1.0], vec![1.1]]);
    }

    #[test]
    fn latency_stays_bounded_by_dropping_the_oldest_frames() {
        let (mut feed, mut input) = live_input(1, 4);
        // The output stalled while 12 frames arrived: of the newest 2 + 4 frames, a 2-frame
        // block plays the oldest two (7 and 8) and leaves 4 queued (the bound).
        feed.push(&frames(1, 12, 1));
        assert_eq!(planar(&mut input, 1, 2), [vec![7.0, 8.0]]);
        assert_eq!(planar(&mut input, 1, 4), [vec![9.0, 10.0, 11.0, 12.0]]);
    }

    #[test]
    fn both_ends_run_without_allocating() {
        let (mut feed, mut input) = live_input(2, 64);
        let block = frames(0, 32, 2);
        let mut buffer = vec![0.0; 2 * 32];
        let ((), calls) = wavecraft_alloc_counter::count_allocations(|| {
            for _ in 0..100 {
                feed.push(&block);
                input.fill(&mut buffer, 32, 2, 32);
            }
        });
        assert_eq!(calls, 0);
        assert_eq!(buffer[31], 31.0);
        // The counter does count on this thread.
        let (_, calls) = wavecraft_alloc_counter::count_allocations(|| vec![0u8; 8].len());
        assert_eq!(calls, 2);
    }

    #[test]
    fn a_full_queue_drops_the_frames_that_do_not_fit_whole() {
        let (mut feed, mut input) = live_input(2, 1);
        // Capacity: 4 frames of 2 channels.
        assert_eq!(feed.push(&frames(1, 6, 2)), 2);
        assert_eq!(
            planar(&mut input, 2, 4),
            [vec![1.0, 2.0, 3.0, 4.0], vec![1.1, 2.1, 3.1, 4.1]]
        );
        // A trailing half frame is never queued: it would shift every channel after it.
        let mut one_and_a_half = frames(7, 2, 2);
        one_and_a_half.pop();
        assert_eq!(feed.push(&one_and_a_half), 0);
        assert_eq!(planar(&mut input, 2, 2), [vec![7.0, 0.0], vec![7.1, 0.0]]);
    }
}
