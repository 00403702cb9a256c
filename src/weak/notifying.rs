//! [`NotifyingMap`] and its [`Handle`]: values that tell the map when they
//! die.

use crate::hash::DefaultHashBuilder;
use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{BuildHasher, Hash, Hasher};
use std::ops::Deref;
use std::sync::atomic::{AtomicBool, Ordering::Acquire, Ordering::Release};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use super::raw::{Both, RawWeakTable, WeakEntry};
use crate::measure::{HeapContext, HeapSize};

/// The block a value's handles share: a pointer to the value, which has a
/// block of its own so that it is freed the moment the last handle drops,
/// while this small block waits for the map to forget the entry.
struct Node<V> {
    value: Box<V>,
}

/// Notices drained per call at most: a call that finds more queued (after
/// many values died at once) removes this many entries and leaves the rest
/// to the following calls, so no call does more than bounded work.
pub(crate) const DRAIN_STEP: usize = 256;

/// The dead-key queue: hashes of keys whose last handle has dropped.
#[derive(Default)]
struct Shared {
    /// Set (under the lock) when `dead` is not empty.
    pending: AtomicBool,
    dead: Mutex<Vec<u64>>,
}

impl Shared {
    fn notify(&self, hash: u64) {
        let mut dead = self.dead.lock().unwrap_or_else(PoisonError::into_inner);
        dead.push(hash);
        self.pending.store(true, Release);
    }
}

struct NotifyEntry<K, V> {
    key: K,
    node: Weak<Node<V>>,
}

impl<K, V> WeakEntry for NotifyEntry<K, V> {
    #[inline]
    fn is_dead(&self) -> bool {
        self.node.strong_count() == 0
    }
}

/// A strong handle to a value of a [`NotifyingMap`]: it derefs to the value,
/// clones cheaply (two reference counts), and when the last handle to a
/// value drops, the value is dropped and the map is told.
///
/// Comparisons, hashing and formatting go to the value, as for `Arc`.
///
/// ```
/// use leanmem::weak::NotifyingMap;
///
/// let mut map = NotifyingMap::new();
/// let h = map.get_or_insert_with("k", || String::from("value"));
/// assert_eq!(h.len(), 5); // derefs to the String
/// let h2 = h.clone();
/// assert!(leanmem::weak::Handle::ptr_eq(&h, &h2));
/// ```
///
/// # Memory layout
///
/// Three words (24 bytes): a pointer to the block the value's handles share
/// (two counters and a pointer to the value, which has its own block), the
/// hash of the value's key, and a weak pointer to the map's dead-key queue.
pub struct Handle<V> {
    /// `None` only inside `drop`.
    node: Option<Arc<Node<V>>>,
    /// The key's hash, which the last handle sends to the map.
    hash: u64,
    map: Weak<Shared>,
}

impl<V> Handle<V> {
    #[inline]
    fn node(&self) -> &Node<V> {
        match &self.node {
            Some(n) => n,
            // `node` is taken only in `drop`, after which nothing reads it.
            None => unreachable!("a handle is used after its drop began"),
        }
    }

    /// Whether two handles point to the same value (not merely equal ones).
    ///
    /// ```
    /// use leanmem::weak::{Handle, NotifyingMap};
    ///
    /// let mut map = NotifyingMap::new();
    /// let a = map.get_or_insert_with(1, || 0);
    /// let b = map.get_or_insert_with(2, || 0);
    /// assert!(a == b && !Handle::ptr_eq(&a, &b));
    /// ```
    pub fn ptr_eq(this: &Self, other: &Self) -> bool {
        std::ptr::eq(this.node(), other.node())
    }

    /// How many handles to this value exist.
    ///
    /// ```
    /// use leanmem::weak::{Handle, NotifyingMap};
    ///
    /// let mut map = NotifyingMap::new();
    /// let a = map.get_or_insert_with(1, || 0);
    /// let b = a.clone();
    /// assert_eq!(Handle::handle_count(&b), 2);
    /// ```
    pub fn handle_count(this: &Self) -> usize {
        this.node.as_ref().map_or(0, Arc::strong_count)
    }
}

