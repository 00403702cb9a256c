//! Integer columns: chunks bit-packed with [`PackedVec`] once full.

use std::marker::PhantomData;

use super::column::{BoolColumn, CHUNK, collect_by_push, split, truncate_chunks};
use crate::measure::{HeapContext, HeapSize};
use crate::packed::{PackedInt, PackedVec};

/// Integers in chunks of [`CHUNK`]: full chunks sealed into a
/// [`PackedVec`] (each with its own minimum and bit width, so a column of
/// ids or timestamps costs a few bits per row), the last one a plain
/// `Vec` that is appended to.
///
/// A null (pushed by [`push_null`](Self::push_null)) stores a placeholder
/// that cannot widen its chunk's frame: the value of the row before it in
/// its chunk, and for the nulls that start a chunk, the chunk's first value
/// once it comes (by [`push_after_nulls`](Self::push_after_nulls) or
/// [`set`](Self::set), while the chunk is the tail); a chunk sealed with
/// nulls only holds one value repeated, at width 0. A 0 there would cost a
/// chunk of timestamps 31 bits a row instead of 12, and so would the last
/// value of the chunk before, which may lie far from this chunk's.
///
/// A value set into a sealed chunk re-packs it around what it holds,
/// placeholders included.
#[derive(Debug, Clone)]
pub(crate) struct IntChunks<P: PackedInt> {
    sealed: Vec<PackedVec<P>>,
    tail: Vec<P>,
    /// The tail holds only nulls pushed by `push_null` (and at least one):
    /// their placeholder waits for the tail's first value.
    open: bool,
}

impl<P: PackedInt> Default for IntChunks<P> {
    fn default() -> Self {
        Self {
            sealed: Vec::new(),
            tail: Vec::new(),
            open: false,
        }
    }
}

/// The stored values in order: not how they are split between packed
/// chunks and the tail (a column cut at a chunk's edge keeps that chunk
/// packed, one pushed to the same length does not), nor the bookkeeping of
/// placeholders.
impl<P: PackedInt> PartialEq for IntChunks<P> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<P: PackedInt> Eq for IntChunks<P> {}

impl<P: PackedInt> std::hash::Hash for IntChunks<P> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_usize(self.len());
        for x in self.iter() {
            x.hash(state);
        }
    }
}

impl<P: PackedInt> IntChunks<P> {
    pub(crate) fn len(&self) -> usize {
        self.sealed.len() * CHUNK + self.tail.len()
    }

    /// Appends a value; the rows before it keep theirs (a column without
    /// nulls has no placeholders to fill).
    #[inline]
    pub(crate) fn push(&mut self, x: P) {
        self.open = false;
        self.push_raw(x);
    }

    /// Appends a value to a column that may hold nulls: if the tail holds
    /// only nulls, they take it as their placeholder first.
    #[inline]
    pub(crate) fn push_after_nulls(&mut self, x: P) {
        if self.open && self.tail.len() < CHUNK {
            self.tail.fill(x);
        }
        self.push(x);
    }

    /// Appends a placeholder for a null (see the type's docs).
    pub(crate) fn push_null(&mut self) {
        let before = match self.tail.last() {
            Some(&x) => Some(x),
            None => self.sealed.last().and_then(PackedVec::last),
        };
        let starts_chunk = self.tail.is_empty() || self.tail.len() == CHUNK;
        self.push_raw(before.unwrap_or_default());
        if starts_chunk {
            self.open = true;
        }
    }

    #[inline]
    fn push_raw(&mut self, x: P) {
        if self.tail.len() == CHUNK {
            self.sealed.push(PackedVec::from_slice(&self.tail));
            // The tail keeps its capacity for the next chunk, and no more
            // (after `shrink_to_fit` it may have doubled past a chunk).
            self.tail.clear();
            self.tail.shrink_to(CHUNK);
        }
        self.tail.push(x);
    }

    #[inline]
    pub(crate) fn get(&self, i: usize) -> Option<P> {
        let (c, j) = split(i);
        match self.sealed.get(c) {
            Some(chunk) => chunk.get(j),
            None if c == self.sealed.len() => self.tail.get(j).copied(),
            None => None,
        }
    }

    /// Replaces row `i`; a sealed chunk re-packs if the value does not fit
    /// its frame. `false` past the end.
    pub(crate) fn set(&mut self, i: usize, x: P) -> bool {
        let (c, j) = split(i);
        if c < self.sealed.len() {
            self.sealed[c].set(j, x).is_some()
        } else if c == self.sealed.len() && j < self.tail.len() {
            if self.open {
                // The tail's first value: its nulls take it, as on a push.
                self.tail.fill(x);
                self.open = false;
            }
            self.tail[j] = x;
            true
        } else {
            false
        }
    }

