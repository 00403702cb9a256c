//! [`WeakValueMap`]: a map to values owned elsewhere, as `Arc<V>` or `Rc<V>`.

use crate::hash::DefaultHashBuilder;
use std::borrow::Borrow;
use std::fmt;
use std::hash::{BuildHasher, Hash};

use super::SWEEP_STEP;
use super::iter::{IntoIter, Iter, Keys};
use super::ptr::StrongRef;
use super::raw::{RawWeakTable, WeakEntry};
use crate::error::OccupiedError;
use crate::measure::{HeapContext, HeapSize};

/// One slot: the key and a weak handle to its value.
pub(crate) struct ValueEntry<K, P: StrongRef> {
    pub(crate) key: K,
    pub(crate) value: P::WeakRef,
}

impl<K: Clone, P: StrongRef> Clone for ValueEntry<K, P> {
    fn clone(&self) -> Self {
        Self {
            key: self.key.clone(),
            value: self.value.clone(),
        }
    }
}

impl<K, P: StrongRef> WeakEntry for ValueEntry<K, P> {
    #[inline]
    fn is_dead(&self) -> bool {
        P::is_dead(&self.value)
    }
}

/// A hash map whose values are owned elsewhere: it holds each value through
/// a weak handle, so it never keeps a value alive, and it forgets entries
/// whose values have died. Python's `weakref.WeakValueDictionary` for values
/// you already hold in an [`Arc`](std::sync::Arc) (or an
/// [`Rc`](std::rc::Rc), for single-threaded code).
///
/// `P` is the strong pointer type, `Arc<V>` or `Rc<V>`: you insert a
/// `&Arc<V>` and [`get`](Self::get) hands back an `Arc<V>` while someone
/// else still holds the value.
///
/// ```
/// use std::sync::Arc;
/// use leanmem::weak::WeakValueMap;
///
/// let mut images: WeakValueMap<String, Arc<Vec<u8>>> = WeakValueMap::new();
/// let logo = Arc::new(vec![0u8; 1024]);
/// images.insert("logo".to_string(), &logo);
/// assert_eq!(images.get("logo").map(|v| v.len()), Some(1024));
///
/// drop(logo); // the last owner lets go
/// assert_eq!(images.get("logo"), None);
/// assert!(!images.contains_key("logo"));
/// ```
///
/// # Which weak map?
///
/// * `WeakValueMap` when the values already live in `Arc`s (or `Rc`s) that
///   other code creates and drops. Dead entries are reclaimed by an
///   incremental sweep, so [`len`](Self::len) is an upper bound.
/// * [`NotifyingMap`](super::NotifyingMap) when the map may create the values
///   itself (`get_or_insert_with`) and hand out [`Handle`](super::Handle)s:
///   each value tells the map when it dies, so `len` is exact (after a
///   bounded catch-up when very many die at once) and a dead value's memory
///   comes back as its last handle drops.
///
/// # Reclaiming dead entries
///
/// When the last outside owner drops a value, the value's destructor runs at
/// once, but its entry stays until the map reclaims it: lookups already
/// miss, iteration skips it, and [`len`](Self::len) still counts it. Every
/// call that takes `&mut self` first does a bounded amount of maintenance: it
/// inspects the next 8 buckets of the table (a cursor that wraps around) and
/// removes the dead entries it finds. A full pass takes `buckets() / 8`
/// calls; a resize that starts meanwhile moves the table at the same pace
/// or faster, dropping dead entries on the way. So every dead entry is
/// reclaimed within `buckets() / 4` mutating calls (about `len / 3` at
/// typical load), and no call ever does more than a constant amount of this
/// work.
/// [`purge`](Self::purge) reclaims every dead entry at once (O(capacity)).
///
/// Growing is incremental too: a full table is not rehashed in one call;
/// its entries move to a table twice as large a few buckets per call
/// (lookups look in both meanwhile), dead ones dropped on the way. When
/// sweeping leaves the table at most 1/8 full, the same mechanism moves it
/// into a smaller table, down to 1024 buckets: a table of that size or less
/// is only made smaller by [`purge`](Self::purge) and
/// [`shrink_to_fit`](Self::shrink_to_fit). No single call moves more than 32
/// buckets, however large the map.
///
/// # The `Weak` trap
///
/// A [`Weak`](std::sync::Weak) keeps the whole allocation of its `Arc`
/// alive after the value is dropped: the counters *and the value's inline
/// bytes* (the value's destructor frees only what the value owns
/// elsewhere). A dead `Arc<[u8; 1024]>` still costs its 1040-byte block
/// until its entry is reclaimed. This is why the sweep matters, and why
/// [`NotifyingMap`](super::NotifyingMap) keeps each value in a block of its
/// own, freed with the value.
///
/// # Memory layout
///
/// One hashbrown table of `(K, Weak<V>)` slots, 8 bytes plus the key per
/// bucket, plus one control byte per bucket; the table is at most 7/8 full
/// (and is moved to a smaller one, of at least 1024 buckets, when sweeping
/// leaves it 1/8 full). During an incremental resize a second table (the one
/// being emptied) exists for a while. Values are not counted: they belong to
/// their owners — except the blocks of dead values not yet reclaimed, which
/// only the map keeps (see the `Weak` trap above).
///
/// # Threads
///
/// `WeakValueMap<K, Arc<V>>` is [`Send`] and [`Sync`] when `K` and `V` are:
/// values may be dropped on any thread while the map is used; a lookup
/// either upgrades the weak handle (and the value stays alive as long as the
/// returned `Arc`) or misses. `WeakValueMap<K, Rc<V>>` is neither, as `Rc`.
pub struct WeakValueMap<K, P: StrongRef, S = DefaultHashBuilder> {
    pub(crate) table: RawWeakTable<ValueEntry<K, P>>,
    hash_builder: S,
}