impl<V> Deref for Handle<V> {
    type Target = V;

    #[inline]
    fn deref(&self) -> &V {
        &self.node().value
    }
}

impl<V> AsRef<V> for Handle<V> {
    fn as_ref(&self) -> &V {
        self
    }
}

impl<V> Borrow<V> for Handle<V> {
    fn borrow(&self) -> &V {
        self
    }
}

impl<V> Clone for Handle<V> {
    #[inline]
    fn clone(&self) -> Self {
        Self {
            node: self.node.clone(),
            hash: self.hash,
            map: self.map.clone(),
        }
    }
}

impl<V> Drop for Handle<V> {
    fn drop(&mut self) {
        let Some(node) = self.node.take() else {
            return;
        };
        // Exactly one of the handles dropping a value gets it back here.
        if let Some(last) = Arc::into_inner(node) {
            // The value's destructor runs first, holding no lock: it may drop
            // handles of this map itself. Its block is freed here too; only
            // the small shared block waits for the map. The notice goes out
            // when `notice` drops, after the destructor, even if it panics:
            // the value is gone either way, and nothing else would tell the
            // map (its entries are never searched for).
            let notice = Notice {
                map: &self.map,
                hash: self.hash,
            };
            drop(last);
            drop(notice);
        }
    }
}

/// Sends a dead value's notice when dropped (also while unwinding).
struct Notice<'a> {
    map: &'a Weak<Shared>,
    hash: u64,
}

impl Drop for Notice<'_> {
    fn drop(&mut self) {
        if let Some(map) = self.map.upgrade() {
            map.notify(self.hash);
        }
    }
}

impl<V: fmt::Debug> fmt::Debug for Handle<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<V: fmt::Display> fmt::Display for Handle<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl<V: PartialEq> PartialEq for Handle<V> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<V: Eq> Eq for Handle<V> {}

impl<V: PartialOrd> PartialOrd for Handle<V> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        (**self).partial_cmp(&**other)
    }
}

impl<V: Ord> Ord for Handle<V> {
    fn cmp(&self, other: &Self) -> Ordering {
        (**self).cmp(&**other)
    }
}

impl<V: Hash> Hash for Handle<V> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl<V: HeapSize> HeapSize for Handle<V> {
    /// The shared block (counters and a pointer), the value's block and what
    /// the value owns, the first time the shared block is reached in `cx`;
    /// as for `Arc`.
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        match &self.node {
            Some(n) => n.heap_size_with(cx),
            None => 0,
        }
    }
}

impl<V: HeapSize> HeapSize for Node<V> {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.value.heap_size_with(cx)
    }
}