    /// Keeps the first `n` rows. A sealed chunk cut into is decoded back
    /// into the tail: **O([`CHUNK`])**; otherwise **O(chunks dropped)**.
    pub(crate) fn truncate(&mut self, n: usize) {
        if n >= self.len() {
            return;
        }
        truncate_chunks(&mut self.sealed, &mut self.tail, n, |chunk, j, tail| {
            tail.resize(j, P::default());
            chunk.decode_into(tail);
        });
        // Whether the tail holds nulls only is not known here: the nulls it
        // may hold keep the placeholders they have (`truncate_nullable`,
        // which knows, gives them those of pushed nulls).
        self.open = false;
    }

    /// Keeps the first `n` rows of a column that may hold nulls, `valid`
    /// its validity bits, already cut to `n`. If the rows kept in the tail
    /// are all null, they get the placeholder pushed nulls get and wait for
    /// the tail's first value again, as in the column built from the rows
    /// kept: they would otherwise keep what a value cut away gave them, or
    /// the last value of the chunk before, and widen the chunk's frame.
    /// **O([`CHUNK`])** then, as [`truncate`](Self::truncate) otherwise.
    pub(crate) fn truncate_nullable(&mut self, n: usize, valid: &BoolColumn) {
        if n >= self.len() {
            return;
        }
        debug_assert_eq!(valid.len(), n, "validity bits cut first");
        self.truncate(n);
        let start = self.sealed.len() * CHUNK;
        if !self.tail.is_empty() && valid.none_from(start) {
            let before = self.sealed.last().and_then(PackedVec::last);
            self.tail.fill(before.unwrap_or_default());
            self.open = true;
        }
    }

    pub(crate) fn reserve(&mut self, rows: usize) {
        let total = self.len().checked_add(rows).expect("capacity overflow");
        let chunks = total / CHUNK;
        self.sealed
            .reserve(chunks.saturating_sub(self.sealed.len()));
        let in_tail = if chunks > self.sealed.len() {
            CHUNK
        } else {
            total % CHUNK
        };
        self.tail.reserve(in_tail.saturating_sub(self.tail.len()));
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        self.sealed.shrink_to_fit();
        self.tail.shrink_to_fit();
    }

    pub(crate) fn clear(&mut self) {
        self.sealed.clear();
        self.tail.clear();
        self.open = false;
    }

    pub(crate) fn iter(&self) -> ChunkIter<'_, P> {
        ChunkIter::new(&self.sealed, &self.tail, self.len())
    }
}

impl<P: PackedInt> HeapSize for IntChunks<P> {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.sealed.heap_size_with(cx) + self.tail.capacity() * std::mem::size_of::<P>()
    }
}

/// Values decoded per refill of a [`ChunkIter`].
const BATCH: usize = 64;

/// Values of [`IntChunks`] in order, 64 at a time through an inline
/// buffer: sealed chunks are decoded into it by `PackedVec`'s
/// width-specialised kernels and the tail is copied into it, so the
/// per-value cost is one compare and one read.
#[derive(Debug, Clone)]
pub(crate) struct ChunkIter<'a, P: PackedInt> {
    sealed: std::slice::Iter<'a, PackedVec<P>>,
    tail: &'a [P],
    /// The sealed chunk being decoded, and the next position in it.
    chunk: Option<&'a PackedVec<P>>,
    chunk_pos: usize,
    /// Values waiting occupy `buf[buf_pos..]`: a refill of `n` values
    /// writes the last `n` slots, so reading needs one compare with a
    /// constant.
    buf: [P; BATCH],
    buf_pos: usize,
    /// Values not in the buffer yet.
    undecoded: usize,
}

impl<'a, P: PackedInt> ChunkIter<'a, P> {
    fn new(sealed: &'a [PackedVec<P>], tail: &'a [P], len: usize) -> Self {
        Self {
            sealed: sealed.iter(),
            tail,
            chunk: None,
            chunk_pos: 0,
            buf: [P::default(); BATCH],
            buf_pos: BATCH,
            undecoded: len,
        }
    }

    /// The values of one packed vector.
    pub(crate) fn sealed(chunk: &'a PackedVec<P>) -> Self {
        Self::new(std::slice::from_ref(chunk), &[], chunk.len())
    }

    /// The values of one plain slice.
    pub(crate) fn plain(values: &'a [P]) -> Self {
        Self::new(&[], values, values.len())
    }

    /// Refills the buffer from the sealed chunks, then from the tail;
    /// `false` when nothing is left.
    #[cold]
    #[inline(never)]
    fn refill(&mut self) -> bool {
        loop {
            if let Some(chunk) = self.chunk {
                let want = (chunk.len() - self.chunk_pos).min(BATCH);
                let n = chunk.decode_range_into(self.chunk_pos, &mut self.buf[BATCH - want..]);
                if n > 0 {
                    self.chunk_pos += n;
                    self.undecoded -= n;
                    self.buf_pos = BATCH - n;
                    return true;
                }
                self.chunk = None;
            }
            if let Some(c) = self.sealed.next() {
                self.chunk = Some(c);
                self.chunk_pos = 0;
                continue;
            }
            let n = self.tail.len().min(BATCH);
            if n == 0 {
                return false;
            }
            let (now, rest) = self.tail.split_at(n);
            self.buf[BATCH - n..].copy_from_slice(now);
            self.tail = rest;
            self.undecoded -= n;
            self.buf_pos = BATCH - n;
            return true;
        }
    }
}

