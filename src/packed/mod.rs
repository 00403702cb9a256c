//! Integer vectors at the bit-width limit: Python's `array.array`, and then
//! some.
//!
//! A Python list of ints costs about 37 bytes per element (a pointer and a
//! boxed int object); `array.array` stores the numbers unboxed at a fixed
//! size. [`PackedVec<T>`] goes further: it stores each value in exactly the
//! bits its range needs, `⌈log2(max − min + 1)⌉`, with the minimum stored
//! once as a *frame of reference*, so offsets such as timestamps and
//! negative numbers cost nothing extra. Reads stay fast: `get` is one or two
//! word reads, and sequential decoding runs width-specialised kernels that
//! unpack 64 values from `width` words with every shift known at compile
//! time.
//!
//! | structure | bits per value | `get` | best for |
//! |---|---|---|---|
//! | [`PackedVec<T>`] | `⌈log2(max − min + 1)⌉` + 64 bytes in all | **O(1)**, one unaligned load (two word reads above 57 bits) | values spread over a range; `push`, `set`, `pop` |
//! | [`BlockPackedVec<T>`] | per block of 128: `⌈log2(block max − block min + 1)⌉` + 1 | **O(1)**, a block header and a field | sorted or slowly changing series (timestamps, ids) |
//! | [`PackedSlice`], [`BlockPackedSlice`] | the same, over borrowed words | the same | zero-copy reading of the serialized form (a mapped file) |
//!
//! Element types are `u8 ..= u64` and `i8 ..= i64` ([`PackedInt`]).
//!
//! ```
//! use leanmem::packed::{BlockPackedVec, PackedVec};
//!
//! // Unix timestamps, one per second or so: 31 bits as plain numbers.
//! let times: Vec<u32> = (0..10_000).map(|i| 1_700_000_000 + i * 2).collect();
//! let flat = PackedVec::from_slice(&times);
//! assert_eq!(flat.bit_width(), 15); // the span 0..=19_998, not the values
//! assert_eq!(flat.get(3), Some(1_700_000_006));
//! assert_eq!(flat.sum(), times.iter().map(|&t| i128::from(t)).sum::<i128>());
//!
//! // Per block of 128, each block needs only its own span (254 → 8 bits).
//! let blocks = BlockPackedVec::from_slice(&times);
//! assert!(blocks.bits_per_value() < 9.5);
//! assert_eq!(blocks.get(9_999), Some(1_700_019_998));
//! ```

mod bits;
mod blocks;
mod format;
mod int;
mod iter;
#[cfg(feature = "serde")]
mod serde;
mod slice;
#[cfg(test)]
mod tests;
mod unaligned;

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::RangeInclusive;

use self::bits::{GROUP, MinMaxSink};
use self::int::{frame_base, mask, tight_frame, width_for};
use crate::measure::{HeapContext, HeapSize};

pub use self::blocks::{BLOCK_LEN, BlockPackedSlice, BlockPackedVec};
pub use self::int::PackedInt;
pub use self::iter::{BlockIntoIter, BlockIter, IntoIter, Iter};
pub use self::slice::PackedSlice;
pub use crate::error::{PackedFormatError, PackedRangeError, PackedSetError};

/// A vector of integers, each stored in the bits its range needs.
///
/// Values are kept as offsets from a frame of reference, `min_value()`, in
/// `bit_width()` bits each: `⌈log2(max − min + 1)⌉` after
/// [`from_slice`](Self::from_slice) or `collect`. Width 0 (all values equal)
/// stores no words at all; width 64 holds any `u64`/`i64`.
///
/// # Growing
///
/// [`push`](Self::push) and [`set`](Self::set) accept any value: one that
/// falls outside the frame `min_value() ..= min_value() + 2^bit_width() − 1`
/// re-packs the whole vector, in place, at a lower base or a wider width.
/// Each re-pack of a non-empty vector widens by at least one bit (so at
/// most 64 re-packs between two calls to
/// [`shrink_to_fit`](Self::shrink_to_fit), or until the vector is emptied:
/// an empty one re-frames at the narrowest width), and pushes cost
/// **O(1)** amortized. Grown by `push` and `extend` from its narrowest
/// width (as `new`, `from_slice` and `collect` leave it, and
/// `shrink_to_fit` a non-empty vector), the width stays at most one bit
/// above the narrowest the values need, whichever side new values fall
/// on; a `set`, `pop` or `truncate` that drops the extreme values may
/// leave it wider. `shrink_to_fit` restores the narrowest. For a fixed
/// width, build with [`with_range`](Self::with_range)
/// and use [`try_push`](Self::try_push) / [`try_set`](Self::try_set): they
/// never re-pack, and hand a value that does not fit back in a
/// [`PackedRangeError`].
///
/// # Memory layout
///
/// ```text
/// PackedVec<T> (56 bytes)     heap: ⌈len·width/64⌉ words, + 1 if any (+ capacity slack)
/// ┌────────────┬─────┬───────┬──────┬─────┐   word 0            word 1
/// │ words: Vec │ len │ width │ mask │ min │   ┌────────────────┐┌───────────
/// └────────────┴─────┴───────┴──────┴─────┘   │f2│ f1 │  f0    ││ … f3 │f2'│
///                                             └────────────────┘└───────────
/// ```
///
/// Field `i` (the offset `value − min`) is bits `i·w .. (i+1)·w` of the
/// words, LSB-first; a field may straddle two words. Bits past the last
/// field are zero. 64 fields of width `w` fill exactly `w` words, which is
/// what the sequential kernels exploit. One more zero word follows the data
/// words, when there are any: with it, [`get`](Self::get) reads any field
/// of up to 57 bits with one unaligned 8-byte load and no bounds check
/// beyond `index < len`. The serialized form, described on
/// [`PackedSlice`], has no such word.
///
/// # No `Index`, no `&mut`
///
/// A packed value has no address, so there is no `Index` (which must return
/// a reference) and no `iter_mut`: read with [`get`](Self::get) and write
/// with [`set`](Self::set).
///
/// ```
/// use leanmem::packed::PackedVec;
///
/// let mut v: PackedVec<i64> = PackedVec::new();
/// v.push(-1);
/// v.push(i64::MAX);
/// assert_eq!(v.bit_width(), 64);
/// assert_eq!(v.to_vec(), [-1, i64::MAX]);
/// ```
#[derive(Clone)]
pub struct PackedVec<T: PackedInt> {
    /// The data words and one zero word after them; none when empty.
    /// Always exactly [`padded_words`]`(len, width)` long: `get` relies on
    /// it to read 8 bytes at any field without a bounds check.
    words: Vec<u64>,
    len: usize,
    width: u32,
    mask: u64,
    min: T,
}

