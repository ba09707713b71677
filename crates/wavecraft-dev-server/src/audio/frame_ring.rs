//! Interleaved audio frames into an rtrb ring, whole frames only: a ring that
//! fills up drops the frames that do not fit, never part of one, so the
//! channels of everything after stay in place. Shared by the live input and
//! the recorder; allocation- and lock-free (one chunk write per call).

use rtrb::Producer;

/// Queues the whole frames of `interleaved` (`channels` samples each) that fit in `ring`;
/// returns how many frames were dropped (a trailing partial frame is never queued).
pub(crate) fn push_frames(ring: &mut Producer<f32>, interleaved: &[f32], channels: usize) -> usize {
    let frames = interleaved.len() / channels;
    let fit = frames.min(ring.slots() / channels);
    if fit > 0 {
        if let Ok(chunk) = ring.write_chunk_uninit(fit * channels) {
            chunk.fill_from_iter(interleaved.iter().copied());
        }
    }
    frames - fit
}

#[cfg(test)]
mod tests {
    use super::*;
    use rtrb::RingBuffer;

    #[test]
    fn a_full_ring_drops_whole_frames_and_keeps_channels_aligned() {
        // Room for 2.5 stereo frames: the half frame must stay unused.
        let (mut ring, mut out) = RingBuffer::new(5);
        assert_eq!(
            push_frames(&mut ring, &[1.0, -1.0, 2.0, -2.0, 3.0, -3.0], 2),
            1
        );
        assert_eq!(push_frames(&mut ring, &[4.0, -4.0], 2), 1);
        let queued: Vec<f32> = std::iter::from_fn(|| out.pop().ok()).collect();
        assert_eq!(queued, [1.0, -1.0, 2.0, -2.0]);
        assert_eq!(push_frames(&mut ring, &[5.0, -5.0, 6.0], 2), 0);
        let queued: Vec<f32> = std::iter::from_fn(|| out.pop().ok()).collect();
        assert_eq!(queued, [5.0, -5.0]);
    }
}
