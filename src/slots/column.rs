//! Column storage shared by [`Table`](super::Table) and the tables that
//! [`slots!`](crate::slots!) generates.
//!
//! Columns grow in chunks of [`CHUNK`] rows: a full chunk is sealed into an
//! exact-size block and never moves again, so a column never holds more
//! than one chunk of slack and building one never copies what is already
//! stored — the peak while building stays close to the final size, where a
//! doubling `Vec` peaks at up to twice it.

use std::marker::PhantomData;

use crate::measure::{HeapContext, HeapSize};

/// Rows per chunk.
pub const CHUNK: usize = 1 << CHUNK_BITS;
const CHUNK_BITS: u32 = 12;

#[inline]
fn split(i: usize) -> (usize, usize) {
    (i >> CHUNK_BITS, i & (CHUNK - 1))
}

/// Sealed exact-size chunks plus a growing tail.
#[derive(Debug, Clone, PartialEq)]
struct Chunks<T> {
    sealed: Vec<Box<[T]>>,
    tail: Vec<T>,
}

impl<T> Default for Chunks<T> {
    fn default() -> Self {
        Self {
            sealed: Vec::new(),
            tail: Vec::new(),
        }
    }
}

impl<T: Copy> Chunks<T> {
    fn len(&self) -> usize {
        self.sealed.len() * CHUNK + self.tail.len()
    }

    #[inline]
    fn push(&mut self, x: T) {
        if self.tail.len() == CHUNK {
            let full = std::mem::replace(&mut self.tail, Vec::with_capacity(CHUNK));
            self.sealed.push(full.into_boxed_slice());
        }
        self.tail.push(x);
    }

    #[inline]
    fn get(&self, i: usize) -> Option<T> {
        let (c, j) = split(i);
        match self.sealed.get(c) {
            Some(chunk) => chunk.get(j).copied(),
            None if c == self.sealed.len() => self.tail.get(j).copied(),
            None => None,
        }
    }

    fn set(&mut self, i: usize, x: T) -> bool {
        let (c, j) = split(i);
        let slot = if c < self.sealed.len() {
            self.sealed[c].get_mut(j)
        } else if c == self.sealed.len() {
            self.tail.get_mut(j)
        } else {
            None
        };
        slot.map(|s| *s = x).is_some()
    }

    fn reserve_rows(&mut self, rows: usize) {
        let total = self.len() + rows;
        self.sealed
            .reserve(total / CHUNK - self.sealed.len().min(total / CHUNK));
        let in_tail = if total / CHUNK > self.sealed.len() {
            CHUNK
        } else {
            total % CHUNK
        };
        self.tail.reserve(in_tail.saturating_sub(self.tail.len()));
    }

    fn slices(&self) -> impl Iterator<Item = &[T]> + '_ {
        self.sealed
            .iter()
            .map(|c| &c[..])
            .chain(std::iter::once(&self.tail[..]))
    }

    fn shrink_to_fit(&mut self) {
        self.sealed.shrink_to_fit();
        self.tail.shrink_to_fit();
    }

    fn clear(&mut self) {
        self.sealed.clear();
        self.tail.clear();
    }
}

impl<T: HeapSize> HeapSize for Chunks<T> {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.sealed.heap_size_with(cx) + self.tail.heap_size_with(cx)
    }
}

/// Integers that an [`IntColumn`] can hold: stored as `i64`, read back as
/// `Self`.
pub trait IntSlot: Copy + Send + Sync + 'static {
    /// The stored form. Unsigned 64-bit values keep their bits.
    fn to_i64(self) -> i64;
    /// Back from the stored form; `None` if it does not fit.
    fn from_i64(x: i64) -> Option<Self>;
}

macro_rules! int_slot {
    ($($t:ty),*) => {$(
        impl IntSlot for $t {
            #[inline]
            fn to_i64(self) -> i64 {
                self as i64
            }
            #[inline]
            fn from_i64(x: i64) -> Option<Self> {
                <$t>::try_from(x).ok()
            }
        }
    )*};
}
int_slot!(i8, i16, i32, i64, u8, u16, u32);

impl IntSlot for u64 {
    /// The bits, reinterpreted: values above `i64::MAX` read as negative
    /// through `ValueRef`, and back exactly through the column.
    #[inline]
    fn to_i64(self) -> i64 {
        self as i64
    }
    #[inline]
    fn from_i64(x: i64) -> Option<Self> {
        Some(x as u64)
    }
}

