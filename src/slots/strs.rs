//! String columns: one byte buffer per chunk, or interned when the column
//! repeats itself.

use std::fmt;

use super::column::{CHUNK, split};
use super::ints::{ChunkIter, IntChunks};
use crate::error::SlotsError;
use crate::intern::{Interner, Symbol};
use crate::measure::{HeapContext, HeapSize};
use crate::packed::PackedVec;

/// How a [`StrColumn`] stores its strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StrEncoding {
    /// Each chunk's strings back to back in one buffer, with a bit-packed
    /// end offset per row: for columns of mostly distinct strings (names,
    /// emails, free text).
    Bytes,
    /// One copy of each distinct string in an
    /// [`Interner`], and a bit-packed symbol per row: for
    /// columns that repeat (levels, statuses, hosts, categories).
    Interned,
    /// Start as [`Bytes`](Self::Bytes) and decide once, when the first
    /// chunk of [`CHUNK`] rows fills (or at `shrink_to_fit`, for shorter
    /// columns of at least 64 rows): interned if at most a quarter of the
    /// rows so far are distinct.
    Auto,
}

/// One sealed chunk of strings: their bytes back to back, and where each
/// ends, bit-packed.
#[derive(Debug, Clone)]
struct StrChunk {
    bytes: Box<str>,
    ends: PackedVec<u32>,
}

#[derive(Debug, Clone)]
struct Bytes {
    sealed: Vec<StrChunk>,
    bytes: String,
    ends: Vec<u32>,
}

#[derive(Debug, Clone)]
struct Interned {
    strings: Interner,
    symbols: IntChunks<u32>,
}

#[derive(Debug, Clone)]
enum Store {
    Bytes(Bytes),
    Interned(Interned),
}

/// Rows an automatic column must have before `shrink_to_fit` decides its
/// encoding.
const DECIDE_AT_LEAST: usize = 64;

/// A column of strings.
///
/// Two layouts, chosen per column ([`StrEncoding`]):
///
/// * **bytes**: each chunk of [`CHUNK`] rows keeps its strings back to back
///   in one buffer, with an end offset per row that is bit-packed when the
///   chunk fills — 2 to 3 bytes of overhead per string where a `String`
///   costs 24 plus its slack;
/// * **interned**: one copy of each distinct string, and per row a symbol
///   bit-packed to the width the number of distinct strings needs — a
///   column of 6 levels costs 3 bits per row.
///
/// The default, [`StrEncoding::Auto`], picks one when the first chunk fills.
///
/// ```
/// use leanmem::slots::{StrColumn, StrEncoding};
///
/// let mut names = StrColumn::new();
/// names.push("ada")?;
/// names.push("grace")?;
/// assert_eq!(names.get(1), Some("grace"));
/// assert_eq!(names.iter().collect::<Vec<_>>(), ["ada", "grace"]);
///
/// let mut levels = StrColumn::with_encoding(StrEncoding::Interned);
/// for l in ["INFO", "WARN", "INFO", "INFO"] {
///     levels.push(l)?;
/// }
/// assert_eq!(levels.encoding(), StrEncoding::Interned);
/// assert_eq!(levels.distinct(), Some(2));
/// # Ok::<(), leanmem::slots::SlotsError>(())
/// ```
#[derive(Clone)]
pub struct StrColumn {
    store: Store,
    /// Whether an automatic column has yet to choose.
    undecided: bool,
}

impl Default for StrColumn {
    fn default() -> Self {
        Self::with_encoding(StrEncoding::Auto)
    }
}

impl StrColumn {
    /// An empty column that chooses its encoding itself
    /// ([`StrEncoding::Auto`]).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty column with the given encoding.
    #[must_use]
    pub fn with_encoding(encoding: StrEncoding) -> Self {
        let store = match encoding {
            StrEncoding::Interned => Store::Interned(Interned {
                strings: Interner::new(),
                symbols: IntChunks::default(),
            }),
            StrEncoding::Bytes | StrEncoding::Auto => Store::Bytes(Bytes {
                sealed: Vec::new(),
                bytes: String::new(),
                ends: Vec::new(),
            }),
        };
        Self {
            store,
            undecided: encoding == StrEncoding::Auto,
        }
    }

