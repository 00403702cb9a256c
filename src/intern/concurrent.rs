//! [`ConcurrentInterner`]: interning from many threads, resolving without
//! locks.
//!
//! Most of the module's `unsafe` code is here (the rest is the unchecked
//! slicing of `storage.rs`): string bytes are written into arena chunks that
//! never move and read back through raw pointers by any thread, which safe
//! Rust cannot express without a lock on every resolve.
#![allow(unsafe_code)]

use std::cell::UnsafeCell;
use std::fmt;
use std::hash::BuildHasher;
use std::iter::FusedIterator;
use std::mem::{self, ManuallyDrop};
use std::ops::Deref;
use std::ops::Index;
use std::ptr::{self, NonNull};
use std::sync::atomic::Ordering::{AcqRel, Acquire, Release};
use std::sync::atomic::Ordering::{Relaxed, SeqCst};
use std::sync::atomic::{AtomicBool, AtomicU32};
use std::sync::atomic::{AtomicPtr, AtomicUsize};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::iter::{symbol_at, symbol_of_value};
use super::table::{self, Key, Order, Probe, Table};
use super::{DefaultHashBuilder, InternError, Interner, MAX_STRINGS, Symbol, hash_str};
use crate::measure::{HeapContext, HeapSize};

/// log2 of the first entry segment's length.
const LOG_FIRST: u32 = 6;
/// log2 of the segments per doubling of the segment length (4 segments:
/// past the first 1 792 entries, each new segment adds at most 2/7 of the
/// capacity already there, tending to 1/4).
const LOG_PER_GROUP: u32 = 2;
/// Segments needed to reach `MAX_STRINGS` entries.
const SEGMENTS: usize = 100;

/// Segment and offset of entry `i`. Segments come in groups of four of
/// equal length; the lengths double from one group to the next, starting at
/// `1 << LOG_FIRST`.
#[inline(always)]
fn locate(i: usize) -> (usize, usize) {
    let group_len = 1usize << (LOG_FIRST + LOG_PER_GROUP);
    let q = (i >> (LOG_FIRST + LOG_PER_GROUP)) + 1;
    let p = q.ilog2();
    let within = i + group_len - (group_len << p);
    let seg = ((p as usize) << LOG_PER_GROUP) + (within >> (LOG_FIRST + p));
    (seg, within & ((1usize << (LOG_FIRST + p)) - 1))
}

/// Length of segment `seg`.
#[inline]
fn segment_len(seg: usize) -> usize {
    1usize << (LOG_FIRST + (seg >> LOG_PER_GROUP) as u32)
}

/// Bytes of the LEB128 encoding of `n`.
#[inline]
fn varint_len(mut n: usize) -> usize {
    let mut len = 1;
    while n >= 0x80 {
        n >>= 7;
        len += 1;
    }
    len
}

/// Symbol index → pointer to the string's length-prefixed bytes, in
/// segments that are allocated once and never move. A null pointer is an
/// entry not yet published; so is a null segment.
struct Entries {
    /// Segment `k` points at `segment_len(k)` entries (a leaked
    /// `Box<[AtomicPtr<u8>]>`), or is null.
    segments: Box<[AtomicPtr<AtomicPtr<u8>>]>,
}

impl Entries {
    fn new() -> Self {
        Self {
            segments: (0..SEGMENTS)
                .map(|_| AtomicPtr::new(ptr::null_mut()))
                .collect(),
        }
    }

    /// The entry slot `i`, if its segment exists.
    #[inline]
    fn slot(&self, i: usize) -> Option<&AtomicPtr<u8>> {
        let (seg, off) = locate(i);
        let segment = self.segments.get(seg)?.load(Acquire);
        if segment.is_null() {
            return None;
        }
        // SAFETY: `off < segment_len(seg)` (by `locate`), the length of the
        // allocation `segment` points at, so the offset stays inside it.
        let entry = unsafe { segment.add(off) };
        // SAFETY: a non-null segment pointer was published (with `Release`,
        // seen by the `Acquire` load above) after its entries were
        // initialized; segments are freed only in `drop`, which `&self`
        // excludes.
        Some(unsafe { &*entry })
    }

    /// The published pointer of entry `i`, if any.
    #[inline]
    fn get(&self, i: usize) -> Option<NonNull<u8>> {
        NonNull::new(self.slot(i)?.load(Acquire))
    }

    /// Publishes `ptr` as entry `i` (once; under the owning shard's lock).
    fn publish(&self, i: usize, ptr: NonNull<u8>) {
        let (seg, _) = locate(i);
        if self.segments[seg].load(Acquire).is_null() {
            let fresh: Box<[AtomicPtr<u8>]> = (0..segment_len(seg))
                .map(|_| AtomicPtr::new(ptr::null_mut()))
                .collect();
            let fresh = Box::into_raw(fresh).cast::<AtomicPtr<u8>>();
            if self.segments[seg]
                .compare_exchange(ptr::null_mut(), fresh, AcqRel, Acquire)
                .is_err()
            {
                // Another shard published this segment first.
                let len = segment_len(seg);
                // SAFETY: `fresh` came from `Box::into_raw` of a slice of
                // `len` entries just above and was never shared.
                drop(unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(fresh, len)) });
            }
        }
        self.slot(i)
            .expect("the segment was published above")
            .store(ptr.as_ptr(), Release);
    }

    fn heap_bytes(&self) -> usize {
        self.segments.len() * mem::size_of::<AtomicPtr<AtomicPtr<u8>>>()
            + (0..self.segments.len())
                .filter(|&k| !self.segments[k].load(Acquire).is_null())
                .map(|k| segment_len(k) * mem::size_of::<AtomicPtr<u8>>())
                .sum::<usize>()
    }
}

impl Drop for Entries {
    fn drop(&mut self) {
        for (k, segment) in self.segments.iter_mut().enumerate() {
            let p = *segment.get_mut();
            if !p.is_null() {
                // SAFETY: `p` came from `Box::into_raw` of a slice of
                // `segment_len(k)` entries in `publish`, and is freed once.
                drop(unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(p, segment_len(k))) });
            }
        }
    }
}