impl IntSlot for usize {
    #[inline]
    fn to_i64(self) -> i64 {
        self as i64
    }
    #[inline]
    fn from_i64(x: i64) -> Option<Self> {
        Some(x as u64 as usize)
    }
}

/// A column of integers, 8 bytes per row, in chunks.
///
/// ```
/// use leanmem::slots::IntColumn;
///
/// let mut ids: IntColumn<u32> = IntColumn::new();
/// ids.extend([3, 1, 4]);
/// assert_eq!(ids.get(2), Some(4));
/// assert_eq!(ids.iter().sum::<u32>(), 8);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct IntColumn<T = i64> {
    data: Chunks<i64>,
    _t: PhantomData<T>,
}

impl<T> Default for IntColumn<T> {
    fn default() -> Self {
        Self {
            data: Chunks::default(),
            _t: PhantomData,
        }
    }
}

impl<T: IntSlot> IntColumn<T> {
    /// An empty column.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Rows stored.
    #[must_use]
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether no rows are stored.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends a value. Amortized **O(1)**.
    #[inline]
    pub fn push(&mut self, x: T) {
        self.data.push(x.to_i64());
    }

    /// The value of row `i`. **O(1)**.
    #[inline]
    #[must_use]
    pub fn get(&self, i: usize) -> Option<T> {
        self.data.get(i).and_then(T::from_i64)
    }

    /// The values in row order.
    #[must_use]
    pub fn iter(&self) -> IntIter<'_, T> {
        IntIter {
            chunks: self.data.sealed.iter(),
            tail: Some(&self.data.tail),
            current: [].iter(),
            remaining: self.len(),
            _t: PhantomData,
        }
    }

    pub(crate) fn get_i64(&self, i: usize) -> Option<i64> {
        self.data.get(i)
    }

    pub(crate) fn push_i64(&mut self, x: i64) {
        self.data.push(x);
    }

    pub(crate) fn set_i64(&mut self, i: usize, x: i64) -> bool {
        self.data.set(i, x)
    }

    /// The stored values as slices, chunk by chunk (for fast scans).
    pub fn raw_chunks(&self) -> impl Iterator<Item = &[i64]> + '_ {
        self.data.slices()
    }

    /// Reserves room for `rows` more rows.
    pub fn reserve(&mut self, rows: usize) {
        self.data.reserve_rows(rows);
    }

    /// Releases unused capacity.
    pub fn shrink_to_fit(&mut self) {
        self.data.shrink_to_fit();
    }

    /// Removes every row.
    pub fn clear(&mut self) {
        self.data.clear();
    }
}

impl<T: IntSlot> Extend<T> for IntColumn<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for x in iter {
            self.push(x);
        }
    }
}

impl<T> HeapSize for IntColumn<T> {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.data.heap_size_with(cx)
    }
}

/// The values of an [`IntColumn`] in row order; see [`IntColumn::iter`].
#[derive(Debug, Clone)]
pub struct IntIter<'a, T> {
    chunks: std::slice::Iter<'a, Box<[i64]>>,
    tail: Option<&'a Vec<i64>>,
    current: std::slice::Iter<'a, i64>,
    remaining: usize,
    _t: PhantomData<T>,
}

impl<T: IntSlot> Iterator for IntIter<'_, T> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        loop {
            if let Some(&x) = self.current.next() {
                self.remaining -= 1;
                // Values were stored from `T`, so they convert back.
                return T::from_i64(x);
            }
            self.current = match self.chunks.next() {
                Some(c) => c.iter(),
                None => self.tail.take()?.iter(),
            };
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<T: IntSlot> ExactSizeIterator for IntIter<'_, T> {}

impl<T: IntSlot> std::iter::FusedIterator for IntIter<'_, T> {}

/// A column of `f64`, 8 bytes per row, in chunks.
///
/// ```
/// use leanmem::slots::FloatColumn;
///
/// let mut xs = FloatColumn::new();
/// xs.push(1.5);
/// assert_eq!(xs.get(0), Some(1.5));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FloatColumn {
    data: Chunks<f64>,
}

