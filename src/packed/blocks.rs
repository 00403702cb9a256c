//! [`BlockPackedVec`]: a frame of reference per block of 128 values, for
//! sorted or slowly changing series; and its zero-copy view.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use super::bits::{self, GROUP};
use super::format::{self, BLOCKS};
use super::int::{PackedInt, mask, tight_frame};
use super::iter::{BlockIntoIter, BlockIter, GroupSource};
use crate::error::PackedFormatError;
use crate::measure::{HeapContext, HeapSize};

/// Values per block of a [`BlockPackedVec`].
///
/// ```
/// assert_eq!(leanmem::packed::BLOCK_LEN, 128);
/// ```
pub const BLOCK_LEN: usize = 128;
const BLOCK_SHIFT: u32 = BLOCK_LEN.trailing_zeros();
/// Words of the block layout's fixed header: descriptor, length, data words.
const BLOCK_HEADER_WORDS: usize = 3;

/// One block's header: its base and `(data offset << 8) | width`.
#[inline]
fn split_header(h1: u64) -> (usize, u32) {
    ((h1 >> 8) as usize, (h1 & 0xff) as u32)
}

/// Packs `values` (all at least `T::from_key(base)`, spanning `width` bits)
/// onto the end of `data`.
fn pack_block<T: PackedInt>(data: &mut Vec<u64>, values: &[T], base: u64, width: u32) {
    let start = data.len();
    let n_words = bits::words_for(values.len(), width).expect("capacity overflow");
    data.resize(start + n_words, 0);
    let pack = bits::packer(width);
    let w = width as usize;
    let mut buf = [0u64; GROUP];
    for (g, chunk) in values.chunks(GROUP).enumerate() {
        for (b, &v) in buf.iter_mut().zip(chunk) {
            *b = v.to_key().wrapping_sub(base);
        }
        let at = start + g * w;
        if chunk.len() == GROUP {
            pack(&buf, &mut data[at..]);
        } else {
            buf[chunk.len()..].fill(0);
            let mut tmp = [0u64; GROUP];
            pack(&buf, &mut tmp);
            let k = start + n_words - at;
            data[at..].copy_from_slice(&tmp[..k]);
        }
    }
}

/// The frame (base key, width) of a non-empty block.
fn block_frame<T: PackedInt>(values: &[T]) -> (u64, u32) {
    let (lo, hi) = values.iter().fold((u64::MAX, 0), |(lo, hi), v| {
        (lo.min(v.to_key()), hi.max(v.to_key()))
    });
    tight_frame::<T>(lo, hi)
}

/// Integers in blocks of [`BLOCK_LEN`] values, each block with its own
/// frame of reference: the right layout for sorted or slowly changing
/// series (timestamps, ids, counters), where a block spans far less than
/// the whole.
///
/// Random access stays **O(1)**: a block header read, then a field read.
/// Values are appended with [`push`](Self::push) (re-packing only the last,
/// partial block when a value leaves its frame: **O(1)** amortized) and
/// removed from the end with [`pop`](Self::pop) and
/// [`truncate`](Self::truncate) (re-packing the last block kept); the
/// structure is otherwise read-only.
///
/// # Memory layout
///
/// ```text
/// BlockPackedVec<T> (56 bytes)
/// ┌──────────────┬───────────┬─────┐
/// │ headers: Vec │ data: Vec │ len │
/// └──────────────┴───────────┴─────┘
/// headers: per block, 2 words: [ base (two's complement) | data offset << 8 | width ]
/// data:    per block, ⌈block len · width / 64⌉ words of fields, LSB-first
/// ```
///
/// A full block costs `2·width` data words plus 2 header words: `width + 1`
/// bits per value.
///
/// # Serialized form
///
/// All words little-endian; read without copying by
/// [`BlockPackedSlice::from_words`]:
///
/// | word | contents |
/// |---|---|
/// | 0 | bytes `"LMPK"`, format version `1`, layout `1` (blocks), element tag (byte size, `0x80` if signed), `7` (log2 of the block length) |
/// | 1 | length `n` |
/// | 2 | data words `D` |
/// | 3 .. 3 + 2·⌈n/128⌉ | the block headers |
/// | then `D` words | the data |
///
/// ```
/// use leanmem::packed::BlockPackedVec;
///
/// // A counter that moves slowly: 1.7e9 plus small steps.
/// let mut t = 1_700_000_000u64;
/// let series: Vec<u64> = (0..100_000u64).map(|i| { t += i % 4; t }).collect();
/// let v = BlockPackedVec::from_slice(&series);
/// assert_eq!(v.get(99_999), series.last().copied());
/// assert!(v.bits_per_value() < 10.0);
/// ```
#[derive(Clone)]
pub struct BlockPackedVec<T: PackedInt> {
    headers: Vec<u64>,
    data: Vec<u64>,
    len: usize,
    _t: PhantomData<T>,
}

