//! [`WeakKeyMap`] and [`WeakSet`]: keyed by the identity of shared values,
//! entries vanish with their keys.

use crate::hash::DefaultHashBuilder;
use std::fmt;
use std::hash::BuildHasher;
use std::ops::Index;

use super::SWEEP_STEP;
use super::iter::{KeyIntoIter, KeyIter, KeyIterMut, SetIntoIter, SetIter};
use super::ptr::StrongRef;
use super::raw::{RawWeakTable, WeakEntry};
use super::value_map::dead_block;
use crate::measure::{HeapContext, HeapSize};

/// One slot: a weak handle to the key, and the value.
pub(crate) struct KeyEntry<P: StrongRef, V> {
    pub(crate) key: P::WeakRef,
    pub(crate) value: V,
}

impl<P: StrongRef, V: Clone> Clone for KeyEntry<P, V> {
    fn clone(&self) -> Self {
        Self {
            key: self.key.clone(),
            value: self.value.clone(),
        }
    }
}

impl<P: StrongRef, V> WeakEntry for KeyEntry<P, V> {
    #[inline]
    fn is_dead(&self) -> bool {
        P::is_dead(&self.key)
    }
}

/// A hash map keyed by the identity of shared values (`Arc<K>` or `Rc<K>`):
/// it holds each key weakly, and an entry vanishes when its key dies.
/// Python's `weakref.WeakKeyDictionary` for attaching data to objects you
/// do not own, without keeping them alive.
///
/// Keys are compared by address ([`Arc::ptr_eq`](std::sync::Arc::ptr_eq)),
/// not by value: two equal values in different allocations are different
/// keys. The address of a key cannot be reused while the map holds its
/// entry, so a new value never finds an old value's entry.
///
/// ```
/// use std::sync::Arc;
/// use leanmem::weak::WeakKeyMap;
///
/// struct Window { title: String }
///
/// let mut extra: WeakKeyMap<Arc<Window>, u32> = WeakKeyMap::new();
/// let w = Arc::new(Window { title: "main".into() });
/// extra.insert(&w, 42);
/// assert_eq!(extra.get(&w), Some(&42));
///
/// // An equal value elsewhere is another key.
/// let twin = Arc::new(Window { title: "main".into() });
/// assert_eq!(extra.get(&twin), None);
///
/// drop(w); // the entry's value is dropped by the next sweep
/// assert_eq!(extra.iter().count(), 0);
/// # let _ = &twin.title;
/// ```
///
/// # Reclaiming dead entries
///
/// As for [`WeakValueMap`](super::WeakValueMap): a dead key's entry can no
/// longer be looked up or iterated, and it is reclaimed — its value dropped —
/// by the incremental sweep (8 buckets per call of
/// [`insert`](Self::insert), [`get_or_insert_with`](Self::get_or_insert_with)
/// or [`remove`](Self::remove); lookups, [`get_mut`](Self::get_mut)
/// included, do none; every entry within `buckets/4` such calls), by a
/// resize,
/// or at once by [`purge`](Self::purge). [`len`](Self::len) counts entries
/// not yet reclaimed.
///
/// # Memory layout
///
/// One hashbrown table of `(Weak<K>, V)` slots plus a control byte per
/// bucket, at most 7/8 full; a second table during an incremental resize.
/// The blocks of dead keys stay allocated until their entries are
/// reclaimed (the `Weak` trap described on
/// [`WeakValueMap`](super::WeakValueMap)).
///
/// # Threads
///
/// `Send` and `Sync` with `Arc` keys when `K` and `V` are; not with `Rc`.
pub struct WeakKeyMap<P: StrongRef, V, S = DefaultHashBuilder> {
    table: RawWeakTable<KeyEntry<P, V>>,
    hash_builder: S,
}