    /// The encoding in use ([`StrEncoding::Auto`] while an automatic column
    /// has not chosen).
    #[must_use]
    pub fn encoding(&self) -> StrEncoding {
        match (&self.store, self.undecided) {
            (_, true) => StrEncoding::Auto,
            (Store::Bytes(_), false) => StrEncoding::Bytes,
            (Store::Interned(_), false) => StrEncoding::Interned,
        }
    }

    /// Distinct strings, for an interned column.
    #[must_use]
    pub fn distinct(&self) -> Option<usize> {
        match &self.store {
            Store::Interned(i) => Some(i.strings.len()),
            Store::Bytes(_) => None,
        }
    }

    /// Rows stored.
    #[must_use]
    pub fn len(&self) -> usize {
        match &self.store {
            Store::Bytes(b) => b.sealed.len() * CHUNK + b.ends.len(),
            Store::Interned(i) => i.symbols.len(),
        }
    }

    /// Whether no rows are stored.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Makes the choice an automatic column has put off, if the next push
    /// is the one that makes it (its first chunk is full): the encoding may
    /// change, the strings do not. After it, [`fits`](Self::fits) answers
    /// for the store the next push will use.
    pub(crate) fn prepare(&mut self) {
        if self.undecided && matches!(&self.store, Store::Bytes(b) if b.ends.len() == CHUNK) {
            self.decide();
        }
    }

    /// Whether `s` can be pushed now, after [`prepare`](Self::prepare):
    /// exactly when [`push`](Self::push) would store it.
    pub(crate) fn fits(&self, s: &str) -> bool {
        match &self.store {
            Store::Bytes(b) => {
                let base = if b.ends.len() == CHUNK {
                    0
                } else {
                    b.bytes.len()
                };
                u32::try_from(base + s.len()).is_ok()
            }
            // A string already held takes no more bytes; looked up only
            // when the bytes would not fit and it could be there.
            Store::Interned(i) => {
                let held = i.strings.byte_len();
                u32::try_from(held + s.len()).is_ok()
                    || (s.len() <= held && i.strings.get(s).is_some())
            }
        }
    }

    /// Appends a string. Amortized **O(len)**.
    ///
    /// # Errors
    ///
    /// [`SlotsError::TooLarge`] if the chunk's strings (bytes encoding) or
    /// the distinct strings (interned) would pass 4 GiB; nothing is stored.
    #[inline]
    pub fn push(&mut self, s: &str) -> Result<(), SlotsError> {
        // Decide first: the check must be against the store that takes `s`.
        self.prepare();
        if !self.fits(s) {
            return Err(SlotsError::TooLarge);
        }
        match &mut self.store {
            Store::Bytes(b) => {
                if b.ends.len() == CHUNK {
                    b.seal();
                }
                b.bytes.push_str(s);
                // `fits` checked the chunk's byte count against `u32`.
                b.ends.push(b.bytes.len() as u32);
            }
            Store::Interned(i) => {
                let sym = i.strings.try_intern(s).map_err(|_| SlotsError::TooLarge)?;
                i.symbols.push(sym.to_u32());
            }
        }
        Ok(())
    }

    /// An automatic column chooses: interned if at most a quarter of its
    /// rows are distinct.
    fn decide(&mut self) {
        self.undecided = false;
        let Store::Bytes(b) = &self.store else {
            return;
        };
        let rows = b.sealed.len() * CHUNK + b.ends.len();
        let mut strings = Interner::new();
        let mut symbols = IntChunks::default();
        for s in b.iter() {
            // Bounded by the column's own bytes, which fitted.
            let Ok(sym) = strings.try_intern(s) else {
                return;
            };
            symbols.push(sym.to_u32());
            if strings.len() * 4 > rows {
                return;
            }
        }
        strings.shrink_to_fit();
        self.store = Store::Interned(Interned { strings, symbols });
    }

