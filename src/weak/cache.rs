//! [`WeakCache`]: the most recently used values kept alive, the rest kept
//! only while someone else holds them.

use crate::hash::DefaultHashBuilder;
use std::borrow::Borrow;
use std::fmt;
use std::hash::{BuildHasher, Hash};
use std::sync::{Arc, Weak};

use super::SWEEP_STEP;
use super::raw::{RawWeakTable, WeakEntry};
use crate::measure::{HeapContext, HeapSize};

/// No slot: the entry is not in the strong core / the list end.
const NIL: u32 = u32::MAX;

struct CacheEntry<K, V> {
    key: K,
    value: Weak<V>,
    /// Index in `core` of the node holding this value strongly, or `NIL`.
    slot: u32,
}

impl<K, V> WeakEntry for CacheEntry<K, V> {
    #[inline]
    fn is_dead(&self) -> bool {
        self.value.strong_count() == 0
    }
}

/// A node of the strong core: a doubly linked list in a vector, most
/// recently used at `head`.
pub(crate) struct CoreNode<V> {
    /// `None` for a free node (on the free list through `next`).
    value: Option<Arc<V>>,
    /// Hash of the entry's key, to find the entry when the node is evicted.
    hash: u64,
    prev: u32,
    next: u32,
}

/// Counters of a [`WeakCache`], exact for every call since the cache was
/// created or [`reset_stats`](WeakCache::reset_stats) was called.
///
/// ```
/// use leanmem::weak::WeakCache;
///
/// let mut cache = WeakCache::new(1);
/// let a = cache.get_or_insert_with("a", || 1); // miss, insert
/// cache.get_or_insert_with("a", || 1);         // hit
/// cache.get_or_insert_with("b", || 2);         // miss, insert; "a" leaves the core
/// let s = cache.stats();
/// assert_eq!((s.hits, s.misses, s.inserts, s.evictions), (1, 2, 2, 1));
/// # drop(a);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CacheStats {
    /// Lookups ([`get`](WeakCache::get),
    /// [`get_or_insert_with`](WeakCache::get_or_insert_with)) that found a
    /// live value.
    pub hits: u64,
    /// Lookups that found no live value.
    pub misses: u64,
    /// Values stored by [`insert`](WeakCache::insert) or created by
    /// `get_or_insert_with`.
    pub inserts: u64,
    /// Values the strong core let go to make room for more recent ones.
    pub evictions: u64,
    /// Entries removed because their value had died: found by the sweep,
    /// by a lookup, by a resize, by an `insert` or `remove` of their key,
    /// or at eviction when the core held the last reference.
    pub expired: u64,
}

impl CacheStats {
    /// `hits / (hits + misses)`, or 0 with no lookup.
    ///
    /// ```
    /// use leanmem::weak::CacheStats;
    ///
    /// assert_eq!(CacheStats::default().hit_ratio(), 0.0);
    /// ```
    #[must_use]
    pub fn hit_ratio(&self) -> f64 {
        let lookups = self.hits + self.misses;
        if lookups == 0 {
            0.0
        } else {
            self.hits as f64 / lookups as f64
        }
    }
}

/// A cache with a strong core and a weak tier: the `core_capacity` most
/// recently used values are kept alive by the cache; older ones stay
/// reachable only while someone else holds them, then vanish.
///
/// This is the playbook's "keep core data strongly, derived data weakly":
/// a hot working set survives without outside owners, while a value that
/// dropped out of it is still shared, not recomputed, as long as it is in
/// use anywhere. [`stats`](Self::stats) counts hits, misses, inserts,
/// evictions and expired entries exactly.
///
/// ```
/// use std::sync::Arc;
/// use leanmem::weak::WeakCache;
///
/// let mut cache: WeakCache<u32, String> = WeakCache::new(2);
/// let held = cache.get_or_insert_with(1, || "one".to_string());
/// cache.get_or_insert_with(2, || "two".to_string());
/// cache.get_or_insert_with(3, || "three".to_string()); // 1 leaves the core
///
/// // Not in the core any more, but `held` keeps it: still a hit.
/// assert!(Arc::ptr_eq(&cache.get(&1).unwrap(), &held));
/// // 2 left the core when 1 came back, and nobody else holds it: gone.
/// assert_eq!(cache.get(&2), None);
/// assert_eq!(cache.stats().expired, 1);
/// ```
///
/// # Memory layout
///
/// A hashbrown table of `(K, Weak<V>, u32)` slots (a control byte per
/// bucket, at most 7/8 full), plus the core: a vector of `core_capacity`
/// nodes of 24 bytes (the `Arc`, the key's hash, two `u32` links), grown as
/// needed. Values live in `Arc` blocks (two counters and the value). Dead
/// entries of the weak tier are reclaimed as in
/// [`WeakValueMap`](super::WeakValueMap): a few buckets per call, a
/// resize never done all at once.
///
/// # Threads
///
/// `Send` and `Sync` when `K` and `V` are: values handed out may be dropped
/// on any thread. Every lookup updates recency, so methods take `&mut
/// self`; share the cache behind a `Mutex`.
pub struct WeakCache<K, V, S = DefaultHashBuilder> {
    table: RawWeakTable<CacheEntry<K, V>>,
    hash_builder: S,
    pub(crate) core: Vec<CoreNode<V>>,
    core_capacity: u32,
    /// Values currently held by the core.
    core_len: u32,
    head: u32,
    tail: u32,
    free: u32,
    stats: CacheStats,
}