impl FloatColumn {
    /// An empty column.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Rows stored.
    #[must_use]
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether no rows are stored.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends a value. Amortized **O(1)**.
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.data.push(x);
    }

    /// The value of row `i`. **O(1)**.
    #[inline]
    #[must_use]
    pub fn get(&self, i: usize) -> Option<f64> {
        self.data.get(i)
    }

    pub(crate) fn set(&mut self, i: usize, x: f64) -> bool {
        self.data.set(i, x)
    }

    /// The values in row order.
    pub fn iter(&self) -> impl Iterator<Item = f64> + '_ {
        self.data.slices().flatten().copied()
    }

    /// Reserves room for `rows` more rows.
    pub fn reserve(&mut self, rows: usize) {
        self.data.reserve_rows(rows);
    }

    /// Releases unused capacity.
    pub fn shrink_to_fit(&mut self) {
        self.data.shrink_to_fit();
    }

    /// Removes every row.
    pub fn clear(&mut self) {
        self.data.clear();
    }
}

impl HeapSize for FloatColumn {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.data.heap_size_with(cx)
    }
}

/// A column of booleans, one bit per row.
///
/// ```
/// use leanmem::slots::BoolColumn;
///
/// let mut flags = BoolColumn::new();
/// flags.push(true);
/// flags.push(false);
/// assert_eq!(flags.get(0), Some(true));
/// assert_eq!(flags.count_ones(), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct BoolColumn {
    words: Vec<u64>,
    len: usize,
}

impl BoolColumn {
    /// An empty column.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Rows stored.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no rows are stored.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends a value. Amortized **O(1)**.
    #[inline]
    pub fn push(&mut self, x: bool) {
        if self.len % 64 == 0 {
            self.words.push(0);
        }
        if x {
            let last = self.words.len() - 1;
            self.words[last] |= 1 << (self.len % 64);
        }
        self.len += 1;
    }

    /// The value of row `i`. **O(1)**.
    #[inline]
    #[must_use]
    pub fn get(&self, i: usize) -> Option<bool> {
        (i < self.len).then(|| self.words[i / 64] & (1 << (i % 64)) != 0)
    }

    pub(crate) fn set(&mut self, i: usize, x: bool) -> bool {
        if i >= self.len {
            return false;
        }
        if x {
            self.words[i / 64] |= 1 << (i % 64);
        } else {
            self.words[i / 64] &= !(1 << (i % 64));
        }
        true
    }

    /// The values in row order.
    pub fn iter(&self) -> impl Iterator<Item = bool> + '_ {
        (0..self.len).map(|i| self.words[i / 64] & (1 << (i % 64)) != 0)
    }

    /// How many rows are `true`.
    #[must_use]
    pub fn count_ones(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Reserves room for `rows` more rows.
    pub fn reserve(&mut self, rows: usize) {
        let words = (self.len + rows).div_ceil(64);
        self.words.reserve(words.saturating_sub(self.words.len()));
    }

    /// Releases unused capacity.
    pub fn shrink_to_fit(&mut self) {
        self.words.shrink_to_fit();
    }

    /// Removes every row.
    pub fn clear(&mut self) {
        self.words.clear();
        self.len = 0;
    }
}

impl HeapSize for BoolColumn {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.words.heap_size_with(cx)
    }
}

/// One sealed chunk of strings: their bytes back to back, and where each
/// ends.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct StrChunk {
    bytes: Box<str>,
    ends: Box<[u32]>,
}

/// A column of strings: each chunk's strings back to back in one buffer,
/// with a 4-byte end offset per row — 4 bytes of overhead per string where
/// a `String` costs 24 plus its slack.
///
/// ```
/// use leanmem::slots::StrColumn;
///
/// let mut names = StrColumn::new();
/// names.push("ada")?;
/// names.push("grace")?;
/// assert_eq!(names.get(1), Some("grace"));
/// assert_eq!(names.iter().collect::<Vec<_>>(), ["ada", "grace"]);
/// # Ok::<(), leanmem::slots::SlotsError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct StrColumn {
    sealed: Vec<StrChunk>,
    bytes: String,
    ends: Vec<u32>,
}

impl StrColumn {
    /// An empty column.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Rows stored.
    #[must_use]
    pub fn len(&self) -> usize {
        self.sealed.len() * CHUNK + self.ends.len()
    }

    /// Whether no rows are stored.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends a string. Amortized **O(len)**.
    ///
    /// # Errors
    ///
    /// [`SlotsError::TooLarge`](crate::slots::SlotsError::TooLarge) if one
    /// chunk's strings would pass 4 GiB; nothing is stored.
    #[inline]
    pub fn push(&mut self, s: &str) -> Result<(), crate::error::SlotsError> {
        if self.ends.len() == CHUNK {
            self.seal();
        }
        let end = u32::try_from(self.bytes.len() + s.len())
            .map_err(|_| crate::error::SlotsError::TooLarge)?;
        self.bytes.push_str(s);
        self.ends.push(end);
        Ok(())
    }