    /// The string of row `i`. **O(1)**.
    #[inline]
    #[must_use]
    pub fn get(&self, i: usize) -> Option<&str> {
        match &self.store {
            Store::Bytes(b) => b.get(i),
            Store::Interned(x) => {
                let sym = Symbol::from_usize(x.symbols.get(i)? as usize)?;
                x.strings.resolve(sym)
            }
        }
    }

    /// The strings in row order.
    #[must_use]
    pub fn iter(&self) -> StrIter<'_> {
        match &self.store {
            Store::Bytes(b) => StrIter(Inner::Bytes(b.iter())),
            Store::Interned(x) => StrIter(Inner::Interned {
                strings: &x.strings,
                symbols: x.symbols.iter(),
            }),
        }
    }

    /// Reserves room for `rows` more rows' offsets or symbols (string bytes
    /// grow as they are pushed).
    ///
    /// # Panics
    ///
    /// If the row count overflows `usize` (as for `Vec::reserve`).
    pub fn reserve(&mut self, rows: usize) {
        let total = self.len().checked_add(rows).expect("capacity overflow");
        match &mut self.store {
            Store::Bytes(b) => {
                let chunks = total / CHUNK;
                b.sealed.reserve(chunks.saturating_sub(b.sealed.len()));
                let in_tail = if chunks > b.sealed.len() {
                    CHUNK
                } else {
                    total % CHUNK
                };
                b.ends.reserve(in_tail.saturating_sub(b.ends.len()));
            }
            Store::Interned(x) => x.symbols.reserve(rows),
        }
    }

    /// Releases unused capacity. An automatic column of at least 64 rows
    /// that has not chosen its encoding chooses now.
    pub fn shrink_to_fit(&mut self) {
        if self.undecided && self.len() >= DECIDE_AT_LEAST {
            self.decide();
        }
        match &mut self.store {
            Store::Bytes(b) => {
                b.sealed.shrink_to_fit();
                b.bytes.shrink_to_fit();
                b.ends.shrink_to_fit();
            }
            Store::Interned(x) => {
                x.strings.shrink_to_fit();
                x.symbols.shrink_to_fit();
            }
        }
    }

    /// Keeps the first `len` rows and drops the rest (nothing if there are
    /// no more). **O(chunks dropped)**, plus **O([`CHUNK`] strings)** when
    /// it cuts into a full chunk, which becomes the growing one again. An interned column
    /// keeps the strings it has seen (as it does when a row is replaced);
    /// [`clear`](Self::clear) forgets them.
    ///
    /// ```
    /// use leanmem::slots::StrColumn;
    ///
    /// let mut names = StrColumn::new();
    /// for n in ["ada", "grace", "edsger"] {
    ///     names.push(n)?;
    /// }
    /// names.truncate(1);
    /// assert_eq!(names.iter().collect::<Vec<_>>(), ["ada"]);
    /// # Ok::<(), leanmem::slots::SlotsError>(())
    /// ```
    pub fn truncate(&mut self, len: usize) {
        match &mut self.store {
            Store::Bytes(b) => b.truncate(len),
            Store::Interned(x) => x.symbols.truncate(len),
        }
    }

    /// Removes every row (an interned column forgets its strings too).
    pub fn clear(&mut self) {
        match &mut self.store {
            Store::Bytes(b) => {
                b.sealed.clear();
                b.bytes.clear();
                b.ends.clear();
            }
            Store::Interned(x) => {
                x.strings.clear();
                x.symbols.clear();
            }
        }
    }

    /// Replaces row `i`'s string. Bytes encoding: the chunk's buffer is
    /// rebuilt, **O([`CHUNK`] strings)**; interned: **O(len)**. `Ok(false)`
    /// past the end.
    pub(crate) fn set(&mut self, i: usize, s: &str) -> Result<bool, SlotsError> {
        if i >= self.len() {
            return Ok(false);
        }
        match &mut self.store {
            Store::Bytes(b) => b.set(i, s),
            Store::Interned(x) => {
                let sym = x.strings.try_intern(s).map_err(|_| SlotsError::TooLarge)?;
                Ok(x.symbols.set(i, sym.to_u32()))
            }
        }
    }
}