/// One block of string bytes; never moves, freed with the arena.
struct Chunk {
    ptr: NonNull<u8>,
    cap: usize,
}

/// Smallest chunk of an arena.
const MIN_CHUNK: usize = 256;

/// Append-only string storage of one thread slot: `[LEB128 length][bytes]`
/// per string, in chunks that never move. Written only under its mutex (by
/// the threads of that slot, so its last chunk's cache lines stay with the
/// core that fills them); read by anyone through published pointers.
struct Arena {
    chunks: Vec<Chunk>,
    /// Bytes used in the last chunk.
    used: usize,
    /// Capacity of all chunks.
    cap: usize,
}

// SAFETY: the arena owns its chunks (plain bytes) exclusively; moving it to
// another thread moves that ownership. Bytes are written only through
// `&mut Arena` (under the arena's mutex), into parts of a chunk no
// published pointer covers.
unsafe impl Send for Arena {}

impl Arena {
    const fn new() -> Self {
        Self {
            chunks: Vec::new(),
            used: 0,
            cap: 0,
        }
    }

    /// A new chunk of `cap` bytes.
    fn chunk(cap: usize) -> Chunk {
        let mut block = ManuallyDrop::new(Vec::<u8>::with_capacity(cap));
        Chunk {
            // `Vec::as_mut_ptr` is never null (dangling for capacity 0,
            // which is never asked for: `cap` ≥ 1).
            ptr: NonNull::new(block.as_mut_ptr()).expect("a Vec's pointer is never null"),
            cap: block.capacity(),
        }
    }

    /// Appends `s` with its length prefix; returns where the prefix starts.
    /// The bytes written are never written again.
    fn push(&mut self, s: &str) -> NonNull<u8> {
        let need = varint_len(s.len()) + s.len();
        let room = self.chunks.last().map_or(0, |c| c.cap - self.used);
        let step = (self.cap >> 3).max(MIN_CHUNK);
        let at = if need <= room {
            let last = self.chunks.last().expect("room > 0 means a chunk");
            let at = self.used;
            self.used += need;
            // SAFETY: `at + need <= cap` of this chunk, so the offset stays
            // inside its allocation.
            unsafe { last.ptr.add(at) }
        } else if need > step / 2 {
            // A large string gets a chunk of its own, put before the
            // current one so that the current one keeps filling.
            let chunk = Self::chunk(need);
            let at = chunk.ptr;
            self.cap += chunk.cap;
            self.chunks.push(chunk);
            let n = self.chunks.len();
            if n >= 2 {
                self.chunks.swap(n - 1, n - 2);
            } else {
                self.used = need;
            }
            at
        } else {
            let chunk = Self::chunk(step);
            let at = chunk.ptr;
            self.cap += chunk.cap;
            self.chunks.push(chunk);
            self.used = need;
            at
        };
        let mut n = s.len();
        let mut dst = at.as_ptr();
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            // SAFETY: `dst` is within the `need` bytes reserved above, which
            // no published pointer covers and no other thread writes (we hold
            // `&mut self`).
            unsafe { dst.write(if n == 0 { byte } else { byte | 0x80 }) };
            // SAFETY: still within the reserved `need` bytes (the prefix is
            // followed by `s.len()` bytes, or ends the reservation).
            dst = unsafe { dst.add(1) };
            if n == 0 {
                break;
            }
        }
        // SAFETY: 1. `s` is valid for `s.len()` reads; 2. `dst` is valid for
        // `s.len()` writes: the rest of the reserved `need` bytes; 3. the
        // two do not overlap (the arena's memory is not reachable as `&str`
        // before it is published).
        unsafe { ptr::copy_nonoverlapping(s.as_ptr(), dst, s.len()) };
        at
    }

    fn heap_bytes(&self) -> usize {
        self.cap + self.chunks.capacity() * mem::size_of::<Chunk>()
    }
}

impl Drop for Arena {
    fn drop(&mut self) {
        for chunk in self.chunks.drain(..) {
            // SAFETY: the chunk was made by `Arena::chunk` from a
            // `Vec<u8>` with this pointer and capacity, and is freed once
            // (drained). Length 0: `u8` needs no drop.
            drop(unsafe { Vec::from_raw_parts(chunk.ptr.as_ptr(), 0, chunk.cap) });
        }
    }
}

