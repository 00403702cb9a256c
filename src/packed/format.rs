//! The serialized form's header word, shared by the flat and block layouts.

use super::int::PackedInt;
use crate::error::PackedFormatError;

/// `b"LMPK"` read as a little-endian `u32`: the low half of every header.
pub(crate) const MAGIC: u32 = u32::from_le_bytes(*b"LMPK");
/// The format version this crate writes and reads.
pub(crate) const VERSION: u8 = 1;
/// Layout tag of [`PackedVec`](super::PackedVec) / [`PackedSlice`](super::PackedSlice).
pub(crate) const FLAT: u8 = 0;
/// Layout tag of [`BlockPackedVec`](super::BlockPackedVec).
pub(crate) const BLOCKS: u8 = 1;

/// The first word of a serialized structure.
pub(crate) fn header<T: PackedInt>(layout: u8, extra: u8) -> u64 {
    u64::from(MAGIC)
        | u64::from(VERSION) << 32
        | u64::from(layout) << 40
        | u64::from(T::TAG) << 48
        | u64::from(extra) << 56
}

/// Checks a header word for `T` and `layout`; returns its last byte.
pub(crate) fn parse_header<T: PackedInt>(word: u64, layout: u8) -> Result<u8, PackedFormatError> {
    let [_, _, _, _, version, found_layout, tag, extra] = word.to_le_bytes();
    if word as u32 != MAGIC {
        return Err(PackedFormatError::BadMagic);
    }
    if version != VERSION {
        return Err(PackedFormatError::UnsupportedVersion(version));
    }
    if found_layout != layout {
        return Err(PackedFormatError::WrongLayout {
            expected: layout,
            found: found_layout,
        });
    }
    if tag != T::TAG {
        return Err(PackedFormatError::WrongElementType {
            expected: T::TAG,
            found: tag,
        });
    }
    Ok(extra)
}

/// `words.len() >= needed`, or the error saying so.
pub(crate) fn need(words: &[u64], needed: u64) -> Result<(), PackedFormatError> {
    let found = words.len() as u64;
    if found < needed {
        Err(PackedFormatError::TooShort { needed, found })
    } else {
        Ok(())
    }
}

/// Words as little-endian bytes.
pub(crate) fn to_le_bytes(words: &[u64]) -> Vec<u8> {
    let mut out = Vec::with_capacity(words.len() * 8);
    for w in words {
        out.extend_from_slice(&w.to_le_bytes());
    }
    out
}

/// Little-endian bytes as words; the byte count must be a multiple of 8.
pub(crate) fn from_le_bytes(bytes: &[u8]) -> Result<Vec<u64>, PackedFormatError> {
    let chunks = bytes.chunks_exact(8);
    if !chunks.remainder().is_empty() {
        return Err(PackedFormatError::PartialWord {
            bytes: bytes.len() as u64,
        });
    }
    Ok(chunks
        .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
        .collect())
}
