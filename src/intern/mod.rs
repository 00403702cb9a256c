//! String interning: Python's `sys.intern` as a Rust structure.
//!
//! An interner keeps one copy of each distinct string and hands out a
//! [`Symbol`] for it: 4 bytes, `Copy`, compared as an integer. A program that
//! holds the same few thousand names millions of times (identifiers, tags,
//! column values, log fields) stores each name once and passes symbols
//! around.
//!
//! | type | for | memory per distinct string beyond its bytes (measured) |
//! |---|---|---|
//! | [`Interner`] | building, on one thread | 9.1–12.0 B while growing (10.4 on average), 8.6 B after [`shrink_to_fit`](Interner::shrink_to_fit) |
//! | [`FrozenInterner`] | reading, shared by any number of threads (`Sync`) | 8.6 B |
//! | [`ConcurrentInterner`] | interning from many threads at once | 16.9 B |
//!
//! Measured on 25 331 distinct identifiers (10.3 bytes each on average)
//! from 1M tokens of Rust sources by `benches/intern.rs` and the size
//! report; for comparison, string-interner's `StringBackend` took 16.9 B,
//! lasso's `Rodeo` 32.9 B, `ThreadedRodeo` 75 B and a
//! `HashMap<String, u32>` + `Vec<String>` 84 B per string.
//!
//! The three keep the same symbols: [`Interner::freeze`],
//! [`FrozenInterner::thaw`] and the `From` conversions move an interner from
//! one form to the other without renumbering.
//!
//! ```
//! use leanmem::intern::Interner;
//!
//! let mut names = Interner::new();
//! let log = ["GET", "POST", "GET", "GET", "DELETE", "POST"];
//! let symbols: Vec<_> = log.iter().map(|s| names.intern(s)).collect();
//! assert_eq!(names.len(), 3); // three distinct strings stored once each
//! assert_eq!(symbols[0], symbols[2]); // equality is an integer compare
//! assert_eq!(&names[symbols[4]], "DELETE");
//! ```
//!
//! # Memory layout
//!
//! All string bytes live back to back in one buffer; a `Vec<u32>` holds
//! `0` and then the end offset of each string, so symbol `i` is
//! `buf[ends[i]..ends[i + 1]]` (4 bytes per string, no per-string
//! allocation, no length prefix). The
//! lookup table is an open-addressing array of `u32` slots, each holding a
//! symbol plus as many bits of the string's hash as the symbol leaves free,
//! so probing rarely touches a string that does not match and no hash is
//! stored anywhere else. The table may have any number of buckets (not only
//! powers of two) and runs up to 7/8 full: 4.57 bytes per string at most
//! load. The bound for this design is therefore 4 + 4.57 ≈ 8.6 bytes per
//! string beyond the string's own bytes, which [`FrozenInterner`] and a
//! shrunk [`Interner`] reach.
//!
//! While growing, the buffer and the offsets grow by 1/16 of their size
//! (amortized O(1): large blocks are usually extended in place by the
//! allocator) and the table by 1/4, instead of doubling, which is where
//! interners that double lose 7–15 bytes per string to slack. A growing
//! table runs up to 7/10 full (shorter probes while most strings are new);
//! exact sizing (`with_capacity`, `shrink_to_fit`, `freeze`) uses 7/8.
//!
//! # Hashing
//!
//! The default hasher is [foldhash](https://docs.rs/foldhash)'s `fast`
//! variant, seeded at random per interner: on short identifiers it hashes in
//! a few nanoseconds (measured against the alternatives in
//! `benches/intern.rs`), and its random seed means collisions cannot be
//! precomputed by whoever supplies the strings. Any [`BuildHasher`] can be
//! chosen with `with_hasher`, including one whose hashes fit in 32 bits
//! (CRC32, xxh32, FxHash on 32-bit targets): buckets are placed by the high
//! bits of the hash with its low half folded in.
//!
//! The table stores no whole hashes, only as many bits of each as its slots
//! leave free: growth moves entries by those bits while they suffice (tables
//! of up to about 30 000 strings) and past that hashes every string again;
//! the growth factor keeps that to about four extra hashes per string over
//! an interner's life.
//!
//! A hasher that panics makes the call that ran it panic, and leaves the
//! interner holding what it held (its capacity may have grown): a table is
//! rebuilt aside and replaces the old one only once complete, and
//! [`ConcurrentInterner`] rebuilds a full table before it counts the new
//! string's symbol. Its writers' mutex is then poisoned; later calls take it
//! as is and work normally.