/// Reads the string whose length-prefixed bytes start at `at`.
///
/// # Safety
///
/// `at` must be a pointer published in `Entries` (returned by
/// `Arena::push` for a `&str`), and the arena that holds it must outlive `'a`.
#[inline]
unsafe fn read_str<'a>(at: NonNull<u8>) -> &'a str {
    let mut p = at.as_ptr().cast_const();
    // SAFETY: `at` starts the length prefix that `Arena::push` wrote before
    // publishing it (the caller's contract).
    let first = unsafe { p.read() };
    if first < 0x80 {
        // One-byte prefix: the common case of a string under 128 bytes.
        // SAFETY: the one-byte prefix is followed by the string's bytes in
        // the same chunk.
        let start = unsafe { p.add(1) };
        // SAFETY: `Arena::push` copied `first` bytes of a `&str` there before
        // publishing `at`; they are never written again and live as long as
        // the arena (the caller's contract).
        let bytes = unsafe { std::slice::from_raw_parts(start, usize::from(first)) };
        // SAFETY: the bytes were copied from a `str`, so they are valid UTF-8.
        return unsafe { std::str::from_utf8_unchecked(bytes) };
    }
    let mut len = 0usize;
    let mut shift = 0;
    loop {
        // SAFETY: `p` is within the length prefix that `Arena::push` wrote
        // before publishing `at` (the caller's contract).
        let byte = unsafe { p.read() };
        // SAFETY: the prefix is followed by the string's bytes, so the next
        // address is inside the same chunk.
        p = unsafe { p.add(1) };
        len |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    // SAFETY: `Arena::push` copied `len` bytes of a `&str` right after the
    // prefix, before the pointer was published with `Release` (which the
    // caller's `Acquire` load saw); they are never written again and live as
    // long as the arena (the caller's contract).
    let bytes = unsafe { std::slice::from_raw_parts(p, len) };
    // SAFETY: the bytes were copied from a `str`, so they are valid UTF-8.
    unsafe { std::str::from_utf8_unchecked(bytes) }
}

/// A shard's table: [`Table`]'s layout (see `table.rs`) with atomic slots,
/// so that a writer can fill a vacant bucket while readers probe. Its
/// fields other than the slots change only when the table is replaced.
struct SharedTable {
    /// `0` = empty, else `fingerprint | value`.
    slots: Box<[AtomicU32]>,
    /// Entries the table takes before it must grow (below `slots.len()`).
    limit: usize,
    /// Mask of the value bits.
    mask: u32,
    /// Whether homes are placed by the fingerprint alone.
    short: bool,
}

impl SharedTable {
    fn new(table: Table) -> Self {
        let (slots, limit, mask, short) = table.into_parts();
        Self {
            slots: slots.into_vec().into_iter().map(AtomicU32::new).collect(),
            limit,
            mask,
            short,
        }
    }

    /// A plain copy of the table, for the writer that grows it (no other
    /// thread writes it meanwhile: writers hold the shard's mutex).
    fn snapshot(&self) -> Table {
        let slots = self.slots.iter().map(|slot| slot.load(Relaxed)).collect();
        Table::from_parts(slots, self.limit, self.mask, self.short)
    }

    /// Whether `value` fits in the value bits.
    #[inline]
    fn fits(&self, value: u32) -> bool {
        value & !self.mask == 0
    }

    /// [`Table::probe`] over the atomic slots. Each slot is loaded with
    /// `Acquire`, so the entry of a value seen in one is published (see
    /// [`SharedTable::fill`]).
    #[inline(always)]
    fn probe(&self, hash: u64, key: &impl Key) -> Probe {
        let slots = &self.slots[..];
        if slots.is_empty() {
            return Probe::Vacant(0);
        }
        let mask = self.mask;
        let (fp, mut i) = table::locate(hash, slots.len(), mask, self.short);
        loop {
            // Past the last bucket the probe wraps to the first.
            let Some(slot) = slots.get(i) else {
                i = 0;
                continue;
            };
            let slot = slot.load(Acquire);
            if slot == 0 {
                return Probe::Vacant(i);
            }
            if slot & !mask == fp && key.is(slot & mask) {
                return Probe::Found(slot & mask);
            }
            i += 1;
        }
    }

    /// Fills the vacant bucket `at` (from [`probe`](Self::probe) on this
    /// table, under the shard's mutex) with `value`, whose string has
    /// `hash`. The store is `Release` and comes after the entry of `value`
    /// was published: a reader that sees the value can resolve it.
    #[inline]
    fn fill(&self, at: usize, hash: u64, value: u32) {
        let (fp, _) = table::locate(hash, self.slots.len(), self.mask, self.short);
        debug_assert!(self.fits(value) && value != 0 && self.slots[at].load(Relaxed) == 0);
        self.slots[at].store(fp | value, Release);
    }

    fn heap_bytes(&self) -> usize {
        self.slots.len() * mem::size_of::<AtomicU32>()
    }
}

/// What a shard's writers' mutex protects.
struct ShardState {
    /// Strings in this shard.
    count: usize,
}

/// Most shards an interner has.
const MAX_SHARDS: usize = 64;
/// Reader slots: each thread announces its reads in one of them (threads
/// beyond this many share slots, which is correct, only slower).
const READER_SLOTS: usize = 16;

/// A value on cache lines of its own.
#[repr(align(128))]
struct Padded<T>(T);

/// A shard: its table, read by everyone, and behind a mutex that orders
/// writers, its count. On cache lines of their own: what readers
/// read (`growing`, the table's header) is written only when the table
/// grows, never by an insert, nor by taking the mutex.
///
/// Readers take no lock, and adding a string excludes no reader:
///
/// * A writer (holding `writers`) that finds its string's bucket vacant
///   writes the string's bytes into its thread slot's arena, publishes the
///   pointer in the entries (`Release`), and only then stores the value
///   into the bucket (`Release`). A reader loads slots with `Acquire`: if it sees the value,
///   it sees the entry and the bytes; if it sees the bucket empty, the
///   string is absent for it, and `intern` takes the mutex and probes again.
///   Buckets are never emptied or moved, so probes never miss an entry that
///   was there when they started.
/// * Only growth replaces the table (and frees the old slots), so only
///   growth excludes readers. A reader counts itself in its thread's reader
///   slot for this shard, then checks that `growing` is down; the writer
///   builds the new table from the old (which only it writes), raises
///   `growing`, waits until every slot's count for this shard is zero,
///   swaps the tables in, and lowers the flag. Both steps are sequentially
///   consistent, so at least one side sees the other (as in Dekker's
///   algorithm): either the reader backs off until the flag is down, or the
///   writer waits for it. Readers of a shard write only their own slot's
///   cache line, so threads that look strings up do not make cache lines
///   bounce between cores, as a shared reader count would.
#[repr(align(128))]
struct Shard {
    growing: AtomicBool,
    table: UnsafeCell<SharedTable>,
    writers: Padded<Mutex<ShardState>>,
}

// SAFETY: `table`'s header (slot pointer, limit, mask, short) is written
// only while `growing` is up and no reader is counted (see the protocol
// above), by the one writer that holds `writers`; at any other time it is
// only read. Its slots are atomics. `ShardState` is behind the mutex.
unsafe impl Sync for Shard {}

impl Shard {
    fn new() -> Self {
        Self {
            growing: AtomicBool::new(false),
            table: UnsafeCell::new(SharedTable::new(Table::default())),
            writers: Padded(Mutex::new(ShardState { count: 0 })),
        }
    }

    /// The writers' mutex. A poisoned one is taken as is: the only user
    /// code that runs while it is held is the hasher, in
    /// [`ConcurrentInterner::insert`] before anything changes, so after a
    /// panic the count and the table still agree.
    fn lock(&self) -> MutexGuard<'_, ShardState> {
        self.writers
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The table, for the holder of the writers' mutex (`_state` proves
    /// it). The reference must not be used after this thread replaces the
    /// table ([`ConcurrentInterner::replace_table`]).
    #[inline]
    fn table_locked<'a>(&'a self, _state: &'a MutexGuard<'_, ShardState>) -> &'a SharedTable {
        // SAFETY: only the holder of `writers` replaces the table (in
        // `replace_table`, after its last use of the reference returned
        // here), and this thread holds the mutex while the reference lives.
        unsafe { &*self.table.get() }
    }
}