impl<K, V> WeakCache<K, V> {
    /// An empty cache keeping the `core_capacity` most recently used values
    /// alive (0 for a purely weak cache; capacities above `u32::MAX - 1`
    /// are treated as `u32::MAX - 1`). Allocates nothing until the first
    /// insert.
    ///
    /// ```
    /// use leanmem::weak::WeakCache;
    ///
    /// let cache: WeakCache<u64, Vec<u8>> = WeakCache::new(100);
    /// assert_eq!(cache.core_capacity(), 100);
    /// ```
    #[must_use]
    pub fn new(core_capacity: usize) -> Self {
        Self::with_hasher(core_capacity, DefaultHashBuilder::default())
    }
}

impl<K, V, S> WeakCache<K, V, S> {
    /// An empty cache hashing keys with `hash_builder`.
    ///
    /// ```
    /// use std::hash::RandomState;
    /// use leanmem::weak::WeakCache;
    ///
    /// let cache: WeakCache<u64, u64, RandomState> = WeakCache::with_hasher(4, RandomState::new());
    /// assert!(cache.is_empty());
    /// ```
    #[must_use]
    pub fn with_hasher(core_capacity: usize, hash_builder: S) -> Self {
        let core_capacity = u32::try_from(core_capacity).unwrap_or(NIL).min(NIL - 1);
        Self {
            table: RawWeakTable::new(SWEEP_STEP),
            hash_builder,
            core: Vec::new(),
            core_capacity,
            core_len: 0,
            head: NIL,
            tail: NIL,
            free: NIL,
            stats: CacheStats::default(),
        }
    }