    fn seal(&mut self) {
        let bytes = std::mem::take(&mut self.bytes).into_boxed_str();
        let ends = std::mem::replace(&mut self.ends, Vec::with_capacity(CHUNK)).into_boxed_slice();
        self.sealed.push(StrChunk { bytes, ends });
    }

    /// Whether a string of `len` bytes can be pushed.
    pub(crate) fn fits(&self, len: usize) -> bool {
        let base = if self.ends.len() == CHUNK {
            0
        } else {
            self.bytes.len()
        };
        u32::try_from(base + len).is_ok()
    }

    /// The string of row `i`. **O(1)**.
    #[inline]
    #[must_use]
    pub fn get(&self, i: usize) -> Option<&str> {
        let (c, j) = split(i);
        let (bytes, ends): (&str, &[u32]) = match self.sealed.get(c) {
            Some(chunk) => (&chunk.bytes, &chunk.ends),
            None if c == self.sealed.len() => (&self.bytes, &self.ends),
            None => return None,
        };
        let end = *ends.get(j)? as usize;
        let start = if j == 0 { 0 } else { ends[j - 1] as usize };
        bytes.get(start..end)
    }

    /// The strings in row order.
    #[must_use]
    pub fn iter(&self) -> StrIter<'_> {
        StrIter {
            chunks: self.sealed.iter(),
            tail: Some((&self.bytes, &self.ends)),
            bytes: "",
            ends: [].iter(),
            start: 0,
            remaining: self.len(),
        }
    }

    /// Reserves room for `rows` more rows' end offsets (string bytes grow
    /// as they are pushed).
    pub fn reserve(&mut self, rows: usize) {
        let total = self.len() + rows;
        let chunks = total / CHUNK;
        self.sealed
            .reserve(chunks.saturating_sub(self.sealed.len()));
        let in_tail = if chunks > self.sealed.len() {
            CHUNK
        } else {
            total % CHUNK
        };
        self.ends.reserve(in_tail.saturating_sub(self.ends.len()));
    }

    /// Releases unused capacity.
    pub fn shrink_to_fit(&mut self) {
        self.sealed.shrink_to_fit();
        self.bytes.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// Removes every row.
    pub fn clear(&mut self) {
        self.sealed.clear();
        self.bytes.clear();
        self.ends.clear();
    }

    /// Replaces row `i`'s string: **O(chunk bytes)**, the chunk is rebuilt.
    pub(crate) fn set(&mut self, i: usize, s: &str) -> Result<bool, crate::error::SlotsError> {
        let (c, j) = split(i);
        let Some(old) = self.get(i) else {
            return Ok(false);
        };
        let old_len = old.len();
        let (bytes, ends) = if c < self.sealed.len() {
            let chunk = &self.sealed[c];
            (&*chunk.bytes, &*chunk.ends)
        } else {
            (&*self.bytes, &self.ends[..])
        };
        let new_total = bytes.len() - old_len + s.len();
        if u32::try_from(new_total).is_err() {
            return Err(crate::error::SlotsError::TooLarge);
        }
        let start = if j == 0 { 0 } else { ends[j - 1] as usize };
        let mut rebuilt = String::with_capacity(new_total);
        rebuilt.push_str(&bytes[..start]);
        rebuilt.push_str(s);
        rebuilt.push_str(&bytes[start + old_len..]);
        let delta = s.len() as i64 - old_len as i64;
        let shift = |e: &mut u32| *e = (i64::from(*e) + delta) as u32;
        if c < self.sealed.len() {
            let chunk = &mut self.sealed[c];
            chunk.bytes = rebuilt.into_boxed_str();
            chunk.ends[j..].iter_mut().for_each(shift);
        } else {
            self.bytes = rebuilt;
            self.ends[j..].iter_mut().for_each(shift);
        }
        Ok(true)
    }
}

/// The strings of a [`StrColumn`] in row order; see [`StrColumn::iter`].
#[derive(Debug, Clone)]
pub struct StrIter<'a> {
    chunks: std::slice::Iter<'a, StrChunk>,
    tail: Option<(&'a str, &'a [u32])>,
    bytes: &'a str,
    ends: std::slice::Iter<'a, u32>,
    start: usize,
    remaining: usize,
}