/// One thread slot's reader counts, one per shard, on its own cache lines.
#[repr(align(128))]
struct ReaderLine {
    counts: [AtomicU32; MAX_SHARDS],
}

impl ReaderLine {
    fn new() -> Self {
        Self {
            counts: std::array::from_fn(|_| AtomicU32::new(0)),
        }
    }
}

/// This thread's reader slot.
#[inline]
fn reader_slot() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static SLOT: usize = NEXT.fetch_add(1, Relaxed) % READER_SLOTS;
    }
    SLOT.with(|slot| *slot)
}

/// Waits a moment for another thread (spins, then yields).
#[inline]
fn back_off(round: &mut u32) {
    if *round < 64 {
        std::hint::spin_loop();
        *round += 1;
    } else {
        std::thread::yield_now();
    }
}

/// Shared access to a shard's table; counted in the reader's slot until
/// dropped.
struct ReadGuard<'a> {
    count: &'a AtomicU32,
    table: &'a SharedTable,
}

impl Deref for ReadGuard<'_> {
    type Target = SharedTable;
    #[inline]
    fn deref(&self) -> &SharedTable {
        self.table
    }
}

impl Drop for ReadGuard<'_> {
    #[inline]
    fn drop(&mut self) {
        self.count.fetch_sub(1, Release);
    }
}

/// An interner shared by many threads: `intern(&self)` from any of them,
/// [`resolve`](Self::resolve) without any lock.
///
/// Strings are spread over shards by hash, each with its own table; their
/// bytes go to append-only arenas, one per thread slot (that of the thread
/// that interns them). Looking up a string already there writes only a
/// counter on the calling thread's own cache line (no lock word shared
/// between cores, so lookups from two threads run twice as fast as from
/// one); adding a string takes its shard's writers' mutex but makes no reader
/// wait: the string's entry is published first, then its table slot is
/// filled with one atomic store. Only when a shard's table grows do that
/// shard's readers wait, for the moment it takes to swap the new table in.
/// Symbols come from one counter, so they are dense and in insertion order,
/// as in [`Interner`].
///
/// ```
/// use std::sync::Arc;
/// use leanmem::intern::ConcurrentInterner;
///
/// let names = Arc::new(ConcurrentInterner::new());
/// let workers: Vec<_> = (0..4)
///     .map(|t| {
///         let names = Arc::clone(&names);
///         std::thread::spawn(move || {
///             (0..100).map(|n| names.intern(&format!("name{}", (n + t) % 50))).collect::<Vec<_>>()
///         })
///     })
///     .collect();
/// for w in workers {
///     for sym in w.join().unwrap() {
///         assert!(names.resolve(sym).unwrap().starts_with("name"));
///     }
/// }
/// assert_eq!(names.len(), 50);
/// ```
///
/// # Memory layout
///
/// * Per string: its bytes with a LEB128 length prefix (1 byte below 128
///   bytes) in the arena of the thread slot that interned it, whose chunks
///   grow by 1/8 of the arena and never move; an 8-byte pointer in the symbol-indexed entry array, whose
///   segments never move and each add at most 2/7 to its length past
///   the first 1 792 entries; one
///   `u32` slot in its shard's table (≤ 7/10 full, grown by 1/4).
///   Together ≈ 14–19 bytes beyond the string's bytes (16.5 measured on
///   identifiers interned by one thread, 17.1 by two, where lasso's
///   `ThreadedRodeo` takes 75).
/// * Fixed: the shards (256 bytes each: what readers read and what writers
///   write on separate cache lines; at most 64), 16 reader lines of 256
///   bytes and 16 arena headers of 128 bytes (one each per thread slot) and
///   the segment directory (100 slots): about 9 KiB with 8 shards.
///
/// Resolving reads the entry pointer with one `Acquire` load and the
/// string's bytes behind it; no lock, no hashing.
pub struct ConcurrentInterner<S = DefaultHashBuilder> {
    shards: Box<[Shard]>,
    readers: Box<[ReaderLine]>,
    /// String bytes, one arena per reader slot (the slot of the thread that
    /// interned them).
    arenas: Box<[Padded<Mutex<Arena>>]>,
    shard_mask: usize,
    entries: Entries,
    /// Symbols handed out. On a cache line of its own: every insertion
    /// writes it, and every lookup reads the fields around it (the hasher,
    /// the shard pointers).
    len: Padded<AtomicUsize>,
    hasher: S,
}

/// Default shard count: four per hardware thread, 4 to 64.
fn default_shards() -> usize {
    let threads = std::thread::available_parallelism().map_or(4, |n| n.get());
    (threads * 4).next_power_of_two().clamp(4, 64)
}

impl ConcurrentInterner {
    /// An empty interner with four shards per hardware thread.
    ///
    /// ```
    /// use leanmem::intern::ConcurrentInterner;
    ///
    /// let i = ConcurrentInterner::new();
    /// assert!(i.is_empty());
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::with_shards_and_hasher(default_shards(), DefaultHashBuilder::default())
    }

    /// An empty interner with `shards` shards (rounded up to a power of
    /// two, 1 to 64). More shards, fewer writers waiting for each other;
    /// each costs a few hundred bytes.
    ///
    /// ```
    /// use leanmem::intern::ConcurrentInterner;
    ///
    /// let i = ConcurrentInterner::with_shards(6);
    /// assert_eq!(i.shards(), 8);
    /// ```
    #[must_use]
    pub fn with_shards(shards: usize) -> Self {
        Self::with_shards_and_hasher(shards, DefaultHashBuilder::default())
    }
}

