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
//! removed, so there are no tombstones. The table is at most 7/8 full (7/10
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
    /// Whether fingerprints are the high bits of the hash's high half and
    /// homes are placed by the fingerprint alone (see [`Table::locate`]).
    short: bool,
}

impl fmt::Debug for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Table")
            .field("buckets", &self.slots.len())
            .field("value_bits", &self.mask.count_ones())
            .field("short", &self.short)
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

/// Buckets of a table grown to hold `entries` entries at 7/10 load: while an
/// interner grows, a little more room than the 7/8 of exact sizing keeps
/// probes short (the table is exactly sized again by `shrink_to_fit`).
#[inline]
pub(crate) const fn growing_buckets(entries: usize) -> usize {
    entries + (entries * 3).div_ceil(7)
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

/// Bucket of fingerprint `fp` (the high bits of a `u32`, low bits zero)
/// among `n < 2^32` buckets: the high half of `fp * n`.
#[inline(always)]
fn short_home(fp: u32, n: usize) -> usize {
    ((u64::from(fp) * n as u64) >> 32) as usize
}

/// The fingerprint and the home bucket of `hash` in a table of `n > 0`
/// buckets with value mask `mask` (see [`Table::locate`]).
#[inline(always)]
pub(crate) fn locate(hash: u64, n: usize, mask: u32, short: bool) -> (u32, usize) {
    if short {
        let fp = ((hash >> 32) as u32) & !mask;
        (fp, short_home(fp, n))
    } else {
        ((hash as u32) & !mask, home(hash, n))
    }
}

/// Whether a table of `buckets` buckets and value mask `mask` places by
/// fingerprint: the fingerprint has at least [`SHORT_RATIO`] values per
/// bucket.
#[inline]
const fn is_short(buckets: usize, mask: u32) -> bool {
    let fp_bits = 32 - mask.count_ones();
    (buckets as u64) * SHORT_RATIO <= 1u64 << fp_bits
}

/// Fewest fingerprint values per bucket for a table to place entries by
/// fingerprint.
const SHORT_RATIO: u64 = 2;

/// What a probe looks for: whether a stored value (index + 1) is it. (A
/// trait rather than a closure, so that the comparison is inlined into the
/// probe loop whatever the caller.)
pub(crate) trait Key {
    /// Whether the string of `value` is the one looked for.
    fn is(&self, value: u32) -> bool;
}

/// Moves the slot at `found` to `home` and the slots from `home` up to it
/// (cyclically) one bucket on.
#[inline(never)]
fn to_front(slots: &mut [u32], home: usize, found: usize) {
    let slot = slots[found];
    if home < found {
        slots.copy_within(home..found, home + 1);
    } else {
        // The run wraps past the last bucket.
        slots.copy_within(..found, 1);
        slots[0] = slots[slots.len() - 1];
        slots.copy_within(home..slots.len() - 1, home + 1);
    }
    slots[home] = slot;
}

/// The order [`Table::move_into`] leaves entries in.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Order {
    /// Entries of one probe sequence stay in their order (growth while
    /// interning).
    Kept,
    /// Entries take the order of their values (a table that stops
    /// adapting: shrunk, frozen).
    Values,
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

    /// A table that takes `entries` entries at 7/10 load (see
    /// [`growing_buckets`]), accepting values up to `max_value`.
    pub(crate) fn growing(entries: usize, max_value: u64) -> Self {
        Self::sized(growing_buckets(entries), entries, max_value)
    }

    fn sized(buckets: usize, limit: usize, max_value: u64) -> Self {
        debug_assert!(limit < buckets || buckets == 0);
        let mask = mask_for(max_value.max(limit as u64));
        Self {
            slots: vec![0u32; buckets].into_boxed_slice(),
            limit,
            mask,
            short: is_short(buckets, mask),
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

    /// The fingerprint and the home bucket of `hash` (the table must have
    /// buckets).
    ///
    /// A short table takes the fingerprint from the high half of the hash
    /// and places by it alone, so its entries can move to a larger short
    /// table without their strings ([`Table::move_into`]); a long one (too
    /// many buckets for the fingerprint bits) takes the fingerprint from the
    /// low half and places by the whole hash.
    #[inline(always)]
    fn locate(&self, hash: u64) -> (u32, usize) {
        locate(hash, self.slots.len(), self.mask, self.short)
    }

    /// The fingerprint and the home bucket of `hash`, for tests of where
    /// entries sit.
    #[cfg(test)]
    pub(crate) fn fingerprint_and_home(&self, hash: u64) -> (u32, usize) {
        self.locate(hash)
    }

    /// The value in the home bucket of `hash` (0 if that bucket is empty),
    /// for tests of where entries sit.
    #[cfg(test)]
    pub(crate) fn value_at_home(&self, hash: u64) -> u32 {
        let (_, home) = self.locate(hash);
        self.slots.get(home).map_or(0, |&slot| slot & self.mask)
    }

    /// The table's slots and what places entries in them: `(slots, limit,
    /// mask, short)`, for a table with atomic slots (the concurrent
    /// interner's), which probes as [`Table::probe`] does with [`locate`].
    pub(crate) fn into_parts(self) -> (Box<[u32]>, usize, u32, bool) {
        (self.slots, self.limit, self.mask, self.short)
    }

    /// The table that [`into_parts`](Self::into_parts) took apart.
    pub(crate) fn from_parts(slots: Box<[u32]>, limit: usize, mask: u32, short: bool) -> Self {
        debug_assert!(limit < slots.len() || slots.is_empty());
        Self {
            slots,
            limit,
            mask,
            short,
        }
    }

    /// Looks for the value whose string has `hash` and satisfies `eq`.
    /// `eq` receives a stored value (index + 1).
    #[inline(always)]
    pub(crate) fn probe(&self, hash: u64, key: &impl Key) -> Probe {
        self.search(hash, key).0
    }

    /// [`probe`](Self::probe), and on a hit away from the home bucket,
    /// moves the entry found to its home bucket and the entries it passed
    /// one bucket on (move-to-front within the probe sequence).
    ///
    /// The entries passed all sit at or past their own home buckets, and
    /// stay so one bucket further on, with no empty bucket opened in
    /// between: every probe sequence still reaches its entry. Strings looked
    /// up again soon after (names local to one part of a stream) then take
    /// one probe instead of several.
    #[inline(always)]
    pub(crate) fn probe_mut(&mut self, hash: u64, key: &impl Key) -> Probe {
        let (probe, at, home) = self.search(hash, key);
        if matches!(probe, Probe::Found(_)) && at != home {
            to_front(&mut self.slots, home, at);
        }
        probe
    }

    /// The probe sequence of `hash` for `key`: what it ends on, the bucket
    /// where, and the home bucket.
    #[inline(always)]
    fn search(&self, hash: u64, key: &impl Key) -> (Probe, usize, usize) {
        let slots = &self.slots[..];
        if slots.is_empty() {
            return (Probe::Vacant(0), 0, 0);
        }
        let mask = self.mask;
        let (fp, home) = self.locate(hash);
        let mut i = home;
        loop {
            // Past the last bucket the probe wraps to the first; the one
            // bounds check per step is that test.
            let Some(&slot) = slots.get(i) else {
                i = 0;
                continue;
            };
            if slot == 0 {
                return (Probe::Vacant(i), i, home);
            }
            if slot & !mask == fp && key.is(slot & mask) {
                return (Probe::Found(slot & mask), i, home);
            }
            i += 1;
        }
    }

    /// Fills the vacant bucket `at` (from [`probe`](Self::probe) on this
    /// very table) with `value`, whose string has `hash`.
    #[inline]
    pub(crate) fn fill(&mut self, at: usize, hash: u64, value: u32) {
        debug_assert!(self.fits(value) && value != 0 && self.slots[at] == 0);
        self.slots[at] = self.locate(hash).0 | value;
    }

    /// Inserts `value`, known to be absent, in the first empty bucket of its
    /// probe sequence. The table must have room.
    #[inline]
    pub(crate) fn insert_unique(&mut self, hash: u64, value: u32) {
        debug_assert!(!self.slots.is_empty() && self.fits(value));
        let (fp, at) = self.locate(hash);
        self.put(at, fp | value);
    }

    /// Stores `slot` in the first empty bucket from `at` on.
    #[inline(always)]
    fn put(&mut self, mut at: usize, slot: u32) {
        let n = self.slots.len();
        while self.slots[at] != 0 {
            at += 1;
            if at == n {
                at = 0;
            }
        }
        self.slots[at] = slot;
    }

    /// Whether [`move_into`](Self::move_into) can fill `empty` from this
    /// table: both are short and `empty` keeps no more fingerprint bits.
    pub(crate) fn can_move_into(&self, empty: &Table) -> bool {
        self.short && empty.short && self.mask & !empty.mask == 0
    }

    /// This table with value bits for values up to `max_value`, made from
    /// the slots alone: no string is hashed again (for a writer that has
    /// already taken the symbol it inserts). A long table keeps every entry
    /// in its bucket (homes come from the whole hash) and only gives the
    /// fingerprint bits that become value bits up; a short one moves its
    /// entries by their shorter fingerprints into as many buckets. If those
    /// are too few to place entries well (see [`is_short`]) it stays short
    /// (as correct, only slower) and takes one entry more than it holds,
    /// the one it is widened for: the next insertion grows it.
    pub(crate) fn widened(mut self, max_value: u64) -> Table {
        let mask = mask_for(max_value.max(self.limit as u64)) | self.mask;
        if mask == self.mask {
            return self;
        }
        if self.short {
            let empty = Table {
                slots: vec![0u32; self.slots.len()].into_boxed_slice(),
                limit: self.limit,
                mask,
                short: true,
            };
            let mut table = self.move_into(empty, Order::Kept);
            if !is_short(table.slots.len(), mask) {
                table.limit = table.limit.min(table.values().count() + 1);
            }
            return table;
        }
        // Value bits are below the fingerprint's, and an entry's value is
        // not zero: a full slot stays full.
        let keep = !mask | self.mask;
        for slot in &mut self.slots {
            *slot &= keep;
        }
        self.mask = mask;
        self
    }

    /// Moves every entry into `empty` (an empty table with room for them,
    /// which [`can_move_into`](Self::can_move_into) accepts) by the bits
    /// stored in the slots alone, without the strings' hashes.
    ///
    /// With [`Order::Kept`] entries that share a probe sequence keep their
    /// order (what lookups taught it, see [`probe_mut`](Self::probe_mut));
    /// with [`Order::Values`] the table ends as insertion in value order
    /// would leave it, the earliest strings first.
    pub(crate) fn move_into(mut self, mut empty: Table, order: Order) -> Table {
        assert!(self.can_move_into(&empty), "tables do not fit");
        // The entries to the front, without a branch on each bucket's
        // emptiness (which is a coin toss at these loads).
        let mut count = 0;
        for i in 0..self.slots.len() {
            let slot = self.slots[i];
            self.slots[count] = slot;
            count += usize::from(slot != 0);
        }
        let entries = &self.slots[..count];
        debug_assert!(empty.limit >= count);
        let n = empty.slots.len();
        let (old, new) = (self.mask, empty.mask);
        if let Order::Values = order {
            for &slot in entries {
                let fp = slot & !new;
                empty.put_in_order(short_home(fp, n), fp | (slot & old));
            }
            return empty;
        }
        // Entries come in bucket order, so their new homes mostly ascend
        // and each lands just past the one before. Buckets `run..next` are
        // known full: an entry whose home falls in them or at `next` starts
        // its search at `next`, skipping the probes (and their mispredicted
        // exits) over the run.
        let slots = &mut empty.slots[..];
        let (mut run, mut next) = (usize::MAX, 0);
        for &slot in entries {
            let fp = slot & !new;
            let home = short_home(fp, n);
            let inside = run <= home && home <= next;
            let mut at = if inside { next } else { home };
            run = if inside { run } else { home };
            while let Some(&taken) = slots.get(at) {
                if taken == 0 {
                    break;
                }
                at += 1;
            }
            if at < n {
                slots[at] = fp | (slot & old);
                next = at + 1;
            } else {
                // The search ran off the end: wrap, and start a new run.
                let mut at = 0;
                while slots[at] != 0 {
                    at += 1;
                }
                slots[at] = fp | (slot & old);
                (run, next) = (0, at + 1);
            }
        }
        empty
    }

    /// Stores `slot` from `at` on as if the entries had been inserted in
    /// the order of their values: a smaller value takes the bucket of a
    /// larger one, which moves on. Whatever order entries arrive in, the
    /// table ends as insertion in value order would leave it (linear
    /// probing with priorities is order-independent).
    #[inline(always)]
    fn put_in_order(&mut self, mut at: usize, mut slot: u32) {
        let n = self.slots.len();
        let mask = self.mask;
        loop {
            let here = self.slots[at];
            if here == 0 {
                self.slots[at] = slot;
                return;
            }
            if here & mask > slot & mask {
                self.slots[at] = slot;
                slot = here;
            }
            at += 1;
            if at == n {
                at = 0;
            }
        }
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