/// Hashes an entry by its key, for the table's rehashing.
#[inline]
fn entry_hasher<K: Hash, P: StrongRef, S: BuildHasher>(
    s: &S,
) -> impl Fn(&ValueEntry<K, P>) -> u64 + '_ {
    move |e| s.hash_one(&e.key)
}

impl<K, P: StrongRef> WeakValueMap<K, P> {
    /// An empty map. Allocates nothing until the first insert.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let map: WeakValueMap<u64, Arc<str>> = WeakValueMap::new();
    /// assert!(map.is_empty());
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::with_hasher(DefaultHashBuilder::default())
    }

    /// An empty map with room for `capacity` entries before it grows. The
    /// table does not shrink below that room on its own;
    /// [`shrink_to_fit`](Self::shrink_to_fit) gives it back.
    ///
    /// ```
    /// use std::rc::Rc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let map: WeakValueMap<u64, Rc<str>> = WeakValueMap::with_capacity(100);
    /// assert!(map.capacity() >= 100);
    /// ```
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        Self::with_capacity_and_hasher(capacity, DefaultHashBuilder::default())
    }
}

impl<K, P: StrongRef, S> WeakValueMap<K, P, S> {
    /// An empty map that hashes keys with `hash_builder`.
    ///
    /// ```
    /// use std::hash::RandomState;
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let map: WeakValueMap<u64, Arc<u8>, RandomState> = WeakValueMap::with_hasher(RandomState::new());
    /// assert_eq!(map.len(), 0);
    /// ```
    #[must_use]
    pub const fn with_hasher(hash_builder: S) -> Self {
        Self {
            table: RawWeakTable::new(SWEEP_STEP),
            hash_builder,
        }
    }

    /// An empty map with room for `capacity` entries, hashing with
    /// `hash_builder`.
    ///
    /// ```
    /// use std::hash::RandomState;
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let map: WeakValueMap<u64, Arc<u8>, RandomState> =
    ///     WeakValueMap::with_capacity_and_hasher(10, RandomState::new());
    /// assert!(map.capacity() >= 10);
    /// ```
    #[must_use]
    pub fn with_capacity_and_hasher(capacity: usize, hash_builder: S) -> Self {
        Self {
            table: RawWeakTable::with_capacity(capacity, SWEEP_STEP),
            hash_builder,
        }
    }

