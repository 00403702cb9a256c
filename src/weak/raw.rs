//! The table under every weak map: a hashbrown `HashTable` that never stops
//! the world.
//!
//! Two things in a weak map can cost time proportional to its size: purging
//! dead entries, and rehashing when the table grows (or when hashbrown
//! decides to rehash in place to clear tombstones). [`RawWeakTable`] spreads
//! both over the calls that follow:
//!
//! * **Sweep.** Each [`step`](RawWeakTable::step) inspects the next
//!   `sweep_step` buckets of the table (a cursor that wraps around) and
//!   removes the dead entries it finds, so a full pass over `B` buckets takes
//!   `ceil(B / sweep_step)` steps.
//! * **Incremental resize.** When the table is full, it is not rehashed in
//!   one go: it becomes the *old* table, a new one is allocated, and each
//!   step moves the next `migrate_step` buckets of the old table into the new
//!   one (dropping dead entries instead of moving them). Lookups look in both
//!   until the old one is empty. The step is sized so that the migration ends
//!   before the new table can fill (see [`RawWeakTable::start_migration`]), so
//!   hashbrown itself never resizes or rehashes a large table.
//! * **Shrink.** When sweeping leaves a table of more than [`SMALL`] buckets
//!   at most 1/8 full, the same migration moves it into a smaller table (of
//!   at least `SMALL` buckets), so the table's own memory comes back too.

use std::iter::Chain;

use hashbrown::{HashTable, hash_table};

use crate::measure::{HeapContext, HeapSize};

/// Every entry of both tables, current first.
pub(crate) type Both<'a, E> = Chain<hash_table::Iter<'a, E>, hash_table::Iter<'a, E>>;
/// Every entry of both tables, mutably.
pub(crate) type BothMut<'a, E> = Chain<hash_table::IterMut<'a, E>, hash_table::IterMut<'a, E>>;
/// Every entry of both tables, by value.
pub(crate) type BothOwned<E> = Chain<hash_table::IntoIter<E>, hash_table::IntoIter<E>>;

/// A table of at most this many buckets grows the ordinary way (all at
/// once): the work is bounded by this constant anyway.
const SMALL: usize = 1024;

/// Buckets of the old table moved per step, at least.
const MIN_MIGRATE_STEP: usize = 8;

/// A table slot of a weak map: something that can tell whether its referent
/// has died.
pub(crate) trait WeakEntry {
    /// Whether the entry can go: its weakly held part is dead.
    fn is_dead(&self) -> bool;
}

/// A hash table of weak entries with incremental sweeping and resizing.
/// Hashes are supplied by the caller (the maps own the hasher).
#[derive(Clone)]
pub(crate) struct RawWeakTable<E> {
    cur: HashTable<E>,
    /// The table being migrated into `cur`; empty when no migration runs.
    old: HashTable<E>,
    /// Next bucket of `old` to move.
    migrate_at: usize,
    /// Buckets of `old` moved per step.
    migrate_step: usize,
    /// Next bucket of `cur` to sweep.
    sweep_at: usize,
    /// Buckets of `cur` swept per step (0: never sweep).
    sweep_step: usize,
    /// Entries reserved by `with_capacity` or `reserve`: the table does
    /// not shrink below room for them on its own (`shrink_to_fit` drops
    /// the reservation).
    floor: usize,
}

impl<E> RawWeakTable<E> {
    pub(crate) const fn new(sweep_step: usize) -> Self {
        Self {
            cur: HashTable::new(),
            old: HashTable::new(),
            migrate_at: 0,
            migrate_step: MIN_MIGRATE_STEP,
            sweep_at: 0,
            sweep_step,
            floor: 0,
        }
    }

    pub(crate) fn with_capacity(capacity: usize, sweep_step: usize) -> Self {
        Self {
            cur: HashTable::with_capacity(capacity),
            floor: capacity,
            ..Self::new(sweep_step)
        }
    }