mod concurrent;
mod frozen;
mod iter;
#[cfg(feature = "serde")]
mod serde;
mod storage;
mod symbol;
mod table;

use std::fmt;
use std::hash::{BuildHasher, Hash, Hasher};
use std::ops::Index;

pub use self::concurrent::{ConcurrentInterner, ConcurrentIter};
pub use self::frozen::FrozenInterner;
pub use self::iter::Iter;
pub use self::symbol::Symbol;
pub use crate::error::{InternError, SymbolRangeError};

use self::iter::{symbol_at, symbol_of_value};
use self::storage::{MIN_STRINGS, Strings, View};
use self::table::{Key, Order, Probe, Table, buckets_for};
use crate::measure::{HeapContext, HeapSize};

pub use crate::hash::DefaultHashBuilder;

/// Most bytes the buffer can address with `u32` offsets.
const MAX_BYTES: usize = u32::MAX as usize;
/// Most strings an interner holds (indices `0..=Symbol::MAX_INDEX`).
const MAX_STRINGS: usize = Symbol::MAX_INDEX + 1;

/// The table grows by `max_entries >> TABLE_GROWTH_SHIFT` (1/4).
const TABLE_GROWTH_SHIFT: u32 = 2;

/// Hashes a string's bytes with a hasher of `S`, with the low half of the
/// hash mixed into the high one.
///
/// Tables place strings by the hash's high bits and take fingerprints from
/// its low half (and the concurrent interner picks shards by the low bits).
/// A hasher whose hashes fit in 32 bits (CRC32, xxh32, FxHash on 32-bit
/// targets) would leave the high half zero and send every string to the
/// same bucket: each new string then probed past all the others. The low
/// half, its 16-bit halves swapped, is xored into the high half: a 64-bit
/// hash stays as well spread as it was and keeps its low half, and a
/// 32-bit one gets homes from other bits than its fingerprint's (which
/// come from the top of the low half; `h ^ (h << 32)` would take both from
/// the same bits, so that strings of one home shared a fingerprint), and a
/// hasher with equal halves keeps a high half that is not zero. A rotate,
/// a shift and a xor (a multiply here made interning about 5% slower).
#[inline(always)]
pub(crate) fn hash_str<S: BuildHasher>(hasher: &S, s: &str) -> u64 {
    let mut h = hasher.build_hasher();
    h.write(s.as_bytes());
    mix_low_half(h.finish())
}

/// `hash` with its low half, 16-bit halves swapped, xored into its high
/// half (see [`hash_str`]). Its own inverse: the low half is kept.
#[inline(always)]
pub(crate) const fn mix_low_half(hash: u64) -> u64 {
    hash ^ (((hash as u32).rotate_left(16) as u64) << 32)
}

/// Whether two byte strings are equal; strings up to 16 bytes (most
/// identifiers) are compared with a few overlapping loads each instead of a
/// call to `memcmp`.
#[inline(always)]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if (8..=16).contains(&n) {
        let word =
            |x: &[u8], at: usize| u64::from_ne_bytes(x[at..at + 8].try_into().unwrap_or_default());
        (word(a, 0) ^ word(b, 0)) | (word(a, n - 8) ^ word(b, n - 8)) == 0
    } else if (4..8).contains(&n) {
        let word =
            |x: &[u8], at: usize| u32::from_ne_bytes(x[at..at + 4].try_into().unwrap_or_default());
        (word(a, 0) ^ word(b, 0)) | (word(a, n - 4) ^ word(b, n - 4)) == 0
    } else if (1..4).contains(&n) {
        // The first, middle and last bytes cover every byte of 1 to 3.
        let bytes =
            |x: &[u8]| u32::from(x[0]) | u32::from(x[n / 2]) << 8 | u32::from(x[n - 1]) << 16;
        bytes(a) == bytes(b)
    } else {
        a == b
    }
}