impl<S> ConcurrentInterner<S> {
    /// An empty interner with the default shard count, hashing with
    /// `hasher`.
    ///
    /// ```
    /// use leanmem::intern::ConcurrentInterner;
    /// use std::hash::RandomState;
    ///
    /// let i = ConcurrentInterner::with_hasher(RandomState::new());
    /// let s = i.intern("sip");
    /// assert_eq!(i.resolve(s), Some("sip"));
    /// ```
    #[must_use]
    pub fn with_hasher(hasher: S) -> Self {
        Self::with_shards_and_hasher(default_shards(), hasher)
    }

    /// An empty interner with `shards` shards (rounded up to a power of
    /// two, 1 to 64) hashing with `hasher`.
    ///
    /// ```
    /// use leanmem::intern::{ConcurrentInterner, DefaultHashBuilder};
    ///
    /// let i = ConcurrentInterner::with_shards_and_hasher(1, DefaultHashBuilder::default());
    /// assert_eq!(i.shards(), 1);
    /// ```
    #[must_use]
    pub fn with_shards_and_hasher(shards: usize, hasher: S) -> Self {
        let n = shards.clamp(1, MAX_SHARDS).next_power_of_two();
        Self {
            shards: (0..n).map(|_| Shard::new()).collect(),
            readers: (0..READER_SLOTS).map(|_| ReaderLine::new()).collect(),
            arenas: (0..READER_SLOTS)
                .map(|_| Padded(Mutex::new(Arena::new())))
                .collect(),
            shard_mask: n - 1,
            entries: Entries::new(),
            len: Padded(AtomicUsize::new(0)),
            hasher,
        }
    }

    /// Number of shards.
    ///
    /// ```
    /// use leanmem::intern::ConcurrentInterner;
    ///
    /// assert!(ConcurrentInterner::new().shards().is_power_of_two());
    /// ```
    pub fn shards(&self) -> usize {
        self.shards.len()
    }

    /// The hasher.
    ///
    /// ```
    /// use leanmem::intern::ConcurrentInterner;
    ///
    /// let _state = ConcurrentInterner::new().hasher().clone();
    /// ```
    pub fn hasher(&self) -> &S {
        &self.hasher
    }

    /// Number of symbols handed out. While other threads intern, a symbol
    /// may be counted a moment before its string can be resolved. Computes
    /// in **O(1)** time.
    ///
    /// ```
    /// use leanmem::intern::ConcurrentInterner;
    ///
    /// let i = ConcurrentInterner::new();
    /// i.intern("a");
    /// i.intern("a");
    /// assert_eq!(i.len(), 1);
    /// ```
    #[inline]
    pub fn len(&self) -> usize {
        // At the symbol limit, an attempt that fails bumps the counter past
        // it for a moment; no symbol lies there.
        self.len.0.load(Acquire).min(MAX_STRINGS)
    }

    /// Whether no string has been interned.
    ///
    /// ```
    /// use leanmem::intern::ConcurrentInterner;
    ///
    /// assert!(ConcurrentInterner::new().is_empty());
    /// ```
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The string of `symbol`, or `None` if this interner did not issue it
    /// (or another thread is still publishing it). Takes no lock.
    ///
    /// Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::intern::{ConcurrentInterner, Symbol};
    ///
    /// let i = ConcurrentInterner::new();
    /// let s = i.intern("shared");
    /// assert_eq!(i.resolve(s), Some("shared"));
    /// assert_eq!(i.resolve(Symbol::from_usize(9).unwrap()), None);
    /// ```
    #[inline]
    pub fn resolve(&self, symbol: Symbol) -> Option<&str> {
        let at = self.entries.get(symbol.to_usize())?;
        // SAFETY: `at` was published in `self.entries` by `Arena::push`
        // into an arena of `self.arenas`, which lives as long as `&self`.
        Some(unsafe { read_str(at) })
    }

    /// Whether stored value `value` (index + 1) is the string `s`, for
    /// table probes.
    #[inline]
    fn value_is(&self, value: u32, s: &str) -> bool {
        self.resolve(symbol_at((value - 1) as usize))
            .is_some_and(|t| t.as_bytes() == s.as_bytes())
    }

    /// The strings in symbol order, skipping any that another thread is
    /// still publishing.
    ///
    /// ```
    /// use leanmem::intern::ConcurrentInterner;
    ///
    /// let i = ConcurrentInterner::new();
    /// i.intern("x");
    /// i.intern("y");
    /// assert_eq!(i.iter().map(|(_, s)| s).collect::<Vec<_>>(), ["x", "y"]);
    /// ```
    pub fn iter(&self) -> ConcurrentIter<'_, S> {
        ConcurrentIter {
            interner: self,
            front: 0,
            back: self.len(),
        }
    }

    /// Every string in symbol order, none skipped, for copies that must keep
    /// the symbols (`Clone`, serialization). Holding every shard's writers'
    /// mutex while listing means no string is half-interned (its symbol
    /// counted, its entry not yet published): [`iter`](Self::iter) would
    /// skip it, shifting every later string to a lower symbol in the copy.
    /// Interning waits meanwhile; lookups and resolving do not.
    pub(crate) fn dense_strings(&self) -> Vec<&str> {
        let _writers: Vec<_> = self.shards.iter().map(Shard::lock).collect();
        self.iter().map(|(_, s)| s).collect()
    }
}

impl<S> ConcurrentInterner<S> {
    /// Shared access to shard `index`'s table (see the protocol on
    /// [`Shard`]).
    #[inline]
    fn read_table(&self, index: usize) -> ReadGuard<'_> {
        let shard = &self.shards[index];
        let count = &self.readers[reader_slot()].counts[index];
        let mut round = 0;
        loop {
            count.fetch_add(1, SeqCst);
            if !shard.growing.load(SeqCst) {
                // SAFETY: this thread is counted as a reader of the shard and
                // saw no growth after counting itself, so the table's header
                // is not written until the count drops (when the returned
                // guard does): a growing writer raises the flag and then
                // waits for every count to be zero. The slots are atomics.
                let table = unsafe { &*shard.table.get() };
                return ReadGuard { count, table };
            }
            count.fetch_sub(1, Release);
            while shard.growing.load(Acquire) {
                back_off(&mut round);
            }
        }
    }

    /// Replaces shard `index`'s table by `table` (see the protocol on
    /// [`Shard`]). The caller holds the shard's mutex (`_state` proves it)
    /// and no reference to the old table, and no read guard of the shard.
    fn replace_table(&self, index: usize, table: SharedTable, _state: &MutexGuard<'_, ShardState>) {
        let shard = &self.shards[index];
        shard.growing.store(true, SeqCst);
        for line in self.readers.iter() {
            let mut round = 0;
            while line.counts[index].load(SeqCst) != 0 {
                back_off(&mut round);
            }
        }
        // SAFETY: other writers are excluded by the mutex the caller holds,
        // and the caller uses no reference to the old table from here on;
        // readers are excluded by the protocol: every reader counted before the flag went up has
        // left (counts were zero after it), and every later one sees the
        // flag and backs off until it is lowered below.
        let old = unsafe { mem::replace(&mut *shard.table.get(), table) };
        shard.growing.store(false, Release);
        drop(old);
    }
}