impl<P: StrongRef, V> WeakKeyMap<P, V> {
    /// An empty map. Allocates nothing until the first insert.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakKeyMap;
    ///
    /// let map: WeakKeyMap<Arc<str>, u32> = WeakKeyMap::new();
    /// assert!(map.is_empty());
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::with_hasher(DefaultHashBuilder::default())
    }

    /// An empty map with room for `capacity` entries. The table does not
    /// shrink below that room on its own;
    /// [`shrink_to_fit`](Self::shrink_to_fit) gives it back.
    ///
    /// ```
    /// use std::rc::Rc;
    /// use leanmem::weak::WeakKeyMap;
    ///
    /// let map: WeakKeyMap<Rc<str>, u32> = WeakKeyMap::with_capacity(10);
    /// assert!(map.capacity() >= 10);
    /// ```
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            table: RawWeakTable::with_capacity(capacity, SWEEP_STEP),
            hash_builder: DefaultHashBuilder::default(),
        }
    }
}

impl<P: StrongRef, V, S> WeakKeyMap<P, V, S> {
    /// An empty map hashing addresses with `hash_builder`.
    ///
    /// ```
    /// use std::hash::RandomState;
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakKeyMap;
    ///
    /// let map: WeakKeyMap<Arc<u8>, u8, RandomState> = WeakKeyMap::with_hasher(RandomState::new());
    /// assert_eq!(map.len(), 0);
    /// ```
    #[must_use]
    pub const fn with_hasher(hash_builder: S) -> Self {
        Self {
            table: RawWeakTable::new(SWEEP_STEP),
            hash_builder,
        }
    }

    /// Entries held, including those of dead keys not yet reclaimed: an
    /// upper bound on the live entries, exact after [`purge`](Self::purge).
    /// Computes in **O(1)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakKeyMap;
    ///
    /// let k = Arc::new(1);
    /// let mut map = WeakKeyMap::new();
    /// map.insert(&k, "one");
    /// assert_eq!(map.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether the map holds no entry at all. Computes in **O(1)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakKeyMap;
    ///
    /// let map: WeakKeyMap<Arc<u8>, u8> = WeakKeyMap::new();
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
    /// use leanmem::weak::WeakKeyMap;
    ///
    /// let map: WeakKeyMap<Arc<u8>, u8> = WeakKeyMap::with_capacity(20);
    /// assert!(map.capacity() >= 20);
    /// ```
    pub fn capacity(&self) -> usize {
        self.table.capacity()
    }

    /// Removes every entry, dropping the values. Computes in
    /// **O(capacity)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakKeyMap;
    ///
    /// let k = Arc::new(());
    /// let mut map = WeakKeyMap::new();
    /// map.insert(&k, 1);
    /// map.clear();
    /// assert!(map.is_empty());
    /// ```
    pub fn clear(&mut self) {
        self.table.clear();
    }

    /// The entries whose keys are alive, as `(P, &V)`. Iterates in
    /// **O(capacity)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakKeyMap;
    ///
    /// let (a, b) = (Arc::new('a'), Arc::new('b'));
    /// let mut map = WeakKeyMap::new();
    /// map.insert(&a, 1);
    /// map.insert(&b, 2);
    /// drop(a);
    /// let live: Vec<(char, i32)> = map.iter().map(|(k, v)| (*k, *v)).collect();
    /// assert_eq!(live, [('b', 2)]);
    /// ```
    pub fn iter(&self) -> KeyIter<'_, P, V> {
        KeyIter::new(self.table.iter())
    }

    /// The entries whose keys are alive, as `(P, &mut V)`. Iterates in
    /// **O(capacity)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakKeyMap;
    ///
    /// let a = Arc::new('a');
    /// let mut map = WeakKeyMap::new();
    /// map.insert(&a, 1);
    /// for (_, v) in map.iter_mut() {
    ///     *v += 1;
    /// }
    /// assert_eq!(map.get(&a), Some(&2));
    /// ```
    pub fn iter_mut(&mut self) -> KeyIterMut<'_, P, V> {
        KeyIterMut::new(self.table.iter_mut())
    }
}

impl<P: StrongRef, V, S: BuildHasher> WeakKeyMap<P, V, S> {
    #[inline]
    fn hash_of(&self, addr: usize) -> u64 {
        self.hash_builder.hash_one(addr)
    }