impl<P: PackedInt> Iterator for ChunkIter<'_, P> {
    type Item = P;

    #[inline]
    fn next(&mut self) -> Option<P> {
        if self.buf_pos >= BATCH && !self.refill() {
            return None;
        }
        let x = *self.buf.get(self.buf_pos)?;
        self.buf_pos += 1;
        Some(x)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = BATCH - self.buf_pos + self.undecoded;
        (n, Some(n))
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

/// A column of integers in chunks of [`CHUNK`] rows; each full chunk is
/// bit-packed at the width its own range needs (a frame of reference per
/// chunk, by [`PackedVec`]), so ids, counters and timestamps cost a few
/// bits per row, and at most 8 bytes.
///
/// ```
/// use leanmem::slots::IntColumn;
///
/// let mut ids: IntColumn<u32> = IntColumn::new();
/// ids.extend([3, 1, 4]);
/// assert_eq!(ids.get(2), Some(4));
/// assert_eq!(ids.iter().sum::<u32>(), 8);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IntColumn<T = i64> {
    data: IntChunks<i64>,
    _t: PhantomData<T>,
}

impl<T> Default for IntColumn<T> {
    fn default() -> Self {
        Self {
            data: IntChunks::default(),
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

    /// Appends a value. Amortized **O(1)**; every [`CHUNK`]th push packs the
    /// chunk it completes.
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
            inner: self.data.iter(),
            _t: PhantomData,
        }
    }

    pub(crate) fn get_i64(&self, i: usize) -> Option<i64> {
        self.data.get(i)
    }

    /// Appends a value to a column that may hold nulls (see
    /// [`IntChunks::push_after_nulls`]).
    pub(crate) fn push_i64(&mut self, x: i64) {
        self.data.push_after_nulls(x);
    }

    pub(crate) fn set_i64(&mut self, i: usize, x: i64) -> bool {
        self.data.set(i, x)
    }

    /// Appends a null's placeholder: a value that does not widen the
    /// chunk (see [`IntChunks`]).
    pub(crate) fn push_null(&mut self) {
        self.data.push_null();
    }

    /// Whether the rows where `valid` is set hold the same values (the
    /// others hold placeholders, which may differ).
    pub(crate) fn eq_where(&self, other: &Self, valid: &BoolColumn) -> bool {
        self.len() == other.len()
            && self
                .data
                .iter()
                .zip(other.data.iter())
                .zip(valid.iter())
                .all(|((a, b), v)| !v || a == b)
    }

    /// Keeps the first `len` rows and drops the rest (nothing if there are
    /// no more). **O(chunks dropped)**, plus **O([`CHUNK`])** when it cuts
    /// into a packed chunk, which becomes the growing one again.
    ///
    /// ```
    /// use leanmem::slots::IntColumn;
    ///
    /// let mut ids: IntColumn<u32> = (0..10_000).collect();
    /// ids.truncate(5_000);
    /// assert_eq!(ids.len(), 5_000);
    /// assert_eq!(ids.get(4_999), Some(4_999));
    /// assert_eq!(ids.get(5_000), None);
    /// ```
    pub fn truncate(&mut self, len: usize) {
        self.data.truncate(len);
    }

    /// [`truncate`](Self::truncate) for the values of a column with nulls,
    /// `valid` its validity bits (see [`IntChunks::truncate_nullable`]).
    pub(crate) fn truncate_nullable(&mut self, len: usize, valid: &BoolColumn) {
        self.data.truncate_nullable(len, valid);
    }

    /// Reserves room for `rows` more rows.
    ///
    /// # Panics
    ///
    /// If the row count overflows `usize` (as for `Vec::reserve`).
    pub fn reserve(&mut self, rows: usize) {
        self.data.reserve(rows);
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

collect_by_push!([T: IntSlot] IntColumn<T>: T);

impl<T> HeapSize for IntColumn<T> {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.data.heap_size_with(cx)
    }
}

/// The values of an [`IntColumn`] in row order; see [`IntColumn::iter`].
#[derive(Debug, Clone)]
pub struct IntIter<'a, T> {
    inner: ChunkIter<'a, i64>,
    _t: PhantomData<T>,
}

impl<T: IntSlot> Iterator for IntIter<'_, T> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        // Values were stored from `T`, so they convert back.
        self.inner.next().and_then(T::from_i64)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<T: IntSlot> ExactSizeIterator for IntIter<'_, T> {}

impl<T: IntSlot> std::iter::FusedIterator for IntIter<'_, T> {}