    /// Entries held, dead or alive, in both tables.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.cur.len() + self.old.len()
    }

    /// Entries the current table holds before it must migrate.
    #[inline]
    pub(crate) fn capacity(&self) -> usize {
        self.cur.capacity()
    }

    /// Buckets of the current table (what a full sweep pass visits).
    #[inline]
    pub(crate) fn buckets(&self) -> usize {
        self.cur.num_buckets()
    }

    /// Whether a migration is in progress.
    #[inline]
    pub(crate) fn is_migrating(&self) -> bool {
        !self.old.is_empty()
    }

    /// Buckets moved per step while migrating, for tests.
    #[cfg(test)]
    pub(crate) fn migration_step(&self) -> Option<usize> {
        self.is_migrating().then_some(self.migrate_step)
    }

    /// Bytes of both tables' allocations.
    pub(crate) fn allocation_size(&self) -> usize {
        self.cur.allocation_size() + self.old.allocation_size()
    }

    #[inline]
    pub(crate) fn find(&self, hash: u64, mut eq: impl FnMut(&E) -> bool) -> Option<&E> {
        if let Some(e) = self.cur.find(hash, &mut eq) {
            return Some(e);
        }
        if self.old.is_empty() {
            None
        } else {
            self.old.find(hash, eq)
        }
    }

    #[inline]
    pub(crate) fn find_mut(&mut self, hash: u64, mut eq: impl FnMut(&E) -> bool) -> Option<&mut E> {
        if let Some(i) = self.cur.find_bucket_index(hash, &mut eq) {
            return self.cur.get_bucket_mut(i);
        }
        if self.old.is_empty() {
            None
        } else {
            self.old.find_mut(hash, eq)
        }
    }

    /// Removes and returns the entry matching `eq`.
    #[inline]
    pub(crate) fn remove(&mut self, hash: u64, mut eq: impl FnMut(&E) -> bool) -> Option<E> {
        if let Ok(o) = self.cur.find_entry(hash, &mut eq) {
            return Some(o.remove().0);
        }
        if self.old.is_empty() {
            return None;
        }
        let e = self.old.find_entry(hash, eq).ok().map(|o| o.remove().0);
        if self.old.is_empty() {
            self.end_migration();
        }
        e
    }

    /// Inserts an entry the caller knows is not present. Never rehashes more
    /// than [`SMALL`] buckets: a full large table starts a migration instead.
    #[inline]
    pub(crate) fn insert_unique(
        &mut self,
        hash: u64,
        entry: E,
        hasher: impl Fn(&E) -> u64,
    ) -> &mut E
    where
        E: WeakEntry,
    {
        if self.cur.len() == self.cur.capacity() {
            self.make_room(&hasher);
        }
        self.cur.insert_unique(hash, entry, hasher).into_mut()
    }

    /// The current table is full: grow it (small) or start a migration.
    #[cold]
    fn make_room(&mut self, hasher: &impl Fn(&E) -> u64)
    where
        E: WeakEntry,
    {
        if self.is_migrating() {
            // The step sizes make this unreachable (the migration ends before
            // the new table fills); finishing it here keeps the table correct
            // whatever happens.
            debug_assert!(false, "a migration outlived the room of its new table");
            self.finish_migration(hasher, &mut drop);
        }
        if self.cur.num_buckets() <= SMALL {
            // hashbrown grows (or rehashes in place) at most SMALL buckets.
            self.cur.reserve(self.cur.len().max(3), hasher);
        } else {
            self.start_migration();
        }
    }

    /// Moves the current table aside and allocates the one it migrates into.
    ///
    /// With `L` entries in `B` buckets, the new table holds at least
    /// `C = max(2L, B/8)` entries, so at least `C - L >= max(L, B/8 - L)`
    /// further inserts fit before it is full. The step moves
    /// `ceil(2B / (C - L))` buckets (at least 8), so the `B` buckets are
    /// moved within half that many inserts. Since `C - L >= B/16` whenever
    /// `L <= B/16` and `C - L >= L > B/16` otherwise, the step is at most 32
    /// buckets.
    fn start_migration(&mut self) {
        debug_assert!(self.old.is_empty());
        let len = self.cur.len();
        let buckets = self.cur.num_buckets();
        let target = (2 * len).max(buckets / 8).max(SMALL / 2).max(self.floor);
        let new = HashTable::with_capacity(target);
        let room = new.capacity().saturating_sub(len).max(1);
        self.migrate_step = (2 * buckets).div_ceil(room).max(MIN_MIGRATE_STEP);
        self.old = std::mem::replace(&mut self.cur, new);
        self.migrate_at = 0;
        self.sweep_at = 0;
        if self.old.is_empty() {
            self.end_migration();
        }
    }

    fn end_migration(&mut self) {
        self.old = HashTable::new();
        self.migrate_at = 0;
    }

    /// Moves every remaining entry of the old table (O(n)).
    fn finish_migration(&mut self, hasher: &impl Fn(&E) -> u64, on_dead: &mut impl FnMut(E))
    where
        E: WeakEntry,
    {
        while self.is_migrating() {
            self.migrate(usize::MAX, hasher, on_dead);
        }
    }

    fn migrate(&mut self, step: usize, hasher: &impl Fn(&E) -> u64, on_dead: &mut impl FnMut(E))
    where
        E: WeakEntry,
    {
        let buckets = self.old.num_buckets();
        let end = self.migrate_at.saturating_add(step).min(buckets);
        for i in self.migrate_at..end {
            if let Ok(o) = self.old.get_bucket_entry(i) {
                let e = o.remove().0;
                if e.is_dead() {
                    on_dead(e);
                } else {
                    self.cur.insert_unique(hasher(&e), e, hasher);
                }
            }
        }
        self.migrate_at = end;
        if end == buckets || self.old.is_empty() {
            self.end_migration();
        }
    }

    /// Bounded maintenance, called at the start of every mutating
    /// operation: moves the next buckets of a migration, sweeps the next
    /// `sweep_step` buckets of the current table, and starts a shrinking
    /// migration when a table of more than [`SMALL`] buckets is at most 1/8
    /// full. Dead entries found go to `on_dead`.
    #[inline]
    pub(crate) fn step(&mut self, hasher: &impl Fn(&E) -> u64, on_dead: &mut impl FnMut(E))
    where
        E: WeakEntry,
    {
        if self.is_migrating() {
            self.migrate(self.migrate_step, hasher, on_dead);
        }
        if self.sweep_step > 0 && !self.cur.is_empty() {
            self.sweep(self.sweep_step, on_dead);
        }
        // A reserved table does not shrink while it is at most twice its
        // reservation (a fresh `with_capacity` table is "1/8 full" too).
        if !self.is_migrating()
            && self.cur.len() * 8 <= self.cur.capacity()
            && self.cur.capacity() > SMALL.max(self.floor.saturating_mul(2))
        {
            self.start_migration();
        }
    }

    /// Inspects the next `buckets` buckets of the current table, removing
    /// dead entries. Returns how many it removed.
    pub(crate) fn sweep(&mut self, buckets: usize, on_dead: &mut impl FnMut(E)) -> usize
    where
        E: WeakEntry,
    {
        let n = self.cur.num_buckets();
        if n == 0 {
            return 0;
        }
        let mut removed = 0;
        for _ in 0..buckets.min(n) {
            if self.sweep_at >= n {
                self.sweep_at = 0;
            }
            if let Ok(o) = self.cur.get_bucket_entry(self.sweep_at) {
                if o.get().is_dead() {
                    on_dead(o.remove().0);
                    removed += 1;
                }
            }
            self.sweep_at += 1;
        }
        removed
    }

    /// Keeps the entries for which `keep` returns `true`, in both tables
    /// (O(capacity)).
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&mut E) -> bool) {
        self.cur.retain(&mut keep);
        if self.is_migrating() {
            self.old.retain(keep);
            if self.old.is_empty() {
                self.end_migration();
            }
        }
    }

    /// Removes every dead entry now, finishes any migration, and moves the
    /// table into a smaller one if half of it would do (which also clears
    /// the tombstones removals leave). O(capacity); returns how many dead
    /// entries it removed.
    pub(crate) fn purge(
        &mut self,
        hasher: &impl Fn(&E) -> u64,
        on_dead: &mut impl FnMut(E),
    ) -> usize
    where
        E: WeakEntry,
    {
        let mut removed = 0;
        for table in [&mut self.cur, &mut self.old] {
            for e in table.extract_if(|e| e.is_dead()) {
                on_dead(e);
                removed += 1;
            }
        }
        if self.old.is_empty() {
            // Its entries were all dead: free it (a migration that has
            // nothing left to move is over).
            self.end_migration();
        }
        self.finish_migration(hasher, on_dead);
        // Whether or not anything died: a table left oversized by removals
        // is rebuilt too (hashbrown does nothing if no fewer buckets do).
        self.cur
            .shrink_to((2 * self.cur.len()).max(self.floor), hasher);
        self.sweep_at = 0;
        removed
    }

    /// Removes every entry, keeping the current table's allocation.
    ///
    /// The table is empty before any entry's destructor runs: the old table
    /// of a migration is detached first, and hashbrown's `clear` empties the
    /// current one even if a destructor panics. (Clearing the old table
    /// after the current one skipped it on such a panic, and left entries
    /// that a `WeakCache` had already detached from its core.)
    pub(crate) fn clear(&mut self) {
        let old = std::mem::take(&mut self.old);
        self.end_migration();
        self.sweep_at = 0;
        self.cur.clear();
        // A destructor that panics in `cur.clear()` drops `old` while
        // unwinding, and a second panic there aborts, as for a `Vec`
        // whose elements' destructors panic twice.
        drop(old);
    }

    /// Finishes any migration and shrinks the table to fit its entries
    /// (O(capacity)).
    pub(crate) fn shrink_to_fit(&mut self, hasher: &impl Fn(&E) -> u64, on_dead: &mut impl FnMut(E))
    where
        E: WeakEntry,
    {
        self.finish_migration(hasher, on_dead);
        self.cur.shrink_to_fit(hasher);
        self.sweep_at = 0;
        self.floor = 0;
    }

    /// Makes room for `additional` more entries without a migration
    /// (O(capacity) when it must grow).
    pub(crate) fn reserve(
        &mut self,
        additional: usize,
        hasher: &impl Fn(&E) -> u64,
        on_dead: &mut impl FnMut(E),
    ) where
        E: WeakEntry,
    {
        self.floor = self.floor.max(self.len().saturating_add(additional));
        // The entries still in the old table will need room in the current
        // one too: count them, or a reservation made during a migration
        // falls short by as many.
        if self.cur.capacity().saturating_sub(self.len()) < additional {
            self.finish_migration(hasher, on_dead);
            self.cur.reserve(additional, hasher);
        }
    }

    /// Every entry, dead or alive, current table first.
    pub(crate) fn iter(
        &self,
    ) -> std::iter::Chain<hashbrown::hash_table::Iter<'_, E>, hashbrown::hash_table::Iter<'_, E>>
    {
        self.cur.iter().chain(self.old.iter())
    }

    /// Every entry mutably, current table first.
    pub(crate) fn iter_mut(&mut self) -> BothMut<'_, E> {
        self.cur.iter_mut().chain(self.old.iter_mut())
    }

    /// Takes every entry out, leaving the table empty with no allocation.
    pub(crate) fn take_all(
        &mut self,
    ) -> std::iter::Chain<hashbrown::hash_table::IntoIter<E>, hashbrown::hash_table::IntoIter<E>>
    {
        let cur = std::mem::take(&mut self.cur);
        let old = std::mem::take(&mut self.old);
        self.end_migration();
        self.sweep_at = 0;
        cur.into_iter().chain(old)
    }

    /// Heap bytes: both tables plus what each entry owns, as `entry` counts
    /// it.
    pub(crate) fn heap_size_with(
        &self,
        cx: &mut HeapContext,
        mut entry: impl FnMut(&E, &mut HeapContext) -> usize,
    ) -> usize {
        self.allocation_size() + self.iter().map(|e| entry(e, cx)).sum::<usize>()
    }
}

impl<E: HeapSize> HeapSize for RawWeakTable<E> {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        RawWeakTable::heap_size_with(self, cx, |e, cx| e.heap_size_with(cx))
    }
}