/// Length of the words of a [`PackedVec`] of `len` fields of `width`
/// bits: the data words and one zero word after them (none when there are
/// no data words: empty, or width 0), or `None` on overflow or past
/// `isize::MAX` fields. That bound, a `Vec`'s (and a view's, checked by
/// [`PackedSlice::from_words`]), matters at width 0, which stores nothing:
/// past it, `sum` could overflow its `i128`.
fn padded_words(len: usize, width: u32) -> Option<usize> {
    isize::try_from(len).ok()?;
    match bits::words_for(len, width)? {
        0 => Some(0),
        data => data.checked_add(1),
    }
}

/// The words and width of a [`PackedVec`], copied out of it for a read.
#[derive(Clone, Copy)]
struct FieldReader<'a> {
    /// All the words, with the zero word after the data.
    words: &'a [u64],
    width: u32,
    mask: u64,
    #[cfg(debug_assertions)]
    len: usize,
}

impl FieldReader<'_> {
    /// Field `index`.
    ///
    /// # Safety
    ///
    /// `index` is below the length of the vector the reader was taken from.
    #[inline(always)]
    #[allow(unsafe_code)]
    unsafe fn read(self, index: usize) -> u64 {
        #[cfg(debug_assertions)]
        debug_assert!(index < self.len);
        #[cfg(target_endian = "little")]
        if (1..=57).contains(&self.width) {
            // No overflow: `len · width` bits fit in a `usize` (the words
            // exist), and `index < len`.
            let bit = index * self.width as usize;
            // SAFETY: `load_unchecked` needs `bit / 8 + 8 <= 8 ·
            // words.len()`. With `D = words_for(len, width)` data words,
            // the words are `D + 1` long here (width >= 1 and len >= 1, so
            // D >= 1; the invariant of `PackedVec::words`, kept by every
            // method that changes `len`, `width` or `words`, and asserted
            // by `debug_check`). The field ends within the data: `bit +
            // width <= len · width <= 64 · D`, so `bit <= 64 · D − 1`,
            // `bit / 8 <= 8 · D − 1`, and `bit / 8 + 8 <= 8 · D + 7 < 8 ·
            // (D + 1)`. A field of up to 57 bits starting at bit
            // `bit % 8 <= 7` of those 8 bytes lies within them.
            let w = unsafe { unaligned::load_unchecked(self.words, bit / 8) };
            return (w >> (bit % 8)) & self.mask;
        }
        // Width 0 (no words: reads as 0) and widths above 57.
        bits::read(self.words, self.width, self.mask, index)
    }
}