/// A hash map that creates its values and hands out [`Handle`]s to them:
/// it holds each value weakly, and the last handle to drop tells the map,
/// which forgets the entry at its next call (or, after very many deaths at
/// once, within the calls that follow; see below). Python's
/// `WeakValueDictionary` behaviour: a dead value's memory comes back when
/// its last handle drops, [`len`](Self::len) is exact after every call (but
/// see the bound on draining below), and a lookup of a dead key is an
/// ordinary miss.
///
/// Use it for canonical instances (flyweights), loaded resources, sessions:
/// anything created on first use and shared while in use.
///
/// ```
/// use leanmem::weak::NotifyingMap;
///
/// let mut textures = NotifyingMap::new();
/// let a = textures.get_or_insert_with("grass.png", || vec![0u8; 4096]);
/// let b = textures.get_or_insert_with("grass.png", || unreachable!("loaded once"));
/// assert_eq!(textures.len(), 1);
///
/// drop(a);
/// drop(b); // the last handle: the texture is dropped, the map is told
/// assert_eq!(textures.get("grass.png"), None);
/// textures.purge(); // or any other `&mut` call
/// assert_eq!(textures.len(), 0);
/// ```
///
/// # Which weak map?
///
/// [`WeakValueMap`](super::WeakValueMap) when the values are `Arc`s that
/// other code creates: it must find dead entries by sweeping, so its `len`
/// is an upper bound. `NotifyingMap` when the map can create the values: it
/// is told of each death, so it never searches.
///
/// # How it is told
///
/// Each value has a block of its own, pointed to from a small block shared
/// by its handles; each handle carries the hash of the value's key. When the
/// last handle drops (on any thread), the value is dropped and its block
/// freed there and then, and the hash is pushed on the map's dead-key queue
/// (a mutex-guarded vector, and a flag). Calls that take `&mut self` drain
/// the queue first, removing the dead entries it names; only the entry and
/// the small shared block (two counters and a pointer) wait until then. An
/// entry replaced or removed meanwhile makes its notice a no-op: a notice
/// removes only an entry of that hash whose value is dead.
///
/// A call drains at most 256 notices. So [`len`](Self::len) is exact after
/// every `&mut self` call that found at most 256 notices waiting (counting
/// every handle whose drop finished before the call began); after more
/// values than that died at once, each call removes 256 of their entries
/// until none is left, and [`purge`](Self::purge) removes them all at once.
/// Until then `len` also counts the dead entries not yet removed.
/// [`get`](Self::get) and [`contains_key`](Self::contains_key) take `&self`
/// and never see a dead value.
///
/// No call does more than bounded work, whatever died before it: at most
/// 256 removals, and a bounded step of any resize, which is done
/// incrementally, as in [`WeakValueMap`](super::WeakValueMap) (a table left
/// mostly empty by deaths shrinks the same way).
///
/// # Memory layout
///
/// One hashbrown table of `(K, Weak)` slots (8 bytes plus the key, and a
/// control byte, per bucket, at most 7/8 full) plus, per value, a block of
/// two counters and a pointer (24 bytes) and the value's own block. The
/// dead-key queue holds 8 bytes per notice not yet drained.
///
/// # Threads
///
/// The map is [`Send`] and [`Sync`] when `K` and `V` are `Send + Sync`, and
/// so are its handles: handles may be dropped on any thread while the map
/// is used. Methods that change the map take `&mut self`; share the map
/// behind a `Mutex` or `RwLock`. Dropping a handle never waits for the map
/// itself, only for the short queue lock.
pub struct NotifyingMap<K, V, S = DefaultHashBuilder> {
    table: RawWeakTable<NotifyEntry<K, V>>,
    hash_builder: S,
    shared: Arc<Shared>,
    /// The queue's other half: notices are swapped in here and popped from
    /// it, `DRAIN_STEP` per call.
    spare: Vec<u64>,
}

#[inline]
fn entry_hasher<K: Hash, V, S: BuildHasher>(s: &S) -> impl Fn(&NotifyEntry<K, V>) -> u64 + '_ {
    move |e| s.hash_one(&e.key)
}

impl<K, V> NotifyingMap<K, V> {
    /// An empty map.
    ///
    /// ```
    /// use leanmem::weak::NotifyingMap;
    ///
    /// let map: NotifyingMap<String, u32> = NotifyingMap::new();
    /// assert!(map.is_empty());
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::with_hasher(DefaultHashBuilder::default())
    }

    /// An empty map with room for `capacity` entries.
    ///
    /// ```
    /// use leanmem::weak::NotifyingMap;
    ///
    /// let map: NotifyingMap<u64, u64> = NotifyingMap::with_capacity(100);
    /// assert!(map.capacity() >= 100);
    /// ```
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        Self::with_capacity_and_hasher(capacity, DefaultHashBuilder::default())
    }
}

impl<K, V, S> NotifyingMap<K, V, S> {
    /// An empty map hashing keys with `hash_builder`.
    ///
    /// ```
    /// use std::hash::RandomState;
    /// use leanmem::weak::NotifyingMap;
    ///
    /// let map: NotifyingMap<u64, u64, RandomState> = NotifyingMap::with_hasher(RandomState::new());
    /// assert!(map.is_empty());
    /// ```
    #[must_use]
    pub fn with_hasher(hash_builder: S) -> Self {
        Self::with_capacity_and_hasher(0, hash_builder)
    }