impl Bytes {
    /// Keeps the first `n` rows; a sealed chunk cut into becomes the tail.
    fn truncate(&mut self, n: usize) {
        if n >= self.sealed.len() * CHUNK + self.ends.len() {
            return;
        }
        let (c, j) = split(n);
        if c < self.sealed.len() {
            let chunk = &self.sealed[c];
            let mut ends = Vec::new();
            if j > 0 {
                ends.reserve_exact(CHUNK);
                ends.resize(j, 0);
                chunk.ends.decode_into(&mut ends);
            }
            let end = ends.last().map_or(0, |&e| e as usize);
            self.bytes = chunk.bytes.get(..end).unwrap_or_default().to_owned();
            self.ends = ends;
            self.sealed.truncate(c);
        } else {
            let end = if j == 0 { 0 } else { self.ends[j - 1] as usize };
            self.bytes.truncate(end);
            self.ends.truncate(j);
        }
    }

    fn seal(&mut self) {
        let bytes = std::mem::take(&mut self.bytes).into_boxed_str();
        let ends = PackedVec::from_slice(&self.ends);
        // Room for the next chunk's offsets, and no more (after
        // `shrink_to_fit` the buffer may have doubled past a chunk).
        self.ends.clear();
        self.ends.shrink_to(CHUNK);
        self.sealed.push(StrChunk { bytes, ends });
    }

    #[inline]
    fn get(&self, i: usize) -> Option<&str> {
        let (c, j) = split(i);
        let (end, start, bytes) = match self.sealed.get(c) {
            Some(chunk) => {
                let end = chunk.ends.get(j)?;
                let start = if j == 0 { 0 } else { chunk.ends.get(j - 1)? };
                (end, start, &*chunk.bytes)
            }
            None if c == self.sealed.len() => {
                let end = *self.ends.get(j)?;
                let start = if j == 0 { 0 } else { self.ends[j - 1] };
                (end, start, self.bytes.as_str())
            }
            None => return None,
        };
        bytes.get(start as usize..end as usize)
    }

    fn iter(&self) -> BytesIter<'_> {
        BytesIter {
            chunks: self.sealed.iter(),
            tail: Some((&self.bytes, &self.ends)),
            rest: "",
            ends: ChunkIter::plain(&[]),
            start: 0,
        }
    }

    fn set(&mut self, i: usize, s: &str) -> Result<bool, SlotsError> {
        let (c, j) = split(i);
        let (bytes, ends): (&str, Vec<u32>) = if c < self.sealed.len() {
            let chunk = &self.sealed[c];
            (&chunk.bytes, chunk.ends.to_vec())
        } else {
            (&self.bytes, self.ends.clone())
        };
        let start = if j == 0 { 0 } else { ends[j - 1] as usize };
        let old_end = ends[j] as usize;
        let new_total = bytes.len() - (old_end - start) + s.len();
        if u32::try_from(new_total).is_err() {
            return Err(SlotsError::TooLarge);
        }
        let mut rebuilt = String::with_capacity(new_total);
        rebuilt.push_str(&bytes[..start]);
        rebuilt.push_str(s);
        rebuilt.push_str(&bytes[old_end..]);
        let delta = s.len() as i64 - (old_end - start) as i64;
        let mut ends = ends;
        for e in &mut ends[j..] {
            *e = (i64::from(*e) + delta) as u32;
        }
        if c < self.sealed.len() {
            self.sealed[c] = StrChunk {
                bytes: rebuilt.into_boxed_str(),
                ends: PackedVec::from_slice(&ends),
            };
        } else {
            self.bytes = rebuilt;
            self.ends = ends;
        }
        Ok(true)
    }
}

/// The strings of the bytes encoding in order: the end offsets of all
/// chunks come from one [`ChunkIter`]-style stream per chunk, decoded 64 at
/// a time.
#[derive(Debug, Clone)]
struct BytesIter<'a> {
    chunks: std::slice::Iter<'a, StrChunk>,
    tail: Option<(&'a str, &'a [u32])>,
    /// The current chunk's bytes not yet handed out, which start at
    /// offset `start` of the chunk.
    rest: &'a str,
    ends: ChunkIter<'a, u32>,
    start: usize,
}