impl<T: PackedInt> PackedVec<T> {
    /// An empty vector (width 0, frame `0..=0`). Allocates nothing.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v = PackedVec::<u32>::new();
    /// assert!(v.is_empty());
    /// assert_eq!(v.bit_width(), 0);
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self {
            words: Vec::new(),
            len: 0,
            width: 0,
            mask: 0,
            min: T::default(),
        }
    }

    /// An empty vector with room for `capacity` values at the full width of
    /// `T`, the widest they could need: pushes (and the re-packs they cause)
    /// do not reallocate until then. [`shrink_to_fit`](Self::shrink_to_fit)
    /// gives back what the final width does not use.
    ///
    /// # Panics
    ///
    /// If the needed capacity overflows `usize` (as for `Vec::with_capacity`).
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    /// use leanmem::measure::HeapSize;
    ///
    /// let v = PackedVec::<u16>::with_capacity(64);
    /// assert_eq!(v.heap_size(), 64 * 2 + 8); // and the word after the data
    /// ```
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        let words = padded_words(capacity, T::BITS).expect("capacity overflow");
        Self {
            words: Vec::with_capacity(words),
            ..Self::new()
        }
    }

    /// An empty vector whose frame covers `range` (the bounds in either
    /// order): the fixed-width mode. Its width is
    /// `⌈log2(hi − lo + 1)⌉`; [`try_push`](Self::try_push) and
    /// [`try_set`](Self::try_set) accept exactly the values of
    /// [`frame`](Self::frame), which starts at `lo` unless that would run
    /// past `T::MAX` (the frame is a power of two wide, so it may cover a
    /// little more than `range`).
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let mut v = PackedVec::<u32>::with_range(1000..=1999);
    /// assert_eq!(v.bit_width(), 10);
    /// assert_eq!(v.frame(), 1000..=2023);
    /// assert!(v.try_push(1500).is_ok());
    /// assert!(v.try_push(999).is_err());
    /// ```
    #[must_use]
    pub fn with_range(range: RangeInclusive<T>) -> Self {
        let (a, b) = range.into_inner();
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let mut v = Self::new();
        let (base, width) = tight_frame::<T>(lo.to_key(), hi.to_key());
        v.set_frame(base, width);
        v
    }

    /// A vector of `values` at the narrowest width: two passes over the
    /// values (minimum and maximum, then packing 64 at a time).
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v = PackedVec::from_slice(&[-1000i32, 0, 23]);
    /// assert_eq!(v.bit_width(), 10); // span 1023 = 2^10 − 1
    /// assert_eq!(v.min_value(), -1000);
    /// assert_eq!(v.to_vec(), [-1000, 0, 23]);
    /// ```
    #[must_use]
    pub fn from_slice(values: &[T]) -> Self {
        let Some(&first) = values.first() else {
            return Self::new();
        };
        let (lo, hi) = values
            .iter()
            .fold((first, first), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        let (base, width) = tight_frame::<T>(lo.to_key(), hi.to_key());
        let len = values.len();
        let n_words = bits::words_for(len, width).expect("capacity overflow");
        // The data words, then the zero word `get` may read into.
        let mut words = vec![0u64; padded_words(len, width).expect("capacity overflow")];
        let pack = bits::packer(width);
        let w = width as usize;
        let mut buf = [0u64; GROUP];
        let mut groups = values.chunks_exact(GROUP);
        for (g, chunk) in groups.by_ref().enumerate() {
            for (b, &v) in buf.iter_mut().zip(chunk) {
                *b = v.to_key().wrapping_sub(base);
            }
            pack(&buf, &mut words[g * w..]);
        }
        let rest = groups.remainder();
        if !rest.is_empty() {
            buf = [0; GROUP];
            for (b, &v) in buf.iter_mut().zip(rest) {
                *b = v.to_key().wrapping_sub(base);
            }
            let mut tmp = [0u64; GROUP];
            pack(&buf, &mut tmp);
            let start = (len / GROUP) * w;
            let k = n_words - start;
            words[start..n_words].copy_from_slice(&tmp[..k]);
        }
        let v = Self {
            words,
            len,
            width,
            mask: mask(width),
            min: T::from_key(base),
        };
        v.debug_check();
        v
    }

    /// The data words, without the word that follows them.
    #[inline]
    fn data_words(&self) -> &[u64] {
        &self.words[..self.words.len().saturating_sub(1)]
    }

    /// Asserts, in debug builds, the invariant `get` relies on.
    #[inline]
    fn debug_check(&self) {
        debug_assert_eq!(
            Some(self.words.len()),
            padded_words(self.len, self.width),
            "the words of a PackedVec are its data words and one more"
        );
    }

    /// A read-only view of the vector, with every read method. Computes in
    /// **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::{PackedSlice, PackedVec};
    ///
    /// let v = PackedVec::from_slice(&[1u8, 2, 3]);
    /// let view: PackedSlice<'_, u8> = v.as_slice();
    /// assert_eq!(view.len(), 3);
    /// ```
    #[inline]
    #[must_use]
    pub fn as_slice(&self) -> PackedSlice<'_, T> {
        PackedSlice::from_raw(self.data_words(), self.len, self.width, self.min)
    }

    /// Number of values. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// assert_eq!(PackedVec::from_slice(&[0u8; 5]).len(), 5);
    /// ```
    #[inline]
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the vector holds no values. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// assert!(PackedVec::<i8>::new().is_empty());
    /// ```
    #[inline]
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bits per value. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// assert_eq!(PackedVec::from_slice(&[0u64, (1 << 20) - 1]).bit_width(), 20);
    /// assert_eq!(PackedVec::from_slice(&[42u64; 3]).bit_width(), 0);
    /// ```
    #[inline]
    #[must_use]
    pub fn bit_width(&self) -> u32 {
        self.width
    }

    /// The frame of reference: every value is `min_value() + offset`, so it
    /// is at most the smallest value (equal to it after
    /// [`from_slice`](Self::from_slice) or
    /// [`shrink_to_fit`](Self::shrink_to_fit), unless the frame had to be
    /// moved down to end at `T::MAX`). Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v = PackedVec::from_slice(&[1_700_000_000u32, 1_700_000_100]);
    /// assert_eq!(v.min_value(), 1_700_000_000);
    /// assert_eq!(v.bit_width(), 7);
    /// ```
    #[inline]
    #[must_use]
    pub fn min_value(&self) -> T {
        self.min
    }

    /// The values that fit without re-packing: `min_value() ..=
    /// min_value() + 2^bit_width() − 1`. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// assert_eq!(PackedVec::from_slice(&[-2i8, 1]).frame(), -2..=1);
    /// ```
    #[inline]
    #[must_use]
    pub fn frame(&self) -> RangeInclusive<T> {
        self.as_slice().frame()
    }

    /// How many values fit in the allocated words at the current width
    /// (`usize::MAX` at width 0, which stores nothing). Computes in
    /// **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v = PackedVec::<u8>::with_capacity(100);
    /// assert_eq!(v.capacity(), usize::MAX); // empty: width 0 so far
    /// let v = PackedVec::from_slice(&[0u8, 255]);
    /// assert_eq!(v.capacity(), 8); // one word of 8-bit fields
    /// ```
    #[inline]
    #[must_use]
    pub fn capacity(&self) -> usize {
        if self.width == 0 {
            usize::MAX
        } else {
            // Less the word that follows the data.
            self.words.capacity().saturating_sub(1).saturating_mul(64) / self.width as usize
        }
    }

    /// Reserves room for at least `additional` more values at the current
    /// width. Computes in **O(len)** time when it reallocates.
    ///
    /// # Panics
    ///
    /// If the vector would hold more than `isize::MAX` values, or more words
    /// than `usize` can count (as for `Vec::reserve`).
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let mut v = PackedVec::from_slice(&[0u32, 1000]);
    /// v.reserve(100);
    /// assert!(v.capacity() >= 102);
    /// ```
    pub fn reserve(&mut self, additional: usize) {
        let want = self
            .len
            .checked_add(additional)
            .and_then(|n| padded_words(n, self.width))
            .expect("capacity overflow");
        self.words.reserve(want.saturating_sub(self.words.len()));
    }

    /// The value at `index`, or `None` out of bounds. Computes in **O(1)**
    /// time: one unaligned 8-byte load for widths up to 57, one or two word
    /// reads above.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v = PackedVec::from_slice(&[10u16, 20, 30]);
    /// assert_eq!(v.get(1), Some(20));
    /// assert_eq!(v.get(3), None);
    /// ```
    #[inline]
    #[must_use]
    pub fn get(&self, index: usize) -> Option<T> {
        // Every field is read before the test, so that in a loop of `get`s
        // the compiler keeps them in registers: read inside it, they were
        // loaded again at every call, and those loads, waiting behind the
        // cache misses, took room that more misses in flight could use.
        let (len, min) = (self.len, self.min);
        let field = self.field_reader();
        if index < len {
            // SAFETY: `index < len`, the length of `self`, which `field`
            // was taken from.
            #[allow(unsafe_code)]
            let offset = unsafe { field.read(index) };
            Some(min.add_offset(offset))
        } else {
            None
        }
    }

    /// What [`get`](Self::get) reads a field with.
    #[inline(always)]
    fn field_reader(&self) -> FieldReader<'_> {
        FieldReader {
            words: &self.words,
            width: self.width,
            mask: self.mask,
            #[cfg(debug_assertions)]
            len: self.len,
        }
    }

    /// The first value, or `None` if empty. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// assert_eq!(PackedVec::from_slice(&[7u8, 8]).first(), Some(7));
    /// ```
    #[inline]
    #[must_use]
    pub fn first(&self) -> Option<T> {
        self.get(0)
    }

    /// The last value, or `None` if empty. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// assert_eq!(PackedVec::from_slice(&[7u8, 8]).last(), Some(8));
    /// ```
    #[inline]
    #[must_use]
    pub fn last(&self) -> Option<T> {
        self.as_slice().last()
    }

    /// Whether `value` lies in the frame (fits without re-packing).
    #[inline]
    fn fits(&self, value: T) -> bool {
        let (k, base) = (value.to_key(), self.min.to_key());
        k >= base && k - base <= self.mask
    }

    /// The error for a value that does not fit.
    fn range_error(&self, value: T) -> PackedRangeError<T> {
        let r = self.frame();
        PackedRangeError::new(value, *r.start(), *r.end())
    }

    /// Appends a value that fits the frame.
    #[inline]
    fn push_fitting(&mut self, value: T) {
        let need = self
            .len
            .checked_add(1)
            .and_then(|n| padded_words(n, self.width))
            .expect("capacity overflow");
        if self.words.len() < need {
            self.words.resize(need, 0);
        }
        let off = value.to_key() - self.min.to_key();
        bits::write(&mut self.words, self.width, self.mask, self.len, off);
        self.len += 1;
        self.debug_check();
    }

    /// Appends `value`, re-packing first if it falls outside the frame (see
    /// [Growing](Self#growing)).
    ///
    /// Computes in **O(1)** amortized time; a re-pack is **O(len)**.
    ///
    /// # Panics
    ///
    /// If the vector would hold more than `isize::MAX` values, or more words
    /// than `usize` can count (as for `Vec::push`).
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let mut v = PackedVec::new();
    /// v.push(5u32);
    /// assert_eq!(v.bit_width(), 0);
    /// v.push(6);
    /// assert_eq!(v.bit_width(), 1);
    /// v.push(1000);
    /// assert_eq!(v.to_vec(), [5, 6, 1000]);
    /// ```
    pub fn push(&mut self, value: T) {
        if !self.fits(value) {
            let k = value.to_key();
            self.reframe(k, k, k < self.min.to_key());
        }
        self.push_fitting(value);
    }

    /// Appends `value` only if it fits the frame, never re-packing.
    ///
    /// Computes in **O(1)** amortized time.
    ///
    /// # Errors
    ///
    /// [`PackedRangeError`] holding the value if it lies outside
    /// [`frame`](Self::frame); the vector is unchanged.
    ///
    /// # Panics
    ///
    /// If the vector would hold more than `isize::MAX` values, or more words
    /// than `usize` can count (as for `Vec::push`).
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let mut v = PackedVec::<i16>::with_range(-8..=7);
    /// assert_eq!(v.try_push(-8), Ok(()));
    /// let err = v.try_push(8).unwrap_err();
    /// assert_eq!((err.value(), err.range()), (8, -8..=7));
    /// assert_eq!(v.to_vec(), [-8]);
    /// ```
    pub fn try_push(&mut self, value: T) -> Result<(), PackedRangeError<T>> {
        if self.fits(value) {
            self.push_fitting(value);
            Ok(())
        } else {
            Err(self.range_error(value))
        }
    }

    /// Replaces the value at `index`, re-packing first if `value` falls
    /// outside the frame; returns the old value, or `None` (and changes
    /// nothing) if `index` is out of bounds.
    ///
    /// Computes in **O(1)** time, or **O(len)** when it re-packs.
    ///
    /// # Panics
    ///
    /// If a re-pack needs more words than `usize` can count (as for
    /// [`push`](Self::push)).
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let mut v = PackedVec::from_slice(&[1u8, 2, 3]);
    /// assert_eq!(v.set(0, 200), Some(1));
    /// assert_eq!(v.set(9, 0), None);
    /// assert_eq!(v.to_vec(), [200, 2, 3]);
    /// ```
    pub fn set(&mut self, index: usize, value: T) -> Option<T> {
        let old = self.get(index)?;
        if !self.fits(value) {
            let k = value.to_key();
            self.reframe(k, k, k < self.min.to_key());
        }
        let off = value.to_key() - self.min.to_key();
        bits::write(&mut self.words, self.width, self.mask, index, off);
        Some(old)
    }

    /// Replaces the value at `index` only if `value` fits the frame, never
    /// re-packing; returns the old value.
    ///
    /// Computes in **O(1)** time.
    ///
    /// # Errors
    ///
    /// [`PackedSetError::IndexOutOfBounds`] or
    /// [`PackedSetError::OutOfRange`]; the vector is unchanged.
    ///
    /// ```
    /// use leanmem::packed::{PackedSetError, PackedVec};
    ///
    /// let mut v = PackedVec::from_slice(&[0u32, 15]);
    /// assert_eq!(v.try_set(0, 9), Ok(0));
    /// assert!(matches!(v.try_set(1, 16), Err(PackedSetError::OutOfRange(_))));
    /// assert_eq!(v.to_vec(), [9, 15]);
    /// ```
    pub fn try_set(&mut self, index: usize, value: T) -> Result<T, PackedSetError<T>> {
        let Some(old) = self.get(index) else {
            return Err(PackedSetError::IndexOutOfBounds {
                index,
                len: self.len,
            });
        };
        if !self.fits(value) {
            return Err(PackedSetError::OutOfRange(self.range_error(value)));
        }
        let off = value.to_key() - self.min.to_key();
        bits::write(&mut self.words, self.width, self.mask, index, off);
        Ok(old)
    }

    /// Removes and returns the last value, or `None` if empty. The frame
    /// is kept. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let mut v = PackedVec::from_slice(&[1i8, -1]);
    /// assert_eq!(v.pop(), Some(-1));
    /// assert_eq!(v.pop(), Some(1));
    /// assert_eq!(v.pop(), None);
    /// ```
    pub fn pop(&mut self) -> Option<T> {
        let last = self.last()?;
        self.truncate(self.len - 1);
        Some(last)
    }

    /// Keeps the first `len` values and drops the rest (nothing happens if
    /// `len >= self.len()`). The frame and the allocation are kept.
    /// Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let mut v: PackedVec<u32> = (0..100).collect();
    /// v.truncate(10);
    /// assert_eq!(v.len(), 10);
    /// assert_eq!(v.last(), Some(9));
    /// ```
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        // Fewer fields: fewer data words, and still the zero word after.
        // Only the kept words are cleared (past the last field), so that
        // dropping many values costs no more than dropping one.
        let keep = padded_words(len, self.width).unwrap_or(self.words.len());
        bits::clear_from(&mut self.words[..keep], len * self.width as usize);
        self.words.truncate(keep);
        self.len = len;
        self.debug_check();
    }

    /// Removes every value, keeping the frame (so a fixed range set by
    /// [`with_range`](Self::with_range) stays) and the allocation. Computes
    /// in **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let mut v = PackedVec::<u8>::with_range(0..=15);
    /// v.try_push(3).unwrap();
    /// v.clear();
    /// assert!(v.is_empty());
    /// assert_eq!(v.frame(), 0..=15);
    /// ```
    pub fn clear(&mut self) {
        self.words.clear();
        self.len = 0;
    }

    /// Re-packs at the narrowest width the current values need (a fixed
    /// range set by [`with_range`](Self::with_range) narrows too, once the
    /// vector holds values: an empty one keeps its frame) and frees unused
    /// capacity. Computes in **O(len)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    /// use leanmem::measure::HeapSize;
    ///
    /// let mut v = PackedVec::new();
    /// for x in [0u64, 1 << 40, 3] {
    ///     v.push(x);
    /// }
    /// v.set(1, 2);
    /// v.shrink_to_fit();
    /// assert_eq!(v.bit_width(), 2);
    /// assert_eq!(v.heap_size(), 16); // a data word and the one after it
    /// assert_eq!(v.to_vec(), [0, 2, 3]);
    /// ```
    pub fn shrink_to_fit(&mut self) {
        if let Some((lo, hi)) = self.key_range() {
            let (base, width) = tight_frame::<T>(lo, hi);
            if width != self.width || base != self.min.to_key() {
                self.repack(base, width);
            }
        }
        self.words.shrink_to_fit();
    }

    /// Keys of the smallest and largest value, on the fast path.
    fn key_range(&self) -> Option<(u64, u64)> {
        if self.len == 0 {
            return None;
        }
        let mut sink = MinMaxSink::default();
        self.as_slice().feed(&mut sink);
        let base = self.min.to_key();
        Some((base + sink.min, base + sink.max))
    }

    /// Re-packs so that keys `lo..=hi` fit as well as every current value,
    /// widening by at least one bit (the amortization of `push`).
    ///
    /// When the span has outgrown the width, the new width is the span's
    /// and the room is on the side the misfit came from, so a rising or
    /// falling series stays at the narrowest width. When the span still
    /// fits the width and only the frame lies wrong, the width grows by one
    /// bit and the room is split between both sides: given all to one side,
    /// values setting records at both ends in turn (a zigzag, or random
    /// values) would widen the vector by a bit per record, up to 64 bits
    /// for a 7-bit span. Split, the next misfit comes only once the span
    /// has reached the old width, so pushes leave the width at most one bit
    /// above the span's.
    #[cold]
    fn reframe(&mut self, lo: u64, hi: u64, room_below: bool) {
        let Some((a, b)) = self.key_range() else {
            let width = width_for(hi - lo);
            self.repack(frame_base::<T>(lo, hi, width, room_below), width);
            return;
        };
        let (lo, hi) = (lo.min(a), hi.max(b));
        let need = width_for(hi - lo);
        if need > self.width {
            self.repack(frame_base::<T>(lo, hi, need, room_below), need);
        } else {
            // `self.width < T::BITS`: at the full width every value fits.
            let width = (self.width + 1).min(T::BITS);
            let room = mask(width) - (hi - lo);
            let base = frame_base::<T>(lo.saturating_sub(room / 2), hi, width, false);
            self.repack(base, width);
        }
    }

    /// Rewrites every field for a new base (at most every value's key) and
    /// width, in place.
    fn repack(&mut self, base: u64, width: u32) {
        let (old_width, old_mask, old_base) = (self.width, self.mask, self.min.to_key());
        let new_mask = mask(width);
        let len = self.len;
        let new_words = padded_words(len, width).expect("capacity overflow");
        // new field = old field + old base − new base (never negative).
        let delta = old_base.wrapping_sub(base);
        if width >= old_width {
            if new_words > self.words.len() {
                self.words.resize(new_words, 0);
            }
            // Backwards: field i moves to a position at or after its old one.
            for i in (0..len).rev() {
                let f = bits::read(&self.words, old_width, old_mask, i);
                bits::write(&mut self.words, width, new_mask, i, f.wrapping_add(delta));
            }
        } else {
            // Forwards: field i moves to a position at or before its old one.
            for i in 0..len {
                let f = bits::read(&self.words, old_width, old_mask, i);
                bits::write(&mut self.words, width, new_mask, i, f.wrapping_add(delta));
            }
            bits::clear_from(&mut self.words, len * width as usize);
            self.words.truncate(new_words);
        }
        self.set_frame(base, width);
        self.debug_check();
    }

    /// Sets the frame (base key and width) the fields are read in; the
    /// words must already hold the fields in it.
    fn set_frame(&mut self, base: u64, width: u32) {
        self.width = width;
        self.mask = mask(width);
        self.min = T::from_key(base);
    }

    /// An iterator over the values (by value: packed values cannot be
    /// borrowed). Creating it is **O(1)**; it decodes 64 values at a time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v = PackedVec::from_slice(&[1u32, 2, 3]);
    /// assert_eq!(v.iter().map(|x| x * 10).collect::<Vec<_>>(), [10, 20, 30]);
    /// ```
    #[inline]
    pub fn iter(&self) -> Iter<'_, T> {
        Iter::new(self.as_slice())
    }

    /// Decodes the first values into `out`, as many as fit; returns how
    /// many were written. Computes in **O(min(len, out.len()))** time on
    /// the width-specialised kernels.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v = PackedVec::from_slice(&[3u8, 4, 5]);
    /// let mut out = [0u8; 2];
    /// assert_eq!(v.decode_into(&mut out), 2);
    /// assert_eq!(out, [3, 4]);
    /// ```
    pub fn decode_into(&self, out: &mut [T]) -> usize {
        self.as_slice().decode_into(out)
    }

    /// Decodes values `start ..` into `out`, as many as fit; returns how
    /// many were written (0 when `start >= len()`): the chunked decoder.
    /// Computes in **O(out.len())** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v: PackedVec<i32> = (-50..50).collect();
    /// let mut buf = [0i32; 8];
    /// assert_eq!(v.decode_range_into(96, &mut buf), 4);
    /// assert_eq!(buf[..4], [46, 47, 48, 49]);
    /// ```
    pub fn decode_range_into(&self, start: usize, out: &mut [T]) -> usize {
        self.as_slice().decode_range_into(start, out)
    }

    /// Calls `f(start, values)` for consecutive decoded chunks of at most 64
    /// values. Computes in **O(len)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v: PackedVec<u8> = (0..=255).collect();
    /// let mut chunks = 0;
    /// v.for_each_chunk(|_, c| chunks += usize::from(c.len() == 64));
    /// assert_eq!(chunks, 4);
    /// ```
    pub fn for_each_chunk<F: FnMut(usize, &[T])>(&self, f: F) {
        self.as_slice().for_each_chunk(f);
    }

    /// The exact sum of the values as an `i128`, on the fast path (see
    /// [`PackedSlice::sum`]). Computes in **O(len)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v: PackedVec<i64> = (-10..=20).collect();
    /// assert_eq!(v.sum(), 155);
    /// ```
    #[must_use]
    pub fn sum(&self) -> i128 {
        self.as_slice().sum()
    }

    /// The smallest value, or `None` if empty, on the fast path. Computes in
    /// **O(len)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// assert_eq!(PackedVec::from_slice(&[4u16, 2, 9]).min(), Some(2));
    /// ```
    #[must_use]
    pub fn min(&self) -> Option<T> {
        self.as_slice().min()
    }

    /// The largest value, or `None` if empty, on the fast path. Computes in
    /// **O(len)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// assert_eq!(PackedVec::from_slice(&[4u16, 2, 9]).max(), Some(9));
    /// ```
    #[must_use]
    pub fn max(&self) -> Option<T> {
        self.as_slice().max()
    }

    /// The values in a `Vec`. Computes in **O(len)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// assert_eq!(PackedVec::from_slice(&[1i8, -2]).to_vec(), [1, -2]);
    /// ```
    #[must_use]
    pub fn to_vec(&self) -> Vec<T> {
        self.as_slice().to_vec()
    }

    /// The serialized form (see [`PackedSlice`]): three header words, then
    /// the data words. Computes in **O(words)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v = PackedVec::from_slice(&[5u8, 6, 7]);
    /// let words = v.to_words();
    /// assert_eq!(PackedVec::<u8>::from_words(&words)?, v);
    /// # Ok::<(), leanmem::packed::PackedFormatError>(())
    /// ```
    #[must_use]
    pub fn to_words(&self) -> Vec<u64> {
        self.as_slice().to_words()
    }

    /// The serialized form as little-endian bytes. Computes in
    /// **O(words)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v = PackedVec::from_slice(&[-5i32, 5]);
    /// assert_eq!(PackedVec::<i32>::from_le_bytes(&v.to_le_bytes())?, v);
    /// # Ok::<(), leanmem::packed::PackedFormatError>(())
    /// ```
    #[must_use]
    pub fn to_le_bytes(&self) -> Vec<u8> {
        self.as_slice().to_le_bytes()
    }

    /// A vector read (copied) from the serialized form in `words`.
    /// Computes in **O(words)** time.
    ///
    /// # Errors
    ///
    /// As [`PackedSlice::from_words`].
    ///
    /// ```
    /// use leanmem::packed::{PackedFormatError, PackedVec};
    ///
    /// assert_eq!(PackedVec::<u8>::from_words(&[1, 2, 3]), Err(PackedFormatError::BadMagic));
    /// ```
    pub fn from_words(words: &[u64]) -> Result<Self, PackedFormatError> {
        PackedSlice::from_words(words).map(Self::from)
    }

    /// A vector read from the serialized form as little-endian bytes.
    /// Computes in **O(bytes)** time.
    ///
    /// # Errors
    ///
    /// [`PackedFormatError::PartialWord`] if the byte count is not a
    /// multiple of 8, then as [`PackedSlice::from_words`].
    ///
    /// ```
    /// use leanmem::packed::{PackedFormatError, PackedVec};
    ///
    /// assert_eq!(
    ///     PackedVec::<u8>::from_le_bytes(&[0; 12]),
    ///     Err(PackedFormatError::PartialWord { bytes: 12 })
    /// );
    /// ```
    pub fn from_le_bytes(bytes: &[u8]) -> Result<Self, PackedFormatError> {
        Self::from_words(&format::from_le_bytes(bytes)?)
    }
}

