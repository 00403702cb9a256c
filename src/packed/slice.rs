//! [`PackedSlice`]: the read-only view every flat packed sequence is read
//! through, whether its words belong to a [`PackedVec`](super::PackedVec)
//! or come from a mapped file.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::RangeInclusive;

use super::bits::{self, GROUP, GroupSink, MinMaxSink};
use super::format::{self, FLAT};
use super::int::{PackedInt, mask};
use super::iter::{GroupSource, Iter};
use crate::error::PackedFormatError;
use crate::measure::{HeapContext, HeapSize};

/// Words of the flat header: descriptor, length, minimum.
pub(crate) const FLAT_HEADER_WORDS: usize = 3;

/// A read-only view of bit-packed integers over borrowed `u64` words: what
/// [`PackedVec::as_slice`](super::PackedVec::as_slice) returns, and a
/// zero-copy reader of the serialized form (for instance over a mapped
/// file) through [`from_words`](Self::from_words).
///
/// `PackedSlice` is `Copy`; it has every read method of
/// [`PackedVec`](super::PackedVec).
///
/// # Memory layout
///
/// The view is a word slice, a length, a width, a mask and the minimum (48
/// bytes for `u64` elements); it owns no heap. Value `i` is
/// `min + field(i)`, where field `i` is bits `i*w .. (i+1)*w` of the words,
/// LSB-first (bit `b` is bit `b % 64` of word `b / 64`).
///
/// # Serialized form
///
/// All words little-endian; [`to_words`](Self::to_words) writes it,
/// [`from_words`](Self::from_words) reads it without copying:
///
/// | word | contents |
/// |---|---|
/// | 0 | bytes `"LMPK"`, format version `1`, layout `0` (flat), element tag (byte size, `0x80` if signed), bit width `w` |
/// | 1 | length `n` |
/// | 2 | the minimum, as a two's-complement 64-bit integer |
/// | 3 .. 3 + ⌈n·w/64⌉ | the fields, LSB-first |
///
/// The frame `min ..= min + 2^w − 1` must lie inside the element type's
/// range, so every field decodes to a value of the type.
///
/// ```
/// use leanmem::packed::{PackedSlice, PackedVec};
///
/// let v = PackedVec::from_slice(&[1_700_000_000u32, 1_700_000_003, 1_700_000_001]);
/// let words = v.to_words();
/// assert_eq!(words.len(), 3 + 1); // header + one data word (3 × 2 bits)
/// let view = PackedSlice::<u32>::from_words(&words)?;
/// assert_eq!(view.get(1), Some(1_700_000_003));
/// assert_eq!(view, v.as_slice());
/// # Ok::<(), leanmem::packed::PackedFormatError>(())
/// ```
#[derive(Clone, Copy)]
pub struct PackedSlice<'a, T: PackedInt> {
    words: &'a [u64],
    len: usize,
    width: u32,
    mask: u64,
    min: T,
}

impl<'a, T: PackedInt> PackedSlice<'a, T> {
    /// A view of `len` fields of `width` bits over `words` (exactly
    /// `words_for(len, width)` of them), based at `min`.
    #[inline]
    pub(crate) fn from_raw(words: &'a [u64], len: usize, width: u32, min: T) -> Self {
        Self {
            words,
            len,
            width,
            mask: mask(width),
            min,
        }
    }

