//! Single-load field reads: the words seen as bytes, so that a field of up
//! to 57 bits is one unaligned 8-byte load and a shift. This is the only
//! `unsafe` of the module; `benches/packed.rs` shows what it earns on random
//! `get` (one load instead of one or two, a shorter loop, more reads in
//! flight).
#![allow(unsafe_code)]

/// The bytes of `words`, in memory order.
#[inline(always)]
pub(crate) fn as_bytes(words: &[u64]) -> &[u8] {
    // SAFETY:
    // 1. The pointer and length describe exactly the memory of `words`
    //    (`size_of_val(words)` bytes of one allocation), which is valid and
    //    initialized for reads for the returned lifetime, tied to `words`.
    // 2. `u8` has alignment 1 and every bit pattern is a valid `u8`.
    // 3. `words` is borrowed immutably for that lifetime, so nothing can
    //    write to the memory while the byte slice lives.
    unsafe { std::slice::from_raw_parts(words.as_ptr().cast::<u8>(), size_of_val(words)) }
}

/// The 8 bytes at byte offset `byte` as a little-endian word, or `None` if
/// they are not all inside `words`.
#[inline(always)]
pub(crate) fn load_at(words: &[u64], byte: usize) -> Option<u64> {
    // A wrapped end (only for `byte` near `usize::MAX`) makes an empty,
    // inverted range: `get` answers `None`, no overflow check needed.
    let bytes = as_bytes(words).get(byte..byte.wrapping_add(8))?;
    let mut b = [0u8; 8];
    b.copy_from_slice(bytes);
    Some(u64::from_le_bytes(b))
}