impl<'a, T: PackedInt> From<PackedSlice<'a, T>> for PackedVec<T> {
    /// Copies a view's words into an owned vector (bits past the last field
    /// are cleared). Computes in **O(words)** time.
    ///
    /// ```
    /// use leanmem::packed::{PackedSlice, PackedVec};
    ///
    /// let words = PackedVec::from_slice(&[1u64, 2, 3]).to_words();
    /// let owned = PackedVec::from(PackedSlice::<u64>::from_words(&words)?);
    /// assert_eq!(owned.to_vec(), [1, 2, 3]);
    /// # Ok::<(), leanmem::packed::PackedFormatError>(())
    /// ```
    fn from(view: PackedSlice<'a, T>) -> Self {
        // A view's words hold its fields (checked when it was made); the
        // owned vector has exactly its data words and the zero word after
        // them, in one allocation of that size.
        let padded = padded_words(view.len(), view.bit_width()).expect("a view's fields fit");
        let data = view.as_words();
        let mut words = Vec::with_capacity(padded);
        words.extend_from_slice(&data[..data.len().min(padded)]);
        words.resize(padded, 0);
        bits::clear_from(&mut words, view.len() * view.bit_width() as usize);
        let v = Self {
            words,
            len: view.len(),
            width: view.bit_width(),
            mask: mask(view.bit_width()),
            min: view.min_value(),
        };
        v.debug_check();
        v
    }
}