    /// Reads the serialized form at the start of `words`, without copying;
    /// returns the view and the words after it.
    ///
    /// Computes in **O(1)** time.
    ///
    /// # Errors
    ///
    /// [`PackedFormatError`] if the header is not a flat header for `T`,
    /// the width exceeds `T`'s bits, the frame leaves `T`'s range, or the
    /// words are too few for the announced length.
    ///
    /// ```
    /// use leanmem::packed::{PackedSlice, PackedVec};
    ///
    /// let a = PackedVec::from_slice(&[1u16, 2, 3]);
    /// let b = PackedVec::from_slice(&[7u16; 100]);
    /// let mut file = a.to_words();
    /// file.extend(b.to_words());
    /// let (first, rest) = PackedSlice::<u16>::from_words_prefix(&file)?;
    /// let (second, rest) = PackedSlice::<u16>::from_words_prefix(rest)?;
    /// assert_eq!((first, second), (a.as_slice(), b.as_slice()));
    /// assert!(rest.is_empty());
    /// # Ok::<(), leanmem::packed::PackedFormatError>(())
    /// ```
    pub fn from_words_prefix(words: &'a [u64]) -> Result<(Self, &'a [u64]), PackedFormatError> {
        format::need(words, FLAT_HEADER_WORDS as u64)?;
        let width = u32::from(format::parse_header::<T>(words[0], FLAT)?);
        if width > T::BITS {
            return Err(PackedFormatError::BadWidth {
                width,
                max: T::BITS,
            });
        }
        // At most `isize::MAX` values, as for a `Vec`: it also keeps `sum`
        // exact in an `i128` (a width-0 view could claim any length).
        let len = usize::try_from(words[1])
            .ok()
            .filter(|&n| isize::try_from(n).is_ok())
            .ok_or(PackedFormatError::LengthOverflow)?;
        let min = T::from_word(words[2]).ok_or(PackedFormatError::BadFrame)?;
        if mask(width) > T::MAX.to_key() - min.to_key() {
            return Err(PackedFormatError::BadFrame);
        }
        let data = bits::words_for(len, width).ok_or(PackedFormatError::LengthOverflow)?;
        let end = FLAT_HEADER_WORDS
            .checked_add(data)
            .ok_or(PackedFormatError::LengthOverflow)?;
        format::need(words, end as u64)?;
        let view = Self::from_raw(&words[FLAT_HEADER_WORDS..end], len, width, min);
        Ok((view, &words[end..]))
    }

    /// Reads a serialized form that fills `words` exactly, without copying.
    ///
    /// Computes in **O(1)** time.
    ///
    /// # Errors
    ///
    /// As [`from_words_prefix`](Self::from_words_prefix), and
    /// [`PackedFormatError::TrailingWords`] if words are left over.
    ///
    /// ```
    /// use leanmem::packed::{PackedFormatError, PackedSlice, PackedVec};
    ///
    /// let words = PackedVec::from_slice(&[-3i64, 9]).to_words();
    /// assert_eq!(PackedSlice::<i64>::from_words(&words)?.to_vec(), [-3, 9]);
    /// assert!(matches!(
    ///     PackedSlice::<u64>::from_words(&words),
    ///     Err(PackedFormatError::WrongElementType { .. })
    /// ));
    /// # Ok::<(), PackedFormatError>(())
    /// ```
    pub fn from_words(words: &'a [u64]) -> Result<Self, PackedFormatError> {
        let (view, rest) = Self::from_words_prefix(words)?;
        if rest.is_empty() {
            Ok(view)
        } else {
            let needed = (words.len() - rest.len()) as u64;
            Err(PackedFormatError::TrailingWords {
                needed,
                found: words.len() as u64,
            })
        }
    }

    /// Number of values. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// assert_eq!(PackedVec::from_slice(&[1u8, 2]).as_slice().len(), 2);
    /// ```
    #[inline]
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no values. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// assert!(PackedVec::<u8>::new().as_slice().is_empty());
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
    /// assert_eq!(PackedVec::from_slice(&[100u32, 107]).as_slice().bit_width(), 3);
    /// ```
    #[inline]
    #[must_use]
    pub fn bit_width(&self) -> u32 {
        self.width
    }

    /// The frame's base: every value is `min_value() + offset`. Computes in
    /// **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// assert_eq!(PackedVec::from_slice(&[-7i8, 3]).as_slice().min_value(), -7);
    /// ```
    #[inline]
    #[must_use]
    pub fn min_value(&self) -> T {
        self.min
    }

    /// The values the frame can hold: `min_value() ..= min_value() +
    /// 2^bit_width() − 1`. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// assert_eq!(PackedVec::from_slice(&[10u8, 12]).as_slice().frame(), 10..=13);
    /// ```
    #[inline]
    #[must_use]
    pub fn frame(&self) -> RangeInclusive<T> {
        self.min..=self.min.add_offset(self.mask)
    }