/// A string looked for in storage.
struct Needle<'a> {
    strings: View<'a>,
    s: &'a [u8],
}

impl Key for Needle<'_> {
    #[inline(always)]
    fn is(&self, value: u32) -> bool {
        same_bytes(self.strings.bytes((value - 1) as usize), self.s)
    }
}

/// Looks `s` up in storage through its table.
#[inline(always)]
fn lookup(strings: View<'_>, table: &Table, hash: u64, s: &str) -> Probe {
    table.probe(
        hash,
        &Needle {
            strings,
            s: s.as_bytes(),
        },
    )
}

/// `table` (empty, with room for them) filled with every string of
/// `strings`.
fn build_table<S: BuildHasher>(strings: View<'_>, hasher: &S, mut table: Table) -> Table {
    for (i, s) in strings.strings().enumerate() {
        table.insert_unique(hash_str(hasher, s), i as u32 + 1);
    }
    table
}

/// A string interner: one copy of each distinct string, a 4-byte
/// [`Symbol`] for each.
///
/// Symbols are dense and in insertion order (the `n`th distinct string gets
/// index `n - 1`). Nothing is removed but by [`clear`](Self::clear), so a
/// symbol stays valid until then, and in the interner's clones, frozen form
/// and serialized copies.
///
/// ```
/// use leanmem::intern::Interner;
///
/// let mut i = Interner::new();
/// let hello = i.intern("hello");
/// assert_eq!(i.intern("hello"), hello);
/// assert_eq!(i.get("hello"), Some(hello));
/// assert_eq!(i.get("absent"), None);
/// assert_eq!(i.resolve(hello), Some("hello"));
/// ```
///
/// # Memory layout
///
/// Three allocations, whatever the number of strings:
///
/// ```text
/// buf:   String     "helloworldfoo…"        the bytes, back to back
/// ends:  Vec<u32>   [0, 5, 10, 13, …]       0, then each string's end
/// table: Box<[u32]> [0, fp|2, 0, fp|1, …]   open addressing, ≤ 7/8 full
/// ```
///
/// Per distinct string: its bytes, 4 bytes of offset and 4.57–5.71 bytes
/// of table, plus growth slack (the buffer and offsets grow by 1/16, the
/// table by 1/4 and runs up to 7/10 full while growing). [`shrink_to_fit`](Self::shrink_to_fit) or
/// [`with_capacity`](Self::with_capacity) with exact counts leave no slack:
/// ≈ 8.6 bytes per string beyond its bytes. Strings are limited to
/// `u32::MAX` bytes in total and `u32::MAX` in number
/// ([`try_intern`](Self::try_intern) reports both).
///
/// The inline part is 88 bytes with the default hasher.
pub struct Interner<S = DefaultHashBuilder> {
    strings: Strings,
    table: Table,
    hasher: S,
}

impl Interner {
    /// An empty interner. Allocates nothing until the first string.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    /// use leanmem::measure::HeapSize;
    ///
    /// let i = Interner::new();
    /// assert!(i.is_empty());
    /// assert_eq!(i.heap_size(), 0);
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::with_hasher(DefaultHashBuilder::default())
    }

    /// An empty interner with room for `strings` distinct strings totalling
    /// `bytes` bytes, allocated exactly: interning up to that much
    /// reallocates nothing and leaves no slack.
    ///
    /// # Panics
    ///
    /// As [`Vec::with_capacity`], if the room asked for exceeds `isize::MAX`
    /// bytes ("capacity overflow").
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let mut i = Interner::with_capacity(2, 10);
    /// assert_eq!((i.capacity(), i.byte_capacity()), (2, 10));
    /// i.intern("hello");
    /// i.intern("world");
    /// assert_eq!((i.capacity(), i.byte_capacity()), (2, 10));
    /// ```
    #[must_use]
    pub fn with_capacity(strings: usize, bytes: usize) -> Self {
        Self::with_capacity_and_hasher(strings, bytes, DefaultHashBuilder::default())
    }
}