impl<T: PackedInt> Default for PackedVec<T> {
    /// An empty vector.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// assert!(PackedVec::<u8>::default().is_empty());
    /// ```
    fn default() -> Self {
        Self::new()
    }
}

impl<T: PackedInt> fmt::Debug for PackedVec<T> {
    /// Formats the values as a list, like `Vec`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_slice().fmt(f)
    }
}

impl<T: PackedInt> PartialEq for PackedVec<T> {
    /// Equal when the values are equal, whatever the widths and frames.
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: PackedInt> Eq for PackedVec<T> {}

impl<T: PackedInt> PartialEq<[T]> for PackedVec<T> {
    fn eq(&self, other: &[T]) -> bool {
        self.len == other.len() && self.iter().eq(other.iter().copied())
    }
}

impl<T: PackedInt> PartialEq<Vec<T>> for PackedVec<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        *self == **other
    }
}

impl<T: PackedInt> Hash for PackedVec<T> {
    /// Hashes the length and the values, like [`PackedSlice`].
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl<T: PackedInt> HeapSize for PackedVec<T> {
    /// The capacity of the word buffer, in bytes.
    fn heap_size_with(&self, _: &mut HeapContext) -> usize {
        self.words.capacity() * 8
    }
}

impl<T: PackedInt> Extend<T> for PackedVec<T> {
    /// Appends the values, re-packing at most once: values that do not fit
    /// widen the frame together (as [`push`](PackedVec::push) would,
    /// amortized). An empty vector whose frame does not hold them all
    /// takes the frame [`from_slice`](PackedVec::from_slice) would, at the
    /// narrowest width, and keeps the room it had reserved.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let mut v = PackedVec::from_slice(&[0u16, 7]);
    /// v.extend([3, 5]);
    /// assert_eq!(v.bit_width(), 3);
    /// v.extend(vec![300, 2]);
    /// assert_eq!(v.to_vec(), [0, 7, 3, 5, 300, 2]);
    /// ```
    ///
    /// # Panics
    ///
    /// If the vector would hold more than `isize::MAX` values, or more words
    /// than `usize` can count (as for `Vec::extend`).
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        let new: Vec<T> = iter.into_iter().collect();
        if let Some(misfit) = new.iter().position(|&v| !self.fits(v)) {
            // The new frame must hold every new value, not only the misfits:
            // one that fitted the old frame may fall outside the new one.
            let (mut lo, mut hi) = (u64::MAX, 0);
            for &v in &new {
                lo = lo.min(v.to_key());
                hi = hi.max(v.to_key());
            }
            let below = new[misfit..]
                .iter()
                .any(|&v| v.to_key() < self.min.to_key());
            if !self.is_empty() {
                self.reframe(lo, hi, below);
            } else if self.words.capacity() == 0 {
                *self = Self::from_slice(&new);
                return;
            } else {
                // The frame `from_slice` would choose, filled in the words
                // already reserved (`with_capacity`, `reserve`, or kept by
                // `clear`): replacing them would give that room back.
                let (base, width) = tight_frame::<T>(lo, hi);
                self.set_frame(base, width);
            }
        }
        self.reserve(new.len());
        for v in new {
            self.push_fitting(v);
        }
    }
}