    /// The value at `index`, or `None` out of bounds. Computes in **O(1)**
    /// time: one or two word reads.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v = PackedVec::from_slice(&[5u64, 1 << 40]);
    /// assert_eq!(v.as_slice().get(1), Some(1 << 40));
    /// assert_eq!(v.as_slice().get(2), None);
    /// ```
    #[inline]
    #[must_use]
    pub fn get(&self, index: usize) -> Option<T> {
        // Read before the test, so that a loop of `get`s keeps them in
        // registers (see `PackedVec::get`).
        let (words, width, mask, min) = (self.words, self.width, self.mask, self.min);
        if index < self.len {
            Some(min.add_offset(bits::read(words, width, mask, index)))
        } else {
            None
        }
    }

    /// The first value, or `None` if empty. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// assert_eq!(PackedVec::from_slice(&[4i16, 5]).as_slice().first(), Some(4));
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
    /// assert_eq!(PackedVec::from_slice(&[4i16, 5]).as_slice().last(), Some(5));
    /// ```
    #[inline]
    #[must_use]
    pub fn last(&self) -> Option<T> {
        self.len.checked_sub(1).and_then(|i| self.get(i))
    }

    /// An iterator over the values. Creating it is **O(1)**; it decodes 64
    /// values at a time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v = PackedVec::from_slice(&[3u8, 1, 2]);
    /// assert_eq!(v.as_slice().iter().max(), Some(3));
    /// ```
    #[inline]
    pub fn iter(&self) -> Iter<'a, T> {
        Iter::new(*self)
    }

    /// The data words (without the header): `⌈len·width/64⌉` words,
    /// fields LSB-first. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v = PackedVec::from_slice(&[0u8, 1, 2, 3]);
    /// assert_eq!(v.as_slice().as_words(), &[0b11_10_01_00]);
    /// ```
    #[inline]
    #[must_use]
    pub fn as_words(&self) -> &'a [u64] {
        self.words
    }

    /// Decodes values `start ..` into `out`, as many as fit; returns how
    /// many were written (0 when `start >= len()`). This is the chunked
    /// decoder: call it with consecutive `start`s to stream the values
    /// through a buffer.
    ///
    /// Computes in **O(out.len())** time with the width-specialised
    /// kernels.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v: PackedVec<u32> = (0..1000).collect();
    /// let mut buf = [0u32; 256];
    /// let mut total = 0u64;
    /// let mut start = 0;
    /// loop {
    ///     let n = v.as_slice().decode_range_into(start, &mut buf);
    ///     if n == 0 {
    ///         break;
    ///     }
    ///     total += buf[..n].iter().map(|&x| u64::from(x)).sum::<u64>();
    ///     start += n;
    /// }
    /// assert_eq!(total, 499_500);
    /// ```
    pub fn decode_range_into(&self, start: usize, out: &mut [T]) -> usize {
        if start >= self.len {
            return 0;
        }
        let n = out.len().min(self.len - start);
        let unpack = bits::unpacker(self.width);
        let mut buf = [0u64; GROUP];
        let mut pos = start;
        let end = start + n;
        let mut dst = &mut out[..n];
        while pos < end {
            let g = pos / GROUP;
            bits::unpack_group_at(unpack, self.words, self.width, self.len, g, &mut buf);
            let from = pos - g * GROUP;
            let to = (end - g * GROUP).min(GROUP);
            let (head, tail) = dst.split_at_mut(to - from);
            for (o, &f) in head.iter_mut().zip(&buf[from..to]) {
                *o = self.min.add_offset(f);
            }
            dst = tail;
            pos += to - from;
        }
        n
    }

    /// Decodes the first values into `out`, as many as fit; returns how
    /// many were written. Computes in **O(min(len, out.len()))** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v = PackedVec::from_slice(&[9i32, -9, 0]);
    /// let mut out = [0i32; 3];
    /// assert_eq!(v.as_slice().decode_into(&mut out), 3);
    /// assert_eq!(out, [9, -9, 0]);
    /// ```
    pub fn decode_into(&self, out: &mut [T]) -> usize {
        self.decode_range_into(0, out)
    }

    /// Calls `f(start, values)` for consecutive decoded chunks of at most 64
    /// values, `start` being the index of the chunk's first value.
    /// Computes in **O(len)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v: PackedVec<u16> = (0..200).collect();
    /// let mut seen = 0;
    /// v.as_slice().for_each_chunk(|start, chunk| {
    ///     assert_eq!(start, seen);
    ///     assert_eq!(chunk[0], start as u16);
    ///     seen += chunk.len();
    /// });
    /// assert_eq!(seen, 200);
    /// ```
    pub fn for_each_chunk<F: FnMut(usize, &[T])>(&self, mut f: F) {
        let unpack = bits::unpacker(self.width);
        let mut buf = [0u64; GROUP];
        let mut vals = [T::default(); GROUP];
        for g in 0..self.len.div_ceil(GROUP) {
            let n = bits::unpack_group_at(unpack, self.words, self.width, self.len, g, &mut buf);
            for (o, &x) in vals.iter_mut().zip(&buf[..n]) {
                *o = self.min.add_offset(x);
            }
            f(g * GROUP, &vals[..n]);
        }
    }

    /// The exact sum of the values, as an `i128` (which no sum of fewer than
    /// 2^63 values can overflow). Runs on the width-specialised fast path,
    /// without materialising the values. Computes in **O(len)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v = PackedVec::from_slice(&[u64::MAX, u64::MAX]);
    /// assert_eq!(v.as_slice().sum(), 2 * u64::MAX as i128);
    /// ```
    #[must_use]
    pub fn sum(&self) -> i128 {
        let offsets = bits::sum_fields(self.words, self.width, self.len);
        self.min.to_i128() * self.len as i128 + offsets as i128
    }

    /// The smallest value, or `None` if empty. Runs on the fast path.
    /// Computes in **O(len)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v = PackedVec::from_slice(&[5i8, -3, 7]);
    /// assert_eq!(v.as_slice().min(), Some(-3));
    /// ```
    #[must_use]
    pub fn min(&self) -> Option<T> {
        self.min_max().map(|(lo, _)| lo)
    }

    /// The largest value, or `None` if empty. Runs on the fast path.
    /// Computes in **O(len)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v = PackedVec::from_slice(&[5i8, -3, 7]);
    /// assert_eq!(v.as_slice().max(), Some(7));
    /// ```
    #[must_use]
    pub fn max(&self) -> Option<T> {
        self.min_max().map(|(_, hi)| hi)
    }

    /// The smallest and largest values in one pass, or `None` if empty.
    /// Computes in **O(len)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let v = PackedVec::from_slice(&[5u32, 3, 7]);
    /// assert_eq!(v.as_slice().min_max(), Some((3, 7)));
    /// ```
    #[must_use]
    pub fn min_max(&self) -> Option<(T, T)> {
        if self.len == 0 {
            return None;
        }
        let mut sink = MinMaxSink::default();
        self.feed(&mut sink);
        Some((self.min.add_offset(sink.min), self.min.add_offset(sink.max)))
    }

    /// Raw offsets, group by group, through the specialised loop.
    pub(crate) fn feed<S: GroupSink>(&self, sink: &mut S) {
        if self.width == 0 {
            // Every field is 0: one group of zeros stands for all.
            let zeros = [0u64; GROUP];
            let mut left = self.len;
            while left > 0 {
                let n = left.min(GROUP);
                sink.group(&zeros[..n]);
                left -= n;
            }
        } else {
            bits::for_each_group(self.words, self.width, self.len, sink);
        }
    }

    /// The values in a `Vec`. Computes in **O(len)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// assert_eq!(PackedVec::from_slice(&[1u8, 2]).as_slice().to_vec(), [1, 2]);
    /// ```
    #[must_use]
    pub fn to_vec(&self) -> Vec<T> {
        let mut out = vec![T::default(); self.len];
        self.decode_into(&mut out);
        out
    }

    /// Appends the serialized form (see [the type docs](Self)) to `out`.
    /// Computes in **O(words)** time.
    ///
    /// ```
    /// use leanmem::packed::{PackedSlice, PackedVec};
    ///
    /// let mut out = Vec::new();
    /// PackedVec::from_slice(&[1u8, 2]).as_slice().write_words(&mut out);
    /// assert_eq!(PackedSlice::<u8>::from_words(&out)?.to_vec(), [1, 2]);
    /// # Ok::<(), leanmem::packed::PackedFormatError>(())
    /// ```
    pub fn write_words(&self, out: &mut Vec<u64>) {
        out.reserve(FLAT_HEADER_WORDS + self.words.len());
        out.push(format::header::<T>(FLAT, self.width as u8));
        out.push(self.len as u64);
        out.push(self.min.to_word());
        out.extend_from_slice(self.words);
    }

    /// The serialized form (see [the type docs](Self)) in a new `Vec`.
    /// Computes in **O(words)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let words = PackedVec::from_slice(&[7u32; 64]).as_slice().to_words();
    /// assert_eq!(words.len(), 3); // width 0: no data words at all
    /// ```
    #[must_use]
    pub fn to_words(&self) -> Vec<u64> {
        let mut out = Vec::new();
        self.write_words(&mut out);
        out
    }

    /// The serialized form as little-endian bytes (8 per word), for
    /// writing to a file. Computes in **O(words)** time.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let bytes = PackedVec::from_slice(&[1u8, 2]).as_slice().to_le_bytes();
    /// assert_eq!(&bytes[..4], b"LMPK");
    /// ```
    #[must_use]
    pub fn to_le_bytes(&self) -> Vec<u8> {
        format::to_le_bytes(&self.to_words())
    }
}