impl<T: PackedInt> BlockPackedVec<T> {
    /// An empty vector. Allocates nothing.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// assert!(BlockPackedVec::<u64>::new().is_empty());
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self {
            headers: Vec::new(),
            data: Vec::new(),
            len: 0,
            _t: PhantomData,
        }
    }

    /// A vector of `values`, each block at its narrowest width. Computes in
    /// **O(len)** time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// let v = BlockPackedVec::from_slice(&[5i32, -5, 1 << 30]);
    /// assert_eq!(v.to_vec(), [5, -5, 1 << 30]);
    /// ```
    #[must_use]
    pub fn from_slice(values: &[T]) -> Self {
        let blocks = values.len().div_ceil(BLOCK_LEN);
        let mut headers = Vec::with_capacity(2 * blocks);
        let mut frames = Vec::with_capacity(blocks);
        let mut data_words = 0usize;
        for chunk in values.chunks(BLOCK_LEN) {
            let (base, width) = block_frame(chunk);
            frames.push((base, width));
            headers.push(T::from_key(base).to_word());
            headers.push(((data_words as u64) << 8) | u64::from(width));
            data_words += bits::words_for(chunk.len(), width).expect("capacity overflow");
        }
        let mut data = Vec::with_capacity(data_words);
        for (chunk, &(base, width)) in values.chunks(BLOCK_LEN).zip(&frames) {
            pack_block(&mut data, chunk, base, width);
        }
        Self {
            headers,
            data,
            len: values.len(),
            _t: PhantomData,
        }
    }

    /// A read-only view with every read method. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// let v = BlockPackedVec::from_slice(&[1u8, 2]);
    /// assert_eq!(v.as_slice().get(0), Some(1));
    /// ```
    #[inline]
    #[must_use]
    pub fn as_slice(&self) -> BlockPackedSlice<'_, T> {
        BlockPackedSlice {
            headers: &self.headers,
            data: &self.data,
            len: self.len,
            _t: PhantomData,
        }
    }

    /// Number of values. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// assert_eq!(BlockPackedVec::from_slice(&[0u16; 300]).len(), 300);
    /// ```
    #[inline]
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no values. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// assert!(BlockPackedVec::<i64>::default().is_empty());
    /// ```
    #[inline]
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of blocks, `⌈len / 128⌉`. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// assert_eq!(BlockPackedVec::from_slice(&[0u8; 129]).block_count(), 2);
    /// ```
    #[inline]
    #[must_use]
    pub fn block_count(&self) -> usize {
        self.headers.len() / 2
    }

    /// Bits of block headers and data per value (0 when empty): the
    /// density, without capacity slack or the fixed header. Computes in
    /// **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// // One full block of 4-bit spans: 4 bits + 1 bit of header per value.
    /// let v: BlockPackedVec<u32> = (0..128).map(|i| 1000 + i % 16).collect();
    /// assert_eq!(v.bits_per_value(), 5.0);
    /// ```
    #[must_use]
    pub fn bits_per_value(&self) -> f64 {
        self.as_slice().bits_per_value()
    }

    /// The value at `index`, or `None` out of bounds. Computes in **O(1)**
    /// time: one block header and one field read.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// let v: BlockPackedVec<u64> = (0..1000).map(|i| i * i).collect();
    /// assert_eq!(v.get(999), Some(998_001));
    /// assert_eq!(v.get(1000), None);
    /// ```
    #[inline]
    #[must_use]
    pub fn get(&self, index: usize) -> Option<T> {
        self.as_slice().get(index)
    }

    /// Appends `value`. Only the last block is touched: if the value leaves
    /// its frame, that block (at most 127 values) is re-packed at its new
    /// narrowest width.
    ///
    /// Computes in **O(1)** amortized time (at most **O(128)**).
    ///
    /// # Panics
    ///
    /// If the needed capacity overflows `usize` (as for `Vec::push`).
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// let mut v = BlockPackedVec::new();
    /// for i in 0..1000u32 {
    ///     v.push(2_000_000_000 + i);
    /// }
    /// assert_eq!(v.get(500), Some(2_000_000_500));
    /// assert_eq!(v.block_count(), 8);
    /// ```
    pub fn push(&mut self, value: T) {
        let k = self.len % BLOCK_LEN;
        if k == 0 {
            self.headers.push(value.to_word());
            self.headers.push((self.data.len() as u64) << 8);
            self.len += 1;
            return;
        }
        let b = self.headers.len() - 2;
        let base = T::truncate_word(self.headers[b]);
        let (offset, width) = split_header(self.headers[b + 1]);
        let m = mask(width);
        let (key, bk) = (value.to_key(), base.to_key());
        if key >= bk && key - bk <= m {
            let need = offset + bits::words_for(k + 1, width).expect("capacity overflow");
            if self.data.len() < need {
                self.data.push(0);
            }
            bits::write(&mut self.data[offset..], width, m, k, key - bk);
        } else {
            let mut values = [T::default(); BLOCK_LEN];
            for (i, v) in values[..k].iter_mut().enumerate() {
                *v = base.add_offset(bits::read(&self.data[offset..], width, m, i));
            }
            values[k] = value;
            self.repack_last(&values[..=k]);
        }
        self.len += 1;
    }

    /// Packs `values` as the last block (which they replace) at their
    /// narrowest frame.
    fn repack_last(&mut self, values: &[T]) {
        let b = self.headers.len() - 2;
        let (offset, _) = split_header(self.headers[b + 1]);
        let (base, width) = block_frame(values);
        self.data.truncate(offset);
        pack_block(&mut self.data, values, base, width);
        self.headers[b] = T::from_key(base).to_word();
        self.headers[b + 1] = ((offset as u64) << 8) | u64::from(width);
    }

    /// Removes the last value and returns it, or `None` if empty. The last
    /// block is re-packed at the narrowest frame of the values it keeps, so
    /// the vector takes the bits it would take had that value never been
    /// pushed.
    ///
    /// Computes in **O(1)** time (at most **O(128)**).
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// let mut v = BlockPackedVec::from_slice(&[5u32, 6, 1_000_000]);
    /// assert_eq!(v.pop(), Some(1_000_000));
    /// assert_eq!(v, BlockPackedVec::from_slice(&[5, 6]));
    /// assert_eq!(v.bits_per_value(), BlockPackedVec::from_slice(&[5u32, 6]).bits_per_value());
    /// ```
    pub fn pop(&mut self) -> Option<T> {
        let last = self.get(self.len.checked_sub(1)?)?;
        self.truncate(self.len - 1);
        Some(last)
    }

    /// Keeps the first `len` values and drops the rest (nothing if there
    /// are no more than `len`). Whole blocks are dropped; the last block
    /// kept, if partial, is re-packed at the narrowest frame of its values.
    /// Keeps the capacity, as [`Vec::truncate`] does.
    ///
    /// Computes in **O(1)** time (at most **O(128)**).
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// let mut v: BlockPackedVec<u64> = (0..1000).collect();
    /// v.truncate(130);
    /// assert_eq!(v.len(), 130);
    /// assert_eq!(v.block_count(), 2);
    /// assert_eq!(v, (0..130).collect());
    /// ```
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        let blocks = len.div_ceil(BLOCK_LEN);
        let kept = len - (blocks.saturating_sub(1)) * BLOCK_LEN;
        let mut values = [T::default(); BLOCK_LEN];
        if len % BLOCK_LEN != 0 {
            self.decode_range_into(len - kept, &mut values[..kept]);
        }
        if blocks < self.block_count() {
            // The data of the blocks dropped starts where the first does.
            let (end, _) = split_header(self.headers[2 * blocks + 1]);
            self.headers.truncate(2 * blocks);
            self.data.truncate(end);
        }
        if len % BLOCK_LEN != 0 {
            self.repack_last(&values[..kept]);
        }
        self.len = len;
    }

    /// Removes every value, keeping the allocations. Computes in **O(1)**
    /// time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// let mut v = BlockPackedVec::from_slice(&[1u8, 2]);
    /// v.clear();
    /// assert!(v.is_empty());
    /// ```
    pub fn clear(&mut self) {
        self.headers.clear();
        self.data.clear();
        self.len = 0;
    }

    /// Frees unused capacity. Computes in **O(len)** time when it
    /// reallocates.
    ///
    /// ```
    /// use leanmem::measure::HeapSize;
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// let mut v = BlockPackedVec::new();
    /// for i in 0..200u64 {
    ///     v.push(i);
    /// }
    /// v.shrink_to_fit();
    /// // 2 blocks × 2 header words + 128·7/64 + ⌈72·7/64⌉ data words
    /// assert_eq!(v.heap_size(), (4 + 14 + 8) * 8);
    /// ```
    pub fn shrink_to_fit(&mut self) {
        self.headers.shrink_to_fit();
        self.data.shrink_to_fit();
    }

    /// An iterator over the values. Creating it is **O(1)**; it decodes 64
    /// values at a time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// let v = BlockPackedVec::from_slice(&[1u8, 2, 3]);
    /// assert_eq!(v.iter().rev().collect::<Vec<_>>(), [3, 2, 1]);
    /// ```
    #[inline]
    pub fn iter(&self) -> BlockIter<'_, T> {
        BlockIter::new(self.as_slice())
    }

    /// Decodes values `start ..` into `out`, as many as fit; returns how
    /// many were written. Computes in **O(out.len())** time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// let v: BlockPackedVec<u16> = (0..500).collect();
    /// let mut buf = [0u16; 4];
    /// assert_eq!(v.decode_range_into(126, &mut buf), 4);
    /// assert_eq!(buf, [126, 127, 128, 129]);
    /// ```
    pub fn decode_range_into(&self, start: usize, out: &mut [T]) -> usize {
        self.as_slice().decode_range_into(start, out)
    }

    /// Decodes the first values into `out`; returns how many were written.
    /// Computes in **O(min(len, out.len()))** time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// let v = BlockPackedVec::from_slice(&[4i8, 5]);
    /// let mut out = [0i8; 2];
    /// assert_eq!(v.decode_into(&mut out), 2);
    /// assert_eq!(out, [4, 5]);
    /// ```
    pub fn decode_into(&self, out: &mut [T]) -> usize {
        self.as_slice().decode_range_into(0, out)
    }

    /// The exact sum of the values as an `i128`, block by block on the
    /// width-specialised kernels. Computes in **O(len)** time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// let v: BlockPackedVec<u32> = (1..=1000).collect();
    /// assert_eq!(v.sum(), 500_500);
    /// ```
    #[must_use]
    pub fn sum(&self) -> i128 {
        self.as_slice().sum()
    }

    /// The smallest value, or `None` if empty. Computes in **O(len)** time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// assert_eq!(BlockPackedVec::from_slice(&[3i64, -3]).min(), Some(-3));
    /// ```
    #[must_use]
    pub fn min(&self) -> Option<T> {
        self.as_slice().min()
    }

    /// The largest value, or `None` if empty. Computes in **O(len)** time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// assert_eq!(BlockPackedVec::from_slice(&[3i64, -3]).max(), Some(3));
    /// ```
    #[must_use]
    pub fn max(&self) -> Option<T> {
        self.as_slice().max()
    }

    /// The values in a `Vec`. Computes in **O(len)** time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// assert_eq!(BlockPackedVec::from_slice(&[9u8, 8]).to_vec(), [9, 8]);
    /// ```
    #[must_use]
    pub fn to_vec(&self) -> Vec<T> {
        self.as_slice().to_vec()
    }

    /// The serialized form (see [the type docs](Self)). Computes in
    /// **O(words)** time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// let v: BlockPackedVec<u32> = (0..300).collect();
    /// assert_eq!(BlockPackedVec::<u32>::from_words(&v.to_words())?, v);
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
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// let v = BlockPackedVec::from_slice(&[-1i16, 1]);
    /// assert_eq!(BlockPackedVec::<i16>::from_le_bytes(&v.to_le_bytes())?, v);
    /// # Ok::<(), leanmem::packed::PackedFormatError>(())
    /// ```
    #[must_use]
    pub fn to_le_bytes(&self) -> Vec<u8> {
        format::to_le_bytes(&self.to_words())
    }

    /// A vector read (copied) from the serialized form. Computes in
    /// **O(words)** time.
    ///
    /// # Errors
    ///
    /// As [`BlockPackedSlice::from_words`].
    ///
    /// ```
    /// use leanmem::packed::{BlockPackedVec, PackedFormatError, PackedVec};
    ///
    /// let flat = PackedVec::from_slice(&[1u8]).to_words();
    /// assert!(matches!(
    ///     BlockPackedVec::<u8>::from_words(&flat),
    ///     Err(PackedFormatError::WrongLayout { .. })
    /// ));
    /// ```
    pub fn from_words(words: &[u64]) -> Result<Self, PackedFormatError> {
        BlockPackedSlice::from_words(words).map(Self::from)
    }

    /// A vector read from the serialized form as little-endian bytes.
    /// Computes in **O(bytes)** time.
    ///
    /// # Errors
    ///
    /// [`PackedFormatError::PartialWord`] if the byte count is not a
    /// multiple of 8, then as [`BlockPackedSlice::from_words`].
    ///
    /// ```
    /// use leanmem::packed::{BlockPackedVec, PackedFormatError};
    ///
    /// assert_eq!(BlockPackedVec::<u8>::from_le_bytes(&[]).unwrap_err(),
    ///            PackedFormatError::TooShort { needed: 3, found: 0 });
    /// ```
    pub fn from_le_bytes(bytes: &[u8]) -> Result<Self, PackedFormatError> {
        Self::from_words(&format::from_le_bytes(bytes)?)
    }
}