    /// The map's hasher.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let map: WeakValueMap<u64, Arc<u8>> = WeakValueMap::new();
    /// let _hasher = map.hasher();
    /// ```
    pub fn hasher(&self) -> &S {
        &self.hash_builder
    }

    /// Entries held: every live entry, plus dead ones not yet reclaimed. An
    /// upper bound on the live entries, exact right after
    /// [`purge`](Self::purge) (or when no value has died). Computes in
    /// **O(1)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let mut map = WeakValueMap::new();
    /// let a = Arc::new('a');
    /// let b = Arc::new('b');
    /// map.insert(1, &a);
    /// map.insert(2, &b);
    /// drop(b);
    /// assert_eq!(map.len(), 2); // the dead entry is still held
    /// map.purge();
    /// assert_eq!(map.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether the map holds no entry at all (then no live one either).
    /// Computes in **O(1)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let map: WeakValueMap<u8, Arc<u8>> = WeakValueMap::new();
    /// assert!(map.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.table.len() == 0
    }

    /// Entries the table holds before it must grow. Computes in **O(1)**
    /// time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let map: WeakValueMap<u8, Arc<u8>> = WeakValueMap::with_capacity(50);
    /// assert!(map.capacity() >= 50);
    /// ```
    pub fn capacity(&self) -> usize {
        self.table.capacity()
    }

    /// Buckets of the table: a full sweep pass takes `buckets() / 8`
    /// mutating calls, and every dead entry is reclaimed within
    /// `buckets() / 4`. Computes in **O(1)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let map: WeakValueMap<u8, Arc<u8>> = WeakValueMap::with_capacity(100);
    /// assert!(map.buckets() >= 100);
    /// ```
    pub fn buckets(&self) -> usize {
        self.table.buckets()
    }

    /// Removes every entry. Computes in **O(capacity)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let a = Arc::new(1);
    /// let mut map = WeakValueMap::new();
    /// map.insert("a", &a);
    /// map.clear();
    /// assert!(map.is_empty());
    /// ```
    pub fn clear(&mut self) {
        self.table.clear();
    }

    /// The live entries, as `(&K, P)`: each value upgraded to a strong
    /// handle. Dead entries are skipped. Iterates in **O(capacity)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let a = Arc::new(10);
    /// let b = Arc::new(20);
    /// let mut map = WeakValueMap::new();
    /// map.insert("a", &a);
    /// map.insert("b", &b);
    /// drop(a);
    /// let live: Vec<_> = map.iter().map(|(k, v)| (*k, *v)).collect();
    /// assert_eq!(live, [("b", 20)]);
    /// ```
    pub fn iter(&self) -> Iter<'_, K, P> {
        Iter::new(self.table.iter())
    }

    /// The keys of the live entries. Iterates in **O(capacity)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let a = Arc::new(());
    /// let mut map = WeakValueMap::new();
    /// map.insert(7, &a);
    /// assert_eq!(map.keys().collect::<Vec<_>>(), [&7]);
    /// ```
    pub fn keys(&self) -> Keys<'_, K, P> {
        Keys::new(self.table.iter())
    }
}

