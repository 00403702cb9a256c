//! The weak structures: deep sizes against the tracking allocator (exact),
//! and model tests against a `HashMap` that tracks which values are alive.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use leanmem::measure::{HeapContext, HeapSize};
use leanmem::weak::{
    Handle, NotifyingMap, Observers, WeakCache, WeakKeyMap, WeakSet, WeakValueMap,
};
use proptest::prelude::*;

use crate::measured;

/// Builds a value under measurement and checks its deep size against the
/// allocator.
#[track_caller]
fn check<T: HeapSize>(what: &str, build: impl FnOnce() -> T) -> T {
    let (value, m) = measured(build);
    assert_eq!(
        value.heap_size() as isize,
        m.net_bytes,
        "{what}: HeapSize disagrees with the allocator ({m})"
    );
    value
}

type Blob = [u8; 1024];

/// `n` values, the map over them, and the owners of every `keep`-th.
fn value_map_with_deaths(
    n: u64,
    keep: u64,
    calls: usize,
) -> (WeakValueMap<u64, Arc<Blob>>, Vec<Arc<Blob>>) {
    let all: Vec<Arc<Blob>> = (0..n).map(|_| Arc::new([7u8; 1024])).collect();
    let mut map = WeakValueMap::new();
    for (k, v) in all.iter().enumerate() {
        map.insert(k as u64, v);
    }
    let mut kept = Vec::new();
    for (k, v) in all.into_iter().enumerate() {
        if k as u64 % keep == 0 {
            kept.push(v);
        }
    }
    for _ in 0..calls {
        map.remove(&u64::MAX);
    }
    (map, kept)
}

#[test]
fn weak_value_map_heap_size_is_exact_in_every_state() {
    check("empty", WeakValueMap::<u64, Arc<Blob>>::new);
    check("with capacity", || {
        WeakValueMap::<String, Arc<Blob>>::with_capacity(100)
    });
    for n in [1u64, 10, 100, 3000] {
        for keep in [1u64, 3, 10] {
            for calls in [0usize, 1, 50, 1000] {
                check(&format!("{n} values, 1/{keep} kept, {calls} calls"), || {
                    value_map_with_deaths(n, keep, calls)
                });
            }
        }
    }
    // String keys own heap; dead blocks are counted until reclaimed.
    let (map, owners) = check("String keys, half dead", || {
        let all: Vec<Arc<Blob>> = (0..200).map(|_| Arc::new([0; 1024])).collect();
        let mut map = WeakValueMap::new();
        for (i, v) in all.iter().enumerate() {
            map.insert(format!("key number {i}"), v);
        }
        let kept: Vec<_> = all.into_iter().step_by(2).collect();
        (map, kept)
    });
    assert_eq!(owners.len(), 100);
    // The map alone: its table, the keys, and the 100 dead blocks.
    assert!(map.heap_size() >= 100 * 1040);
    // After a purge the dead blocks are gone from both counts.
    let (mut map, _owners) = (map, owners);
    let before = map.heap_size() as isize;
    let (purged, m) = measured(|| map.purge());
    assert_eq!(purged, 100);
    assert_eq!(map.heap_size() as isize - before, m.net_bytes);
    // 100 blocks of 1040 bytes and 100 keys' strings.
    assert!(m.net_bytes <= -100 * 1040 - 100 * 13, "{}", m.net_bytes);
}

#[test]
fn weak_value_map_mid_migration_is_exact() {
    // Grow past the small-table limit so inserts migrate incrementally,
    // and stop at every few hundred inserts to check.
    for stop in [1100usize, 1500, 1800, 2300, 3700] {
        check(&format!("stopped after {stop} inserts"), || {
            let all: Vec<Arc<u64>> = (0..stop as u64).map(Arc::new).collect();
            let mut map = WeakValueMap::new();
            for v in &all {
                map.insert(**v, v);
            }
            let kept: Vec<_> = all.into_iter().filter(|v| **v % 4 == 0).collect();
            (map, kept)
        });
    }
}