impl<T: PackedInt> GroupSource<T> for PackedSlice<'_, T> {
    #[inline]
    fn fill(&self, g: usize, buf: &mut [u64; GROUP]) -> T {
        bits::unpack_group_at(
            bits::unpacker(self.width),
            self.words,
            self.width,
            self.len,
            g,
            buf,
        );
        self.min
    }

    #[inline]
    fn value(&self, i: usize) -> T {
        self.min
            .add_offset(bits::read(self.words, self.width, self.mask, i))
    }

    /// One kernel for the whole run, chosen once, instead of a lookup and
    /// a copy of the group per group.
    #[inline]
    fn fold_groups<B, F: FnMut(B, T) -> B>(&self, g0: usize, g1: usize, init: B, f: &mut F) -> B {
        let unpack = bits::unpacker(self.width);
        let w = self.width as usize;
        let min = self.min;
        let mut acc = init;
        if w == 0 {
            for _ in 0..(g1 - g0) * GROUP {
                acc = f(acc, min);
            }
            return acc;
        }
        let mut buf = [0u64; GROUP];
        for group in self.words[g0 * w..g1 * w].chunks_exact(w) {
            unpack(group, &mut buf);
            for &off in &buf {
                acc = f(acc, min.add_offset(off));
            }
        }
        acc
    }
}

