//! The bytes a host stores for a plugin instance (CLAP `state`, VST3 component state):
//! every parameter's value, in a versioned, self-checking format. It lives once, so
//! the same values saved by either format read the same.
//!
//! ```text
//! magic  "WCST"            4 bytes
//! version u16 LE           2 bytes   (this module writes and reads 1)
//! count   u32 LE           4 bytes   (at most MAX_PARAMS)
//! count × (id u32 LE, value f64 LE)  12 bytes each; id = host parameter id
//! crc32   u32 LE           4 bytes   (IEEE 802.3 as zlib computes it, over everything before it)
//! ```
//!
//! Decoding either returns every pair or refuses the input whole: empty,
//! truncated, oversized, foreign (wrong magic), newer, bit-flipped (CRC-32
//! catches every error burst up to 32 bits) or holding a non-finite value.
//! What to do with unknown or missing ids is the caller's business. Nothing
//! here runs on the audio thread.

use std::fmt;

/// The first bytes of every state.
pub const MAGIC: [u8; 4] = *b"WCST";
/// The format version this module writes.
pub const VERSION: u16 = 1;
/// Most parameters a state may hold; larger input is refused before it is read whole.
pub const MAX_PARAMS: usize = 4096;
const HEADER: usize = 4 + 2 + 4;
const PAIR: usize = 4 + 8;
const CHECKSUM: usize = 4;
/// Largest valid state in bytes.
pub const MAX_BYTES: usize = HEADER + MAX_PARAMS * PAIR + CHECKSUM;

/// Why a state was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateError {
    /// No bytes at all.
    Empty,
    /// Not a Wavecraft state.
    BadMagic,
    /// Written by a newer (or unknown) format version.
    UnsupportedVersion(u16),
    /// More parameters than any plugin may have, or more bytes than such a state needs.
    TooLarge,
    /// The length does not match the declared count (truncated or padded).
    Length {
        /// Bytes the header promises.
        expected: usize,
        /// Bytes present.
        actual: usize,
    },
    /// The checksum does not match: the bytes were damaged.
    Checksum,
    /// A stored value is NaN or infinite.
    NotFinite {
        /// The host id of the parameter.
        id: u32,
    },
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("the state is empty"),
            Self::BadMagic => f.write_str("the state is not a Wavecraft plugin state"),
            Self::UnsupportedVersion(v) => write!(
                f,
                "the state has format version {v}; this plugin reads version {VERSION}"
            ),
            Self::TooLarge => write!(f, "the state is larger than {MAX_BYTES} bytes"),
            Self::Length { expected, actual } => write!(
                f,
                "the state should be {expected} bytes long but is {actual} (truncated or padded)"
            ),
            Self::Checksum => f.write_str("the state's checksum does not match (damaged bytes)"),
            Self::NotFinite { id } => write!(f, "the state holds a non-finite value for id {id}"),
        }
    }
}

impl std::error::Error for StateError {}

/// Encodes `(host id, plain value)` pairs; panics beyond [`MAX_PARAMS`] pairs.
pub fn encode(pairs: &[(u32, f64)]) -> Vec<u8> {
    assert!(
        pairs.len() <= MAX_PARAMS,
        "a plugin state holds at most {MAX_PARAMS} parameters"
    );
    let mut bytes = Vec::with_capacity(HEADER + pairs.len() * PAIR + CHECKSUM);
    bytes.extend_from_slice(&MAGIC);
    bytes.extend_from_slice(&VERSION.to_le_bytes());
    bytes.extend_from_slice(&(pairs.len() as u32).to_le_bytes());
    for &(id, value) in pairs {
        bytes.extend_from_slice(&id.to_le_bytes());
        bytes.extend_from_slice(&value.to_le_bytes());
    }
    let checksum = crc32fast::hash(&bytes);
    bytes.extend_from_slice(&checksum.to_le_bytes());
    bytes
}