#[test]
fn rc_flavours_are_exact() {
    check("Rc WeakValueMap, half dead", || {
        let all: Vec<Rc<[u64; 4]>> = (0..100).map(|i| Rc::new([i; 4])).collect();
        let mut map = WeakValueMap::new();
        for (i, v) in all.iter().enumerate() {
            map.insert(i, v);
        }
        let kept: Vec<_> = all.into_iter().step_by(2).collect();
        (map, kept)
    });
    check("Rc WeakKeyMap, half dead", || {
        let keys: Vec<Rc<u32>> = (0..100).map(Rc::new).collect();
        let mut map = WeakKeyMap::new();
        for k in &keys {
            map.insert(k, vec![**k; 3]);
        }
        let kept: Vec<_> = keys.into_iter().step_by(2).collect();
        (map, kept)
    });
}

#[test]
fn weak_key_map_and_set_heap_size_is_exact() {
    for n in [0u32, 1, 50, 2000] {
        check(&format!("WeakKeyMap of {n}, a third dead"), || {
            let keys: Vec<Arc<u32>> = (0..n).map(Arc::new).collect();
            let mut map = WeakKeyMap::new();
            for k in &keys {
                map.insert(k, format!("value {k}"));
            }
            let kept: Vec<_> = keys.into_iter().filter(|k| **k % 3 != 0).collect();
            (map, kept)
        });
        check(&format!("WeakSet of {n}, half dead"), || {
            let members: Vec<Arc<[u8; 100]>> = (0..n).map(|_| Arc::new([0; 100])).collect();
            let set: WeakSet<Arc<[u8; 100]>> = members.iter().collect();
            let kept: Vec<_> = members.into_iter().step_by(2).collect();
            (set, kept)
        });
    }
}

#[test]
fn notifying_map_heap_size_is_exact_before_and_after_draining() {
    check("empty", NotifyingMap::<u64, Blob>::new);
    for n in [1u64, 100, 3000] {
        let (mut state, built) = measured(|| {
            let mut map = NotifyingMap::new();
            let handles: Vec<Handle<Blob>> = (0..n)
                .map(|k| map.get_or_insert_with(k, || [1; 1024]))
                .collect();
            (map, handles)
        });
        let mut net = built.net_bytes;
        assert_eq!(state.heap_size() as isize, net, "{n} built");
        // Every handle dropped: the values die, their blocks wait for the
        // drain, and the notices are queued.
        let ((), m) = measured(|| state.1.clear());
        net += m.net_bytes;
        assert_eq!(state.heap_size() as isize, net, "{n} dropped, not drained");
        assert_eq!(state.0.len(), n as usize);
        let (removed, m) = measured(|| state.0.purge());
        net += m.net_bytes;
        assert_eq!(removed, n as usize);
        assert_eq!(state.heap_size() as isize, net, "{n} drained");
        assert!(state.0.is_empty());
        // Only the (empty) table, the queue's block and the vector remain.
        let handles_vec = (state.1.capacity() * 16) as isize;
        assert!(
            net - handles_vec < 2 * (n as isize) * 17 + 4096,
            "{n}: {net} bytes left"
        );
    }
    check("String keys, handles kept for a third", || {
        let mut map = NotifyingMap::new();
        let all: Vec<Handle<Vec<u8>>> = (0..500)
            .map(|i| map.get_or_insert_with(format!("k{i}"), || vec![0; i % 50]))
            .collect();
        let kept: Vec<_> = all.into_iter().step_by(3).collect();
        (map, kept)
    });
    check("dead values not drained yet", || {
        let mut map = NotifyingMap::new();
        let all: Vec<Handle<Blob>> = (0..300u32)
            .map(|i| map.get_or_insert_with(i, || [0; 1024]))
            .collect();
        let kept: Vec<_> = all.into_iter().step_by(10).collect();
        (map, kept)
    });
}

#[test]
fn observers_heap_size_is_exact() {
    struct Owner([u64; 10]);
    impl Owner {
        fn on(&self, e: &u64) {
            assert!(self.0[0] <= *e);
        }
    }
    impl HeapSize for Owner {
        fn heap_size_with(&self, _: &mut HeapContext) -> usize {
            0
        }
    }
    check("observers, some owners dead", || {
        let owners: Vec<Arc<Owner>> = (0..100).map(|i| Arc::new(Owner([i; 10]))).collect();
        let mut list = Observers::new();
        for o in &owners {
            list.subscribe(o, Owner::on);
        }
        // A capturing closure and an unsized owner.
        let extra = 5u64;
        let unsized_owner: Arc<str> = Arc::from("an unsized owner");
        list.subscribe(&unsized_owner, move |s: &str, e: &u64| {
            assert!(s.len() as u64 + extra > *e / 1000)
        });
        let kept: Vec<_> = owners.into_iter().step_by(4).collect();
        (list, kept, unsized_owner)
    });
    let mut state = check("observers, all owners dead", || {
        let owners: Vec<Arc<Owner>> = (0..10).map(|i| Arc::new(Owner([i; 10]))).collect();
        let mut list = Observers::new();
        for o in &owners {
            list.subscribe(o, Owner::on);
        }
        list
    });
    let before = state.heap_size() as isize;
    let (called, m) = measured(|| state.notify(&100));
    assert_eq!(called, 0);
    assert_eq!(state.heap_size() as isize - before, m.net_bytes);
    assert!(state.is_empty());
}