impl<S> Interner<S> {
    /// An empty interner hashing with `hasher`.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    /// use std::hash::RandomState;
    ///
    /// let mut i = Interner::with_hasher(RandomState::new());
    /// let s = i.intern("sip");
    /// assert_eq!(i.resolve(s), Some("sip"));
    /// ```
    #[must_use]
    pub fn with_hasher(hasher: S) -> Self {
        Self {
            strings: Strings::default(),
            table: Table::default(),
            hasher,
        }
    }

    /// As [`with_capacity`](Interner::with_capacity), hashing with `hasher`.
    ///
    /// ```
    /// use leanmem::intern::{DefaultHashBuilder, Interner};
    ///
    /// let i = Interner::with_capacity_and_hasher(100, 1000, DefaultHashBuilder::default());
    /// assert!(i.capacity() >= 100);
    /// ```
    #[must_use]
    pub fn with_capacity_and_hasher(strings: usize, bytes: usize, hasher: S) -> Self {
        Self {
            strings: Strings::with_capacity(strings, bytes),
            table: Table::with_buckets(buckets_for(strings), strings as u64),
            hasher,
        }
    }

    /// The interner's hasher.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let i = Interner::new();
    /// let _state = i.hasher();
    /// ```
    pub fn hasher(&self) -> &S {
        &self.hasher
    }

    /// Number of distinct strings. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let i: Interner = ["a", "b", "a"].into_iter().collect();
    /// assert_eq!(i.len(), 2);
    /// ```
    #[inline]
    pub fn len(&self) -> usize {
        self.strings.len()
    }

    /// Whether no string has been interned. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let mut i = Interner::new();
    /// assert!(i.is_empty());
    /// i.intern("");
    /// assert!(!i.is_empty());
    /// ```
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.strings.len() == 0
    }

    /// Distinct strings the interner holds before any of its parts must
    /// grow (the smaller of the offsets' and the table's room; bytes are
    /// counted by [`byte_capacity`](Self::byte_capacity)).
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// assert_eq!(Interner::with_capacity(50, 0).capacity(), 50);
    /// ```
    pub fn capacity(&self) -> usize {
        self.strings.string_capacity().min(self.table.max_entries())
    }

    /// Total bytes of the distinct strings. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let i: Interner = ["ab", "cde", "ab"].into_iter().collect();
    /// assert_eq!(i.byte_len(), 5);
    /// ```
    pub fn byte_len(&self) -> usize {
        self.strings.byte_len()
    }

    /// Bytes the string buffer holds before it must grow.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// assert_eq!(Interner::with_capacity(0, 64).byte_capacity(), 64);
    /// ```
    pub fn byte_capacity(&self) -> usize {
        self.strings.byte_capacity()
    }

    /// The string of `symbol`, or `None` if this interner did not issue it.
    ///
    /// Computes in **O(1)** time: two offsets and a slice, no hashing.
    ///
    /// ```
    /// use leanmem::intern::{Interner, Symbol};
    ///
    /// let mut i = Interner::new();
    /// let s = i.intern("café");
    /// assert_eq!(i.resolve(s), Some("café"));
    /// assert_eq!(i.resolve(Symbol::from_usize(1).unwrap()), None);
    /// ```
    #[inline]
    pub fn resolve(&self, symbol: Symbol) -> Option<&str> {
        self.strings.view().get(symbol.to_usize())
    }

    /// An iterator over `(Symbol, &str)` in symbol order.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let i: Interner = ["x", "y", "x", "z"].into_iter().collect();
    /// let strings: Vec<&str> = i.iter().map(|(_, s)| s).collect();
    /// assert_eq!(strings, ["x", "y", "z"]);
    /// ```
    pub fn iter(&self) -> Iter<'_> {
        Iter::new(self.strings.view())
    }

    /// Forgets every string, keeping the allocations. Symbols issued before
    /// are no longer valid (they resolve to `None`, or to new strings once
    /// as many are interned again).
    ///
    /// Computes in **O(buckets)** time.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let mut i: Interner = ["a", "b"].into_iter().collect();
    /// let cap = i.capacity();
    /// i.clear();
    /// assert!(i.is_empty());
    /// assert_eq!(i.get("a"), None);
    /// assert_eq!(i.capacity(), cap);
    /// ```
    pub fn clear(&mut self) {
        self.strings.clear();
        self.table.clear();
    }
}

