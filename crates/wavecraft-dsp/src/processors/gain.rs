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
}

impl Gain {
    /// A gain block at 0 dB.
    pub fn new() -> Self {
        Self {
            db: 0.0,
            factor: 1.0,
        }
    }

    /// Gain does not depend on the sample rate; present so every block is driven the same way.
    pub fn prepare(&mut self, _sample_rate: f32) {}

    /// Returns to 0 dB.
    pub fn reset(&mut self) {
        *self = Self::new();
    }

    /// The linear factor for `gain_db`, recomputed only when it changes.
    #[inline]
    pub fn factor(&mut self, gain_db: f32) -> f32 {
        if gain_db != self.db {
            self.db = gain_db;
            self.factor = db_to_gain(gain_db);
        }
        self.factor
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
        let gain_db = &gain_db[..buffer.frames()];
        for channel in buffer.iter_mut() {
            for (sample, &db) in channel.iter_mut().zip(gain_db) {
                *sample *= self.factor(db);
            }
        }
    }
}

impl Default for Gain {
    fn default() -> Self {
        Self::new()
    }
}