/// A read-only view of block-packed integers over borrowed words: what
/// [`BlockPackedVec::as_slice`] returns, and a zero-copy reader of the
/// serialized form (see [`BlockPackedVec`]).
///
/// # Memory layout
///
/// Two word slices and a length; owns no heap.
///
/// ```
/// use leanmem::packed::{BlockPackedSlice, BlockPackedVec};
///
/// let v: BlockPackedVec<i32> = (-500..500).collect();
/// let words = v.to_words();
/// let view = BlockPackedSlice::<i32>::from_words(&words)?;
/// assert_eq!(view.get(0), Some(-500));
/// assert_eq!(view.sum(), -500);
/// # Ok::<(), leanmem::packed::PackedFormatError>(())
/// ```
#[derive(Clone, Copy)]
pub struct BlockPackedSlice<'a, T: PackedInt> {
    headers: &'a [u64],
    data: &'a [u64],
    len: usize,
    _t: PhantomData<T>,
}

impl<'a, T: PackedInt> BlockPackedSlice<'a, T> {
    /// Reads the serialized form at the start of `words`, without copying;
    /// returns the view and the words after it.
    ///
    /// Computes in **O(blocks)** time: every block header is checked, so
    /// that reads afterwards never leave the data.
    ///
    /// # Errors
    ///
    /// [`PackedFormatError`] if the header is not a block header for `T`,
    /// a block's width or frame does not fit `T`, a data offset disagrees
    /// with the widths before it, or the words are too few.
    ///
    /// ```
    /// use leanmem::packed::{BlockPackedSlice, BlockPackedVec};
    ///
    /// let mut words = BlockPackedVec::from_slice(&[1u64, 2]).to_words();
    /// words.push(42);
    /// let (view, rest) = BlockPackedSlice::<u64>::from_words_prefix(&words)?;
    /// assert_eq!((view.to_vec(), rest), (vec![1, 2], &[42u64][..]));
    /// # Ok::<(), leanmem::packed::PackedFormatError>(())
    /// ```
    pub fn from_words_prefix(words: &'a [u64]) -> Result<(Self, &'a [u64]), PackedFormatError> {
        format::need(words, BLOCK_HEADER_WORDS as u64)?;
        let log2 = format::parse_header::<T>(words[0], BLOCKS)?;
        if u32::from(log2) != BLOCK_SHIFT {
            return Err(PackedFormatError::BadBlockLength { log2 });
        }
        // At most `isize::MAX` values, as for a `Vec`: it also keeps `sum`
        // exact in an `i128` (a width-0 view could claim any length).
        let len = usize::try_from(words[1])
            .ok()
            .filter(|&n| isize::try_from(n).is_ok())
            .ok_or(PackedFormatError::LengthOverflow)?;
        let data_words =
            usize::try_from(words[2]).map_err(|_| PackedFormatError::LengthOverflow)?;
        let header_words = len.div_ceil(BLOCK_LEN) * 2;
        let end = BLOCK_HEADER_WORDS
            .checked_add(header_words)
            .and_then(|n| n.checked_add(data_words))
            .ok_or(PackedFormatError::LengthOverflow)?;
        format::need(words, end as u64)?;
        let headers = &words[BLOCK_HEADER_WORDS..BLOCK_HEADER_WORDS + header_words];
        let data = &words[BLOCK_HEADER_WORDS + header_words..end];
        let mut expected = 0usize;
        for (b, h) in headers.chunks_exact(2).enumerate() {
            let (_, width) = split_header(h[1]);
            let bad_offset = PackedFormatError::BadBlockOffset { block: b as u64 };
            if width > T::BITS || h[1] & 0xff > u64::from(T::BITS) {
                return Err(PackedFormatError::BadWidth {
                    width: (h[1] & 0xff) as u32,
                    max: T::BITS,
                });
            }
            let base = T::from_word(h[0]).ok_or(PackedFormatError::BadFrame)?;
            if mask(width) > T::MAX.to_key() - base.to_key() {
                return Err(PackedFormatError::BadFrame);
            }
            // All 56 bits of the offset, not the `usize` it is read as
            // (which drops the high ones on 32-bit targets).
            if h[1] >> 8 != expected as u64 {
                return Err(bad_offset);
            }
            let block_len = (len - b * BLOCK_LEN).min(BLOCK_LEN);
            expected += bits::words_for(block_len, width).ok_or(bad_offset)?;
        }
        if expected != data_words {
            return Err(PackedFormatError::BadBlockOffset {
                block: (header_words / 2) as u64,
            });
        }
        let view = Self {
            headers,
            data,
            len,
            _t: PhantomData,
        };
        Ok((view, &words[end..]))
    }

