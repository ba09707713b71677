//! The VST3 SDK's fixed-size strings, in safe Rust: UTF-8 into `char8` arrays, UTF-16 into
//! `TChar` (`String128`) arrays, and back. Always NUL-terminated, cut to fit (a cut UTF-16
//! surrogate pair is dropped whole, a cut UTF-8 sequence too).

#![forbid(unsafe_code)]

use std::ffi::c_char;

/// Writes `text` into `dst` as NUL-terminated UTF-8, cut at a character boundary to fit.
pub fn copy_utf8(text: &str, dst: &mut [c_char]) {
    let Some(room) = dst.len().checked_sub(1) else {
        return;
    };
    let mut end = text.len().min(room);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    for (slot, byte) in dst.iter_mut().zip(text[..end].bytes()) {
        *slot = byte as c_char;
    }
    dst[end] = 0;
}

/// Writes `text` into `dst` as NUL-terminated UTF-16, cut at a character boundary to fit.
pub fn copy_utf16(text: &str, dst: &mut [u16]) {
    let Some(room) = dst.len().checked_sub(1) else {
        return;
    };
    let mut len = 0;
    for c in text.chars() {
        let mut units = [0u16; 2];
        let units = c.encode_utf16(&mut units);
        if len + units.len() > room {
            break;
        }
        for unit in units.iter() {
            dst[len] = *unit;
            len += 1;
        }
    }
    dst[len] = 0;
}

/// The text of NUL-terminated (or full-length) UTF-16 `units`; `None` when it is not UTF-16.
pub fn from_utf16(units: &[u16]) -> Option<String> {
    let end = units.iter().position(|&u| u == 0).unwrap_or(units.len());
    String::from_utf16(&units[..end]).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_terminated_and_cut_at_a_character() {
        let mut dst = [1 as c_char; 6];
        copy_utf8("Gäin!", &mut dst);
        // "Gäin!" is 6 bytes; 5 fit, and the fifth would start "!" after "Gäin" (5 bytes).
        assert_eq!(dst.map(|c| c as u8), *b"G\xc3\xa4in\0");
        let mut tight = [1 as c_char; 3];
        copy_utf8("Gä", &mut tight);
        assert_eq!(
            tight.map(|c| c as u8),
            *b"G\0\x01",
            "ä does not fit whole: cut before it"
        );
        copy_utf8("x", &mut []);
    }

    #[test]
    fn utf16_round_trips_and_drops_a_cut_pair_whole() {
        let mut dst = [7u16; 128];
        copy_utf16("Cutoff 𝄞 Hz", &mut dst);
        assert_eq!(from_utf16(&dst).as_deref(), Some("Cutoff 𝄞 Hz"));
        let mut tight = [7u16; 3];
        copy_utf16("a𝄞", &mut tight);
        assert_eq!(tight, [u16::from(b'a'), 0, 7]);
        assert_eq!(from_utf16(&[0xd834, 0]), None, "a lone surrogate");
        assert_eq!(
            from_utf16(&[u16::from(b'o'), u16::from(b'k')]).as_deref(),
            Some("ok")
        );
    }
}