impl<T: PackedInt> fmt::Debug for PackedSlice<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: PackedInt> PartialEq for PackedSlice<'_, T> {
    /// Equal when the values are equal, whatever the widths and frames.
    fn eq(&self, other: &Self) -> bool {
        if self.len != other.len {
            return false;
        }
        if self.width == other.width && self.min == other.min {
            // Same frame: equal values are equal fields. Bits past the last
            // field are not compared (a foreign view may hold anything there).
            let bits = self.len * self.width as usize;
            let full = bits / 64;
            let rest = bits % 64;
            return self.words[..full] == other.words[..full]
                && (rest == 0 || {
                    let m = u64::MAX >> (64 - rest);
                    self.words[full] & m == other.words[full] & m
                });
        }
        self.iter().eq(other.iter())
    }
}

impl<T: PackedInt> Eq for PackedSlice<'_, T> {}

impl<T: PackedInt> Hash for PackedSlice<'_, T> {
    /// Hashes the length and the values, so equal sequences hash equally
    /// whatever their widths.
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.len);
        self.for_each_chunk(|_, chunk| T::hash_slice(chunk, state));
    }
}

impl<'a, T: PackedInt> IntoIterator for PackedSlice<'a, T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        Iter::new(self)
    }
}

impl<'a, T: PackedInt> IntoIterator for &PackedSlice<'a, T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        Iter::new(*self)
    }
}

impl<T: PackedInt> HeapSize for PackedSlice<'_, T> {
    /// A view borrows its words: it owns no heap.
    #[inline]
    fn heap_size_with(&self, _: &mut HeapContext) -> usize {
        0
    }
}