impl<K, P, S> WeakValueMap<K, P, S>
where
    K: Hash + Eq,
    P: StrongRef,
    S: BuildHasher,
{
    /// Bounded maintenance before every mutating call.
    #[inline]
    fn step(&mut self) {
        let hasher = entry_hasher::<K, P, S>(&self.hash_builder);
        self.table.step(&hasher, &mut drop);
    }

    /// Maps `key` to a weak handle of `value`, returning the live value the
    /// key mapped to before, if any. The map does not keep `value` alive.
    /// As with `std`'s maps, an existing key is kept and not replaced.
    ///
    /// Computes in **O(1)** expected time, plus the bounded maintenance
    /// described on the type.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let mut map = WeakValueMap::new();
    /// let first = Arc::new("first");
    /// let second = Arc::new("second");
    /// assert_eq!(map.insert(1, &first), None);
    /// assert_eq!(map.insert(1, &second).as_deref(), Some(&"first"));
    /// assert_eq!(map.get(&1).as_deref(), Some(&"second"));
    /// ```
    pub fn insert(&mut self, key: K, value: &P) -> Option<P> {
        self.step();
        let hash = self.hash_builder.hash_one(&key);
        let weak = P::downgrade(value);
        if let Some(e) = self.table.find_mut(hash, |e| e.key == key) {
            let old = P::upgrade(&e.value);
            e.value = weak;
            return old;
        }
        let hasher = entry_hasher::<K, P, S>(&self.hash_builder);
        self.table
            .insert_unique(hash, ValueEntry { key, value: weak }, hasher);
        None
    }

    /// Maps `key` to `value` only if the key has no live value (a dead
    /// entry is replaced).
    ///
    /// Computes in **O(1)** expected time, plus the bounded maintenance.
    ///
    /// # Errors
    ///
    /// [`OccupiedError`] if the key maps to a live value; the map is
    /// unchanged (apart from the bounded maintenance, which may have
    /// reclaimed dead entries) and the error holds the key and that value.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let mut map = WeakValueMap::new();
    /// let (a, b) = (Arc::new('a'), Arc::new('b'));
    /// assert!(map.try_insert(1, &a).is_ok());
    /// assert_eq!(*map.try_insert(1, &b).unwrap_err().existing, 'a');
    /// drop(a);
    /// assert!(map.try_insert(1, &b).is_ok()); // the dead entry gave way
    /// ```
    pub fn try_insert(&mut self, key: K, value: &P) -> Result<(), OccupiedError<K, P>> {
        self.step();
        let hash = self.hash_builder.hash_one(&key);
        if let Some(e) = self.table.find_mut(hash, |e| e.key == key) {
            if let Some(existing) = P::upgrade(&e.value) {
                return Err(OccupiedError { key, existing });
            }
            e.value = P::downgrade(value);
            return Ok(());
        }
        let hasher = entry_hasher::<K, P, S>(&self.hash_builder);
        let entry = ValueEntry {
            key,
            value: P::downgrade(value),
        };
        self.table.insert_unique(hash, entry, hasher);
        Ok(())
    }

    /// The value of `key`, upgraded to a strong handle, if the key is
    /// present and its value alive. Computes in **O(1)** expected time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let mut map = WeakValueMap::new();
    /// let v = Arc::new([1u8; 16]);
    /// map.insert("k".to_string(), &v);
    /// assert!(Arc::ptr_eq(&map.get("k").unwrap(), &v));
    /// assert_eq!(map.get("missing"), None);
    /// ```
    #[inline]
    pub fn get<Q>(&self, key: &Q) -> Option<P>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let hash = self.hash_builder.hash_one(key);
        self.table
            .find(hash, |e| e.key.borrow() == key)
            .and_then(|e| P::upgrade(&e.value))
    }

    /// The stored key and the live value of `key`.
    /// Computes in **O(1)** expected time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let mut map = WeakValueMap::new();
    /// let v = Arc::new(3);
    /// map.insert("three".to_string(), &v);
    /// let (k, v) = map.get_key_value("three").unwrap();
    /// assert_eq!((k.as_str(), *v), ("three", 3));
    /// ```
    pub fn get_key_value<Q>(&self, key: &Q) -> Option<(&K, P)>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let hash = self.hash_builder.hash_one(key);
        let e = self.table.find(hash, |e| e.key.borrow() == key)?;
        P::upgrade(&e.value).map(|v| (&e.key, v))
    }

    /// Whether `key` maps to a live value. Computes in **O(1)** expected
    /// time.
    ///
    /// ```
    /// use std::rc::Rc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let mut map = WeakValueMap::new();
    /// let v = Rc::new(1);
    /// map.insert(1, &v);
    /// assert!(map.contains_key(&1));
    /// drop(v);
    /// assert!(!map.contains_key(&1));
    /// ```
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let hash = self.hash_builder.hash_one(key);
        self.table
            .find(hash, |e| e.key.borrow() == key)
            .is_some_and(|e| !P::is_dead(&e.value))
    }

    /// Removes `key`, returning its value if it was alive.
    ///
    /// Computes in **O(1)** expected time, plus the bounded maintenance.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let mut map = WeakValueMap::new();
    /// let v = Arc::new('v');
    /// map.insert(1, &v);
    /// assert_eq!(map.remove(&1).as_deref(), Some(&'v'));
    /// assert_eq!(map.remove(&1), None);
    /// ```
    pub fn remove<Q>(&mut self, key: &Q) -> Option<P>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.remove_entry(key).map(|(_, v)| v)
    }

    /// Removes `key`, returning the stored key and the value if it was
    /// alive.
    ///
    /// Computes in **O(1)** expected time, plus the bounded maintenance.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let mut map = WeakValueMap::new();
    /// let v = Arc::new(1);
    /// map.insert("one".to_string(), &v);
    /// let (k, v) = map.remove_entry("one").unwrap();
    /// assert_eq!((k.as_str(), *v), ("one", 1));
    /// ```
    pub fn remove_entry<Q>(&mut self, key: &Q) -> Option<(K, P)>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.step();
        let hash = self.hash_builder.hash_one(key);
        let e = self.table.remove(hash, |e| e.key.borrow() == key)?;
        P::upgrade(&e.value).map(|v| (e.key, v))
    }

    /// Keeps the live entries for which `keep` returns `true`; removes the
    /// others and every dead entry. Computes in **O(capacity)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let values: Vec<Arc<u32>> = (0..10).map(Arc::new).collect();
    /// let mut map = WeakValueMap::new();
    /// for (i, v) in values.iter().enumerate() {
    ///     map.insert(i, v);
    /// }
    /// map.retain(|_, v| **v % 2 == 0);
    /// assert_eq!(map.len(), 5);
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &P) -> bool) {
        self.table.retain(|e| {
            // `keep` may drop the value's last outside owner: the handle
            // upgraded for it, dropped just now, was then the last one.
            P::upgrade(&e.value).is_some_and(|v| keep(&e.key, &v)) && !e.is_dead()
        });
    }

    /// Reclaims every dead entry now, returning how many there were; after
    /// it [`len`](Self::len) is exact. The table is then rebuilt smaller if
    /// it has more than twice the room the entries need (which also clears
    /// the tombstones removals leave). Computes in **O(capacity)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let values: Vec<Arc<u32>> = (0..10).map(Arc::new).collect();
    /// let mut map = WeakValueMap::new();
    /// for (i, v) in values.iter().enumerate() {
    ///     map.insert(i, v);
    /// }
    /// drop(values);
    /// assert_eq!(map.purge(), 10);
    /// assert!(map.is_empty());
    /// ```
    pub fn purge(&mut self) -> usize {
        let hasher = entry_hasher::<K, P, S>(&self.hash_builder);
        self.table.purge(&hasher, &mut drop)
    }

    /// Reserves room for `additional` more entries without growing; the
    /// table does not shrink below it on its own (as for
    /// [`with_capacity`](Self::with_capacity)). Computes in
    /// **O(capacity)** time when it grows (all at once, unlike the
    /// incremental growth of inserts).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let mut map: WeakValueMap<u32, Arc<u32>> = WeakValueMap::new();
    /// map.reserve(1000);
    /// assert!(map.capacity() >= 1000);
    /// ```
    pub fn reserve(&mut self, additional: usize) {
        let hasher = entry_hasher::<K, P, S>(&self.hash_builder);
        self.table.reserve(additional, &hasher, &mut drop);
    }

    /// Reclaims dead entries and shrinks the table to fit the live ones.
    /// Computes in **O(capacity)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let mut map: WeakValueMap<u32, Arc<u32>> = WeakValueMap::with_capacity(1000);
    /// map.shrink_to_fit();
    /// assert!(map.capacity() < 1000);
    /// ```
    pub fn shrink_to_fit(&mut self) {
        let hasher = entry_hasher::<K, P, S>(&self.hash_builder);
        self.table.purge(&hasher, &mut drop);
        self.table.shrink_to_fit(&hasher, &mut drop);
    }
}

