//! Column storage shared by [`Table`](super::Table) and the tables that
//! [`slots!`](crate::slots!) generates.
//!
//! Columns grow in chunks of [`CHUNK`] rows: a full chunk is sealed into an
//! exact-size block and never moves again, so a column never holds more
//! than one chunk of slack and building one never copies what is already
//! stored — the peak while building stays close to the final size, where a
//! doubling `Vec` peaks at up to twice it. Bits (booleans, and the
//! validity bits of nullable fields) are the exception: one bit a row,
//! they grow as a doubling vector of words, so they may hold up to twice
//! their bytes (1/64 of a `u64` column's at most).

use std::iter::FusedIterator;

use super::ints::{IntColumn, IntSlot};
use super::strs::StrColumn;
use crate::measure::{HeapContext, HeapSize};

/// Rows per chunk.
pub const CHUNK: usize = 1 << CHUNK_BITS;
const CHUNK_BITS: u32 = 12;

#[inline]
pub(crate) fn split(i: usize) -> (usize, usize) {
    (i >> CHUNK_BITS, i & (CHUNK - 1))
}

/// `Extend` and `FromIterator` for a column, by `push`:
/// `collect_by_push!([generics] Column: Item)`.
macro_rules! collect_by_push {
    ($([$($g:tt)*] $col:ty: $item:ty),* $(,)?) => {$(
        impl<$($g)*> Extend<$item> for $col {
            fn extend<I: IntoIterator<Item = $item>>(&mut self, iter: I) {
                for x in iter {
                    self.push(x);
                }
            }
        }

        impl<$($g)*> FromIterator<$item> for $col {
            fn from_iter<I: IntoIterator<Item = $item>>(iter: I) -> Self {
                let mut c = Self::new();
                c.extend(iter);
                c
            }
        }
    )*};
}
pub(crate) use collect_by_push;

collect_by_push!([] FloatColumn: f64, [] BoolColumn: bool);

/// Keeps the first `n` rows of `sealed` chunks of [`CHUNK`] rows followed
/// by `tail`: the chunks past the cut are dropped, and a chunk cut into
/// becomes the tail, `unseal(chunk, rows, tail)` putting its first `rows`
/// rows into an empty tail with room for a chunk.
pub(crate) fn truncate_chunks<S, T>(
    sealed: &mut Vec<S>,
    tail: &mut Vec<T>,
    n: usize,
    unseal: impl FnOnce(&S, usize, &mut Vec<T>),
) {
    if n >= sealed.len() * CHUNK + tail.len() {
        return;
    }
    let (c, j) = split(n);
    if c < sealed.len() {
        let mut t = Vec::new();
        if j > 0 {
            t.reserve_exact(CHUNK);
            unseal(&sealed[c], j, &mut t);
        }
        sealed.truncate(c);
        *tail = t;
    } else {
        tail.truncate(j);
    }
}

/// Sealed exact-size chunks plus a growing tail.
#[derive(Debug, Clone)]
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