    /// Reads a serialized form that fills `words` exactly, without copying.
    /// Computes in **O(blocks)** time.
    ///
    /// # Errors
    ///
    /// As [`from_words_prefix`](Self::from_words_prefix), and
    /// [`PackedFormatError::TrailingWords`] if words are left over.
    ///
    /// ```
    /// use leanmem::packed::{BlockPackedSlice, BlockPackedVec, PackedFormatError};
    ///
    /// let mut words = BlockPackedVec::from_slice(&[7u8; 10]).to_words();
    /// assert_eq!(BlockPackedSlice::<u8>::from_words(&words)?.len(), 10);
    /// words[4] |= 9 << 8; // corrupt the first block's data offset
    /// assert_eq!(
    ///     BlockPackedSlice::<u8>::from_words(&words),
    ///     Err(PackedFormatError::BadBlockOffset { block: 0 })
    /// );
    /// # Ok::<(), PackedFormatError>(())
    /// ```
    pub fn from_words(words: &'a [u64]) -> Result<Self, PackedFormatError> {
        let (view, rest) = Self::from_words_prefix(words)?;
        if rest.is_empty() {
            Ok(view)
        } else {
            Err(PackedFormatError::TrailingWords {
                needed: (words.len() - rest.len()) as u64,
                found: words.len() as u64,
            })
        }
    }