    #[inline]
    fn step(&mut self) {
        let s = &self.hash_builder;
        self.table.step(
            &|e: &KeyEntry<P, V>| s.hash_one(P::weak_addr(&e.key)),
            &mut drop,
        );
    }

    /// Attaches `value` to `key`, returning the value it replaces. The map
    /// does not keep `key` alive.
    ///
    /// Computes in **O(1)** expected time, plus the bounded maintenance
    /// described on [`WeakValueMap`](super::WeakValueMap).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakKeyMap;
    ///
    /// let k = Arc::new("key");
    /// let mut map = WeakKeyMap::new();
    /// assert_eq!(map.insert(&k, 1), None);
    /// assert_eq!(map.insert(&k, 2), Some(1));
    /// ```
    pub fn insert(&mut self, key: &P, value: V) -> Option<V> {
        self.step();
        let addr = P::addr(key);
        let hash = self.hash_of(addr);
        if let Some(e) = self.table.find_mut(hash, |e| P::weak_addr(&e.key) == addr) {
            return Some(std::mem::replace(&mut e.value, value));
        }
        let s = &self.hash_builder;
        let entry = KeyEntry {
            key: P::downgrade(key),
            value,
        };
        self.table.insert_unique(hash, entry, |e: &KeyEntry<P, V>| {
            s.hash_one(P::weak_addr(&e.key))
        });
        None
    }

    /// The value attached to `key`, inserting `make()` first if there is
    /// none. Computes in **O(1)** expected time, plus the bounded
    /// maintenance.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakKeyMap;
    ///
    /// let k = Arc::new(0u8);
    /// let mut hits: WeakKeyMap<Arc<u8>, u32> = WeakKeyMap::new();
    /// *hits.get_or_insert_with(&k, || 0) += 1;
    /// *hits.get_or_insert_with(&k, || 0) += 1;
    /// assert_eq!(hits[&k], 2);
    /// ```
    pub fn get_or_insert_with(&mut self, key: &P, make: impl FnOnce() -> V) -> &mut V {
        self.step();
        let addr = P::addr(key);
        let hash = self.hash_of(addr);
        let s = &self.hash_builder;
        if self
            .table
            .find(hash, |e| P::weak_addr(&e.key) == addr)
            .is_none()
        {
            let entry = KeyEntry {
                key: P::downgrade(key),
                value: make(),
            };
            return &mut self
                .table
                .insert_unique(hash, entry, |e: &KeyEntry<P, V>| {
                    s.hash_one(P::weak_addr(&e.key))
                })
                .value;
        }
        match self.table.find_mut(hash, |e| P::weak_addr(&e.key) == addr) {
            Some(e) => &mut e.value,
            None => unreachable!("the entry was found just above"),
        }
    }

    /// The value attached to `key`. Computes in **O(1)** expected time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakKeyMap;
    ///
    /// let k = Arc::new(1);
    /// let mut map = WeakKeyMap::new();
    /// map.insert(&k, "v");
    /// assert_eq!(map.get(&k), Some(&"v"));
    /// assert_eq!(map.get(&Arc::new(1)), None);
    /// ```
    #[inline]
    pub fn get(&self, key: &P) -> Option<&V> {
        let addr = P::addr(key);
        self.table
            .find(self.hash_of(addr), |e| P::weak_addr(&e.key) == addr)
            .map(|e| &e.value)
    }

    /// The value attached to `key`, mutably. Computes in **O(1)** expected
    /// time; a lookup, it does no sweeping.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakKeyMap;
    ///
    /// let k = Arc::new(1);
    /// let mut map = WeakKeyMap::new();
    /// map.insert(&k, 1);
    /// *map.get_mut(&k).unwrap() = 5;
    /// assert_eq!(map[&k], 5);
    /// ```
    pub fn get_mut(&mut self, key: &P) -> Option<&mut V> {
        let addr = P::addr(key);
        let hash = self.hash_of(addr);
        self.table
            .find_mut(hash, |e| P::weak_addr(&e.key) == addr)
            .map(|e| &mut e.value)
    }