#[test]
fn weak_cache_heap_size_is_exact() {
    for core in [0usize, 1, 16, 1000] {
        check(&format!("cache with core {core}"), || {
            let mut cache = WeakCache::new(core);
            let mut held = Vec::new();
            for i in 0..3000u32 {
                let v = cache.get_or_insert_with(i, || vec![i; 8]);
                if i % 7 == 0 {
                    held.push(v);
                }
                if i % 5 == 0 {
                    cache.get(&(i / 2));
                }
            }
            (cache, held)
        });
    }
}

/// The size of a shared structure is counted once across the pieces of a
/// tuple.
#[test]
fn shared_blocks_count_once_per_context() {
    let v = Arc::new([0u8; 1024]);
    let mut map = WeakValueMap::new();
    map.insert(1, &v);
    let mut cx = HeapContext::new();
    let table_only = map.heap_size_with(&mut cx);
    assert_eq!(v.heap_size_with(&mut cx), 1040);
    assert_eq!(map.heap_size_with(&mut cx), table_only);
}

// ---------------------------------------------------------------------------
// Model tests.

#[derive(Debug, Clone)]
enum MapOp {
    /// Insert key → a new value, whose owner is kept.
    Insert(u8),
    /// Insert key → a new value nobody keeps (dead at once).
    InsertDead(u8),
    /// Drop the owner of the value of this key, if any.
    Release(u8),
    Get(u8),
    Remove(u8),
    TryInsert(u8),
    Purge,
    RetainEven,
    Clone,
}