    /// Number of values. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// assert_eq!(BlockPackedVec::from_slice(&[1u8]).as_slice().len(), 1);
    /// ```
    #[inline]
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no values. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// assert!(BlockPackedVec::<u8>::new().as_slice().is_empty());
    /// ```
    #[inline]
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of blocks. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// assert_eq!(BlockPackedVec::from_slice(&[1u8; 256]).as_slice().block_count(), 2);
    /// ```
    #[inline]
    #[must_use]
    pub fn block_count(&self) -> usize {
        self.headers.len() / 2
    }

    /// Bits of block headers and data per value (0 when empty). Computes in
    /// **O(1)** time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// // Width 0 everywhere: only the headers, 128 bits per block of 128.
    /// assert_eq!(BlockPackedVec::from_slice(&[5u64; 1280]).as_slice().bits_per_value(), 1.0);
    /// ```
    #[must_use]
    pub fn bits_per_value(&self) -> f64 {
        if self.len == 0 {
            0.0
        } else {
            ((self.headers.len() + self.data.len()) * 64) as f64 / self.len as f64
        }
    }

    /// Block `b`'s base, data words and width.
    #[inline]
    fn block(&self, b: usize) -> (T, &'a [u64], u32) {
        let h = &self.headers[2 * b..2 * b + 2];
        let (offset, width) = split_header(h[1]);
        let data = self.data.get(offset..).unwrap_or(&[]);
        (T::truncate_word(h[0]), data, width)
    }