/// The values in order, however they are split into chunks.
impl<T: Copy + PartialEq> PartialEq for Chunks<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.slices().flatten().eq(other.slices().flatten())
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
        let total = self.len().checked_add(rows).expect("capacity overflow");
        self.sealed
            .reserve(total / CHUNK - self.sealed.len().min(total / CHUNK));
        let in_tail = if total / CHUNK > self.sealed.len() {
            CHUNK
        } else {
            total % CHUNK
        };
        self.tail.reserve(in_tail.saturating_sub(self.tail.len()));
    }

    /// Keeps the first `n` rows; a sealed chunk cut into becomes the tail.
    fn truncate(&mut self, n: usize) {
        truncate_chunks(&mut self.sealed, &mut self.tail, n, |chunk, j, tail| {
            tail.extend_from_slice(&chunk[..j]);
        });
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
    ///
    /// # Panics
    ///
    /// If the row count overflows `usize` (as for `Vec::reserve`).
    pub fn reserve(&mut self, rows: usize) {
        self.data.reserve_rows(rows);
    }

    /// Keeps the first `len` rows and drops the rest (nothing if there are
    /// no more). **O(chunks dropped)**, plus **O([`CHUNK`])** when it cuts
    /// into a full chunk, which becomes the growing one again.
    pub fn truncate(&mut self, len: usize) {
        self.data.truncate(len);
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
    pub fn iter(
        &self,
    ) -> impl ExactSizeIterator<Item = bool> + DoubleEndedIterator + FusedIterator + '_ {
        (0..self.len).map(|i| self.words[i / 64] & (1 << (i % 64)) != 0)
    }

    /// How many rows are `true`.
    #[must_use]
    pub fn count_ones(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Reserves room for `rows` more rows.
    ///
    /// # Panics
    ///
    /// If the row count overflows `usize` (as for `Vec::reserve`).
    pub fn reserve(&mut self, rows: usize) {
        let words = self
            .len
            .checked_add(rows)
            .expect("capacity overflow")
            .div_ceil(64);
        self.words.reserve(words.saturating_sub(self.words.len()));
    }

    /// Keeps the first `len` rows and drops the rest (nothing if there are
    /// no more). **O(1)**.
    ///
    /// ```
    /// use leanmem::slots::BoolColumn;
    ///
    /// let mut flags: BoolColumn = [true, false, true].into_iter().collect();
    /// flags.truncate(1);
    /// assert_eq!(flags.count_ones(), 1);
    /// ```
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        self.words.truncate(len.div_ceil(64));
        if len % 64 != 0 {
            if let Some(last) = self.words.last_mut() {
                *last &= (1 << (len % 64)) - 1;
            }
        }
        self.len = len;
    }

    /// Whether the rows `from..` are all `false` (the bits past the last
    /// row are 0). **O((len - from) / 64)**.
    pub(crate) fn none_from(&self, from: usize) -> bool {
        if from >= self.len {
            return true;
        }
        let (w, b) = (from / 64, from % 64);
        self.words[w] >> b == 0 && self.words[w + 1..].iter().all(|&x| x == 0)
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

    /// The values, with placeholders where null: `0.0`, `false` and `""`,
    /// and for integers a value that does not widen the chunk's packing
    /// (the row before's in its chunk, or the chunk's first value for the
    /// nulls that start it).
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
        match x {
            Some(x) => self.values.push_i64(x.to_i64()),
            None => self.values.push_null(),
        }
    }

    /// Row `i`: `None` past the end, `Some(None)` where null.
    #[must_use]
    pub fn get(&self, i: usize) -> Option<Option<T>> {
        let valid = self.valid.get(i)?;
        Some(if valid { self.values.get(i) } else { None })
    }

    /// Keeps the first `len` rows and drops the rest (nothing if there are
    /// no more), at the cost of the values column's `truncate`, or
    /// **O([`CHUNK`])** when the rows kept in the last chunk are all null
    /// (their placeholders become those of nulls just pushed).
    pub fn truncate(&mut self, len: usize) {
        self.valid.truncate(len);
        self.values.truncate_nullable(len, &self.valid);
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

    /// Keeps the first `len` rows and drops the rest (nothing if there are
    /// no more), at the cost of the values column's `truncate`.
    pub fn truncate(&mut self, len: usize) {
        self.values.truncate(len);
        self.valid.truncate(len);
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

    /// Keeps the first `len` rows and drops the rest (nothing if there are
    /// no more), at the cost of the values column's `truncate`.
    pub fn truncate(&mut self, len: usize) {
        self.values.truncate(len);
        self.valid.truncate(len);
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

    /// Keeps the first `len` rows and drops the rest (nothing if there are
    /// no more), at the cost of the values column's `truncate`.
    pub fn truncate(&mut self, len: usize) {
        self.values.truncate(len);
        self.valid.truncate(len);
    }
}

impl<C: HeapSize> HeapSize for Nullable<C> {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.values.heap_size_with(cx) + self.valid.heap_size_with(cx)
    }
}
