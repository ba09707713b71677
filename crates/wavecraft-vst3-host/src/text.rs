//! The VST3 string types (`char8` arrays, UTF-16 `String128`) to and from
//! Rust strings. Pure conversions over owned arrays: nothing here touches a
//! plugin pointer.

use vst3::Steinberg::{char8, Vst::String128, Vst::TChar};

/// A NUL-terminated `char8` array as text (invalid UTF-8 replaced).
pub(crate) fn from_char8(chars: &[char8]) -> String {
    let bytes: Vec<u8> = chars
        .iter()
        .take_while(|&&c| c != 0)
        .map(|&c| c as u8)
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A NUL-terminated UTF-16 array as text (unpaired surrogates replaced).
pub(crate) fn from_tchar(chars: &[TChar]) -> String {
    let end = chars.iter().position(|&c| c == 0).unwrap_or(chars.len());
    String::from_utf16_lossy(&chars[..end])
}

/// `text` as a NUL-terminated `String128`, cut to fit.
pub(crate) fn to_string128(text: &str) -> String128 {
    let mut out = [0; 128];
    for (slot, unit) in out.iter_mut().take(127).zip(text.encode_utf16()) {
        *slot = unit;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_round_trip_and_are_cut_to_fit() {
        assert_eq!(from_tchar(&to_string128("−6.0 dB")), "−6.0 dB");
        let long = "x".repeat(300);
        let cut = to_string128(&long);
        assert_eq!(cut[127], 0);
        assert_eq!(from_tchar(&cut).len(), 127);
        let chars: Vec<char8> = b"Fx\0junk".iter().map(|&b| b as char8).collect();
        assert_eq!(from_char8(&chars), "Fx");
    }
}