impl<S: BuildHasher> Interner<S> {
    /// The symbol of `s`, interning it first if it is new.
    ///
    /// Computes in **O(len(s))** expected time; amortized **O(1)** growth.
    ///
    /// # Panics
    ///
    /// If `s` is new and does not fit: the interner already holds
    /// `u32::MAX` strings, or `s`'s bytes would take their total past
    /// `u32::MAX`. [`try_intern`](Self::try_intern) reports that as an error
    /// instead.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let mut i = Interner::new();
    /// let a = i.intern("a");
    /// let b = i.intern("b");
    /// assert_ne!(a, b);
    /// assert_eq!(i.intern("a"), a);
    /// ```
    #[inline(always)]
    pub fn intern(&mut self, s: &str) -> Symbol {
        let hash = hash_str(&self.hasher, s);
        let key = Needle {
            strings: self.strings.view(),
            s: s.as_bytes(),
        };
        match self.table.probe_mut(hash, &key) {
            Probe::Found(v) => symbol_of_value(v),
            Probe::Vacant(at) => self.intern_new(s, hash, at),
        }
    }

    /// [`intern`](Self::intern)'s insertion, out of line so that the
    /// lookup stays small enough to inline.
    #[inline(never)]
    fn intern_new(&mut self, s: &str, hash: u64, vacant: usize) -> Symbol {
        match self.insert_new(s, hash, vacant, MAX_STRINGS, MAX_BYTES) {
            Ok(sym) => sym,
            Err(e) => panic!("Interner::intern: {e}"),
        }
    }

    /// The symbol of `s`, interning it first if it is new; an error, and no
    /// change, if a new string does not fit.
    ///
    /// Computes in **O(len(s))** expected time; amortized **O(1)** growth.
    ///
    /// # Errors
    ///
    /// [`InternError::SymbolsExhausted`] if `s` is new and the interner
    /// already holds `u32::MAX` strings; [`InternError::BytesExhausted`] if
    /// `s` is new and its bytes would take the total past `u32::MAX`. A
    /// string already interned always succeeds.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let mut i = Interner::new();
    /// let s = i.try_intern("fits").unwrap();
    /// assert_eq!(i.resolve(s), Some("fits"));
    /// ```
    #[inline]
    pub fn try_intern(&mut self, s: &str) -> Result<Symbol, InternError> {
        self.try_intern_within(s, MAX_STRINGS, MAX_BYTES)
    }

    /// [`try_intern`](Self::try_intern) with smaller limits (for tests).
    #[inline]
    pub(crate) fn try_intern_within(
        &mut self,
        s: &str,
        max_strings: usize,
        max_bytes: usize,
    ) -> Result<Symbol, InternError> {
        let hash = hash_str(&self.hasher, s);
        let vacant = match lookup(self.strings.view(), &self.table, hash, s) {
            Probe::Found(v) => return Ok(symbol_of_value(v)),
            Probe::Vacant(at) => at,
        };
        self.insert_new(s, hash, vacant, max_strings, max_bytes)
    }

    /// Appends `s`, known to be absent, whose vacant bucket is `vacant`.
    #[inline]
    fn insert_new(
        &mut self,
        s: &str,
        hash: u64,
        vacant: usize,
        max_strings: usize,
        max_bytes: usize,
    ) -> Result<Symbol, InternError> {
        let index = self.len();
        if index >= max_strings {
            return Err(InternError::SymbolsExhausted);
        }
        if self.byte_len() + s.len() > max_bytes {
            return Err(InternError::BytesExhausted {
                len: s.len(),
                stored: self.byte_len(),
            });
        }
        let value = index as u32 + 1;
        if index >= self.table.max_entries() {
            let grown = self.table.max_entries() + (self.table.max_entries() >> TABLE_GROWTH_SHIFT);
            self.rebuild_table(
                Table::growing(grown.max(index + 1).max(MIN_STRINGS - 2), 0),
                Order::Kept,
            );
            self.table.insert_unique(hash, value);
        } else {
            self.table.fill(vacant, hash, value);
        }
        self.strings.push(s);
        Ok(symbol_at(index))
    }