    /// Entries held, in the core or the weak tier, including dead ones not
    /// yet reclaimed (an upper bound on the live ones). Computes in
    /// **O(1)** time.
    ///
    /// ```
    /// use leanmem::weak::WeakCache;
    ///
    /// let mut cache = WeakCache::new(10);
    /// cache.get_or_insert_with(1, || 1);
    /// assert_eq!(cache.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether the cache holds nothing. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::weak::WeakCache;
    ///
    /// assert!(WeakCache::<u8, u8>::new(1).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.table.len() == 0
    }

    /// Values the core keeps alive now. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::weak::WeakCache;
    ///
    /// let mut cache = WeakCache::new(2);
    /// for i in 0..5 {
    ///     cache.get_or_insert_with(i, || i);
    /// }
    /// assert_eq!(cache.core_len(), 2);
    /// ```
    pub fn core_len(&self) -> usize {
        self.core_len as usize
    }

    /// How many values the core keeps alive at most.
    ///
    /// ```
    /// use leanmem::weak::WeakCache;
    ///
    /// assert_eq!(WeakCache::<u8, u8>::new(3).core_capacity(), 3);
    /// ```
    pub fn core_capacity(&self) -> usize {
        self.core_capacity as usize
    }

    /// The counters since creation or the last
    /// [`reset_stats`](Self::reset_stats).
    ///
    /// ```
    /// use leanmem::weak::WeakCache;
    ///
    /// let mut cache: WeakCache<u8, u8> = WeakCache::new(1);
    /// cache.get(&1);
    /// assert_eq!(cache.stats().misses, 1);
    /// ```
    pub fn stats(&self) -> CacheStats {
        self.stats
    }

    /// Sets every counter to zero.
    ///
    /// ```
    /// use leanmem::weak::WeakCache;
    ///
    /// let mut cache: WeakCache<u8, u8> = WeakCache::new(1);
    /// cache.get(&1);
    /// cache.reset_stats();
    /// assert_eq!(cache.stats().misses, 0);
    /// ```
    pub fn reset_stats(&mut self) {
        self.stats = CacheStats::default();
    }

    /// Empties the cache, core included (the counters are kept). Computes
    /// in **O(capacity)** time.
    ///
    /// ```
    /// use leanmem::weak::WeakCache;
    ///
    /// let mut cache = WeakCache::new(4);
    /// cache.get_or_insert_with(1, || 1);
    /// cache.clear();
    /// assert!(cache.is_empty() && cache.core_len() == 0);
    /// ```
    pub fn clear(&mut self) {
        // The bookkeeping first, the values' destructors last: a destructor
        // that panics leaves an empty, working cache.
        let core = std::mem::take(&mut self.core);
        self.core_len = 0;
        self.head = NIL;
        self.tail = NIL;
        self.free = NIL;
        self.table.clear();
        drop(core);
    }

    /// The live entries, as `(&K, Arc<V>)`, without touching recency.
    /// Iterates in **O(capacity)** time.
    ///
    /// ```
    /// use leanmem::weak::WeakCache;
    ///
    /// let mut cache = WeakCache::new(4);
    /// cache.get_or_insert_with("a", || 1);
    /// let all: Vec<(&str, i32)> = cache.iter().map(|(k, v)| (*k, *v)).collect();
    /// assert_eq!(all, [("a", 1)]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&K, Arc<V>)> + '_ {
        self.table
            .iter()
            .filter_map(|e| e.value.upgrade().map(|v| (&e.key, v)))
    }

    fn unlink(&mut self, i: u32) {
        let (prev, next) = {
            let n = &self.core[i as usize];
            (n.prev, n.next)
        };
        if prev == NIL {
            self.head = next;
        } else {
            self.core[prev as usize].next = next;
        }
        if next == NIL {
            self.tail = prev;
        } else {
            self.core[next as usize].prev = prev;
        }
    }

    fn push_front(&mut self, i: u32) {
        let old = self.head;
        {
            let n = &mut self.core[i as usize];
            n.prev = NIL;
            n.next = old;
        }
        if old == NIL {
            self.tail = i;
        } else {
            self.core[old as usize].prev = i;
        }
        self.head = i;
    }

    /// Frees core node `i`, returning its value.
    fn release(&mut self, i: u32) -> Option<Arc<V>> {
        self.unlink(i);
        let n = &mut self.core[i as usize];
        let value = n.value.take();
        n.next = self.free;
        self.free = i;
        self.core_len -= 1;
        value
    }
}