    /// Whether a value is attached to `key`. Computes in **O(1)** expected
    /// time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakKeyMap;
    ///
    /// let k = Arc::new(1);
    /// let mut map = WeakKeyMap::new();
    /// map.insert(&k, ());
    /// assert!(map.contains_key(&k));
    /// ```
    pub fn contains_key(&self, key: &P) -> bool {
        self.get(key).is_some()
    }

    /// Detaches and returns the value attached to `key`. Computes in
    /// **O(1)** expected time, plus the bounded maintenance.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakKeyMap;
    ///
    /// let k = Arc::new(1);
    /// let mut map = WeakKeyMap::new();
    /// map.insert(&k, "v");
    /// assert_eq!(map.remove(&k), Some("v"));
    /// assert_eq!(map.remove(&k), None);
    /// ```
    pub fn remove(&mut self, key: &P) -> Option<V> {
        self.step();
        let addr = P::addr(key);
        let hash = self.hash_of(addr);
        self.table
            .remove(hash, |e| P::weak_addr(&e.key) == addr)
            .map(|e| e.value)
    }

    /// Keeps the entries with live keys for which `keep` returns `true`;
    /// drops the others and every dead one. Computes in **O(capacity)**
    /// time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakKeyMap;
    ///
    /// let keys: Vec<Arc<u32>> = (0..4).map(Arc::new).collect();
    /// let mut map = WeakKeyMap::new();
    /// for k in &keys {
    ///     map.insert(k, **k);
    /// }
    /// map.retain(|_, v| *v >= 2);
    /// assert_eq!(map.len(), 2);
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(&P, &mut V) -> bool) {
        self.table.retain(|e| {
            // `keep` may drop the key's last outside owner (through the
            // value, say): the handle upgraded for it was then the last.
            P::upgrade(&e.key).is_some_and(|k| keep(&k, &mut e.value)) && !e.is_dead()
        });
    }

    /// Reclaims every entry whose key has died (dropping its value), and
    /// returns how many; then rebuilds the table smaller if it has more than
    /// twice the room needed. Computes in **O(capacity)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakKeyMap;
    ///
    /// let k = Arc::new(1);
    /// let mut map = WeakKeyMap::new();
    /// map.insert(&k, vec![0u8; 100]);
    /// drop(k);
    /// assert_eq!(map.purge(), 1);
    /// assert!(map.is_empty());
    /// ```
    pub fn purge(&mut self) -> usize {
        let s = &self.hash_builder;
        self.table.purge(
            &|e: &KeyEntry<P, V>| s.hash_one(P::weak_addr(&e.key)),
            &mut drop,
        )
    }

    /// Reclaims dead entries and shrinks the table to fit. Computes in
    /// **O(capacity)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakKeyMap;
    ///
    /// let mut map: WeakKeyMap<Arc<u8>, u8> = WeakKeyMap::with_capacity(100);
    /// map.shrink_to_fit();
    /// assert!(map.capacity() < 100);
    /// ```
    pub fn shrink_to_fit(&mut self) {
        let s = &self.hash_builder;
        let hasher = |e: &KeyEntry<P, V>| s.hash_one(P::weak_addr(&e.key));
        self.table.purge(&hasher, &mut drop);
        self.table.shrink_to_fit(&hasher, &mut drop);
    }
}

impl<P: StrongRef, V, S: BuildHasher> Index<&P> for WeakKeyMap<P, V, S> {
    type Output = V;

    /// The value attached to `key`.
    ///
    /// # Panics
    ///
    /// If no value is attached to `key`; use [`get`](WeakKeyMap::get) for
    /// an `Option`.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakKeyMap;
    ///
    /// let k = Arc::new(());
    /// let mut map = WeakKeyMap::new();
    /// map.insert(&k, 3);
    /// assert_eq!(map[&k], 3);
    /// ```
    fn index(&self, key: &P) -> &V {
        match self.get(key) {
            Some(v) => v,
            None => panic!("WeakKeyMap: no value is attached to this key"),
        }
    }
}