fn map_op() -> impl Strategy<Value = MapOp> {
    prop_oneof![
        4 => any::<u8>().prop_map(|k| MapOp::Insert(k % 64)),
        1 => any::<u8>().prop_map(|k| MapOp::InsertDead(k % 64)),
        3 => any::<u8>().prop_map(|k| MapOp::Release(k % 64)),
        3 => any::<u8>().prop_map(|k| MapOp::Get(k % 64)),
        1 => any::<u8>().prop_map(|k| MapOp::Remove(k % 64)),
        1 => any::<u8>().prop_map(|k| MapOp::TryInsert(k % 64)),
        1 => Just(MapOp::Purge),
        1 => Just(MapOp::RetainEven),
        1 => Just(MapOp::Clone),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// `WeakValueMap` against a `HashMap<key, value id>` model plus the set
    /// of live values: every lookup, the live entries and the bounds on
    /// `len` agree after every operation.
    #[test]
    fn weak_value_map_matches_a_model(ops in prop::collection::vec(map_op(), 0..200)) {
        let mut map: WeakValueMap<u8, Arc<u32>> = WeakValueMap::new();
        let mut model: HashMap<u8, u32> = HashMap::new();
        let mut owners: HashMap<u32, Arc<u32>> = HashMap::new();
        let mut next = 0u32;
        let alive = |owners: &HashMap<u32, Arc<u32>>, model: &HashMap<u8, u32>, k: u8| {
            model.get(&k).filter(|id| owners.contains_key(id)).copied()
        };
        for op in &ops {
            match op {
                MapOp::Insert(k) | MapOp::InsertDead(k) => {
                    next += 1;
                    let v = Arc::new(next);
                    let old = map.insert(*k, &v);
                    prop_assert_eq!(old.map(|o| *o), alive(&owners, &model, *k));
                    model.insert(*k, next);
                    if matches!(op, MapOp::Insert(_)) {
                        owners.insert(next, v);
                    }
                }
                MapOp::Release(k) => {
                    if let Some(id) = model.get(k) {
                        owners.remove(id);
                    }
                }
                MapOp::Get(k) => {
                    prop_assert_eq!(map.get(k).map(|v| *v), alive(&owners, &model, *k));
                    prop_assert_eq!(map.contains_key(k), alive(&owners, &model, *k).is_some());
                }
                MapOp::Remove(k) => {
                    let expect = alive(&owners, &model, *k);
                    prop_assert_eq!(map.remove(k).map(|v| *v), expect);
                    model.remove(k);
                }
                MapOp::TryInsert(k) => {
                    next += 1;
                    let v = Arc::new(next);
                    match alive(&owners, &model, *k) {
                        Some(id) => {
                            let err = map.try_insert(*k, &v).unwrap_err();
                            prop_assert_eq!(*err.existing, id);
                        }
                        None => {
                            prop_assert!(map.try_insert(*k, &v).is_ok());
                            model.insert(*k, next);
                            owners.insert(next, v);
                        }
                    }
                }
                MapOp::Purge => {
                    map.purge();
                    let live = model.keys().filter(|k| alive(&owners, &model, **k).is_some()).count();
                    prop_assert_eq!(map.len(), live);
                }
                MapOp::RetainEven => {
                    map.retain(|k, _| k % 2 == 0);
                    model.retain(|k, _| k % 2 == 0);
                }
                MapOp::Clone => {
                    map = map.clone();
                }
            }
            let live: HashMap<u8, u32> = model
                .keys()
                .filter_map(|k| alive(&owners, &model, *k).map(|id| (*k, id)))
                .collect();
            let seen: HashMap<u8, u32> = map.iter().map(|(k, v)| (*k, *v)).collect();
            prop_assert_eq!(&seen, &live);
            prop_assert!(map.len() >= live.len());
            prop_assert!(map.len() <= model.len());
        }
    }
}

#[derive(Debug, Clone)]
enum NotifyOp {
    /// get_or_insert_with, keeping the handle.
    Hold(u8),
    /// get_or_insert_with, dropping the handle at once.
    Touch(u8),
    /// Drop one held handle (by position).
    Release(u8),
    Get(u8),
    Remove(u8),
    RetainEven,
}

fn notify_op() -> impl Strategy<Value = NotifyOp> {
    prop_oneof![
        4 => any::<u8>().prop_map(|k| NotifyOp::Hold(k % 32)),
        2 => any::<u8>().prop_map(|k| NotifyOp::Touch(k % 32)),
        4 => any::<u8>().prop_map(NotifyOp::Release),
        3 => any::<u8>().prop_map(|k| NotifyOp::Get(k % 32)),
        1 => any::<u8>().prop_map(|k| NotifyOp::Remove(k % 32)),
        1 => Just(NotifyOp::RetainEven),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// `NotifyingMap` against a model of which keys have a live, attached
    /// value: `len` is exact after every `&mut` call, every value is
    /// created once per life, and lookups agree.
    #[test]
    fn notifying_map_len_is_exact_against_a_model(ops in prop::collection::vec(notify_op(), 0..200)) {
        let mut map: NotifyingMap<u8, (u8, u32)> = NotifyingMap::new();
        // The handles held, and which of them are attached to the map.
        let mut held: Vec<Handle<(u8, u32)>> = Vec::new();
        let mut attached: HashMap<u8, u32> = HashMap::new();
        let mut made = 0u32;
        for op in &ops {
            match op {
                NotifyOp::Hold(k) | NotifyOp::Touch(k) => {
                    // Attached and alive? (A handle of it is held.)
                    let live = attached.get(k).copied().filter(|id| held.iter().any(|h| h.1 == *id));
                    let h = map.get_or_insert_with(*k, || { made += 1; (*k, made) });
                    match live {
                        Some(id) => prop_assert_eq!(h.1, id),
                        None => {
                            prop_assert_eq!(h.1, made);
                            attached.insert(*k, made);
                        }
                    }
                    if matches!(op, NotifyOp::Hold(_)) {
                        held.push(h);
                    } else {
                        // Dropped after the call: counted until the next one.
                        drop(h);
                        let expect = attached.iter().filter(|(_, id)| held.iter().any(|h| h.1 == **id)).count();
                        prop_assert!(map.len() >= expect);
                        map.remove(&u8::MAX); // any `&mut` call drains
                    }
                }
                NotifyOp::Release(i) => {
                    if !held.is_empty() {
                        let i = usize::from(*i) % held.len();
                        held.swap_remove(i);
                    }
                    map.remove(&u8::MAX); // any `&mut` call drains
                }
                NotifyOp::Get(k) => {
                    let live = attached.get(k).copied().filter(|id| held.iter().any(|h| h.1 == *id));
                    prop_assert_eq!(map.get(k).map(|h| h.1), live);
                }
                NotifyOp::Remove(k) => {
                    let live = attached.get(k).copied().filter(|id| held.iter().any(|h| h.1 == *id));
                    prop_assert_eq!(map.remove(k).map(|h| h.1), live);
                    attached.remove(k);
                }
                NotifyOp::RetainEven => {
                    map.retain(|k, _| k % 2 == 0);
                    attached.retain(|k, _| k % 2 == 0);
                }
            }
            attached.retain(|_, id| held.iter().any(|h| h.1 == *id));
            prop_assert_eq!(map.len(), attached.len(), "after {:?}", op);
        }
    }
}

#[derive(Debug, Clone)]
enum CacheOp {
    GetOrInsert(u8, bool),
    Get(u8),
    Release(u8),
    Remove(u8),
}

fn cache_op() -> impl Strategy<Value = CacheOp> {
    prop_oneof![
        4 => (any::<u8>(), any::<bool>()).prop_map(|(k, hold)| CacheOp::GetOrInsert(k % 24, hold)),
        3 => any::<u8>().prop_map(|k| CacheOp::Get(k % 24)),
        2 => any::<u8>().prop_map(CacheOp::Release),
        1 => any::<u8>().prop_map(|k| CacheOp::Remove(k % 24)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// `WeakCache` against a model: an LRU list of the core's keys and the
    /// handles held outside. Lookups and the hit, miss, insert and eviction
    /// counters agree exactly; after a purge, `len` is the number of live
    /// keys and every insert is accounted for.
    #[test]
    fn weak_cache_matches_an_lru_model(core in 0usize..6, ops in prop::collection::vec(cache_op(), 0..150)) {
        let mut cache: WeakCache<u8, (u8, u32)> = WeakCache::new(core);
        let mut lru: Vec<u8> = Vec::new(); // most recent first
        let mut values: HashMap<u8, u32> = HashMap::new(); // attached value ids
        let mut held: Vec<Arc<(u8, u32)>> = Vec::new();
        let (mut hits, mut misses, mut inserts, mut evictions, mut removed) = (0u64, 0u64, 0u64, 0u64, 0u64);
        let mut made = 0u32;
        let is_live = |k: u8, lru: &Vec<u8>, values: &HashMap<u8, u32>, held: &Vec<Arc<(u8, u32)>>| {
            values.get(&k).is_some_and(|id| lru.contains(&k) || held.iter().any(|h| h.1 == *id))
        };
        let touch = |k: u8, lru: &mut Vec<u8>, evictions: &mut u64| {
            if core == 0 {
                return;
            }
            if let Some(i) = lru.iter().position(|x| *x == k) {
                lru.remove(i);
            } else if lru.len() == core {
                lru.pop();
                *evictions += 1;
            }
            lru.insert(0, k);
        };
        for op in &ops {
            match op {
                CacheOp::GetOrInsert(k, hold) => {
                    let v = if is_live(*k, &lru, &values, &held) {
                        hits += 1;
                        let id = values[k];
                        let v = cache.get_or_insert_with(*k, || unreachable!());
                        prop_assert_eq!(v.1, id);
                        v
                    } else {
                        misses += 1;
                        inserts += 1;
                        made += 1;
                        values.insert(*k, made);
                        let v = cache.get_or_insert_with(*k, || (*k, made));
                        prop_assert_eq!(v.1, made);
                        v
                    };
                    touch(*k, &mut lru, &mut evictions);
                    if *hold {
                        held.push(v);
                    }
                }
                CacheOp::Get(k) => {
                    if is_live(*k, &lru, &values, &held) {
                        hits += 1;
                        prop_assert_eq!(cache.get(k).map(|v| v.1), Some(values[k]));
                        touch(*k, &mut lru, &mut evictions);
                    } else {
                        misses += 1;
                        prop_assert_eq!(cache.get(k), None);
                    }
                }
                CacheOp::Release(i) => {
                    if !held.is_empty() {
                        let i = usize::from(*i) % held.len();
                        held.swap_remove(i);
                    }
                }
                CacheOp::Remove(k) => {
                    let live = is_live(*k, &lru, &values, &held);
                    let got = cache.remove(k);
                    prop_assert_eq!(got.map(|v| v.1), if live { Some(values[k]) } else { None });
                    if live {
                        removed += 1;
                    }
                    lru.retain(|x| x != k);
                    values.remove(k);
                }
            }
            let s = cache.stats();
            prop_assert_eq!((s.hits, s.misses, s.inserts, s.evictions), (hits, misses, inserts, evictions));
            prop_assert_eq!(cache.core_len(), lru.len());
        }
        cache.purge();
        let live = values.keys().filter(|k| is_live(**k, &lru, &values, &held)).count();
        prop_assert_eq!(cache.len(), live);
        // Every inserted value is live, was removed alive, or expired.
        let s = cache.stats();
        prop_assert!(s.expired + live as u64 + removed <= s.inserts);
    }
}

#[test]
fn values_dying_on_other_threads_never_resolve_dead() {
    // Four threads drop their values while this thread looks them up and
    // inserts: a lookup is a miss or the right live value, never anything
    // else, and after the threads are done the map forgets them all.
    let mut map = WeakValueMap::new();
    let mut notifying = NotifyingMap::new();
    type Batch = Vec<(Arc<(u64, u64)>, Handle<u64>)>;
    let mut batches: Vec<Batch> = Vec::new();
    for t in 0..4u64 {
        let batch = (0..2000u64)
            .map(|i| {
                let k = t * 10_000 + i;
                let v = Arc::new((k, k ^ 0xABCD));
                map.insert(k, &v);
                (v, notifying.get_or_insert_with(k, || k * 3))
            })
            .collect();
        batches.push(batch);
    }
    let done = Mutex::new(0);
    std::thread::scope(|s| {
        for batch in batches {
            let done = &done;
            s.spawn(move || {
                for chunk in batch.chunks(100) {
                    drop(chunk.to_vec());
                }
                drop(batch);
                *done.lock().unwrap() += 1;
            });
        }
        let mut k = 0u64;
        while *done.lock().unwrap() < 4 {
            let key = (k % 4) * 10_000 + k % 2000;
            if let Some(v) = map.get(&key) {
                assert_eq!(*v, (key, key ^ 0xABCD));
            }
            if let Some(h) = notifying.get(&key) {
                assert_eq!(*h, key * 3);
            }
            if k % 3 == 0 {
                map.remove(&u64::MAX);
                notifying.remove(&u64::MAX);
            }
            k += 1;
        }
    });
    notifying.purge();
    assert_eq!(notifying.len(), 0);
    map.purge();
    assert_eq!(map.len(), 0);
}

#[cfg(feature = "serde")]
#[test]
fn cache_stats_round_trip_through_serde() {
    let mut cache = WeakCache::new(1);
    let a = cache.get_or_insert_with(1, || 1);
    cache.get_or_insert_with(1, || 1);
    cache.get_or_insert_with(2, || 2);
    let stats = cache.stats();
    let json = serde_json::to_string(&stats).unwrap();
    assert_eq!(
        json,
        r#"{"hits":1,"misses":2,"inserts":2,"evictions":1,"expired":0}"#
    );
    let back: leanmem::weak::CacheStats = serde_json::from_str(&json).unwrap();
    assert_eq!(back, stats);
    drop(a);
}

/// `purge` frees the table a migration was moving out of when every entry
/// left in it was dead (it kept that allocation until a later migration).
#[test]
fn purge_frees_a_migration_table_left_all_dead() {
    let mut map = WeakValueMap::new();
    let owners: Vec<Arc<u64>> = (0..1793).map(Arc::new).collect();
    for (k, v) in owners.iter().enumerate() {
        map.insert(k, v);
    }
    drop(owners);
    map.purge();
    map.shrink_to_fit();
    assert_eq!(map.len(), 0);
    assert_eq!(map.heap_size(), 0, "no table left");
    let mut keys = WeakKeyMap::new();
    let owners: Vec<Arc<u64>> = (0..1793).map(Arc::new).collect();
    for (i, k) in owners.iter().enumerate() {
        keys.insert(k, i);
    }
    drop(owners);
    keys.purge();
    keys.shrink_to_fit();
    assert_eq!(keys.heap_size(), 0, "no table left");
}

/// Room reserved by `with_capacity` or `reserve` stays until it is used or
/// `shrink_to_fit` gives it back: the shrinking of a mostly empty table
/// used to undo it at the next call.
#[test]
fn reserved_room_is_kept() {
    let owners: Vec<Arc<u64>> = (0..5000).map(Arc::new).collect();
    let mut map = WeakValueMap::with_capacity(5000);
    let cap = map.capacity();
    assert!(cap >= 5000);
    for (k, v) in owners.iter().enumerate() {
        map.insert(k, v);
        assert_eq!(
            map.capacity(),
            cap,
            "no resize while filling the reservation"
        );
    }
    let mut map: WeakValueMap<usize, Arc<u64>> = WeakValueMap::new();
    map.reserve(100_000);
    map.insert(0, &owners[0]);
    map.insert(1, &owners[1]);
    assert!(map.capacity() >= 100_000, "{}", map.capacity());
    map.shrink_to_fit();
    assert!(map.capacity() < 100);
    let mut keys = WeakKeyMap::with_capacity(3000);
    keys.insert(&owners[0], 0);
    keys.insert(&owners[1], 1);
    assert!(keys.capacity() >= 3000, "{}", keys.capacity());
    let mut nm: NotifyingMap<u64, u64> = NotifyingMap::with_capacity(3000);
    let _h = nm.get_or_insert_with(1, || 1);
    let _g = nm.get_or_insert_with(2, || 2);
    assert!(nm.capacity() >= 3000, "{}", nm.capacity());
}

/// `retain` removes an entry whose last outside owner its predicate
/// dropped (the handle it was given was then the last).
#[test]
fn retain_forgets_entries_whose_predicate_dropped_the_last_owner() {
    let mut owners: Vec<Arc<u64>> = (0..10).map(Arc::new).collect();
    let mut map = WeakValueMap::new();
    for (k, v) in owners.iter().enumerate() {
        map.insert(k as u64, v);
    }
    map.retain(|k, _| {
        owners.retain(|o| **o != *k);
        true
    });
    assert_eq!(map.len(), 0);
    // A key kept alive only by its own value.
    let mut keys = WeakKeyMap::new();
    for i in 0..10u64 {
        let k = Arc::new(i);
        keys.insert(&k, Some(Arc::clone(&k)));
    }
    assert_eq!(keys.len(), 10);
    keys.retain(|_, v| {
        *v = None;
        true
    });
    assert_eq!(keys.len(), 0);
}

/// A value whose destructor panics when armed.
struct Bomb(bool);

impl Drop for Bomb {
    fn drop(&mut self) {
        if self.0 && !std::thread::panicking() {
            panic!("bomb");
        }
    }
}

/// A value whose destructor panics during `WeakCache::clear` leaves an
/// empty cache that still works.
#[test]
fn cache_clear_survives_a_panicking_destructor() {
    let mut cache = WeakCache::new(2);
    drop(cache.get_or_insert_with(1, || Bomb(true)));
    drop(cache.get_or_insert_with(2, || Bomb(false)));
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cache.clear()));
    assert!(caught.is_err());
    assert_eq!(cache.core_len(), 0);
    assert!(cache.is_empty());
    for k in 0..10 {
        drop(cache.get_or_insert_with(k, || Bomb(false)));
    }
    assert_eq!(cache.core_len(), 2);
}

/// A value whose destructor panics when the core evicts it for a new one:
/// the new value was not stored and is not counted as an insert, so every
/// insert is still live, removed or expired.
#[test]
fn cache_counts_no_insert_when_the_eviction_before_it_panics() {
    let mut cache = WeakCache::new(1);
    drop(cache.get_or_insert_with(1, || Bomb(true)));
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        drop(cache.get_or_insert_with(2, || Bomb(false)));
    }));
    assert!(caught.is_err());
    assert_eq!(cache.core_len(), 0);
    assert!(cache.peek(&2).is_none());
    cache.purge();
    let s = cache.stats();
    assert_eq!((s.misses, s.inserts, s.evictions, s.expired), (2, 1, 1, 1));
    assert!(cache.is_empty());
}