impl<K, V, S> WeakCache<K, V, S>
where
    K: Hash + Eq,
    S: BuildHasher,
{
    #[inline]
    fn step(&mut self) {
        let Self {
            table,
            hash_builder,
            stats,
            ..
        } = self;
        table.step(
            &|e: &CacheEntry<K, V>| hash_builder.hash_one(&e.key),
            &mut |_| stats.expired += 1,
        );
    }

    /// Puts the value of the entry `(hash, slot)` at the front of the core:
    /// moves its node, or takes a node (evicting the least recently used
    /// value when the core is full).
    fn touch(&mut self, hash: u64, slot: u32, value: &Arc<V>) -> u32 {
        if slot != NIL {
            if self.head != slot {
                self.unlink(slot);
                self.push_front(slot);
            }
            return slot;
        }
        if self.core_capacity == 0 {
            return NIL;
        }
        if self.core_len == self.core_capacity {
            self.evict_lru();
        }
        let node = CoreNode {
            value: Some(Arc::clone(value)),
            hash,
            prev: NIL,
            next: NIL,
        };
        let i = if self.free == NIL {
            self.core.push(node);
            (self.core.len() - 1) as u32
        } else {
            let i = self.free;
            self.free = self.core[i as usize].next;
            self.core[i as usize] = node;
            i
        };
        self.core_len += 1;
        self.push_front(i);
        i
    }

    /// Lets the least recently used value go from the core; removes its
    /// entry if the core held the last reference.
    fn evict_lru(&mut self) {
        let i = self.tail;
        if i == NIL {
            return;
        }
        let hash = self.core[i as usize].hash;
        let Some(value) = self.release(i) else {
            return;
        };
        self.stats.evictions += 1;
        if let Some(e) = self.table.find_mut(hash, |e| e.slot == i) {
            e.slot = NIL;
        }
        let ptr = Arc::as_ptr(&value);
        drop(value);
        // If the core held the last reference, the entry goes now.
        if self
            .table
            .remove(hash, |e| e.value.as_ptr() == ptr && e.is_dead())
            .is_some()
        {
            self.stats.expired += 1;
        }
    }

    /// The live value of `key`, made most recently used; a hit or a miss
    /// in the counters. Computes in **O(1)** expected time, plus the
    /// bounded maintenance described on
    /// [`WeakValueMap`](super::WeakValueMap).
    ///
    /// ```
    /// use leanmem::weak::WeakCache;
    ///
    /// let mut cache = WeakCache::new(4);
    /// cache.get_or_insert_with("a", || 1);
    /// assert_eq!(cache.get("a").as_deref(), Some(&1));
    /// assert_eq!(cache.get("b"), None);
    /// assert_eq!((cache.stats().hits, cache.stats().misses), (1, 2));
    /// ```
    pub fn get<Q>(&mut self, key: &Q) -> Option<Arc<V>>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.step();
        let hash = self.hash_builder.hash_one(key);
        match self.lookup(hash, |k| k.borrow() == key) {
            Some(v) => {
                self.stats.hits += 1;
                Some(v)
            }
            None => {
                self.stats.misses += 1;
                None
            }
        }
    }

    /// Finds a live value and touches it; removes a dead entry found.
    fn lookup(&mut self, hash: u64, mut eq: impl FnMut(&K) -> bool) -> Option<Arc<V>> {
        let (value, slot) = {
            let e = self.table.find(hash, |e| eq(&e.key))?;
            (e.value.upgrade(), e.slot)
        };
        match value {
            Some(v) => {
                let slot = self.touch(hash, slot, &v);
                if let Some(e) = self.table.find_mut(hash, |e| eq(&e.key)) {
                    e.slot = slot;
                }
                Some(v)
            }
            None => {
                self.table.remove(hash, |e| eq(&e.key));
                self.stats.expired += 1;
                None
            }
        }
    }

    /// The live value of `key` (a hit), or a new one made by `make` (a
    /// miss and an insert); either way the most recently used. Computes in
    /// **O(1)** expected time, plus the bounded maintenance.
    ///
    /// ```
    /// use leanmem::weak::WeakCache;
    ///
    /// let mut cache = WeakCache::new(4);
    /// let a = cache.get_or_insert_with("a", || vec![1, 2, 3]);
    /// let b = cache.get_or_insert_with("a", || unreachable!());
    /// assert!(std::sync::Arc::ptr_eq(&a, &b));
    /// ```
    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> Arc<V> {
        self.step();
        let hash = self.hash_builder.hash_one(&key);
        if let Some(v) = self.lookup(hash, |k| *k == key) {
            self.stats.hits += 1;
            return v;
        }
        self.stats.misses += 1;
        let value = Arc::new(make());
        self.put_new(hash, key, &value);
        value
    }

    /// Inserts an entry known to be absent, at the front of the core.
    fn put_new(&mut self, hash: u64, key: K, value: &Arc<V>) {
        let slot = self.touch(hash, NIL, value);
        let entry = CacheEntry {
            key,
            value: Arc::downgrade(value),
            slot,
        };
        let s = &self.hash_builder;
        self.table
            .insert_unique(hash, entry, |e: &CacheEntry<K, V>| s.hash_one(&e.key));
        // Counted once stored: the eviction in `touch` runs a value's
        // destructor, and if that panics, nothing was inserted.
        self.stats.inserts += 1;
    }

    /// Stores `value` under `key` as the most recently used, returning the
    /// live value it replaces. Computes in **O(1)** expected time, plus the
    /// bounded maintenance.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakCache;
    ///
    /// let mut cache = WeakCache::new(4);
    /// assert_eq!(cache.insert("k", Arc::new(1)), None);
    /// assert_eq!(cache.insert("k", Arc::new(2)).as_deref(), Some(&1));
    /// assert_eq!(cache.get("k").as_deref(), Some(&2));
    /// ```
    pub fn insert(&mut self, key: K, value: Arc<V>) -> Option<Arc<V>> {
        self.step();
        let hash = self.hash_builder.hash_one(&key);
        let old = self.remove_hashed(hash, |k| *k == key);
        self.put_new(hash, key, &value);
        old
    }

    fn remove_hashed(&mut self, hash: u64, mut eq: impl FnMut(&K) -> bool) -> Option<Arc<V>> {
        let e = self.table.remove(hash, |e| eq(&e.key))?;
        let live = e.value.upgrade();
        if live.is_none() {
            // Replaced or removed after its value died: it expired.
            self.stats.expired += 1;
        }
        if e.slot != NIL {
            drop(self.release(e.slot));
        }
        live
    }

    /// Removes `key`, returning its value if alive. Computes in **O(1)**
    /// expected time, plus the bounded maintenance.
    ///
    /// ```
    /// use leanmem::weak::WeakCache;
    ///
    /// let mut cache = WeakCache::new(4);
    /// cache.get_or_insert_with(1, || "one");
    /// assert_eq!(cache.remove(&1).as_deref(), Some(&"one"));
    /// assert!(cache.is_empty() && cache.core_len() == 0);
    /// ```
    pub fn remove<Q>(&mut self, key: &Q) -> Option<Arc<V>>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.step();
        let hash = self.hash_builder.hash_one(key);
        self.remove_hashed(hash, |k| k.borrow() == key)
    }

    /// Whether `key` has a live value, without touching recency or the
    /// counters. Computes in **O(1)** expected time.
    ///
    /// ```
    /// use leanmem::weak::WeakCache;
    ///
    /// let mut cache = WeakCache::new(0); // no strong core
    /// let v = cache.get_or_insert_with(1, || ());
    /// assert!(cache.contains_key(&1));
    /// drop(v);
    /// assert!(!cache.contains_key(&1));
    /// ```
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.peek(key).is_some()
    }

    /// The live value of `key`, without touching recency or the counters.
    /// Computes in **O(1)** expected time.
    ///
    /// ```
    /// use leanmem::weak::WeakCache;
    ///
    /// let mut cache = WeakCache::new(1);
    /// cache.get_or_insert_with(1, || 'x');
    /// assert_eq!(cache.peek(&1).as_deref(), Some(&'x'));
    /// assert_eq!(cache.stats().hits, 0);
    /// ```
    pub fn peek<Q>(&self, key: &Q) -> Option<Arc<V>>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let hash = self.hash_builder.hash_one(key);
        self.table
            .find(hash, |e| e.key.borrow() == key)
            .and_then(|e| e.value.upgrade())
    }

    /// Reclaims every dead entry now (counted as expired), returning how
    /// many. Computes in **O(capacity)** time.
    ///
    /// ```
    /// use leanmem::weak::WeakCache;
    ///
    /// let mut cache = WeakCache::new(0);
    /// cache.get_or_insert_with(1, || 1); // nobody keeps it
    /// assert_eq!(cache.purge(), 1);
    /// assert_eq!(cache.stats().expired, 1);
    /// ```
    pub fn purge(&mut self) -> usize {
        let Self {
            table,
            hash_builder,
            stats,
            ..
        } = self;
        table.purge(
            &|e: &CacheEntry<K, V>| hash_builder.hash_one(&e.key),
            &mut |_| stats.expired += 1,
        )
    }
}

