//! [`AudioBuffer`]: a view of non-interleaved audio, channels × frames,
//! borrowed from whoever owns the memory (the host, the dev server's audio
//! runtime, a test).
//!
//! It owns no samples and must never allocate. Sub-block views (for
//! sample-accurate parameter changes) are built on the stack: see
//! [`AudioBuffer::with_sub_block`].

use std::ops::Range;

/// Most channels a buffer can have when it is split into sub-blocks.
pub const MAX_CHANNELS: usize = 8;

/// Non-interleaved audio: one `&mut [f32]` per channel, all the same length.
pub struct AudioBuffer<'a> {
    channels: &'a mut [&'a mut [f32]],
    frames: usize,
}

impl<'a> AudioBuffer<'a> {
    /// Wraps per-channel slices; panics if they differ in length.
    ///
    /// The caller keeps the slices in any storage it likes, typically a
    /// fixed-size array on the stack, so making a buffer never allocates.
    pub fn new(channels: &'a mut [&'a mut [f32]]) -> Self {
        let frames = channels.first().map_or(0, |channel| channel.len());
        assert!(
            channels.iter().all(|channel| channel.len() == frames),
            "every channel of an AudioBuffer must have the same number of frames"
        );
        Self { channels, frames }
    }

    /// Number of channels.
    pub fn channels(&self) -> usize {
        self.channels.len()
    }

    /// Number of frames (samples per channel).
    pub fn frames(&self) -> usize {
        self.frames
    }

    /// The samples of channel `index`; panics if out of bounds.
    pub fn channel(&self, index: usize) -> &[f32] {
        self.channels[index]
    }

    /// The samples of channel `index`, mutably; panics if out of bounds.
    pub fn channel_mut(&mut self, index: usize) -> &mut [f32] {
        self.channels[index]
    }

    /// Iterates over the channels.
    pub fn iter(&self) -> impl Iterator<Item = &[f32]> + '_ {
        self.channels.iter().map(|channel| &**channel)
    }

    /// Iterates over the channels, mutably.
    pub fn iter_mut(&mut self) -> ChannelsMut<'_, 'a> {
        ChannelsMut {
            inner: self.channels.iter_mut(),
        }
    }

    /// Sets every sample to zero.
    pub fn clear(&mut self) {
        for channel in self.iter_mut() {
            channel.fill(0.0);
        }
    }

    /// Runs `f` on a view of frames `range` of every channel.
    ///
    /// The view's channel slices live in a `[&mut [f32]; MAX_CHANNELS]` on the
    /// stack, so this never allocates; that is why a buffer split this way may
    /// have at most [`MAX_CHANNELS`] channels. A closure (rather than a
    /// returned view) keeps the borrow of this buffer visibly scoped. Panics
    /// if the range is out of bounds or there are too many channels.
    pub fn with_sub_block<R>(
        &mut self,
        range: Range<usize>,
        f: impl FnOnce(&mut AudioBuffer<'_>) -> R,
    ) -> R {
        assert!(
            range.start <= range.end && range.end <= self.frames,
            "sub-block {range:?} is outside 0..{}",
            self.frames
        );
        let count = self.channels.len();
        assert!(
            count <= MAX_CHANNELS,
            "an AudioBuffer with {count} channels cannot be split (at most {MAX_CHANNELS})"
        );
        let frames = range.len();
        let mut channels = self.channels.iter_mut();
        let mut views: [&mut [f32]; MAX_CHANNELS] =
            std::array::from_fn(|_| match channels.next() {
                Some(channel) => &mut channel[range.clone()],
                None => Default::default(),
            });
        let mut sub = AudioBuffer {
            channels: &mut views[..count],
            frames,
        };
        f(&mut sub)
    }

    /// Splits the buffer into consecutive sub-blocks of at most `max_frames` and runs `f(start_frame, block)` on each.
    ///
    /// Panics if `max_frames` is zero.
    pub fn for_each_block(
        &mut self,
        max_frames: usize,
        mut f: impl FnMut(usize, &mut AudioBuffer<'_>),
    ) {
        assert!(max_frames > 0, "sub-blocks need at least one frame");
        let mut start = 0;
        while start < self.frames {
            let end = (start + max_frames).min(self.frames);
            self.with_sub_block(start..end, |block| f(start, block));
            start = end;
        }
    }
}

/// Iterator over the channels of an [`AudioBuffer`], mutably; see [`AudioBuffer::iter_mut`].
pub struct ChannelsMut<'s, 'a> {
    inner: std::slice::IterMut<'s, &'a mut [f32]>,
}

impl<'s> Iterator for ChannelsMut<'s, '_> {
    type Item = &'s mut [f32];

    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next().map(|channel| &mut **channel)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl ExactSizeIterator for ChannelsMut<'_, '_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_shape_and_reaches_samples() {
        let mut left = [1.0_f32; 4];
        let mut right = [2.0_f32; 4];
        let mut slices: [&mut [f32]; 2] = [&mut left, &mut right];
        let mut buffer = AudioBuffer::new(&mut slices);
        assert_eq!((buffer.channels(), buffer.frames()), (2, 4));
        buffer.channel_mut(1)[3] = 5.0;
        assert_eq!(buffer.channel(1), &[2.0, 2.0, 2.0, 5.0]);
        assert_eq!(buffer.iter().map(|c| c[0]).sum::<f32>(), 3.0);
        buffer.clear();
        assert!(buffer.iter().all(|c| c.iter().all(|&s| s == 0.0)));
    }

    #[test]
    fn sub_blocks_see_their_frames_only() {
        let mut left = [0.0_f32; 10];
        let mut right = [0.0_f32; 10];
        let mut slices: [&mut [f32]; 2] = [&mut left, &mut right];
        let mut buffer = AudioBuffer::new(&mut slices);
        let mut starts = Vec::new();
        buffer.for_each_block(4, |start, block| {
            starts.push((start, block.frames()));
            for channel in block.iter_mut() {
                for (i, sample) in channel.iter_mut().enumerate() {
                    *sample = (start + i) as f32;
                }
            }
        });
        assert_eq!(starts, vec![(0, 4), (4, 4), (8, 2)]);
        let expected: Vec<f32> = (0..10).map(|i| i as f32).collect();
        assert_eq!(left.to_vec(), expected);
        assert_eq!(right.to_vec(), expected);
    }

    #[test]
    #[should_panic(expected = "same number of frames")]
    fn refuses_ragged_channels() {
        let mut left = [0.0_f32; 3];
        let mut right = [0.0_f32; 4];
        let mut slices: [&mut [f32]; 2] = [&mut left, &mut right];
        let _ = AudioBuffer::new(&mut slices);
    }
}