/// A key whose destructor panics during `WeakCache::clear` while the table
/// is being resized leaves an empty cache that still works. (The table
/// being moved out of kept its entries, pointing into the core `clear` had
/// just emptied: the next hit on one of them indexed past the core.)
#[test]
fn cache_clear_mid_resize_survives_a_panicking_key_destructor() {
    let mut cache: WeakCache<BombKey, u32> = WeakCache::new(4000);
    // 1792 entries fill a table of 2048 buckets: the next insert starts
    // moving it into a larger one, a few buckets per call.
    let mut held: Vec<Arc<u32>> = (0..1793)
        .map(|k| cache.get_or_insert_with(BombKey(k, Bomb(false)), || k))
        .collect();
    held.push(cache.get_or_insert_with(BombKey(u32::MAX, Bomb(true)), || 0));
    assert_eq!(cache.core_len(), 1794);
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cache.clear()));
    assert!(caught.is_err());
    assert!(cache.is_empty(), "{} entries left", cache.len());
    assert_eq!(cache.core_len(), 0);
    for k in 0..1793 {
        assert_eq!(cache.get(&BombKey(k, Bomb(false))), None);
    }
    let again = cache.get_or_insert_with(BombKey(7, Bomb(false)), || 7);
    assert_eq!((*again, cache.core_len(), cache.len()), (7, 1, 1));
    drop((held, again));
}