    /// The value at `index`, or `None` out of bounds. Computes in **O(1)**
    /// time: one block header and one field read.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// let v = BlockPackedVec::from_slice(&[10u32, 20]);
    /// assert_eq!(v.as_slice().get(1), Some(20));
    /// ```
    #[inline]
    #[must_use]
    pub fn get(&self, index: usize) -> Option<T> {
        if index >= self.len {
            return None;
        }
        let (base, data, width) = self.block(index >> BLOCK_SHIFT);
        let field = bits::read(data, width, mask(width), index % BLOCK_LEN);
        Some(base.add_offset(field))
    }

    /// An iterator over the values. Creating it is **O(1)**.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// let v = BlockPackedVec::from_slice(&[1u8, 2]);
    /// assert_eq!(v.as_slice().iter().count(), 2);
    /// ```
    #[inline]
    pub fn iter(&self) -> BlockIter<'a, T> {
        BlockIter::new(*self)
    }

    /// Calls `f(base, fields)` for each group of up to 64 fields, in order.
    fn for_each_group<F: FnMut(T, &[u64])>(&self, mut f: F) {
        let mut buf = [0u64; GROUP];
        for b in 0..self.block_count() {
            let (base, data, width) = self.block(b);
            let block_len = (self.len - b * BLOCK_LEN).min(BLOCK_LEN);
            let unpack = bits::unpacker(width);
            for g in 0..block_len.div_ceil(GROUP) {
                let n = bits::unpack_group_at(unpack, data, width, block_len, g, &mut buf);
                f(base, &buf[..n]);
            }
        }
    }

    /// Decodes values `start ..` into `out`, as many as fit; returns how
    /// many were written. Computes in **O(out.len())** time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// let v: BlockPackedVec<i8> = (-100..100).collect();
    /// let mut out = [0i8; 3];
    /// assert_eq!(v.as_slice().decode_range_into(197, &mut out), 3);
    /// assert_eq!(out, [97, 98, 99]);
    /// ```
    pub fn decode_range_into(&self, start: usize, out: &mut [T]) -> usize {
        if start >= self.len {
            return 0;
        }
        let n = out.len().min(self.len - start);
        let mut buf = [0u64; GROUP];
        let mut pos = start;
        let end = start + n;
        let mut dst = &mut out[..n];
        while pos < end {
            let g = pos / GROUP;
            let base = self.fill(g, &mut buf);
            let from = pos - g * GROUP;
            let to = (end - g * GROUP).min(GROUP);
            let (head, tail) = dst.split_at_mut(to - from);
            for (o, &f) in head.iter_mut().zip(&buf[from..to]) {
                *o = base.add_offset(f);
            }
            dst = tail;
            pos += to - from;
        }
        n
    }

    /// The exact sum of the values as an `i128`. Computes in **O(len)**
    /// time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// assert_eq!(BlockPackedVec::from_slice(&[u64::MAX; 3]).as_slice().sum(), 3 * u64::MAX as i128);
    /// ```
    #[must_use]
    pub fn sum(&self) -> i128 {
        let mut total = 0i128;
        for b in 0..self.block_count() {
            let (base, data, width) = self.block(b);
            let block_len = (self.len - b * BLOCK_LEN).min(BLOCK_LEN);
            let offsets = bits::sum_fields(data, width, block_len);
            total += base.to_i128() * block_len as i128 + offsets as i128;
        }
        total
    }

    /// The smallest value, or `None` if empty. Computes in **O(len)** time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// assert_eq!(BlockPackedVec::from_slice(&[2u8, 1]).as_slice().min(), Some(1));
    /// ```
    #[must_use]
    pub fn min(&self) -> Option<T> {
        let mut best: Option<T> = None;
        self.for_each_group(|base, fields| {
            if let Some(&m) = fields.iter().min() {
                let v = base.add_offset(m);
                best = Some(best.map_or(v, |b| b.min(v)));
            }
        });
        best
    }

    /// The largest value, or `None` if empty. Computes in **O(len)** time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// assert_eq!(BlockPackedVec::from_slice(&[2u8, 1]).as_slice().max(), Some(2));
    /// ```
    #[must_use]
    pub fn max(&self) -> Option<T> {
        let mut best: Option<T> = None;
        self.for_each_group(|base, fields| {
            if let Some(&m) = fields.iter().max() {
                let v = base.add_offset(m);
                best = Some(best.map_or(v, |b| b.max(v)));
            }
        });
        best
    }

    /// The values in a `Vec`. Computes in **O(len)** time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// assert_eq!(BlockPackedVec::from_slice(&[3u8]).as_slice().to_vec(), [3]);
    /// ```
    #[must_use]
    pub fn to_vec(&self) -> Vec<T> {
        let mut out = vec![T::default(); self.len];
        self.decode_range_into(0, &mut out);
        out
    }

    /// Appends the serialized form to `out`. Computes in **O(words)** time.
    ///
    /// ```
    /// use leanmem::packed::{BlockPackedSlice, BlockPackedVec};
    ///
    /// let mut out = Vec::new();
    /// BlockPackedVec::from_slice(&[1u8, 2]).as_slice().write_words(&mut out);
    /// assert_eq!(BlockPackedSlice::<u8>::from_words(&out)?.to_vec(), [1, 2]);
    /// # Ok::<(), leanmem::packed::PackedFormatError>(())
    /// ```
    pub fn write_words(&self, out: &mut Vec<u64>) {
        out.reserve(BLOCK_HEADER_WORDS + self.headers.len() + self.data.len());
        out.push(format::header::<T>(BLOCKS, BLOCK_SHIFT as u8));
        out.push(self.len as u64);
        out.push(self.data.len() as u64);
        out.extend_from_slice(self.headers);
        out.extend_from_slice(self.data);
    }

    /// The serialized form in a new `Vec`. Computes in **O(words)** time.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// let words = BlockPackedVec::from_slice(&[1u8; 128]).as_slice().to_words();
    /// assert_eq!(words.len(), 3 + 2); // width 0: headers only
    /// ```
    #[must_use]
    pub fn to_words(&self) -> Vec<u64> {
        let mut out = Vec::new();
        self.write_words(&mut out);
        out
    }
}