/// A string looked for in a shard.
struct Needle<'a, S> {
    interner: &'a ConcurrentInterner<S>,
    s: &'a str,
}

impl<S> Key for Needle<'_, S> {
    #[inline(always)]
    fn is(&self, value: u32) -> bool {
        self.interner.value_is(value, self.s)
    }
}

impl<S: BuildHasher> ConcurrentInterner<S> {
    #[inline]
    fn shard_index(&self, hash: u64) -> usize {
        hash as usize & self.shard_mask
    }

    #[inline(always)]
    fn find(&self, table: &SharedTable, hash: u64, s: &str) -> Probe {
        table.probe(hash, &Needle { interner: self, s })
    }

    /// The symbol of `s`, interning it first if it is new.
    ///
    /// Reads `s`'s shard without a lock, and takes its writers' mutex if `s`
    /// is new. Computes in **O(len(s))** expected time.
    ///
    /// # Panics
    ///
    /// If the interner already holds `u32::MAX` strings;
    /// [`try_intern`](Self::try_intern) reports that as an error instead.
    ///
    /// ```
    /// use leanmem::intern::ConcurrentInterner;
    ///
    /// let i = ConcurrentInterner::new();
    /// assert_eq!(i.intern("a"), i.intern("a"));
    /// assert_ne!(i.intern("a"), i.intern("b"));
    /// ```
    #[inline]
    pub fn intern(&self, s: &str) -> Symbol {
        match self.try_intern(s) {
            Ok(sym) => sym,
            Err(e) => panic!("ConcurrentInterner::intern: {e}"),
        }
    }

    /// The symbol of `s`, interning it first if it is new; an error, and
    /// no change, if no symbol is left.
    ///
    /// # Errors
    ///
    /// [`InternError::SymbolsExhausted`] if `s` is new and the interner
    /// already holds `u32::MAX` strings. (Bytes are not limited: entries are
    /// pointers, not 4-byte offsets.)
    ///
    /// ```
    /// use leanmem::intern::ConcurrentInterner;
    ///
    /// let i = ConcurrentInterner::new();
    /// let s = i.try_intern("ok").unwrap();
    /// assert_eq!(i.resolve(s), Some("ok"));
    /// ```
    pub fn try_intern(&self, s: &str) -> Result<Symbol, InternError> {
        self.try_intern_within(s, MAX_STRINGS)
    }

    /// [`try_intern`](Self::try_intern) with a smaller limit (for tests).
    pub(crate) fn try_intern_within(
        &self,
        s: &str,
        max_strings: usize,
    ) -> Result<Symbol, InternError> {
        let hash = hash_str(&self.hasher, s);
        let index = self.shard_index(hash);
        if let Probe::Found(v) = self.find(&self.read_table(index), hash, s) {
            return Ok(symbol_of_value(v));
        }
        self.insert(index, hash, s, max_strings)
    }

    /// The locked part of [`try_intern_within`](Self::try_intern_within):
    /// `s`, with `hash`, was not in shard `index`'s table a moment ago.
    ///
    /// The user's hasher runs here only while a full table is rebuilt,
    /// which comes before anything changes: if the hasher panics, no symbol
    /// was counted, no entry published, and the shard keeps its table and
    /// count (its mutex is poisoned, which [`Shard::lock`] ignores).
    #[inline(never)]
    fn insert(
        &self,
        index: usize,
        hash: u64,
        s: &str,
        max_strings: usize,
    ) -> Result<Symbol, InternError> {
        let shard = &self.shards[index];
        let mut state = shard.lock();
        let table = shard.table_locked(&state);
        let vacant = match self.find(table, hash, s) {
            Probe::Found(v) => return Ok(symbol_of_value(v)),
            Probe::Vacant(at) => at,
        };
        // A full table grows before anything changes (see above), with
        // value bits for about the symbol this string will get.
        let mut grown = (state.count >= table.limit).then(|| {
            let expected = self.len.0.load(Relaxed).saturating_add(1);
            self.grown(table, state.count, expected.min(MAX_STRINGS) as u32)
        });
        // One read-modify-write of the shared counter (a load first, as a
        // compare-exchange loop takes, would fetch its cache line twice from
        // the core that bumped it last). A bump past the limit is undone:
        // symbols below the limit are still handed out once each.
        let symbol = self.len.0.fetch_add(1, AcqRel);
        if symbol >= max_strings {
            self.len.0.fetch_sub(1, AcqRel);
            return Err(InternError::SymbolsExhausted);
        }
        let value = symbol as u32 + 1;
        if !grown.as_ref().map_or(table.fits(value), |g| g.fits(value)) {
            // Other shards took so many symbols since the table was sized
            // that `value` needs more value bits: widened without hashing
            // (the symbol is taken, nothing may fail now).
            let narrow = grown.take().unwrap_or_else(|| table.snapshot());
            grown = Some(narrow.widened(u64::from(value) * 2));
        }
        let at = self.arenas[reader_slot()]
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(s);
        // Entry first, then the slot: a reader that sees the slot's value
        // finds it published (see the protocol on `Shard`).
        self.entries.publish(symbol, at);
        match grown {
            Some(mut grown) => {
                grown.insert_unique(hash, value);
                self.replace_table(index, SharedTable::new(grown), &state);
            }
            None => table.fill(vacant, hash, value),
        }
        state.count += 1;
        Ok(symbol_at(symbol))
    }

