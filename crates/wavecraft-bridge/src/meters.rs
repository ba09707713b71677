//! Meters: the lock-free cells through which the audio thread publishes peak
//! and RMS per output channel, and the reader that turns them into a
//! [`MeterUpdate`]. Dev mode's audio runtime (in the engine host process, the
//! cells in its shared mapping) and a plugin's audio thread both write them;
//! the dev server's meter tick and a plugin window read them.
//!
//! The writer (the audio thread) only does atomic read-modify-writes; the
//! reader (a ~30 Hz meter tick) takes each cell with one `swap`,
//! which also resets it, so every sample lands in exactly one meter period.
//! Nothing here may lock, allocate or block on the writer's side.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

use wavecraft_protocol::status::{ChannelMeter, MeterUpdate};

use crate::report_memory::ReportMemory;

/// One channel's cells (`repr(C)`: the engine host's shared mapping holds them).
#[repr(C)]
#[derive(Debug, Default)]
pub struct ChannelCells {
    /// The largest |sample| since the last read, as `f32` bits. Non-negative
    /// floats order like their bit patterns, so `fetch_max` on the bits is an
    /// exact, lock-free running maximum.
    peak: AtomicU32,
    /// Sum of squares (`f32` bits, high half) and sample count (low half) since
    /// the last read, packed so the reader takes both with one `swap` and never
    /// sees a sum without its count.
    energy: AtomicU64,
}

fn pack(sum: f32, count: u32) -> u64 {
    (u64::from(sum.to_bits()) << 32) | u64::from(count)
}

fn unpack(bits: u64) -> (f32, u32) {
    (f32::from_bits((bits >> 32) as u32), bits as u32)
}

/// Per-channel peak and RMS cells shared by the audio thread and the server.
#[derive(Debug)]
pub struct MeterBank {
    channels: ReportMemory<[ChannelCells]>,
}

impl MeterBank {
    /// Cells for `channels` output channels on the heap, all at silence.
    pub fn new(channels: usize) -> Self {
        let cells: Arc<[ChannelCells]> = (0..channels).map(|_| ChannelCells::default()).collect();
        MeterBank {
            channels: ReportMemory::Heap(cells),
        }
    }

    /// A bank over cells that live elsewhere (the engine host's shared mapping).
    pub fn over(channels: ReportMemory<[ChannelCells]>) -> Self {
        MeterBank { channels }
    }

    /// Adds one block of one channel. Audio-thread safe: atomics only.
    pub fn publish(&self, channel: usize, samples: &[f32]) {
        let Some(cells) = self.channels.get(channel) else {
            return;
        };
        let mut peak = 0.0f32;
        let mut sum = 0.0f64;
        for &s in samples {
            let a = s.abs();
            // `a > peak` is false for NaN, so a NaN never poisons the meter.
            if a > peak {
                peak = a;
            }
            sum += f64::from(s) * f64::from(s);
        }
        if !sum.is_finite() {
            sum = 0.0;
        }
        cells.peak.fetch_max(peak.to_bits(), Ordering::Relaxed);
        let block = sum as f32;
        let count = samples.len() as u32;
        // A single writer, so this loop only retries when the reader swapped in between.
        let _ = cells
            .energy
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |bits| {
                let (s, c) = unpack(bits);
                Some(pack(s + block, c.saturating_add(count)))
            });
    }

    /// Levels since the last call, and resets them. Call off the audio thread.
    pub fn take(&self) -> MeterUpdate {
        take_levels(&self.channels)
    }
}

impl ChannelCells {
    /// Back to silence (a new engine host starts from nothing).
    pub fn clear(&self) {
        self.peak.store(0, Ordering::Relaxed);
        self.energy.store(0, Ordering::Relaxed);
    }
}

/// The levels `cells` gathered since they were last taken, and resets them. Off the audio thread.
pub fn take_levels(cells: &[ChannelCells]) -> MeterUpdate {
    MeterUpdate {
        channels: cells
            .iter()
            .map(|cells| {
                let peak = f32::from_bits(cells.peak.swap(0, Ordering::Relaxed));
                let (sum, count) = unpack(cells.energy.swap(0, Ordering::AcqRel));
                let rms = if count == 0 {
                    0.0
                } else {
                    (sum / count as f32).sqrt()
                };
                ChannelMeter { peak, rms }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_and_rms_of_a_square_wave_and_reset_on_read() {
        let bank = MeterBank::new(2);
        bank.publish(0, &[0.5, -0.5, 0.5, -0.5]);
        bank.publish(0, &[0.25, -0.25]);
        bank.publish(1, &[-1.0]);
        let m = bank.take();
        assert_eq!(m.channels[0].peak, 0.5);
        let expected = ((4.0 * 0.25 + 2.0 * 0.0625) / 6.0f32).sqrt();
        assert!((m.channels[0].rms - expected).abs() < 1e-6);
        assert_eq!(m.channels[1].peak, 1.0);
        let again = bank.take();
        assert_eq!(
            again.channels[0],
            ChannelMeter {
                peak: 0.0,
                rms: 0.0
            }
        );
    }
}