impl<T: PackedInt> GroupSource<T> for BlockPackedSlice<'_, T> {
    #[inline]
    fn fill(&self, g: usize, buf: &mut [u64; GROUP]) -> T {
        const GROUPS_PER_BLOCK: usize = BLOCK_LEN / GROUP;
        let b = g / GROUPS_PER_BLOCK;
        let (base, data, width) = self.block(b);
        let block_len = (self.len - b * BLOCK_LEN).min(BLOCK_LEN);
        bits::unpack_group_at(
            bits::unpacker(width),
            data,
            width,
            block_len,
            g % GROUPS_PER_BLOCK,
            buf,
        );
        base
    }

    #[inline]
    fn value(&self, i: usize) -> T {
        self.get(i).unwrap_or_default()
    }
}

impl<'a, T: PackedInt> From<BlockPackedSlice<'a, T>> for BlockPackedVec<T> {
    /// Copies a view's words into an owned vector, clearing the bits past
    /// each block's last field. Computes in **O(words)** time.
    ///
    /// ```
    /// use leanmem::packed::{BlockPackedSlice, BlockPackedVec};
    ///
    /// let words = BlockPackedVec::from_slice(&[1u16, 2]).to_words();
    /// let owned = BlockPackedVec::from(BlockPackedSlice::<u16>::from_words(&words)?);
    /// assert_eq!(owned.to_vec(), [1, 2]);
    /// # Ok::<(), leanmem::packed::PackedFormatError>(())
    /// ```
    fn from(view: BlockPackedSlice<'a, T>) -> Self {
        let mut data = view.data.to_vec();
        for b in 0..view.block_count() {
            let (offset, width) = split_header(view.headers[2 * b + 1]);
            let block_len = (view.len - b * BLOCK_LEN).min(BLOCK_LEN);
            let end = offset + bits::words_for(block_len, width).unwrap_or(0);
            bits::clear_from(&mut data[offset..end], block_len * width as usize);
        }
        Self {
            headers: view.headers.to_vec(),
            data,
            len: view.len,
            _t: PhantomData,
        }
    }
}