    /// An empty map with room for `capacity` entries, hashing with
    /// `hash_builder`.
    ///
    /// ```
    /// use std::hash::RandomState;
    /// use leanmem::weak::NotifyingMap;
    ///
    /// let map: NotifyingMap<u64, u64, RandomState> =
    ///     NotifyingMap::with_capacity_and_hasher(10, RandomState::new());
    /// assert!(map.capacity() >= 10);
    /// ```
    #[must_use]
    pub fn with_capacity_and_hasher(capacity: usize, hash_builder: S) -> Self {
        Self {
            table: RawWeakTable::with_capacity(capacity, 0),
            hash_builder,
            shared: Arc::new(Shared::default()),
            spare: Vec::new(),
        }
    }

    /// The map's hasher.
    ///
    /// ```
    /// use leanmem::weak::NotifyingMap;
    ///
    /// let map: NotifyingMap<u8, u8> = NotifyingMap::new();
    /// let _ = map.hasher();
    /// ```
    pub fn hasher(&self) -> &S {
        &self.hash_builder
    }

    /// Entries held: exactly the live values after every `&mut self` call
    /// that found at most 256 notices waiting (see the type's docs); values
    /// that died since are counted until a call drains their notices.
    /// Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::weak::NotifyingMap;
    ///
    /// let mut map = NotifyingMap::new();
    /// let a = map.get_or_insert_with(1, || 'a');
    /// let b = map.get_or_insert_with(2, || 'b');
    /// drop(a);
    /// assert_eq!(map.len(), 2); // told, but not drained yet
    /// let c = map.get_or_insert_with(3, || 'c'); // a `&mut` call drains first
    /// assert_eq!(map.len(), 2); // `b` and `c`
    /// # drop((b, c));
    /// ```
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether the map holds no entry. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::weak::NotifyingMap;
    ///
    /// assert!(NotifyingMap::<u8, u8>::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.table.len() == 0
    }

    /// Entries the table holds before it must grow. Computes in **O(1)**
    /// time.
    ///
    /// ```
    /// use leanmem::weak::NotifyingMap;
    ///
    /// assert!(NotifyingMap::<u8, u8>::with_capacity(5).capacity() >= 5);
    /// ```
    pub fn capacity(&self) -> usize {
        self.table.capacity()
    }

    /// Forgets every entry. Handles stay valid; their values are simply no
    /// longer found. Computes in **O(capacity)** time.
    ///
    /// ```
    /// use leanmem::weak::NotifyingMap;
    ///
    /// let mut map = NotifyingMap::new();
    /// let h = map.get_or_insert_with(1, || 1);
    /// map.clear();
    /// assert!(map.is_empty());
    /// assert_eq!(*h, 1);
    /// ```
    pub fn clear(&mut self) {
        self.table.clear();
        // Notices waiting name entries that are gone now.
        self.spare.clear();
        let mut dead = self
            .shared
            .dead
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        dead.clear();
        self.shared.pending.store(false, Release);
    }

    /// The live entries, as `(&K, Handle<V>)`. Iterates in
    /// **O(capacity)** time.
    ///
    /// ```
    /// use leanmem::weak::NotifyingMap;
    ///
    /// let mut map = NotifyingMap::new();
    /// let a = map.get_or_insert_with("a", || 1);
    /// let _gone = map.get_or_insert_with("b", || 2);
    /// drop(_gone);
    /// let live: Vec<(&str, i32)> = map.iter().map(|(k, v)| (*k, *v)).collect();
    /// assert_eq!(live, [("a", 1)]);
    /// # drop(a);
    /// ```
    pub fn iter(&self) -> NotifyingIter<'_, K, V, S> {
        NotifyingIter {
            inner: self.table.iter(),
            hash_builder: &self.hash_builder,
            map: Arc::downgrade(&self.shared),
        }
    }

    #[inline]
    fn handle(&self, node: Arc<Node<V>>, hash: u64) -> Handle<V> {
        Handle {
            node: Some(node),
            hash,
            map: Arc::downgrade(&self.shared),
        }
    }
}