impl<K: fmt::Debug, V: fmt::Debug, S> fmt::Debug for WeakCache<K, V, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WeakCache")
            .field("core_len", &self.core_len)
            .field("core_capacity", &self.core_capacity)
            .field("stats", &self.stats)
            .field("entries", &DebugEntries(self))
            .finish()
    }
}

struct DebugEntries<'a, K, V, S>(&'a WeakCache<K, V, S>);

impl<K: fmt::Debug, V: fmt::Debug, S> fmt::Debug for DebugEntries<'_, K, V, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter()).finish()
    }
}

impl<K: HeapSize, V: HeapSize, S> HeapSize for WeakCache<K, V, S> {
    /// The table, the keys' heap, the core's vector, the values the core
    /// keeps alive (once each per context, as for `Arc`), and the blocks
    /// of dead values not yet reclaimed. Values kept alive only by outside
    /// owners count nothing here.
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        let core = self.core.capacity() * std::mem::size_of::<CoreNode<V>>()
            + self
                .core
                .iter()
                .map(|n| n.value.heap_size_with(cx))
                .sum::<usize>();
        core + self.table.heap_size_with(cx, |e, cx| {
            let dead = e.value.strong_count() == 0 && cx.first_visit(e.value.as_ptr());
            e.key.heap_size_with(cx)
                + if dead {
                    <Arc<V> as super::StrongRef>::block_size()
                } else {
                    0
                }
        })
    }
}