impl<'a> BytesIter<'a> {
    /// Moves to the next chunk and returns its first string; `None` at the
    /// end. Out of line, so that `next` stays small enough to inline into
    /// the caller's loop.
    #[cold]
    #[inline(never)]
    fn next_chunk(&mut self) -> Option<&'a str> {
        loop {
            let (bytes, ends) = match self.chunks.next() {
                Some(c) => (&*c.bytes, ChunkIter::sealed(&c.ends)),
                None => {
                    let (bytes, ends) = self.tail.take()?;
                    (bytes, ChunkIter::plain(ends))
                }
            };
            self.rest = bytes;
            self.ends = ends;
            self.start = 0;
            if let Some(end) = self.ends.next() {
                return Some(self.take(end));
            }
        }
    }

    /// The string from the current start to `end`, which becomes the next
    /// start. Splitting what is left checks one char boundary per string
    /// (slicing the chunk would check two).
    #[inline]
    fn take(&mut self, end: u32) -> &'a str {
        let end = end as usize;
        debug_assert!(
            end >= self.start && self.rest.is_char_boundary(end - self.start),
            "string offsets are built increasing, on char boundaries"
        );
        let (s, rest) = self
            .rest
            .split_at_checked(end.wrapping_sub(self.start))
            .unwrap_or(("", self.rest));
        self.rest = rest;
        self.start = end;
        s
    }
}

impl<'a> Iterator for BytesIter<'a> {
    type Item = &'a str;

    #[inline(always)]
    fn next(&mut self) -> Option<&'a str> {
        match self.ends.next() {
            Some(end) => Some(self.take(end)),
            None => self.next_chunk(),
        }
    }
}

#[derive(Debug, Clone)]
enum Inner<'a> {
    Bytes(BytesIter<'a>),
    Interned {
        strings: &'a Interner,
        symbols: ChunkIter<'a, u32>,
    },
}

/// The strings of a [`StrColumn`] in row order; see [`StrColumn::iter`].
#[derive(Debug, Clone)]
pub struct StrIter<'a>(Inner<'a>);

impl<'a> Iterator for StrIter<'a> {
    type Item = &'a str;

    // Always inlined: a call per row cost more than the row's own work in
    // a scan (`benches/slots.rs`, `slots/scan`).
    #[inline(always)]
    fn next(&mut self) -> Option<&'a str> {
        match &mut self.0 {
            Inner::Bytes(it) => it.next(),
            Inner::Interned { strings, symbols } => {
                let sym = Symbol::from_usize(symbols.next()? as usize)?;
                strings.resolve(sym)
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = match &self.0 {
            Inner::Bytes(it) => {
                // Sealed chunks hold exactly CHUNK strings each.
                it.ends.size_hint().0
                    + it.chunks.len() * CHUNK
                    + it.tail.map_or(0, |(_, ends)| ends.len())
            }
            Inner::Interned { symbols, .. } => symbols.size_hint().0,
        };
        (n, Some(n))
    }
}

impl ExactSizeIterator for StrIter<'_> {}

impl std::iter::FusedIterator for StrIter<'_> {}

impl PartialEq for StrColumn {
    /// The same strings in the same rows, whatever the encodings.
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for StrColumn {}

impl fmt::Debug for StrColumn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StrColumn")
            .field("encoding", &self.encoding())
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

impl HeapSize for StrChunk {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.bytes.heap_size_with(cx) + self.ends.heap_size_with(cx)
    }
}

impl HeapSize for StrColumn {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        match &self.store {
            Store::Bytes(b) => {
                b.sealed.heap_size_with(cx) + b.bytes.heap_size_with(cx) + b.ends.heap_size_with(cx)
            }
            Store::Interned(x) => x.strings.heap_size_with(cx) + x.symbols.heap_size_with(cx),
        }
    }
}
