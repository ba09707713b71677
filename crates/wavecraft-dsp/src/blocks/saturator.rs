//! [`Saturator`]: soft clipping with a drive in dB.
//!
//! Owns only a cache of the last drive's linear factors; stateless
//! otherwise (no filters, no oversampling, so hard drive aliases). Never
//! allocates.

use crate::buffer::AudioBuffer;
use crate::util::db_to_gain;

/// The shape of the soft clip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SaturatorCurve {
    /// `tanh(x)`: smooth, warm, the reference curve.
    #[default]
    Tanh,
    /// `x(27 + x²)/(27 + 9x²)`, clamped to ±1 beyond |x| = 3: tanh-like and cheaper.
    Rational,
}

/// `tanh(x)`.
#[inline]
pub fn soft_clip_tanh(x: f32) -> f32 {
    x.tanh()
}

/// A rational (Padé) approximation of `tanh` that reaches exactly ±1 at |x| = 3 and stays there.
#[inline]
pub fn soft_clip_rational(x: f32) -> f32 {
    let x = x.clamp(-3.0, 3.0);
    let x2 = x * x;
    x * (27.0 + x2) / (27.0 + 9.0 * x2)
}

/// Drives the signal into a soft clip, then compensates the drive.
///
/// Output compensation divides by the drive's linear gain, so quiet material
/// keeps its level at any drive and only peaks are squashed: with +12 dB of
/// drive the output ceiling is −12 dBFS. Follow it with a [`Gain`](super::Gain)
/// when louder output is wanted.
#[derive(Debug, Clone)]
pub struct Saturator {
    curve: SaturatorCurve,
    drive_db: f32,
    drive: f32,
    makeup: f32,
    /// How many times the drive factors were recomputed; exists only in this crate's unit tests.
    #[cfg(test)]
    recomputes: u32,
}

impl Saturator {
    /// A saturator with the given curve at 0 dB drive.
    pub fn new(curve: SaturatorCurve) -> Self {
        Self {
            curve,
            drive_db: 0.0,
            drive: 1.0,
            makeup: 1.0,
            #[cfg(test)]
            recomputes: 0,
        }
    }

    /// The curve in use.
    pub fn curve(&self) -> SaturatorCurve {
        self.curve
    }

    /// Changes the curve.
    pub fn set_curve(&mut self, curve: SaturatorCurve) {
        self.curve = curve;
    }

    /// The saturator does not depend on the sample rate; present so every block is driven the same way.
    pub fn prepare(&mut self, _sample_rate: f32) {}

    /// Returns to 0 dB drive.
    pub fn reset(&mut self) {
        *self = Self::new(self.curve);
    }

    /// Saturates one sample with `drive_db` of drive.
    ///
    /// The drive factors are recomputed only when `drive_db` changes, and
    /// only the comparison is inlined: the recompute is the out-of-line
    /// `set_drive`. Were `db_to_gain` inlined here, its
    /// `powf` is pure, so in a per-channel loop the optimiser hoists it to
    /// the frame and runs it on every frame, cache hit or not. A call that
    /// writes `self` cannot be speculated that way.
    #[inline]
    pub fn process_sample(&mut self, x: f32, drive_db: f32) -> f32 {
        if drive_db != self.drive_db {
            self.set_drive(drive_db);
        }
        let driven = x * self.drive;
        let shaped = match self.curve {
            SaturatorCurve::Tanh => soft_clip_tanh(driven),
            SaturatorCurve::Rational => soft_clip_rational(driven),
        };
        shaped * self.makeup
    }

    /// Caches `drive_db`, its linear drive and the makeup; never inlined, see [`process_sample`](Self::process_sample).
    #[inline(never)]
    fn set_drive(&mut self, drive_db: f32) {
        self.drive_db = drive_db;
        self.drive = db_to_gain(drive_db).max(f32::EPSILON);
        self.makeup = 1.0 / self.drive;
        #[cfg(test)]
        {
            self.recomputes += 1;
        }
    }

    /// Saturates every channel with a per-frame drive (`drive_db[frame]`).
    ///
    /// Panics if `drive_db` is shorter than the buffer.
    pub fn process_block(&mut self, buffer: &mut AudioBuffer<'_>, drive_db: &[f32]) {
        // Frame by frame, so a ramping drive is converted once per frame, not once per channel.
        for (frame, &db) in drive_db[..buffer.frames()].iter().enumerate() {
            for channel in buffer.iter_mut() {
                channel[frame] = self.process_sample(channel[frame], db);
            }
        }
    }
}

impl Default for Saturator {
    fn default() -> Self {
        Self::new(SaturatorCurve::Tanh)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_signals_pass_at_unity_and_peaks_are_bounded() {
        for curve in [SaturatorCurve::Tanh, SaturatorCurve::Rational] {
            let mut sat = Saturator::new(curve);
            for drive_db in [0.0, 6.0, 12.0, 24.0] {
                let quiet = sat.process_sample(1e-4, drive_db);
                assert!((quiet - 1e-4).abs() < 1e-6, "{curve:?} {drive_db} dB");
                let ceiling = 1.0 / db_to_gain(drive_db);
                let loud = sat.process_sample(10.0, drive_db);
                assert!(
                    loud <= ceiling * 1.000_01,
                    "{curve:?} {drive_db} dB: {loud}"
                );
                assert_eq!(sat.process_sample(-10.0, drive_db), -loud, "odd symmetry");
            }
        }
    }

    #[test]
    fn a_steady_drive_is_converted_once() {
        let mut sat = Saturator::new(SaturatorCurve::Tanh);
        let mut left = [0.5_f32; 64];
        let mut right = [-0.5_f32; 64];
        let mut channels: [&mut [f32]; 2] = [&mut left, &mut right];
        let mut buffer = AudioBuffer::new(&mut channels);
        sat.process_block(&mut buffer, &[12.0; 64]);
        assert_eq!(sat.recomputes, 1, "converted on the first sample only");
        let drive = db_to_gain(12.0);
        assert!((left[63] - (0.5 * drive).tanh() / drive).abs() < 1e-6);
        assert_eq!(right[63], -left[63]);
        sat.process_sample(0.1, 9.0);
        sat.process_sample(0.1, 9.0);
        assert_eq!(sat.recomputes, 2, "each change converted once");
    }

    #[test]
    fn a_ramping_drive_is_converted_once_per_frame_for_all_channels() {
        let mut saturator = Saturator::new(SaturatorCurve::Tanh);
        let mut left = [0.5_f32; 8];
        let mut right = [0.5_f32; 8];
        let mut channels: [&mut [f32]; 2] = [&mut left, &mut right];
        let mut buffer = AudioBuffer::new(&mut channels);
        let ramp: Vec<f32> = (1..=8).map(|i| i as f32).collect();
        saturator.process_block(&mut buffer, &ramp);
        assert_eq!(saturator.recomputes, 8);
        assert_eq!(left, right);
    }

    #[test]
    fn rational_tracks_tanh() {
        for i in -60..=60 {
            let x = i as f32 * 0.1;
            let error = (soft_clip_rational(x) - x.tanh()).abs();
            assert!(error < 0.025, "x = {x}: error {error}");
        }
        assert_eq!(soft_clip_rational(3.0), 1.0);
        assert_eq!(soft_clip_rational(50.0), 1.0);
    }
}