impl<P: StrongRef, V> Default for WeakKeyMap<P, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<P: StrongRef, V: Clone, S: Clone> Clone for WeakKeyMap<P, V, S> {
    fn clone(&self) -> Self {
        Self {
            table: self.table.clone(),
            hash_builder: self.hash_builder.clone(),
        }
    }
}

impl<P: StrongRef + fmt::Debug, V: fmt::Debug, S> fmt::Debug for WeakKeyMap<P, V, S> {
    /// The live entries, as a map.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<'a, P: StrongRef + 'a, V, S: BuildHasher> Extend<(&'a P, V)> for WeakKeyMap<P, V, S> {
    fn extend<I: IntoIterator<Item = (&'a P, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<'a, P, V, S> FromIterator<(&'a P, V)> for WeakKeyMap<P, V, S>
where
    P: StrongRef + 'a,
    S: BuildHasher + Default,
{
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakKeyMap;
    ///
    /// let keys = [Arc::new('a'), Arc::new('b')];
    /// let map: WeakKeyMap<Arc<char>, usize> = keys.iter().zip(0..).collect();
    /// assert_eq!(map[&keys[1]], 1);
    /// ```
    fn from_iter<I: IntoIterator<Item = (&'a P, V)>>(iter: I) -> Self {
        let mut map = Self::with_hasher(S::default());
        map.extend(iter);
        map
    }
}

impl<'a, P: StrongRef, V, S> IntoIterator for &'a WeakKeyMap<P, V, S> {
    type Item = (P, &'a V);
    type IntoIter = KeyIter<'a, P, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, P: StrongRef, V, S> IntoIterator for &'a mut WeakKeyMap<P, V, S> {
    type Item = (P, &'a mut V);
    type IntoIter = KeyIterMut<'a, P, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl<P: StrongRef, V, S> IntoIterator for WeakKeyMap<P, V, S> {
    type Item = (P, V);
    type IntoIter = KeyIntoIter<P, V>;

    /// The entries with live keys, by value.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakKeyMap;
    ///
    /// let k = Arc::new(1);
    /// let mut map = WeakKeyMap::new();
    /// map.insert(&k, String::from("v"));
    /// let all: Vec<(Arc<i32>, String)> = map.into_iter().collect();
    /// assert_eq!(all[0].1, "v");
    /// ```
    fn into_iter(mut self) -> Self::IntoIter {
        KeyIntoIter::new(self.table.take_all())
    }
}

impl<T, V: HeapSize, S> HeapSize for WeakKeyMap<std::sync::Arc<T>, V, S> {
    /// The table, what the values own, and the blocks of dead keys not yet
    /// reclaimed.
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.table.heap_size_with(cx, |e, cx| {
            e.value.heap_size_with(cx) + dead_block::<std::sync::Arc<T>>(&e.key, cx)
        })
    }
}

impl<T, V: HeapSize, S> HeapSize for WeakKeyMap<std::rc::Rc<T>, V, S> {
    /// As for the `Arc` flavour.
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.table.heap_size_with(cx, |e, cx| {
            e.value.heap_size_with(cx) + dead_block::<std::rc::Rc<T>>(&e.key, cx)
        })
    }
}

/// A set of shared values held weakly, by identity (`Arc<T>` or `Rc<T>`):
/// a member leaves the set when it dies. Python's `weakref.WeakSet`.
///
/// ```
/// use std::sync::Arc;
/// use leanmem::weak::WeakSet;
///
/// let mut open: WeakSet<Arc<String>> = WeakSet::new();
/// let a = Arc::new("a.txt".to_string());
/// let b = Arc::new("b.txt".to_string());
/// open.insert(&a);
/// open.insert(&b);
/// drop(a);
/// let names: Vec<String> = open.iter().map(|f| f.to_string()).collect();
/// assert_eq!(names, ["b.txt"]);
/// ```
///
/// # Memory layout
///
/// A [`WeakKeyMap`] with `()` values: one weak handle (8 bytes, 16 for a
/// slice or `str`) plus a control byte per bucket. Dead members are
/// reclaimed as described on [`WeakKeyMap`]; [`len`](Self::len) counts
/// those not yet reclaimed.
///
/// # Threads
///
/// `Send` and `Sync` with `Arc` members when `T` is; not with `Rc`.
pub struct WeakSet<P: StrongRef, S = DefaultHashBuilder> {
    map: WeakKeyMap<P, (), S>,
}

impl<P: StrongRef> WeakSet<P> {
    /// An empty set.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakSet;
    ///
    /// let set: WeakSet<Arc<u8>> = WeakSet::new();
    /// assert!(set.is_empty());
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self {
            map: WeakKeyMap::new(),
        }
    }

    /// An empty set with room for `capacity` members.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakSet;
    ///
    /// let set: WeakSet<Arc<u8>> = WeakSet::with_capacity(8);
    /// assert!(set.capacity() >= 8);
    /// ```
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            map: WeakKeyMap::with_capacity(capacity),
        }
    }
}

impl<P: StrongRef, S> WeakSet<P, S> {
    /// An empty set hashing addresses with `hash_builder`.
    ///
    /// ```
    /// use std::hash::RandomState;
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakSet;
    ///
    /// let set: WeakSet<Arc<u8>, RandomState> = WeakSet::with_hasher(RandomState::new());
    /// assert!(set.is_empty());
    /// ```
    #[must_use]
    pub const fn with_hasher(hash_builder: S) -> Self {
        Self {
            map: WeakKeyMap::with_hasher(hash_builder),
        }
    }