/// A value whose destructor panics still tells its `NotifyingMap` that it
/// died: the entry goes at the next call, and `len` is exact again.
#[test]
fn notifying_map_hears_of_a_value_whose_destructor_panics() {
    let mut map = NotifyingMap::new();
    let kept = map.get_or_insert_with(0, || Bomb(false));
    let h = map.get_or_insert_with(1, || Bomb(true));
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(h)));
    assert!(caught.is_err());
    assert!(map.get(&1).is_none());
    assert_eq!(map.purge(), 1);
    assert_eq!(map.len(), 1);
    assert!(map.get(&0).is_some());
    drop(kept);
}

/// A `retain` predicate that drops a value's last handle and then panics
/// kills the value inside `retain`: the map still hears of it, and the
/// entry goes at the next call (it stayed, dead and never drained).
#[test]
fn notifying_map_retain_whose_predicate_panics_after_dropping_the_last_handle() {
    let mut map = NotifyingMap::new();
    let kept = map.get_or_insert_with(0, || 0);
    let mut last = Some(map.get_or_insert_with(1, || 1));
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        map.retain(|k, _| {
            if *k == 1 {
                drop(last.take());
                panic!("predicate");
            }
            true
        });
    }));
    assert!(caught.is_err());
    assert!(last.is_none());
    assert!(map.get(&1).is_none());
    assert_eq!(map.purge(), 1);
    assert_eq!(map.len(), 1);
    assert!(map.get(&0).is_some());
    drop(kept);
}