impl<K, V, S> NotifyingMap<K, V, S>
where
    K: Hash + Eq,
    S: BuildHasher,
{
    /// Drains at most `limit` notices of the dead-key queue, removing the
    /// dead entries they name. Returns how many notices it took and how
    /// many entries it removed.
    fn drain(&mut self, limit: usize) -> (usize, usize) {
        let mut removed = 0;
        let mut taken = 0;
        while taken < limit {
            if self.spare.is_empty() {
                // The previous batch is done: take the queued notices.
                if !self.shared.pending.load(Acquire) {
                    break;
                }
                let mut dead = self
                    .shared
                    .dead
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                std::mem::swap(&mut *dead, &mut self.spare);
                self.shared.pending.store(false, Release);
            }
            let hash_builder = &self.hash_builder;
            while taken < limit {
                let Some(hash) = self.spare.pop() else { break };
                taken += 1;
                // Another dead entry met on the probe path may have another
                // hash: it has a notice of its own and must stay for it.
                let this =
                    |e: &NotifyEntry<K, V>| e.is_dead() && hash_builder.hash_one(&e.key) == hash;
                if self.table.remove(hash, this).is_some() {
                    removed += 1;
                }
            }
            // Give a large batch's memory back as it drains, a part at a
            // time: freeing it all at once costs the system allocator time
            // in proportion to its pages. Shrinking only once the slack is
            // an eighth of what is left keeps the copying of an allocator
            // whose `realloc` copies to O(1) per notice.
            let room = self.spare.len() + 2 * DRAIN_STEP;
            if self.spare.capacity() - room.min(self.spare.capacity()) >= room / 8 + 64 {
                self.spare.shrink_to(room);
            }
        }
        (taken, removed)
    }

    /// A bounded drain, then one bounded step of any incremental resize
    /// (which also shrinks a table that deaths left mostly empty). Returns
    /// the notices taken.
    #[inline]
    fn maintain(&mut self) -> usize {
        let (taken, _) = self.drain(DRAIN_STEP);
        let hasher = entry_hasher::<K, V, S>(&self.hash_builder);
        self.table.step(&hasher, &mut drop);
        taken
    }

    /// A handle to the value of `key`, creating it with `make` if the key
    /// has no live value. `make` runs at most once, and only when needed.
    ///
    /// Computes in **O(1)** expected time, plus draining at most 256 notices
    /// of values that died.
    ///
    /// ```
    /// use leanmem::weak::NotifyingMap;
    ///
    /// let mut map = NotifyingMap::new();
    /// let mut made = 0;
    /// let a = map.get_or_insert_with("k", || { made += 1; made });
    /// let b = map.get_or_insert_with("k", || { made += 1; made });
    /// assert_eq!((*a, *b, made), (1, 1, 1));
    /// ```
    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> Handle<V> {
        match self.try_get_or_insert_with(key, || Ok::<V, std::convert::Infallible>(make())) {
            Ok(h) => h,
            Err(never) => match never {},
        }
    }

    /// As [`get_or_insert_with`](Self::get_or_insert_with), with a
    /// constructor that may fail.
    ///
    /// # Errors
    ///
    /// The error of `make`, if it ran and failed; the map is then unchanged
    /// (apart from draining dead entries).
    ///
    /// ```
    /// use leanmem::weak::NotifyingMap;
    ///
    /// let mut map: NotifyingMap<&str, u32> = NotifyingMap::new();
    /// let bad = map.try_get_or_insert_with("x", || "x".parse::<u32>());
    /// assert!(bad.is_err());
    /// assert!(map.is_empty());
    /// let good = map.try_get_or_insert_with("7", || "7".parse::<u32>()).unwrap();
    /// assert_eq!(*good, 7);
    /// ```
    pub fn try_get_or_insert_with<E>(
        &mut self,
        key: K,
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<Handle<V>, E> {
        let taken = self.maintain();
        let hash = self.hash_builder.hash_one(&key);
        let node = if let Some(e) = self.table.find_mut(hash, |e| e.key == key) {
            if let Some(node) = e.node.upgrade() {
                node
            } else {
                // Dead, its notice not drained yet: reuse the slot. The
                // notice will find a live entry and do nothing.
                let node = Arc::new(Node {
                    value: Box::new(make()?),
                });
                e.node = Arc::downgrade(&node);
                node
            }
        } else {
            let node = Arc::new(Node {
                value: Box::new(make()?),
            });
            let entry = NotifyEntry {
                key,
                node: Arc::downgrade(&node),
            };
            let hasher = entry_hasher::<K, V, S>(&self.hash_builder);
            self.table.insert_unique(hash, entry, hasher);
            node
        };
        // The value's handle first: draining drops keys, whose destructors
        // may panic, and the value must not then die unheard of through a
        // bare `Arc` (its entry would never be removed).
        let handle = self.handle(node, hash);
        // `make` may have dropped handles of this map: their notices, within
        // what is left of this call's budget.
        self.drain(DRAIN_STEP - taken);
        Ok(handle)
    }

    /// A handle to the live value of `key`. Computes in **O(1)** expected
    /// time.
    ///
    /// ```
    /// use leanmem::weak::NotifyingMap;
    ///
    /// let mut map = NotifyingMap::new();
    /// let h = map.get_or_insert_with("k".to_string(), || 5);
    /// assert_eq!(map.get("k").as_deref(), Some(&5));
    /// drop(h);
    /// assert_eq!(map.get("k"), None);
    /// ```
    #[inline]
    pub fn get<Q>(&self, key: &Q) -> Option<Handle<V>>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let hash = self.hash_builder.hash_one(key);
        let e = self.table.find(hash, |e| e.key.borrow() == key)?;
        e.node.upgrade().map(|n| self.handle(n, hash))
    }

    /// Whether `key` has a live value. Computes in **O(1)** expected time.
    ///
    /// ```
    /// use leanmem::weak::NotifyingMap;
    ///
    /// let mut map = NotifyingMap::new();
    /// let h = map.get_or_insert_with(1, || ());
    /// assert!(map.contains_key(&1));
    /// drop(h);
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
            .is_some_and(|e| e.node.strong_count() > 0)
    }

    /// Forgets `key`, returning a handle to its value if it was alive. The
    /// value lives on as long as its handles. Computes in **O(1)** expected
    /// time, plus draining at most 256 notices.
    ///
    /// ```
    /// use leanmem::weak::NotifyingMap;
    ///
    /// let mut map = NotifyingMap::new();
    /// let h = map.get_or_insert_with(1, || "one");
    /// assert_eq!(map.remove(&1).as_deref(), Some(&"one"));
    /// assert!(map.is_empty());
    /// assert_eq!(*h, "one");
    /// ```
    pub fn remove<Q>(&mut self, key: &Q) -> Option<Handle<V>>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.maintain();
        let hash = self.hash_builder.hash_one(key);
        let e = self.table.remove(hash, |e| e.key.borrow() == key)?;
        e.node.upgrade().map(|n| self.handle(n, hash))
    }

    /// Keeps the live entries for which `keep` returns `true`. Computes in
    /// **O(capacity)** time.
    ///
    /// ```
    /// use leanmem::weak::NotifyingMap;
    ///
    /// let mut map = NotifyingMap::new();
    /// let hs: Vec<_> = (0..6).map(|i| map.get_or_insert_with(i, || i * 10)).collect();
    /// map.retain(|k, _| k % 2 == 0);
    /// assert_eq!(map.len(), 3);
    /// # drop(hs);
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &V) -> bool) {
        self.drain(usize::MAX);
        let Self {
            table,
            hash_builder,
            shared,
            ..
        } = self;
        let map = Arc::downgrade(shared);
        table.retain(|e| {
            // `keep` sees the value through a handle of its own: if `keep`
            // drops the value's last other handle, this one is the last, and
            // its drop tells the map, as any last handle does. That matters
            // when `keep` (or the value's destructor) then panics: the entry
            // stays, and the notice removes it. Without a panic the entry
            // goes here, since the value is dead.
            let Some(node) = e.node.upgrade() else {
                return false;
            };
            let hash = hash_builder.hash_one(&e.key);
            let handle = Handle {
                node: Some(node),
                hash,
                map: map.clone(),
            };
            let kept = keep(&e.key, &handle);
            drop(handle);
            kept && e.node.strong_count() > 0
        });
    }

    /// Drains the whole dead-key queue now, returning how many entries it
    /// removed; every other `&mut self` call drains at most 256 notices
    /// first. Computes in time proportional to the notices waiting.
    ///
    /// ```
    /// use leanmem::weak::NotifyingMap;
    ///
    /// let mut map = NotifyingMap::new();
    /// let h = map.get_or_insert_with(1, || [0u8; 1024]);
    /// drop(h);
    /// assert_eq!(map.len(), 1);
    /// assert_eq!(map.purge(), 1);
    /// assert_eq!(map.len(), 0);
    /// ```
    pub fn purge(&mut self) -> usize {
        self.drain(usize::MAX).1
    }

    /// Drains, then shrinks the table and the dead-key queue to fit.
    /// Computes in **O(capacity)** time.
    ///
    /// ```
    /// use leanmem::weak::NotifyingMap;
    ///
    /// let mut map: NotifyingMap<u8, u8> = NotifyingMap::with_capacity(100);
    /// map.shrink_to_fit();
    /// assert!(map.capacity() < 100);
    /// ```
    pub fn shrink_to_fit(&mut self) {
        self.drain(usize::MAX);
        let hasher = entry_hasher::<K, V, S>(&self.hash_builder);
        self.table.shrink_to_fit(&hasher, &mut drop);
        self.spare = Vec::new();
        // The queue keeps the room of the largest burst it has held.
        self.shared
            .dead
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .shrink_to_fit();
    }
}