    /// Replaces the table by `empty` filled with the strings: moved by
    /// their stored hash bits where those suffice, else hashed again.
    fn rebuild_table(&mut self, empty: Table, order: Order) {
        self.table = if self.table.can_move_into(&empty) {
            std::mem::take(&mut self.table).move_into(empty, order)
        } else {
            build_table(self.strings.view(), &self.hasher, empty)
        };
    }

    /// The symbol of `s` if it has been interned; never inserts.
    ///
    /// Computes in **O(len(s))** expected time.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let mut i = Interner::new();
    /// let s = i.intern("present");
    /// assert_eq!(i.get("present"), Some(s));
    /// assert_eq!(i.get("absent"), None);
    /// assert_eq!(i.len(), 1);
    /// ```
    #[inline]
    pub fn get(&self, s: &str) -> Option<Symbol> {
        let hash = hash_str(&self.hasher, s);
        match lookup(self.strings.view(), &self.table, hash, s) {
            Probe::Found(v) => Some(symbol_of_value(v)),
            Probe::Vacant(_) => None,
        }
    }

    /// Whether `s` has been interned.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let i: Interner = ["yes"].into_iter().collect();
    /// assert!(i.contains("yes"));
    /// assert!(!i.contains("no"));
    /// ```
    #[inline]
    pub fn contains(&self, s: &str) -> bool {
        self.get(s).is_some()
    }

    /// Makes room for `strings` more distinct strings totalling `bytes` more
    /// bytes, so that interning them reallocates nothing. Grows by at least
    /// the usual step, so calling it in a loop stays amortized O(1).
    ///
    /// # Panics
    ///
    /// As [`Vec::reserve`], if the new capacity exceeds `isize::MAX` bytes
    /// ("capacity overflow").
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let mut i = Interner::new();
    /// i.reserve(1000, 8000);
    /// assert!(i.capacity() >= 1000 && i.byte_capacity() >= 8000);
    /// ```
    pub fn reserve(&mut self, strings: usize, bytes: usize) {
        self.strings.reserve(strings, bytes);
        let need = self.len().saturating_add(strings);
        if need > self.table.max_entries() {
            let grown = self.table.max_entries() + (self.table.max_entries() >> TABLE_GROWTH_SHIFT);
            self.rebuild_table(Table::growing(need.max(grown), 0), Order::Kept);
        }
    }

    /// Releases all slack: the buffer and the offsets shrink to their
    /// length and the table to the fewest buckets at 7/8 load. Afterwards
    /// the interner takes ≈ 8.6 bytes per string beyond the strings' bytes.
    ///
    /// Computes in **O(n)** time (the table is rebuilt if it shrinks).
    ///
    /// ```
    /// use leanmem::intern::Interner;
    /// use leanmem::measure::HeapSize;
    ///
    /// let mut i: Interner = (0..1000).map(|n| n.to_string()).collect();
    /// i.shrink_to_fit();
    /// assert_eq!(i.byte_capacity(), i.byte_len());
    /// assert_eq!(i.heap_size(), i.byte_len() + 4 * 1001 + 4 * 1143);
    /// ```
    pub fn shrink_to_fit(&mut self) {
        self.strings.shrink_to_fit();
        let buckets = buckets_for(self.len());
        if self.table.buckets() != buckets {
            self.rebuild_table(Table::with_buckets(buckets, 0), Order::Values);
        }
    }

    /// The read-only form, with every array at its exact size: lookups and
    /// resolving only, `Sync`, ≈ 8.6 bytes per string beyond the bytes.
    /// Symbols are unchanged.
    ///
    /// Computes in **O(n)** time at most (shrinking the arrays).
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let mut i = Interner::new();
    /// let s = i.intern("kept");
    /// let frozen = i.freeze();
    /// assert_eq!(frozen.resolve(s), Some("kept"));
    /// assert_eq!(frozen.get("kept"), Some(s));
    /// ```
    pub fn freeze(mut self) -> FrozenInterner<S> {
        self.shrink_to_fit();
        FrozenInterner::from_parts(self.strings.freeze(), self.table, self.hasher)
    }
}

