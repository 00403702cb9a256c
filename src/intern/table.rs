//! The symbol table: open addressing over `u32` slots, sized to any bucket
//! count (not only powers of two), with hash bits kept in the slot.
//!
//! A slot is `0` when empty; otherwise it holds `fingerprint | value`, where
//! `value` (a symbol's index plus one, never zero) fills the low `bits` bits
//! and the fingerprint is the high `32 - bits` bits of the string's hash. A
//! probe compares strings only when the fingerprint matches, so the table
//! needs no control bytes and no stored hashes: 4 bytes per bucket. With 16
//! symbol bits (up to 65 535 strings) 16 bits of fingerprint remain, and a
//! string is compared in vain about once per 65 536 probes.
//!
//! Buckets are found by multiply-shift ("fastrange") of the 64-bit hash onto
//! the bucket count, so a table can be exactly as large as its load factor
//! requires. Collisions are resolved by linear probing; no entry is ever
//! removed, so there are no tombstones. The table is at most 7/8 full (4/5
//! while an interner grows), which guarantees every probe sequence meets an
//! empty slot.

use std::fmt;

/// Open-addressing table of symbol values with in-slot fingerprints.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Table {
    /// `0` = empty, else `fingerprint | value`.
    slots: Box<[u32]>,
    /// Entries the table takes before it must grow (below `slots.len()`).
    limit: usize,
    /// Mask of the value bits (`(1 << bits) - 1`, or all ones).
    mask: u32,
}

impl fmt::Debug for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Table")
            .field("buckets", &self.slots.len())
            .field("value_bits", &self.mask.count_ones())
            .finish()
    }
}

/// Entries a table of `buckets` buckets may hold: 7/8 of them, rounded so
/// that at least one bucket stays empty.
#[inline]
pub(crate) const fn max_entries(buckets: usize) -> usize {
    buckets - buckets.div_ceil(8)
}

/// The fewest buckets that hold `entries` entries at the maximum load.
#[inline]
pub(crate) const fn buckets_for(entries: usize) -> usize {
    if entries == 0 {
        0
    } else {
        entries + entries.div_ceil(7)
    }
}

/// Buckets of a table grown to hold `entries` entries at 4/5 load: while an
/// interner grows, a little more room than the 7/8 of exact sizing keeps
/// probes short (the table is exactly sized again by `shrink_to_fit`).
#[inline]
pub(crate) const fn growing_buckets(entries: usize) -> usize {
    entries + entries.div_ceil(4)
}

/// The value mask for values up to `max_value`.
#[inline]
const fn mask_for(max_value: u64) -> u32 {
    let bits = 64 - max_value.leading_zeros();
    if bits >= 32 {
        u32::MAX
    } else {
        (1u32 << bits) - 1
    }
}

/// Bucket of `hash` among `n` buckets: the high half of `hash * n`.
#[inline(always)]
fn home(hash: u64, n: usize) -> usize {
    ((u128::from(hash) * n as u128) >> 64) as usize
}

/// Where a probe for a string ended.
pub(crate) enum Probe {
    /// Found: the stored value (symbol index + 1).
    Found(u32),
    /// Absent: the empty bucket where it would go.
    Vacant(usize),
}

impl Table {
    /// A table of exactly `buckets` buckets that accepts values up to
    /// `max_value`, and takes entries up to 7/8 of its buckets.
    pub(crate) fn with_buckets(buckets: usize, max_value: u64) -> Self {
        Self::sized(buckets, max_entries(buckets), max_value)
    }

    /// A table that takes `entries` entries at 4/5 load (see
    /// [`growing_buckets`]), accepting values up to `max_value`.
    pub(crate) fn growing(entries: usize, max_value: u64) -> Self {
        Self::sized(growing_buckets(entries), entries, max_value)
    }

    fn sized(buckets: usize, limit: usize, max_value: u64) -> Self {
        debug_assert!(limit < buckets || buckets == 0);
        Self {
            slots: vec![0u32; buckets].into_boxed_slice(),
            limit,
            mask: mask_for(max_value.max(limit as u64)),
        }
    }

    /// Number of buckets.
    #[inline]
    pub(crate) fn buckets(&self) -> usize {
        self.slots.len()
    }

    /// Entries the table holds before it must grow.
    #[inline]
    pub(crate) fn max_entries(&self) -> usize {
        self.limit
    }

    /// Whether `value` fits in the value bits.
    #[inline]
    pub(crate) fn fits(&self, value: u32) -> bool {
        value & !self.mask == 0
    }

    /// Heap bytes of the slots.
    #[inline]
    pub(crate) fn heap_bytes(&self) -> usize {
        self.slots.len() * 4
    }

    /// Empties every bucket, keeping the allocation.
    pub(crate) fn clear(&mut self) {
        self.slots.fill(0);
    }

    #[inline(always)]
    fn fingerprint(&self, hash: u64) -> u32 {
        (hash as u32) & !self.mask
    }

    /// Looks for the value whose string has `hash` and satisfies `eq`.
    /// `eq` receives a stored value (index + 1).
    #[inline(always)]
    pub(crate) fn probe(&self, hash: u64, mut eq: impl FnMut(u32) -> bool) -> Probe {
        let n = self.slots.len();
        if n == 0 {
            return Probe::Vacant(0);
        }
        let fp = self.fingerprint(hash);
        let mut i = home(hash, n);
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                return Probe::Vacant(i);
            }
            if slot & !self.mask == fp && eq(slot & self.mask) {
                return Probe::Found(slot & self.mask);
            }
            i += 1;
            if i == n {
                i = 0;
            }
        }
    }

    /// Fills the vacant bucket `at` (from [`probe`](Self::probe) on this
    /// very table) with `value`, whose string has `hash`.
    #[inline]
    pub(crate) fn fill(&mut self, at: usize, hash: u64, value: u32) {
        debug_assert!(self.fits(value) && value != 0 && self.slots[at] == 0);
        self.slots[at] = self.fingerprint(hash) | value;
    }

    /// Inserts `value`, known to be absent, in the first empty bucket of its
    /// probe sequence. The table must have room.
    #[inline]
    pub(crate) fn insert_unique(&mut self, hash: u64, value: u32) {
        let n = self.slots.len();
        debug_assert!(n > 0 && self.fits(value));
        let mut i = home(hash, n);
        while self.slots[i] != 0 {
            i += 1;
            if i == n {
                i = 0;
            }
        }
        self.slots[i] = self.fingerprint(hash) | value;
    }

    /// The stored values, in bucket order.
    pub(crate) fn values(&self) -> impl Iterator<Item = u32> + '_ {
        let mask = self.mask;
        self.slots
            .iter()
            .filter(|&&s| s != 0)
            .map(move |&s| s & mask)
    }
}
