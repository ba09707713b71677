//! [`Gain`]: a level change given in decibels.
//!
//! Owns only a cache of the last dB → linear conversion, so a constant gain
//! costs one multiply per sample. Never allocates.

use crate::buffer::AudioBuffer;
use crate::util::db_to_gain;

/// Multiplies the signal by a gain given in dB.
#[derive(Debug, Clone)]
pub struct Gain {
    db: f32,
    factor: f32,
    /// How many times `factor` was recomputed; exists only in this crate's unit tests.
    #[cfg(test)]
    recomputes: u32,
}

impl Gain {
    /// A gain block at 0 dB.
    pub fn new() -> Self {
        Self {
            db: 0.0,
            factor: 1.0,
            #[cfg(test)]
            recomputes: 0,
        }
    }

    /// Gain does not depend on the sample rate; present so every block is driven the same way.
    pub fn prepare(&mut self, _sample_rate: f32) {}

    /// Forgets the cached factor, so the next call computes it afresh. A gain holds no audio
    /// state and takes its value from each call, so this changes no output.
    pub fn reset(&mut self) {
        *self = Self::new();
    }

    /// The linear factor for `gain_db`, recomputed only when it changes.
    ///
    /// Only the comparison is inlined; the recompute is the out-of-line
    /// `update`. Were `db_to_gain` inlined here, its `powf`
    /// is pure, so in a per-channel loop the optimiser hoists it to the
    /// frame and runs it on every frame, cache hit or not: the cache would
    /// save nothing. A call that writes `self` cannot be speculated that way.
    #[inline]
    pub fn factor(&mut self, gain_db: f32) -> f32 {
        if gain_db != self.db {
            self.update(gain_db);
        }
        self.factor
    }

    /// Caches `gain_db` and its linear factor; never inlined, see [`factor`](Self::factor).
    #[inline(never)]
    fn update(&mut self, gain_db: f32) {
        self.db = gain_db;
        self.factor = db_to_gain(gain_db);
        #[cfg(test)]
        {
            self.recomputes += 1;
        }
    }

    /// Applies `gain_db` to one sample.
    #[inline]
    pub fn process_sample(&mut self, x: f32, gain_db: f32) -> f32 {
        x * self.factor(gain_db)
    }

    /// Applies a per-frame gain (`gain_db[frame]`, one value per frame) to every channel.
    ///
    /// Panics if `gain_db` is shorter than the buffer.
    pub fn process_block(&mut self, buffer: &mut AudioBuffer<'_>, gain_db: &[f32]) {
        // Frame by frame: during a ramp each value is converted once for all channels
        // (channel by channel, every channel after the first would miss the cache).
        for (frame, &db) in gain_db[..buffer.frames()].iter().enumerate() {
            let factor = self.factor(db);
            for channel in buffer.iter_mut() {
                channel[frame] *= factor;
            }
        }
    }
}

impl Default for Gain {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_steady_gain_is_converted_once() {
        let mut gain = Gain::new();
        let mut left = [0.25_f32; 64];
        let mut right = [-0.5_f32; 64];
        let mut channels: [&mut [f32]; 2] = [&mut left, &mut right];
        let mut buffer = AudioBuffer::new(&mut channels);
        gain.process_block(&mut buffer, &[-6.0; 64]);
        assert_eq!(gain.recomputes, 1, "converted on the first sample only");
        for _ in 0..64 {
            gain.process_sample(1.0, -6.0);
        }
        assert_eq!(gain.recomputes, 1, "a hit never recomputes");
        assert_eq!(left[63], 0.25 * db_to_gain(-6.0));
        assert_eq!(right[0], -0.5 * db_to_gain(-6.0));
    }

    #[test]
    fn a_ramp_is_converted_once_per_frame_for_all_channels() {
        let mut gain = Gain::new();
        let mut left = [1.0_f32; 8];
        let mut right = [1.0_f32; 8];
        let mut channels: [&mut [f32]; 2] = [&mut left, &mut right];
        let mut buffer = AudioBuffer::new(&mut channels);
        let ramp: Vec<f32> = (1..=8).map(|i| -(i as f32)).collect();
        gain.process_block(&mut buffer, &ramp);
        assert_eq!(gain.recomputes, 8);
        assert_eq!(left[7], db_to_gain(-8.0));
        assert_eq!(right[7], db_to_gain(-8.0));
    }

    #[test]
    fn every_change_is_converted_and_applied() {
        let mut gain = Gain::new();
        assert_eq!(gain.process_sample(1.0, 0.0), 1.0);
        assert_eq!(gain.recomputes, 0, "0 dB is the initial state");
        assert_eq!(gain.process_sample(1.0, 6.0), db_to_gain(6.0));
        assert_eq!(gain.process_sample(1.0, -12.0), db_to_gain(-12.0));
        assert_eq!(gain.process_sample(1.0, -12.0), db_to_gain(-12.0));
        assert_eq!(gain.recomputes, 2);
    }
}