impl<S> Interner<S> {
    /// The parts, for the other forms.
    pub(crate) fn into_parts(self) -> (Strings, Table, S) {
        (self.strings, self.table, self.hasher)
    }

    /// An interner from parts that agree with each other.
    pub(crate) fn from_parts(strings: Strings, table: Table, hasher: S) -> Self {
        Self {
            strings,
            table,
            hasher,
        }
    }
}

impl<S: Clone> Clone for Interner<S> {
    fn clone(&self) -> Self {
        Self {
            strings: self.strings.clone(),
            table: self.table.clone(),
            hasher: self.hasher.clone(),
        }
    }
}

impl<S: Default> Default for Interner<S> {
    /// An empty interner.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// assert!(Interner::<leanmem::intern::DefaultHashBuilder>::default().is_empty());
    /// ```
    fn default() -> Self {
        Self::with_hasher(S::default())
    }
}

impl<S> fmt::Debug for Interner<S> {
    /// The strings in symbol order.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter().map(|(_, s)| s)).finish()
    }
}

impl<S> PartialEq for Interner<S> {
    /// Equal when they hold the same strings with the same symbols.
    fn eq(&self, other: &Self) -> bool {
        self.strings == other.strings
    }
}

impl<S> Eq for Interner<S> {}

impl<S> Hash for Interner<S> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.strings.hash(state);
    }
}

impl<S> Index<Symbol> for Interner<S> {
    type Output = str;

    /// The string of `symbol`.
    ///
    /// # Panics
    ///
    /// If this interner did not issue `symbol`; [`resolve`](Interner::resolve)
    /// returns `None` instead.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let mut i = Interner::new();
    /// let s = i.intern("indexed");
    /// assert_eq!(&i[s], "indexed");
    /// ```
    #[inline]
    fn index(&self, symbol: Symbol) -> &str {
        match self.resolve(symbol) {
            Some(s) => s,
            None => panic!(
                "{symbol:?} is not a symbol of this interner ({} strings)",
                self.len()
            ),
        }
    }
}

impl<'a, S> IntoIterator for &'a Interner<S> {
    type Item = (Symbol, &'a str);
    type IntoIter = Iter<'a>;

    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let i: Interner = ["a"].into_iter().collect();
    /// for (symbol, s) in &i {
    ///     assert_eq!((symbol.to_usize(), s), (0, "a"));
    /// }
    /// ```
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<S: BuildHasher, T: AsRef<str>> Extend<T> for Interner<S> {
    /// Interns every string.
    ///
    /// # Panics
    ///
    /// As [`intern`](Interner::intern), if a new string does not fit
    /// (`u32::MAX` strings or bytes).
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let mut i = Interner::new();
    /// i.extend(["a", "b", "a"]);
    /// i.extend(vec![String::from("c")]);
    /// assert_eq!(i.len(), 3);
    /// ```
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for s in iter {
            self.intern(s.as_ref());
        }
    }
}

impl<S: BuildHasher + Default, T: AsRef<str>> FromIterator<T> for Interner<S> {
    /// An interner of the distinct strings, in order of first appearance.
    ///
    /// # Panics
    ///
    /// As [`intern`](Interner::intern), if a new string does not fit
    /// (`u32::MAX` strings or bytes).
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let i: Interner = "to be or not to be".split(' ').collect();
    /// assert_eq!(i.len(), 4);
    /// ```
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut interner = Self::default();
        interner.extend(iter);
        interner
    }
}

impl<S> HeapSize for Interner<S> {
    /// The buffer's and the offsets' capacity and the table, exactly as
    /// allocated. The hasher is not counted (the default one owns no heap).
    ///
    /// ```
    /// use leanmem::intern::Interner;
    /// use leanmem::measure::HeapSize;
    ///
    /// let i = Interner::with_capacity(7, 100);
    /// assert_eq!(i.heap_size(), 100 + 8 * 4 + 8 * 4); // bytes, 0 + 7 ends, 8 buckets
    /// ```
    fn heap_size_with(&self, _: &mut HeapContext) -> usize {
        self.strings.heap_bytes() + self.table.heap_bytes()
    }
}

#[cfg(test)]
mod tests;