impl<T: PackedInt> fmt::Debug for BlockPackedSlice<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: PackedInt> fmt::Debug for BlockPackedVec<T> {
    /// Formats the values as a list, like `Vec`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_slice().fmt(f)
    }
}

impl<T: PackedInt> PartialEq for BlockPackedSlice<'_, T> {
    /// Equal when the values are equal.
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<T: PackedInt> Eq for BlockPackedSlice<'_, T> {}

impl<T: PackedInt> Hash for BlockPackedSlice<'_, T> {
    /// Hashes the length and the values, as [`PackedSlice`](super::PackedSlice)
    /// does: equal sequences in either layout hash equally.
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.len);
        let mut vals = [T::default(); GROUP];
        self.for_each_group(|base, fields| {
            for (o, &f) in vals.iter_mut().zip(fields) {
                *o = base.add_offset(f);
            }
            T::hash_slice(&vals[..fields.len()], state);
        });
    }
}

impl<T: PackedInt> PartialEq for BlockPackedVec<T> {
    /// Equal when the values are equal.
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: PackedInt> Eq for BlockPackedVec<T> {}

impl<T: PackedInt> Hash for BlockPackedVec<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl<T: PackedInt> Default for BlockPackedVec<T> {
    /// An empty vector.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// assert_eq!(BlockPackedVec::<u8>::default().len(), 0);
    /// ```
    fn default() -> Self {
        Self::new()
    }
}

impl<T: PackedInt> HeapSize for BlockPackedVec<T> {
    /// The capacities of the header and data buffers, in bytes.
    fn heap_size_with(&self, _: &mut HeapContext) -> usize {
        (self.headers.capacity() + self.data.capacity()) * 8
    }
}

impl<T: PackedInt> HeapSize for BlockPackedSlice<'_, T> {
    /// A view borrows its words: it owns no heap.
    fn heap_size_with(&self, _: &mut HeapContext) -> usize {
        0
    }
}

impl<T: PackedInt> Extend<T> for BlockPackedVec<T> {
    /// Pushes each value.
    ///
    /// ```
    /// use leanmem::packed::BlockPackedVec;
    ///
    /// let mut v = BlockPackedVec::from_slice(&[1u8]);
    /// v.extend([2, 3]);
    /// assert_eq!(v.to_vec(), [1, 2, 3]);
    /// ```
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for v in iter {
            self.push(v);
        }
    }
}

impl<'a, T: PackedInt> Extend<&'a T> for BlockPackedVec<T> {
    /// Pushes each value.
    fn extend<I: IntoIterator<Item = &'a T>>(&mut self, iter: I) {
        self.extend(iter.into_iter().copied());
    }
}

impl<T: PackedInt> FromIterator<T> for BlockPackedVec<T> {
    /// Collects the values, then packs them as
    /// [`from_slice`](BlockPackedVec::from_slice).
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let values: Vec<T> = iter.into_iter().collect();
        Self::from_slice(&values)
    }
}

impl<T: PackedInt> From<&[T]> for BlockPackedVec<T> {
    /// As [`BlockPackedVec::from_slice`].
    fn from(values: &[T]) -> Self {
        Self::from_slice(values)
    }
}

impl<T: PackedInt> IntoIterator for BlockPackedVec<T> {
    type Item = T;
    type IntoIter = BlockIntoIter<T>;

    fn into_iter(self) -> BlockIntoIter<T> {
        BlockIntoIter::new(self)
    }
}

impl<'a, T: PackedInt> IntoIterator for &'a BlockPackedVec<T> {
    type Item = T;
    type IntoIter = BlockIter<'a, T>;

    fn into_iter(self) -> BlockIter<'a, T> {
        self.iter()
    }
}

impl<'a, T: PackedInt> IntoIterator for BlockPackedSlice<'a, T> {
    type Item = T;
    type IntoIter = BlockIter<'a, T>;

    fn into_iter(self) -> BlockIter<'a, T> {
        BlockIter::new(self)
    }
}