impl<'a, T: PackedInt> Extend<&'a T> for PackedVec<T> {
    /// As `Extend<T>`, copying the values.
    fn extend<I: IntoIterator<Item = &'a T>>(&mut self, iter: I) {
        self.extend(iter.into_iter().copied());
    }
}

impl<T: PackedInt> FromIterator<T> for PackedVec<T> {
    /// Collects the values, then packs them at the narrowest width (as
    /// [`from_slice`](PackedVec::from_slice)).
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v: PackedVec<u32> = (100..200).collect();
    /// assert_eq!((v.min_value(), v.bit_width()), (100, 7));
    /// ```
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let values: Vec<T> = iter.into_iter().collect();
        Self::from_slice(&values)
    }
}

impl<T: PackedInt> From<&[T]> for PackedVec<T> {
    /// As [`PackedVec::from_slice`].
    fn from(values: &[T]) -> Self {
        Self::from_slice(values)
    }
}

impl<T: PackedInt> From<Vec<T>> for PackedVec<T> {
    /// As [`PackedVec::from_slice`].
    fn from(values: Vec<T>) -> Self {
        Self::from_slice(&values)
    }
}

impl<T: PackedInt, const N: usize> From<[T; N]> for PackedVec<T> {
    /// As [`PackedVec::from_slice`].
    fn from(values: [T; N]) -> Self {
        Self::from_slice(&values)
    }
}

impl<T: PackedInt> From<PackedVec<T>> for Vec<T> {
    /// Decodes every value.
    fn from(v: PackedVec<T>) -> Self {
        v.to_vec()
    }
}

impl<T: PackedInt> IntoIterator for PackedVec<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;

    fn into_iter(self) -> IntoIter<T> {
        IntoIter::new(self)
    }
}

impl<'a, T: PackedInt> IntoIterator for &'a PackedVec<T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}
