//! Single-load field reads: the words seen as bytes, so that a field of up
//! to 57 bits is one unaligned 8-byte load and a shift. The module's
//! `unsafe` is here, but for the one call of [`load_unchecked`] in
//! `PackedVec::get`, which relies on the zero word a `PackedVec` keeps after
//! its data. `benches/packed.rs` shows what they earn on random `get`: one
//! load instead of one or two, and a shorter loop, so more reads in flight.
//! The unchecked load, which leaves no test but `index < len`, took the
//! bench's median `get` ratio from 1.48 to 1.31× `Vec<u64>` (uniform) and
//! from 1.70 to 1.51× (timestamps), interleaved against the checked load.
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

/// The 8 bytes at byte offset `byte` of `words` as a little-endian word,
/// with no bounds check.
///
/// # Safety
///
/// `byte + 8 <= size_of_val(words)`.
#[inline(always)]
pub(crate) unsafe fn load_unchecked(words: &[u64], byte: usize) -> u64 {
    debug_assert!(byte + 8 <= size_of_val(words));
    // SAFETY: `byte + 8 <= size_of_val(words)` (the caller's promise), so
    // the offset stays inside the allocation of `words`.
    let at = unsafe { words.as_ptr().cast::<u8>().add(byte) };
    // SAFETY: the 8 bytes from `at` lie inside the memory of `words` (as
    // above), which is initialized and borrowed for reading for the whole
    // call; `read_unaligned` needs no alignment, and every bit pattern is a
    // valid `u64`.
    let w = unsafe { at.cast::<u64>().read_unaligned() };
    u64::from_le(w)
}