/// Decodes a state into its `(host id, plain value)` pairs, or refuses it whole.
pub fn decode(bytes: &[u8]) -> Result<Vec<(u32, f64)>, StateError> {
    if bytes.is_empty() {
        return Err(StateError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(StateError::TooLarge);
    }
    if bytes.len() < MAGIC.len() || bytes[..MAGIC.len()] != MAGIC {
        return Err(StateError::BadMagic);
    }
    if bytes.len() < HEADER + CHECKSUM {
        return Err(StateError::Length {
            expected: HEADER + CHECKSUM,
            actual: bytes.len(),
        });
    }
    let version = u16::from_le_bytes([bytes[4], bytes[5]]);
    if version != VERSION {
        return Err(StateError::UnsupportedVersion(version));
    }
    let count = u32::from_le_bytes([bytes[6], bytes[7], bytes[8], bytes[9]]) as usize;
    if count > MAX_PARAMS {
        return Err(StateError::TooLarge);
    }
    let expected = HEADER + count * PAIR + CHECKSUM;
    if bytes.len() != expected {
        return Err(StateError::Length {
            expected,
            actual: bytes.len(),
        });
    }
    let (body, stored) = bytes.split_at(expected - CHECKSUM);
    if crc32fast::hash(body) != u32::from_le_bytes([stored[0], stored[1], stored[2], stored[3]]) {
        return Err(StateError::Checksum);
    }
    body[HEADER..]
        .chunks_exact(PAIR)
        .map(|pair| {
            let (id, value) = pair.split_at(4);
            let id = u32::from_le_bytes([id[0], id[1], id[2], id[3]]);
            let mut raw = [0u8; 8];
            raw.copy_from_slice(value);
            let value = f64::from_le_bytes(raw);
            if value.is_finite() {
                Ok((id, value))
            } else {
                Err(StateError::NotFinite { id })
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAIRS: [(u32, f64); 3] = [(7, -6.0), (123_456, 0.1), (42, 20_000.0)];

    #[test]
    fn the_checksum_is_crc32_ieee() {
        // The reference check value of CRC-32/ISO-HDLC (zlib's); CRC-32C would give 0xe3069283.
        assert_eq!(crc32fast::hash(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32fast::hash(b""), 0);
    }

    #[test]
    fn the_bytes_of_a_state_stay_what_hosts_saved() {
        // One pair (id 7, -6.0), as version 1 has always written it: a session saved by an
        // earlier build must load, so these bytes never change.
        const SAVED: [u8; 26] = [
            0x57, 0x43, 0x53, 0x54, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x18, 0xc0, 0x1b, 0x21, 0xde, 0xc0,
        ];
        assert_eq!(encode(&[(7, -6.0)]), SAVED);
        assert_eq!(decode(&SAVED), Ok(vec![(7, -6.0)]));
    }

    #[test]
    fn round_trips_bit_exact() {
        let bytes = encode(&PAIRS);
        assert_eq!(bytes.len(), HEADER + 3 * PAIR + CHECKSUM);
        assert_eq!(decode(&bytes).unwrap(), PAIRS.to_vec());
        assert_eq!(decode(&encode(&[])).unwrap(), Vec::new());
    }

    #[test]
    fn refuses_every_damaged_input() {
        let bytes = encode(&PAIRS);
        assert_eq!(decode(&[]), Err(StateError::Empty));
        for len in 1..bytes.len() {
            assert!(decode(&bytes[..len]).is_err(), "truncated to {len}");
        }
        for bit in 0..bytes.len() * 8 {
            let mut flipped = bytes.clone();
            flipped[bit / 8] ^= 1 << (bit % 8);
            assert!(decode(&flipped).is_err(), "bit {bit} flipped");
        }
        let mut padded = bytes.clone();
        padded.push(0);
        assert!(matches!(decode(&padded), Err(StateError::Length { .. })));
        assert_eq!(decode(&vec![0u8; MAX_BYTES + 1]), Err(StateError::TooLarge));
        assert_eq!(decode(b"{\"gain\": 1}"), Err(StateError::BadMagic));
        let mut huge = MAGIC.to_vec();
        huge.extend_from_slice(&VERSION.to_le_bytes());
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        huge.extend_from_slice(&[0; 4]);
        assert_eq!(decode(&huge), Err(StateError::TooLarge));
        let nan = encode(&[(1, f64::NAN)]);
        assert_eq!(decode(&nan), Err(StateError::NotFinite { id: 1 }));
    }

    #[test]
    fn refuses_random_bytes() {
        // A fixed xorshift sequence: deterministic "random" input of many lengths.
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        for len in 1..600 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            assert!(decode(&bytes).is_err(), "{len} random bytes accepted");
        }
    }
}