impl<K, P: StrongRef> Default for WeakValueMap<K, P> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Clone, P: StrongRef, S: Clone> Clone for WeakValueMap<K, P, S> {
    /// A map with the same entries: weak handles to the same values.
    fn clone(&self) -> Self {
        Self {
            table: self.table.clone(),
            hash_builder: self.hash_builder.clone(),
        }
    }
}

impl<K, P, S> fmt::Debug for WeakValueMap<K, P, S>
where
    K: fmt::Debug,
    P: StrongRef + fmt::Debug,
{
    /// The live entries, as a map.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<'a, K, P, S> Extend<(K, &'a P)> for WeakValueMap<K, P, S>
where
    K: Hash + Eq,
    P: StrongRef + 'a,
    S: BuildHasher,
{
    fn extend<I: IntoIterator<Item = (K, &'a P)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<'a, K, P, S> FromIterator<(K, &'a P)> for WeakValueMap<K, P, S>
where
    K: Hash + Eq,
    P: StrongRef + 'a,
    S: BuildHasher + Default,
{
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let values = [Arc::new(1), Arc::new(2)];
    /// let map: WeakValueMap<usize, Arc<i32>> = values.iter().enumerate().collect();
    /// assert_eq!(map.get(&1).as_deref(), Some(&2));
    /// ```
    fn from_iter<I: IntoIterator<Item = (K, &'a P)>>(iter: I) -> Self {
        let mut map = Self::with_hasher(S::default());
        map.extend(iter);
        map
    }
}

impl<'a, K, P: StrongRef, S> IntoIterator for &'a WeakValueMap<K, P, S> {
    type Item = (&'a K, P);
    type IntoIter = Iter<'a, K, P>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, K, P: StrongRef, S> IntoIterator for &'a mut WeakValueMap<K, P, S> {
    type Item = (&'a K, P);
    type IntoIter = Iter<'a, K, P>;

    /// As for `&WeakValueMap`: the values are shared, so there is nothing
    /// to hand out mutably.
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<K, P: StrongRef, S> IntoIterator for WeakValueMap<K, P, S> {
    type Item = (K, P);
    type IntoIter = IntoIter<K, P>;

    /// The live entries, by value.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakValueMap;
    ///
    /// let v = Arc::new(1);
    /// let mut map = WeakValueMap::new();
    /// map.insert("a", &v);
    /// let all: Vec<(&str, Arc<i32>)> = map.into_iter().collect();
    /// assert_eq!(all.len(), 1);
    /// ```
    fn into_iter(mut self) -> Self::IntoIter {
        IntoIter::new(self.table.take_all())
    }
}

impl<K: HeapSize, T, S> HeapSize for WeakValueMap<K, std::sync::Arc<T>, S> {
    /// The table, what the keys own, and the blocks of dead values not yet
    /// reclaimed (only the map keeps those). Live values belong to their
    /// owners and count nothing here.
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.table.heap_size_with(cx, |e, cx| {
            e.key.heap_size_with(cx) + dead_block::<std::sync::Arc<T>>(&e.value, cx)
        })
    }
}

impl<K: HeapSize, T, S> HeapSize for WeakValueMap<K, std::rc::Rc<T>, S> {
    /// As for the `Arc` flavour.
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.table.heap_size_with(cx, |e, cx| {
            e.key.heap_size_with(cx) + dead_block::<std::rc::Rc<T>>(&e.value, cx)
        })
    }
}

/// Bytes a weak handle alone keeps: the block of a dead value, once per
/// context.
pub(crate) fn dead_block<P>(weak: &P::WeakRef, cx: &mut HeapContext) -> usize
where
    P: StrongRef,
    P::Target: Sized,
{
    if P::is_dead(weak) && cx.first_visit(P::weak_addr(weak) as *const u8) {
        P::block_size()
    } else {
        0
    }
}
