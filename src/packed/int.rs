//! The element types a packed structure can hold.

use std::fmt::{Debug, Display};
use std::hash::Hash;

mod sealed {
    pub trait Sealed {}
}

/// A primitive integer that packed structures can hold: `u8`, `u16`, `u32`,
/// `u64`, `i8`, `i16`, `i32` and `i64`.
///
/// The trait is sealed; its methods map values to and from the unsigned
/// *key* domain where frames of reference are computed (order-preserving:
/// `a < b` exactly when `a.to_key() < b.to_key()`).
///
/// ```
/// use leanmem::packed::PackedInt;
///
/// assert_eq!(<i16 as PackedInt>::BITS, 16);
/// assert!(<i16 as PackedInt>::SIGNED);
/// assert!((-1i16).to_key() < 0i16.to_key());
/// ```
pub trait PackedInt:
    Copy + Ord + Hash + Debug + Display + Default + Send + Sync + 'static + sealed::Sealed
{
    /// Width of the type in bits.
    const BITS: u32;
    /// Whether the type is signed.
    const SIGNED: bool;
    /// Smallest value.
    const MIN: Self;
    /// Largest value.
    const MAX: Self;
    /// The element tag of the serialized form: the byte size, with `0x80`
    /// set for signed types.
    const TAG: u8;

    /// The value's order-preserving key in `0..2^BITS` (signed types are
    /// offset by `2^(BITS-1)`).
    ///
    /// ```
    /// use leanmem::packed::PackedInt;
    ///
    /// assert_eq!(i8::MIN.to_key(), 0);
    /// assert_eq!(i8::MAX.to_key(), 255);
    /// assert_eq!(7u32.to_key(), 7);
    /// ```
    fn to_key(self) -> u64;

    /// The value whose key is `key` (bits above `BITS` are ignored).
    ///
    /// ```
    /// use leanmem::packed::PackedInt;
    ///
    /// assert_eq!(i8::from_key(0), i8::MIN);
    /// assert_eq!(u16::from_key(513), 513);
    /// ```
    fn from_key(key: u64) -> Self;

    /// `self + offset` in wrapping arithmetic (offset truncated to `BITS`):
    /// how a packed offset becomes a value again.
    ///
    /// ```
    /// use leanmem::packed::PackedInt;
    ///
    /// assert_eq!((-100i8).add_offset(200), 100);
    /// ```
    fn add_offset(self, offset: u64) -> Self;

    /// The value as an `i128`, for exact sums.
    ///
    /// ```
    /// use leanmem::packed::PackedInt;
    ///
    /// assert_eq!(u64::MAX.to_i128(), u64::MAX as i128);
    /// ```
    fn to_i128(self) -> i128;

    /// The value as a 64-bit two's-complement word (sign-extended for
    /// signed types), as the serialized form stores it.
    ///
    /// ```
    /// use leanmem::packed::PackedInt;
    ///
    /// assert_eq!((-1i8).to_word(), u64::MAX);
    /// assert_eq!(255u8.to_word(), 255);
    /// ```
    fn to_word(self) -> u64;

    /// The value stored as `word` by [`to_word`](Self::to_word), or `None`
    /// if the word is not one of this type's values.
    ///
    /// ```
    /// use leanmem::packed::PackedInt;
    ///
    /// assert_eq!(i8::from_word(u64::MAX), Some(-1));
    /// assert_eq!(i8::from_word(200), None);
    /// ```
    fn from_word(word: u64) -> Option<Self>;

    /// The low `BITS` bits of `word` as a value: [`from_word`](Self::from_word)
    /// without the check, for words already validated.
    ///
    /// ```
    /// use leanmem::packed::PackedInt;
    ///
    /// assert_eq!(i8::truncate_word((-3i64) as u64), -3);
    /// ```
    fn truncate_word(word: u64) -> Self;
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl PackedInt for $t {
            const BITS: u32 = <$t>::BITS;
            const SIGNED: bool = false;
            const MIN: Self = <$t>::MIN;
            const MAX: Self = <$t>::MAX;
            const TAG: u8 = (<$t>::BITS / 8) as u8;
            #[inline(always)]
            fn to_key(self) -> u64 {
                self as u64
            }
            #[inline(always)]
            fn from_key(key: u64) -> Self {
                key as $t
            }
            #[inline(always)]
            fn add_offset(self, offset: u64) -> Self {
                self.wrapping_add(offset as $t)
            }
            #[inline(always)]
            fn to_i128(self) -> i128 {
                self as i128
            }
            #[inline(always)]
            fn to_word(self) -> u64 {
                self as u64
            }
            #[inline]
            fn from_word(word: u64) -> Option<Self> {
                <$t>::try_from(word).ok()
            }
            #[inline(always)]
            fn truncate_word(word: u64) -> Self {
                word as $t
            }
        }
    )*};
}

macro_rules! signed {
    ($($t:ty => $u:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl PackedInt for $t {
            const BITS: u32 = <$t>::BITS;
            const SIGNED: bool = true;
            const MIN: Self = <$t>::MIN;
            const MAX: Self = <$t>::MAX;
            const TAG: u8 = (<$t>::BITS / 8) as u8 | 0x80;
            #[inline(always)]
            fn to_key(self) -> u64 {
                ((self as $u) ^ (1 << (<$t>::BITS - 1))) as u64
            }
            #[inline(always)]
            fn from_key(key: u64) -> Self {
                ((key as $u) ^ (1 << (<$t>::BITS - 1))) as $t
            }
            #[inline(always)]
            fn add_offset(self, offset: u64) -> Self {
                self.wrapping_add(offset as $t)
            }
            #[inline(always)]
            fn to_i128(self) -> i128 {
                self as i128
            }
            #[inline(always)]
            fn to_word(self) -> u64 {
                self as i64 as u64
            }
            #[inline]
            fn from_word(word: u64) -> Option<Self> {
                <$t>::try_from(word as i64).ok()
            }
            #[inline(always)]
            fn truncate_word(word: u64) -> Self {
                word as $t
            }
        }
    )*};
}

unsigned!(u8, u16, u32, u64);
signed!(i8 => u8, i16 => u16, i32 => u32, i64 => u64);

/// Bits needed for offsets up to `span`: `ceil(log2(span + 1))`.
#[inline]
pub(crate) fn width_for(span: u64) -> u32 {
    64 - span.leading_zeros()
}

/// The largest offset of a `width`-bit field.
#[inline]
pub(crate) fn mask(width: u32) -> u64 {
    if width == 0 {
        0
    } else {
        u64::MAX >> (64 - width)
    }
}

/// The narrowest frame of keys `lo..=hi`: its base key and width.
#[inline]
pub(crate) fn tight_frame<T: PackedInt>(lo: u64, hi: u64) -> (u64, u32) {
    let width = width_for(hi - lo);
    (frame_base::<T>(lo, hi, width, false), width)
}

/// The key of a frame's base for keys `lo..=hi` at `width` bits (at least
/// the width the span needs), placed so that the frame lies inside `T`'s
/// range: at `lo` when room is wanted above, as low as the range allows when
/// room is wanted below.
#[inline]
pub(crate) fn frame_base<T: PackedInt>(lo: u64, hi: u64, width: u32, room_below: bool) -> u64 {
    let top = T::MAX.to_key();
    let m = mask(width);
    let base = if room_below { hi.saturating_sub(m) } else { lo };
    // Keep base + m <= top so no offset decodes past T::MAX.
    if m > top - base { top - m } else { base }
}