impl<'a> Iterator for StrIter<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        loop {
            if let Some(&end) = self.ends.next() {
                let end = end as usize;
                let s = self.bytes.get(self.start..end).unwrap_or_default();
                self.start = end;
                self.remaining -= 1;
                return Some(s);
            }
            let (bytes, ends) = match self.chunks.next() {
                Some(c) => (&*c.bytes, &*c.ends),
                None => self.tail.take()?,
            };
            self.bytes = bytes;
            self.ends = ends.iter();
            self.start = 0;
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for StrIter<'_> {}

impl std::iter::FusedIterator for StrIter<'_> {}

impl HeapSize for StrChunk {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.bytes.heap_size_with(cx) + self.ends.heap_size_with(cx)
    }
}

impl HeapSize for StrColumn {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.sealed.heap_size_with(cx)
            + self.bytes.heap_size_with(cx)
            + self.ends.heap_size_with(cx)
    }
}

/// A column that may hold nulls: the values in `C` (a placeholder where
/// null) and one validity bit per row.
///
/// ```
/// use leanmem::slots::{IntColumn, Nullable};
///
/// let mut ages: Nullable<IntColumn<u8>> = Nullable::default();
/// ages.push(Some(36));
/// ages.push(None);
/// assert_eq!(ages.get(0), Some(Some(36)));
/// assert_eq!(ages.get(1), Some(None));
/// assert_eq!(ages.get(2), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Nullable<C> {
    values: C,
    valid: BoolColumn,
}

impl<C> Nullable<C> {
    /// The validity bits: `true` where a row holds a value.
    #[must_use]
    pub fn validity(&self) -> &BoolColumn {
        &self.valid
    }

    /// The values, with placeholders (0, 0.0, false, "") where null.
    #[must_use]
    pub fn values(&self) -> &C {
        &self.values
    }

    /// Rows stored.
    #[must_use]
    pub fn len(&self) -> usize {
        self.valid.len()
    }

    pub(crate) fn parts_mut(&mut self) -> (&mut C, &mut BoolColumn) {
        (&mut self.values, &mut self.valid)
    }

    /// Whether no rows are stored.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.valid.is_empty()
    }
}

impl<T: IntSlot> Nullable<IntColumn<T>> {
    /// Appends a value or a null.
    pub fn push(&mut self, x: Option<T>) {
        self.valid.push(x.is_some());
        self.values.push_i64(x.map_or(0, T::to_i64));
    }

    /// Row `i`: `None` past the end, `Some(None)` where null.
    #[must_use]
    pub fn get(&self, i: usize) -> Option<Option<T>> {
        let valid = self.valid.get(i)?;
        Some(if valid { self.values.get(i) } else { None })
    }
}

impl Nullable<FloatColumn> {
    /// Appends a value or a null.
    pub fn push(&mut self, x: Option<f64>) {
        self.valid.push(x.is_some());
        self.values.push(x.unwrap_or(0.0));
    }

    /// Row `i`: `None` past the end, `Some(None)` where null.
    #[must_use]
    pub fn get(&self, i: usize) -> Option<Option<f64>> {
        let valid = self.valid.get(i)?;
        Some(if valid { self.values.get(i) } else { None })
    }
}

impl Nullable<BoolColumn> {
    /// Appends a value or a null.
    pub fn push(&mut self, x: Option<bool>) {
        self.valid.push(x.is_some());
        self.values.push(x.unwrap_or(false));
    }

    /// Row `i`: `None` past the end, `Some(None)` where null.
    #[must_use]
    pub fn get(&self, i: usize) -> Option<Option<bool>> {
        let valid = self.valid.get(i)?;
        Some(if valid { self.values.get(i) } else { None })
    }
}

impl Nullable<StrColumn> {
    /// Appends a string or a null.
    ///
    /// # Errors
    ///
    /// As for [`StrColumn::push`]; nothing is stored.
    pub fn push(&mut self, x: Option<&str>) -> Result<(), crate::error::SlotsError> {
        self.values.push(x.unwrap_or(""))?;
        self.valid.push(x.is_some());
        Ok(())
    }

    /// Row `i`: `None` past the end, `Some(None)` where null.
    #[must_use]
    pub fn get(&self, i: usize) -> Option<Option<&str>> {
        let valid = self.valid.get(i)?;
        Some(if valid { self.values.get(i) } else { None })
    }
}

impl<C: HeapSize> HeapSize for Nullable<C> {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.values.heap_size_with(cx) + self.valid.heap_size_with(cx)
    }
}