    /// A copy of `table` (holding `count` strings) grown by a quarter, with
    /// value bits for values up to twice `expected`. Hashes every string
    /// again (with the user's hasher, which may panic) unless the entries
    /// can move by their stored bits.
    #[cold]
    fn grown(&self, table: &SharedTable, count: usize, expected: u32) -> Table {
        let max = table.limit;
        let entries = (max + (max >> 2)).max(count + 1).max(8);
        let empty = Table::growing(entries, u64::from(expected) * 2);
        let old = table.snapshot();
        if old.can_move_into(&empty) {
            old.move_into(empty, Order::Values)
        } else {
            let mut table = empty;
            for v in old.values() {
                table.insert_unique(hash_str(&self.hasher, self.resolve_value(v)), v);
            }
            table
        }
    }

    #[inline]
    fn resolve_value(&self, value: u32) -> &str {
        self.resolve(symbol_at((value - 1) as usize))
            .unwrap_or_default()
    }

    /// The symbol of `s` if it has been interned; never inserts. Takes no
    /// lock (waits only while a writer swaps in a grown table for the same
    /// shard).
    ///
    /// ```
    /// use leanmem::intern::ConcurrentInterner;
    ///
    /// let i = ConcurrentInterner::new();
    /// let s = i.intern("in");
    /// assert_eq!(i.get("in"), Some(s));
    /// assert_eq!(i.get("out"), None);
    /// ```
    #[inline]
    pub fn get(&self, s: &str) -> Option<Symbol> {
        let hash = hash_str(&self.hasher, s);
        match self.find(&self.read_table(self.shard_index(hash)), hash, s) {
            Probe::Found(v) => Some(symbol_of_value(v)),
            Probe::Vacant(_) => None,
        }
    }

    /// Whether `s` is interned.
    ///
    /// ```
    /// use leanmem::intern::ConcurrentInterner;
    ///
    /// let i = ConcurrentInterner::new();
    /// i.intern("a");
    /// assert!(i.contains("a") && !i.contains("b"));
    /// ```
    #[inline]
    pub fn contains(&self, s: &str) -> bool {
        self.get(s).is_some()
    }

    /// A single-threaded [`Interner`] with the same symbols, exactly sized.
    ///
    /// # Panics
    ///
    /// If the strings total more than `u32::MAX` bytes, which an
    /// [`Interner`] cannot address (this interner can).
    ///
    /// ```
    /// use leanmem::intern::ConcurrentInterner;
    ///
    /// let c = ConcurrentInterner::new();
    /// let s = c.intern("moved");
    /// let i = c.into_interner();
    /// assert_eq!(i.resolve(s), Some("moved"));
    /// ```
    pub fn into_interner(self) -> Interner<S> {
        let bytes = self.iter().map(|(_, s)| s.len()).sum();
        let mut out = Interner::with_capacity_and_hasher(self.len(), bytes, self.hasher);
        for i in 0..self.len.0.load(Acquire) {
            // Symbols are dense: every index below `len` is published once
            // no thread is interning (we own `self`).
            let s = self
                .entries
                .get(i)
                // SAFETY: published by `Arena::push` into an arena of
                // `self.arenas`, alive until the end of this function.
                .map_or("", |at| unsafe { read_str(at) });
            out.intern(s);
        }
        out
    }
}

impl<S: BuildHasher + Default> Default for ConcurrentInterner<S> {
    /// An empty interner with the default shard count.
    ///
    /// ```
    /// use leanmem::intern::ConcurrentInterner;
    ///
    /// let i: ConcurrentInterner = ConcurrentInterner::default();
    /// assert!(i.is_empty());
    /// ```
    fn default() -> Self {
        Self::with_hasher(S::default())
    }
}

impl<S: BuildHasher + Clone> Clone for ConcurrentInterner<S> {
    /// A copy with the same symbols (strings interned again in symbol
    /// order, with the same shard count and hasher). Other threads' interning
    /// waits while the strings are listed: holding every shard's writers'
    /// mutex means no string is half-interned (its symbol counted, its entry
    /// not yet published), which would shift the copy's later symbols.
    fn clone(&self) -> Self {
        let strings = self.dense_strings();
        let out = Self::with_shards_and_hasher(self.shards(), self.hasher.clone());
        for s in strings {
            out.intern(s);
        }
        out
    }
}

impl<S: BuildHasher> From<Interner<S>> for ConcurrentInterner<S> {
    /// The strings of `interner`, with the same symbols.
    ///
    /// ```
    /// use leanmem::intern::{ConcurrentInterner, Interner};
    ///
    /// let mut i = Interner::new();
    /// let s = i.intern("kept");
    /// let c = ConcurrentInterner::from(i);
    /// assert_eq!(c.resolve(s), Some("kept"));
    /// ```
    fn from(interner: Interner<S>) -> Self {
        let (strings, _, hasher) = interner.into_parts();
        let out = Self::with_shards_and_hasher(default_shards(), hasher);
        for s in strings.view().strings() {
            out.intern(s);
        }
        out
    }
}

impl<S: BuildHasher> From<ConcurrentInterner<S>> for Interner<S> {
    /// Same as [`ConcurrentInterner::into_interner`].
    ///
    /// # Panics
    ///
    /// As [`into_interner`](ConcurrentInterner::into_interner), if the
    /// strings total more than `u32::MAX` bytes.
    ///
    /// ```
    /// use leanmem::intern::{ConcurrentInterner, Interner};
    ///
    /// let c = ConcurrentInterner::new();
    /// c.intern("a");
    /// assert_eq!(Interner::from(c).len(), 1);
    /// ```
    fn from(c: ConcurrentInterner<S>) -> Self {
        c.into_interner()
    }
}

impl<S> fmt::Debug for ConcurrentInterner<S> {
    /// The strings in symbol order, none skipped (interning waits while
    /// they are listed, as for `Clone`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.dense_strings()).finish()
    }
}

impl<S> Index<Symbol> for ConcurrentInterner<S> {
    type Output = str;