impl<K, V> Default for NotifyingMap<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: fmt::Debug + Hash, V: fmt::Debug, S: BuildHasher> fmt::Debug for NotifyingMap<K, V, S> {
    /// The live entries, as a map.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<'a, K: Hash, V, S: BuildHasher> IntoIterator for &'a NotifyingMap<K, V, S> {
    type Item = (&'a K, Handle<V>);
    type IntoIter = NotifyingIter<'a, K, V, S>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<K: HeapSize, V, S> HeapSize for NotifyingMap<K, V, S> {
    /// The table, what the keys own, the dead-key queue, and the small
    /// shared blocks of values that died but whose entries are not removed
    /// yet (only the map keeps those). Live values belong to their handles.
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        let queue = if cx.first_visit(Arc::as_ptr(&self.shared)) {
            let dead = self
                .shared
                .dead
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            block_size::<Shared>() + dead.capacity() * 8
        } else {
            0
        };
        queue
            + self.spare.capacity() * 8
            + self.table.heap_size_with(cx, |e, cx| {
                let dead = e.node.strong_count() == 0 && cx.first_visit(e.node.as_ptr());
                e.key.heap_size_with(cx) + if dead { block_size::<Node<V>>() } else { 0 }
            })
    }
}

/// Bytes of an `Arc<T>` block.
fn block_size<T>() -> usize {
    std::alloc::Layout::new::<[usize; 2]>()
        .extend(std::alloc::Layout::new::<T>())
        .map_or(0, |(l, _)| l.pad_to_align().size())
}