    /// Members held, including dead ones not yet reclaimed: an upper bound,
    /// exact after [`purge`](Self::purge). Computes in **O(1)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakSet;
    ///
    /// let a = Arc::new(1);
    /// let mut set = WeakSet::new();
    /// set.insert(&a);
    /// assert_eq!(set.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the set holds nothing at all. Computes in **O(1)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakSet;
    ///
    /// assert!(WeakSet::<Arc<u8>>::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Members the table holds before it must grow. Computes in **O(1)**
    /// time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakSet;
    ///
    /// assert!(WeakSet::<Arc<u8>>::with_capacity(3).capacity() >= 3);
    /// ```
    pub fn capacity(&self) -> usize {
        self.map.capacity()
    }

    /// Removes every member. Computes in **O(capacity)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakSet;
    ///
    /// let a = Arc::new(1);
    /// let mut set = WeakSet::new();
    /// set.insert(&a);
    /// set.clear();
    /// assert!(set.is_empty());
    /// ```
    pub fn clear(&mut self) {
        self.map.clear();
    }

    /// The live members, upgraded. Iterates in **O(capacity)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakSet;
    ///
    /// let a = Arc::new(7);
    /// let mut set = WeakSet::new();
    /// set.insert(&a);
    /// assert_eq!(set.iter().map(|m| *m).collect::<Vec<_>>(), [7]);
    /// ```
    pub fn iter(&self) -> SetIter<'_, P> {
        SetIter::new(self.map.iter())
    }
}

impl<P: StrongRef, S: BuildHasher> WeakSet<P, S> {
    /// Adds `member`; `false` if it was already there. The set does not
    /// keep it alive. Computes in **O(1)** expected time, plus the bounded
    /// maintenance.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakSet;
    ///
    /// let a = Arc::new(1);
    /// let mut set = WeakSet::new();
    /// assert!(set.insert(&a));
    /// assert!(!set.insert(&a));
    /// ```
    pub fn insert(&mut self, member: &P) -> bool {
        self.map.insert(member, ()).is_none()
    }

    /// Whether `member` is in the set. Computes in **O(1)** expected time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakSet;
    ///
    /// let a = Arc::new(1);
    /// let mut set = WeakSet::new();
    /// set.insert(&a);
    /// assert!(set.contains(&a));
    /// assert!(!set.contains(&Arc::new(1)));
    /// ```
    pub fn contains(&self, member: &P) -> bool {
        self.map.contains_key(member)
    }