    /// The string of `symbol`.
    ///
    /// # Panics
    ///
    /// If this interner did not issue `symbol` (or another thread is still
    /// publishing its string); [`resolve`](ConcurrentInterner::resolve)
    /// returns `None` instead.
    ///
    /// ```
    /// use leanmem::intern::ConcurrentInterner;
    ///
    /// let i = ConcurrentInterner::new();
    /// let s = i.intern("x");
    /// assert_eq!(&i[s], "x");
    /// ```
    fn index(&self, symbol: Symbol) -> &str {
        match self.resolve(symbol) {
            Some(s) => s,
            None => panic!("{symbol:?} is not a symbol of this interner"),
        }
    }
}

impl<S: BuildHasher, T: AsRef<str>> Extend<T> for ConcurrentInterner<S> {
    /// Interns every string.
    ///
    /// # Panics
    ///
    /// As [`intern`](ConcurrentInterner::intern), if a new string finds no
    /// symbol left.
    ///
    /// ```
    /// use leanmem::intern::ConcurrentInterner;
    ///
    /// let mut i = ConcurrentInterner::new();
    /// i.extend(["a", "b", "a"]);
    /// assert_eq!(i.len(), 2);
    /// ```
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for s in iter {
            self.intern(s.as_ref());
        }
    }
}

impl<S: BuildHasher + Default, T: AsRef<str>> FromIterator<T> for ConcurrentInterner<S> {
    /// An interner of the distinct strings, in order of first appearance.
    ///
    /// # Panics
    ///
    /// As [`intern`](ConcurrentInterner::intern), if a new string finds no
    /// symbol left.
    ///
    /// ```
    /// use leanmem::intern::ConcurrentInterner;
    ///
    /// let i: ConcurrentInterner = ["b", "a", "b"].into_iter().collect();
    /// assert_eq!(i.iter().map(|(_, s)| s).collect::<Vec<_>>(), ["b", "a"]);
    /// ```
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut out = Self::default();
        out.extend(iter);
        out
    }
}

impl<S> HeapSize for ConcurrentInterner<S> {
    /// Shards, reader lines, tables, arenas (chunk capacity) and entry
    /// segments, exactly as allocated. Reads each shard and arena in turn, so while
    /// other threads intern it is a snapshot of a moving target. The hasher
    /// is not counted.
    ///
    /// ```
    /// use leanmem::intern::ConcurrentInterner;
    /// use leanmem::measure::HeapSize;
    ///
    /// let i = ConcurrentInterner::with_shards(1);
    /// let empty = i.heap_size();
    /// i.intern("grows");
    /// assert!(i.heap_size() > empty);
    /// ```
    fn heap_size_with(&self, _: &mut HeapContext) -> usize {
        let shards = self.shards.len() * mem::size_of::<Shard>()
            + self.readers.len() * mem::size_of::<ReaderLine>()
            + self
                .shards
                .iter()
                .map(|shard| {
                    let state = shard.lock();
                    shard.table_locked(&state).heap_bytes()
                })
                .sum::<usize>()
            + self.arenas.len() * mem::size_of::<Padded<Mutex<Arena>>>()
            + self
                .arenas
                .iter()
                .map(|arena| {
                    let arena = arena.0.lock().unwrap_or_else(PoisonError::into_inner);
                    arena.heap_bytes()
                })
                .sum::<usize>();
        shards + self.entries.heap_bytes()
    }
}

/// An iterator over `(Symbol, &str)` of a [`ConcurrentInterner`] in symbol
/// order, from [`ConcurrentInterner::iter`]. It covers the symbols handed
/// out when it was made, skipping any still being published.
///
/// ```
/// use leanmem::intern::ConcurrentInterner;
///
/// let i: ConcurrentInterner = ["a", "b", "c"].into_iter().collect();
/// assert_eq!(i.iter().rev().next().map(|(_, s)| s), Some("c"));
/// ```
pub struct ConcurrentIter<'a, S> {
    interner: &'a ConcurrentInterner<S>,
    front: usize,
    back: usize,
}

impl<S> fmt::Debug for ConcurrentIter<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConcurrentIter")
            .field("front", &self.front)
            .field("back", &self.back)
            .finish()
    }
}

impl<S> Clone for ConcurrentIter<'_, S> {
    fn clone(&self) -> Self {
        Self {
            interner: self.interner,
            front: self.front,
            back: self.back,
        }
    }
}

impl<'a, S> Iterator for ConcurrentIter<'a, S> {
    type Item = (Symbol, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        while self.front < self.back {
            let sym = symbol_at(self.front);
            self.front += 1;
            if let Some(s) = self.interner.resolve(sym) {
                return Some((sym, s));
            }
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.back - self.front))
    }
}

impl<S> DoubleEndedIterator for ConcurrentIter<'_, S> {
    fn next_back(&mut self) -> Option<Self::Item> {
        while self.front < self.back {
            self.back -= 1;
            let sym = symbol_at(self.back);
            if let Some(s) = self.interner.resolve(sym) {
                return Some((sym, s));
            }
        }
        None
    }
}

impl<S> FusedIterator for ConcurrentIter<'_, S> {}

impl<'a, S> IntoIterator for &'a ConcurrentInterner<S> {
    type Item = (Symbol, &'a str);
    type IntoIter = ConcurrentIter<'a, S>;

    /// ```
    /// use leanmem::intern::ConcurrentInterner;
    ///
    /// let i: ConcurrentInterner = ["a"].into_iter().collect();
    /// assert_eq!((&i).into_iter().count(), 1);
    /// ```
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
pub(crate) fn locate_for_tests(i: usize) -> (usize, usize) {
    locate(i)
}

/// The calling thread's reader slot (which is also its arena's index).
#[cfg(all(test, feature = "serde"))]
pub(crate) fn reader_slot_for_tests() -> usize {
    reader_slot()
}

#[cfg(all(test, feature = "serde"))]
impl<S> ConcurrentInterner<S> {
    /// Holds the arena of reader slot `slot` until the value returned is
    /// dropped: a writer of that slot stops between counting its symbol and
    /// publishing its string.
    pub(crate) fn hold_arena_for_tests(&self, slot: usize) -> impl Sized + '_ {
        self.arenas[slot]
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}