/// The live entries of a [`NotifyingMap`], as `(&K, Handle<V>)`; see
/// [`NotifyingMap::iter`].
pub struct NotifyingIter<'a, K, V, S = DefaultHashBuilder> {
    inner: Both<'a, NotifyEntry<K, V>>,
    /// Each handle carries its key's hash.
    hash_builder: &'a S,
    map: Weak<Shared>,
}

impl<'a, K: Hash, V, S: BuildHasher> Iterator for NotifyingIter<'a, K, V, S> {
    type Item = (&'a K, Handle<V>);

    fn next(&mut self) -> Option<Self::Item> {
        let map = &self.map;
        let hash_builder = self.hash_builder;
        self.inner.find_map(|e| {
            e.node.upgrade().map(|n| {
                (
                    &e.key,
                    Handle {
                        node: Some(n),
                        hash: hash_builder.hash_one(&e.key),
                        map: map.clone(),
                    },
                )
            })
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, self.inner.size_hint().1)
    }
}

impl<K: Hash, V, S: BuildHasher> std::iter::FusedIterator for NotifyingIter<'_, K, V, S> {}

impl<K, V, S> fmt::Debug for NotifyingIter<'_, K, V, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NotifyingIter")
            .field("remaining_at_most", &self.inner.size_hint().1)
            .finish()
    }
}