/// A key whose destructor panics when armed (its `Bomb`); hashed and
/// compared by its id.
struct BombKey(
    u32,
    #[expect(dead_code, reason = "held for its destructor")] Bomb,
);

impl PartialEq for BombKey {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Eq for BombKey {}

impl std::hash::Hash for BombKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

/// `get_or_insert_with` drains the notices its `make` caused after the
/// insert; a key destructor panicking there unwinds past the new value,
/// which must still tell the map that it died (it died through a bare
/// `Arc`, and its entry stayed for good).
#[test]
fn notifying_map_new_value_dying_in_a_panicking_drain_tells_the_map() {
    let mut map = NotifyingMap::new();
    let old = map.get_or_insert_with(BombKey(0, Bomb(true)), || 0);
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // Dropping `old` queues key 0's notice; draining it drops that key,
        // which panics.
        map.get_or_insert_with(BombKey(1, Bomb(false)), move || {
            drop(old);
            1
        })
    }));
    assert!(caught.is_err());
    assert!(map.get(&BombKey(1, Bomb(false))).is_none());
    assert_eq!(map.purge(), 1);
    assert!(map.is_empty(), "{} entries left", map.len());
}

/// An entry whose value died and is then replaced by `insert` or dropped
/// by `remove` counts as expired: after a purge, every insert is live,
/// removed alive, or expired.
#[test]
fn cache_counts_entries_replaced_after_death_as_expired() {
    let mut cache = WeakCache::new(0);
    let held: Vec<Arc<u64>> = (0..1000)
        .map(|k| cache.get_or_insert_with(k, || k))
        .collect();
    for k in 1000..1100 {
        drop(cache.get_or_insert_with(k, || k));
    }
    for k in 1000..1100 {
        drop(cache.insert(k, Arc::new(k)));
    }
    for k in 1100..1110 {
        drop(cache.get_or_insert_with(k, || k));
        assert_eq!(cache.remove(&k), None);
    }
    cache.purge();
    let s = cache.stats();
    assert_eq!(s.inserts, 1210);
    assert_eq!(cache.len(), held.len());
    assert_eq!(s.expired + held.len() as u64, s.inserts, "{s:?}");
}