    /// Removes `member`; `false` if it was not there. Computes in **O(1)**
    /// expected time, plus the bounded maintenance.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakSet;
    ///
    /// let a = Arc::new(1);
    /// let mut set = WeakSet::new();
    /// set.insert(&a);
    /// assert!(set.remove(&a));
    /// assert!(!set.remove(&a));
    /// ```
    pub fn remove(&mut self, member: &P) -> bool {
        self.map.remove(member).is_some()
    }

    /// Keeps the live members for which `keep` returns `true`. Computes in
    /// **O(capacity)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakSet;
    ///
    /// let all: Vec<Arc<u8>> = (0..6).map(Arc::new).collect();
    /// let mut set: WeakSet<Arc<u8>> = all.iter().collect();
    /// set.retain(|m| **m < 2);
    /// assert_eq!(set.len(), 2);
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(&P) -> bool) {
        self.map.retain(|k, ()| keep(k));
    }

    /// Reclaims every dead member now, returning how many. Computes in
    /// **O(capacity)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakSet;
    ///
    /// let a = Arc::new(1);
    /// let mut set = WeakSet::new();
    /// set.insert(&a);
    /// drop(a);
    /// assert_eq!(set.purge(), 1);
    /// ```
    pub fn purge(&mut self) -> usize {
        self.map.purge()
    }

    /// Reclaims dead members and shrinks the table to fit. Computes in
    /// **O(capacity)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakSet;
    ///
    /// let mut set: WeakSet<Arc<u8>> = WeakSet::with_capacity(100);
    /// set.shrink_to_fit();
    /// assert!(set.capacity() < 100);
    /// ```
    pub fn shrink_to_fit(&mut self) {
        self.map.shrink_to_fit();
    }
}

impl<P: StrongRef> Default for WeakSet<P> {
    fn default() -> Self {
        Self::new()
    }
}

impl<P: StrongRef, S: Clone> Clone for WeakSet<P, S> {
    fn clone(&self) -> Self {
        Self {
            map: self.map.clone(),
        }
    }
}

impl<P: StrongRef + fmt::Debug, S> fmt::Debug for WeakSet<P, S> {
    /// The live members, as a set.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl<'a, P: StrongRef + 'a, S: BuildHasher> Extend<&'a P> for WeakSet<P, S> {
    fn extend<I: IntoIterator<Item = &'a P>>(&mut self, iter: I) {
        for m in iter {
            self.insert(m);
        }
    }
}

impl<'a, P: StrongRef + 'a, S: BuildHasher + Default> FromIterator<&'a P> for WeakSet<P, S> {
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakSet;
    ///
    /// let all = [Arc::new(1), Arc::new(2)];
    /// let set: WeakSet<Arc<i32>> = all.iter().collect();
    /// assert_eq!(set.len(), 2);
    /// ```
    fn from_iter<I: IntoIterator<Item = &'a P>>(iter: I) -> Self {
        let mut set = Self::with_hasher(S::default());
        set.extend(iter);
        set
    }
}

impl<'a, P: StrongRef, S> IntoIterator for &'a WeakSet<P, S> {
    type Item = P;
    type IntoIter = SetIter<'a, P>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, P: StrongRef, S> IntoIterator for &'a mut WeakSet<P, S> {
    type Item = P;
    type IntoIter = SetIter<'a, P>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<P: StrongRef, S> IntoIterator for WeakSet<P, S> {
    type Item = P;
    type IntoIter = SetIntoIter<P>;

    /// The live members, by value.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::WeakSet;
    ///
    /// let a = Arc::new(1);
    /// let mut set = WeakSet::new();
    /// set.insert(&a);
    /// assert_eq!(set.into_iter().count(), 1);
    /// ```
    fn into_iter(self) -> Self::IntoIter {
        SetIntoIter::new(self.map.into_iter())
    }
}

impl<P: StrongRef, S> HeapSize for WeakSet<P, S>
where
    WeakKeyMap<P, (), S>: HeapSize,
{
    /// The table and the blocks of dead members not yet reclaimed.
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.map.heap_size_with(cx)
    }
}
