//! Small numeric helpers shared by the processors: decibel conversion and
//! the denormal threshold.
//!
//! Everything here is a pure function, cheap enough for the audio thread; it
//! must never allocate or keep state.

/// Decibel value at and below which [`db_to_gain`] returns exact silence.
pub const MINUS_INFINITY_DB: f32 = -100.0;

/// Converts decibels to a linear gain factor; `MINUS_INFINITY_DB` or lower gives `0.0`.
#[inline]
pub fn db_to_gain(db: f32) -> f32 {
    if db <= MINUS_INFINITY_DB {
        0.0
    } else {
        10.0_f32.powf(db * 0.05)
    }
}

/// Converts a linear gain factor to decibels; silence (or less) gives `MINUS_INFINITY_DB`.
#[inline]
pub fn gain_to_db(gain: f32) -> f32 {
    if gain <= 0.0 {
        MINUS_INFINITY_DB
    } else {
        (20.0 * gain.log10()).max(MINUS_INFINITY_DB)
    }
}

/// Magnitude below which filter state is flushed to zero (about −300 dB).
///
/// Recursive filters fed with silence decay towards zero through the
/// subnormal range, where many CPUs become 10–100× slower. Flushing state
/// this small is inaudible and keeps the decay out of that range.
pub const DENORMAL_THRESHOLD: f64 = 1.0e-15;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn db_round_trips_and_floors() {
        for db in [-60.0_f32, -6.0, 0.0, 6.0, 12.0] {
            assert!((gain_to_db(db_to_gain(db)) - db).abs() < 1e-4);
        }
        assert!((db_to_gain(-6.0) - 0.501_187).abs() < 1e-5);
        assert_eq!(db_to_gain(-100.0), 0.0);
        assert_eq!(gain_to_db(0.0), MINUS_INFINITY_DB);
        assert_eq!(gain_to_db(-1.0), MINUS_INFINITY_DB);
    }
}
