//! Unit tests of the weak structures: behaviour, bounded work, threads.

use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};

use super::notifying::DRAIN_STEP;
use super::*;

/// Counts drops of its values.
#[derive(Debug)]
struct Counted<'a>(u64, &'a AtomicUsize);

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.1.fetch_add(1, SeqCst);
    }
}

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn thread_safety_is_what_the_docs_say() {
    assert_send_sync::<WeakValueMap<String, Arc<Vec<u8>>>>();
    assert_send_sync::<WeakKeyMap<Arc<str>, u32>>();
    assert_send_sync::<WeakSet<Arc<u8>>>();
    assert_send_sync::<NotifyingMap<String, Vec<u8>>>();
    assert_send_sync::<Handle<Vec<u8>>>();
    assert_send_sync::<Observers<str>>();
    assert_send_sync::<WeakCache<u64, String>>();
}

#[test]
fn small_handles() {
    assert_eq!(std::mem::size_of::<Handle<[u8; 1024]>>(), 24);
    assert_eq!(std::mem::size_of::<Option<Handle<u8>>>(), 24);
    assert_eq!(std::mem::size_of::<Option<SubscriptionId>>(), 8);
    assert_eq!(<Arc<[u8; 1024]> as StrongRef>::block_size(), 1040);
    assert_eq!(<Rc<u8> as StrongRef>::block_size(), 24);
}

#[test]
fn weak_value_map_follows_its_values() {
    let mut map = WeakValueMap::new();
    let values: Vec<Arc<u64>> = (0..100).map(Arc::new).collect();
    for v in &values {
        assert!(map.insert(**v, v).is_none());
    }
    assert_eq!(map.len(), 100);
    assert_eq!(map.get(&7).as_deref(), Some(&7));
    assert!(map.contains_key(&99));
    assert!(!map.contains_key(&100));
    let mut kept = values;
    let dropped: Vec<_> = kept.drain(50..).collect();
    drop(dropped);
    // Dead entries miss at once and are skipped by iteration...
    assert_eq!(map.get(&60), None);
    assert!(!map.contains_key(&60));
    assert_eq!(map.iter().count(), 50);
    assert_eq!(map.keys().count(), 50);
    // ...but are counted by `len` until reclaimed.
    assert!(map.len() >= 50);
    let held = map.len();
    assert_eq!(map.purge(), held - 50);
    assert_eq!(map.len(), 50);
    assert_eq!(map.remove(&3).as_deref(), Some(&3));
    assert_eq!(map.remove(&3), None);
    assert_eq!(map.len(), 49);
    // Replacing returns the live old value.
    let new = Arc::new(1000);
    assert_eq!(map.insert(4, &new).as_deref(), Some(&4));
    assert_eq!(map.get(&4).as_deref(), Some(&1000));
    // `retain` sees only live values.
    map.retain(|k, _| k % 2 == 0);
    assert!(map.iter().all(|(k, _)| k % 2 == 0));
    let clone = map.clone();
    assert_eq!(clone.iter().count(), map.iter().count());
    drop(kept);
    assert_eq!(clone.iter().count(), 1); // only `new` is alive
    assert_eq!(format!("{clone:?}"), "{4: 1000}");
}

#[test]
fn weak_value_map_rc_flavour() {
    let mut map: WeakValueMap<&str, Rc<String>> = WeakValueMap::new();
    let a = Rc::new("a".to_string());
    map.insert("a", &a);
    assert_eq!(map.get("a").as_deref().map(String::as_str), Some("a"));
    drop(a);
    assert_eq!(map.get("a"), None);
    let all: Vec<_> = map.into_iter().collect();
    assert!(all.is_empty());
}

#[test]
fn try_insert_loses_nothing() {
    let mut map = WeakValueMap::new();
    let a = Arc::new('a');
    let b = Arc::new('b');
    map.try_insert("k".to_string(), &a).unwrap();
    let err = map.try_insert("k".to_string(), &b).unwrap_err();
    assert_eq!(err.key, "k");
    assert!(Arc::ptr_eq(&err.existing, &a));
    assert!(Arc::ptr_eq(&map.get("k").unwrap(), &a));
    assert_eq!(Arc::strong_count(&b), 1);
}

/// Every dead entry is reclaimed within `buckets / 4` mutating calls: one
/// sweep pass of `buckets / 8`, plus a resize that may start meanwhile.
#[test]
fn every_dead_entry_is_reclaimed_within_buckets_over_4_calls() {
    for (n, keep) in [(5000u64, 10u64), (5000, 2), (30_000, 10), (30_000, 1000)] {
        let values: Vec<Arc<u64>> = (0..n).map(Arc::new).collect();
        let mut map = WeakValueMap::new();
        for v in &values {
            map.insert(**v, v);
        }
        let live: Vec<Arc<u64>> = values
            .iter()
            .filter(|v| ***v % keep == 0)
            .cloned()
            .collect();
        drop(values);
        assert_eq!(map.len(), n as usize);
        let bound = map.buckets() / 4;
        for i in 0..bound {
            map.remove(&u64::MAX);
            if i < bound / 8 {
                assert!(
                    map.len() > live.len(),
                    "reclaimed faster than 8 buckets per call"
                );
            }
        }
        assert_eq!(map.len(), live.len(), "{n} values, 1 in {keep} kept");
        for v in &live {
            assert!(Arc::ptr_eq(&map.get(v).unwrap(), v));
        }
    }
}

/// A full large table migrates a bounded number of buckets per call, and
/// every entry stays reachable meanwhile.
#[test]
fn growth_is_incremental_and_lookups_see_both_tables() {
    let n = 40_000u64;
    let values: Vec<Arc<u64>> = (0..n).map(Arc::new).collect();
    let mut map = WeakValueMap::new();
    let mut migrations = 0;
    let mut was_migrating = false;
    for v in &values {
        map.insert(**v, v);
        match map.table.migration_step() {
            Some(step) => {
                assert!(step <= 32, "step {step}");
                if !was_migrating {
                    migrations += 1;
                }
                was_migrating = true;
                // Spot-check an early key and the newest one.
                assert_eq!(map.get(&0).as_deref(), Some(&0));
                assert_eq!(map.get(&**v).as_deref(), Some(&**v));
            }
            None => was_migrating = false,
        }
    }
    assert!(migrations >= 3, "{migrations} migrations");
    assert_eq!(map.len(), n as usize);
    for v in &values {
        assert_eq!(map.get(&**v).as_deref(), Some(&**v));
    }
}

#[test]
fn table_shrinks_when_most_values_die() {
    let n = 20_000u64;
    let values: Vec<Arc<u64>> = (0..n).map(Arc::new).collect();
    let mut map = WeakValueMap::new();
    for v in &values {
        map.insert(**v, v);
    }
    let before = map.capacity();
    let live: Vec<Arc<u64>> = values.iter().take(100).cloned().collect();
    drop(values);
    for _ in 0..4 * map.buckets() / SWEEP_STEP {
        map.remove(&u64::MAX);
    }
    assert!(
        map.capacity() * 8 < before,
        "{} vs {before}",
        map.capacity()
    );
    assert_eq!(map.len(), 100);
    for v in &live {
        assert!(map.contains_key(v));
    }
}

#[test]
fn weak_key_map_drops_values_with_their_keys() {
    let drops = AtomicUsize::new(0);
    let mut map = WeakKeyMap::new();
    let keys: Vec<Arc<u32>> = (0..10).map(Arc::new).collect();
    for k in &keys {
        map.insert(k, Counted(u64::from(**k), &drops));
    }
    // Identity, not equality.
    assert!(map.get(&Arc::new(3)).is_none());
    assert_eq!(map[&keys[3]].0, 3);
    *map.get_or_insert_with(&keys[3], || unreachable!()) = Counted(33, &drops);
    assert_eq!(drops.load(SeqCst), 1);
    let mut keys = keys;
    keys.truncate(4);
    assert_eq!(map.iter().count(), 4);
    assert_eq!(drops.load(SeqCst), 1); // not reclaimed yet
    assert_eq!(map.purge(), 6);
    assert_eq!(drops.load(SeqCst), 7);
    assert_eq!(map.remove(&keys[0]).map(|c| c.0), Some(0));
    for (_, v) in map.iter_mut() {
        v.0 += 100;
    }
    assert_eq!(map[&keys[3]].0, 133);
    drop(map);
    assert_eq!(drops.load(SeqCst), 11);
}

#[test]
#[should_panic(expected = "no value is attached")]
fn weak_key_map_index_panics_on_a_missing_key() {
    let map: WeakKeyMap<Arc<u8>, u8> = WeakKeyMap::new();
    let _ = map[&Arc::new(0)];
}

#[test]
fn weak_set_by_identity() {
    let a = Rc::new(1);
    let b = Rc::new(1);
    let mut set = WeakSet::new();
    assert!(set.insert(&a));
    assert!(set.insert(&b));
    assert!(!set.insert(&a));
    assert_eq!(set.len(), 2);
    drop(a);
    assert_eq!(set.iter().count(), 1);
    assert!(set.contains(&b));
    assert_eq!(set.purge(), 1);
    assert!(set.remove(&b));
    assert!(set.is_empty());
}

#[test]
fn notifying_map_len_is_exact_after_every_call() {
    let mut map = NotifyingMap::new();
    let mut handles: Vec<Handle<u64>> = (0..1000u64)
        .map(|i| map.get_or_insert_with(i, || i))
        .collect();
    assert_eq!(map.len(), 1000);
    for round in 0..10u64 {
        handles.retain(|h| **h % 10 != round);
        map.purge();
        assert_eq!(map.len(), handles.len());
        // Dead keys miss; live keys hit.
        assert_eq!(map.get(&round), None);
        assert_eq!(map.get(&(round + 1)).is_some(), round < 9);
    }
    assert!(map.is_empty());
}

#[test]
fn notifying_map_frees_a_value_when_its_last_handle_drops() {
    let mut map = NotifyingMap::new();
    let handles: Vec<Handle<[u8; 1024]>> = (0..100u64)
        .map(|k| map.get_or_insert_with(k, || [k as u8; 1024]))
        .collect();
    // Dropped with no call on the map since: the values' blocks are freed
    // at once; only the small shared blocks wait for the map.
    let ((), m) = crate::measure::measure(|| drop(handles));
    let m = m.expect("the test binary installs a tracking allocator");
    assert_eq!(m.deallocations, 100 + 1, "100 values and the vector");
    assert_eq!(
        m.freed_bytes,
        100 * 1024 + 100 * std::mem::size_of::<Handle<[u8; 1024]>>()
    );
    assert_eq!(map.len(), 100);
    assert_eq!(map.purge(), 100);
}

#[test]
fn notifying_map_drains_a_mass_death_in_bounded_steps() {
    let n = 3 * DRAIN_STEP as u64 + 100;
    let mut map = NotifyingMap::new();
    let mut handles: Vec<Handle<u64>> = (0..n).map(|k| map.get_or_insert_with(k, || k)).collect();
    let kept = handles.split_off(n as usize - 10); // the last ten live on
    drop(handles);
    let dead = n as usize - 10;
    // Each call removes at most DRAIN_STEP entries; `len` counts the rest.
    for step in 1..=3 {
        map.remove(&u64::MAX);
        assert_eq!(
            map.len(),
            n as usize - step * DRAIN_STEP,
            "after call {step}"
        );
        // Dead keys miss and live ones hit while the backlog drains.
        assert!(map.get(&0).is_none() && map.get(&(dead as u64 - 1)).is_none());
        assert_eq!(map.get(&(n - 1)).as_deref(), Some(&(n - 1)));
    }
    // The last 90 notices: one more call, and `len` is exact again.
    map.remove(&u64::MAX);
    assert_eq!(map.len(), 10);
    // Notices that arrive during a backlog are drained after it.
    let mut map2 = NotifyingMap::new();
    let hs: Vec<Handle<u64>> = (0..n).map(|k| map2.get_or_insert_with(k, || k)).collect();
    drop(hs);
    map2.remove(&u64::MAX);
    let late = map2.get_or_insert_with(u64::MAX - 1, || 0);
    drop(late);
    // The second call took the second step (its budget covers the notices
    // `make` may send too); the rest, and the late notice, go at once.
    assert_eq!(map2.purge(), n as usize - 2 * DRAIN_STEP + 1);
    assert!(map2.is_empty());
    drop(kept);
}

#[test]
fn notifying_map_retain_whose_predicate_drops_the_last_handle_forgets_the_entry() {
    let mut map = NotifyingMap::new();
    let mut h = Some(map.get_or_insert_with(1, || 0u8));
    let other = map.get_or_insert_with(2, || 2u8);
    // The predicate drops the value's last outside handle while the map
    // holds one for the call: the entry goes with the value, and the
    // notice of the map's handle finds nothing left to remove.
    map.retain(|k, _| {
        if *k == 1 {
            h.take();
        }
        true
    });
    assert_eq!(map.get(&1), None);
    assert_eq!(map.len(), 1);
    assert_eq!(map.purge(), 0);
    assert_eq!(*other, 2);
}

#[test]
fn notifying_map_creates_once_and_recreates_after_death() {
    let drops = AtomicUsize::new(0);
    let mut map = NotifyingMap::new();
    let mut made = 0;
    let a = map.get_or_insert_with("k", || {
        made += 1;
        Counted(1, &drops)
    });
    let b = map.get_or_insert_with("k", || {
        made += 1;
        Counted(2, &drops)
    });
    assert_eq!((made, a.0, b.0), (1, 1, 1));
    assert!(Handle::ptr_eq(&a, &b));
    drop(a);
    assert_eq!(drops.load(SeqCst), 0);
    drop(b);
    assert_eq!(drops.load(SeqCst), 1); // dropped with its last handle
    let c = map.get_or_insert_with("k", || Counted(3, &drops));
    assert_eq!(c.0, 3);
    assert_eq!(map.len(), 1);
}

#[test]
fn notifying_map_replacing_a_dead_entry_before_its_notice_is_safe() {
    let mut map = NotifyingMap::new();
    let a = map.get_or_insert_with(1, || 'a');
    drop(a);
    // The notice is pending; this call drains it first, then inserts anew.
    let b = map.get_or_insert_with(1, || 'b');
    assert_eq!(*b, 'b');
    // A stale notice for the same key does nothing to the live entry.
    let c = map.get_or_insert_with(2, || 'c');
    map.remove(&2);
    drop(c); // notice for key 2, whose entry is gone
    map.purge();
    assert_eq!(map.get(&1).as_deref(), Some(&'b'));
    assert_eq!(map.len(), 1);
}

#[test]
fn notifying_map_make_may_drop_handles_of_the_same_map() {
    let mut map = NotifyingMap::new();
    let old = map.get_or_insert_with(0, || 0);
    let new = map.get_or_insert_with(1, move || {
        drop(old);
        1
    });
    // The notice sent during `make` was drained before returning.
    assert_eq!(map.len(), 1);
    assert_eq!(*new, 1);
}

#[test]
fn notifying_map_values_dropping_handles_do_not_deadlock() {
    struct Holder(#[allow(dead_code)] Option<Handle<Holder>>);
    let mut map = NotifyingMap::new();
    let inner = map.get_or_insert_with(0, || Holder(None));
    let outer = map.get_or_insert_with(1, move || Holder(Some(inner)));
    drop(outer); // drops `inner` inside the value's destructor
    map.purge();
    assert!(map.is_empty());
}

#[test]
fn handles_outliving_the_map_are_fine() {
    let mut map = NotifyingMap::new();
    let h = map.get_or_insert_with(1, || String::from("x"));
    drop(map);
    assert_eq!(h.as_str(), "x");
    drop(h);
}

#[test]
fn notifying_map_under_threads_loses_no_notice() {
    let map = Arc::new(Mutex::new(NotifyingMap::new()));
    let threads = 4;
    let per = 2000u64;
    std::thread::scope(|s| {
        for t in 0..threads {
            let map = Arc::clone(&map);
            s.spawn(move || {
                let mut held = Vec::new();
                for i in 0..per {
                    let key = t * per + i;
                    let h = map.lock().unwrap().get_or_insert_with(key, || key);
                    assert_eq!(*h, key);
                    if i % 4 == 0 {
                        held.push(h);
                    }
                    // Handles die on this thread while others use the map.
                    if i % 100 == 0 {
                        held.truncate(held.len() / 2);
                        let m = map.lock().unwrap();
                        if let Some(h) = m.get(&key) {
                            assert_eq!(*h, key);
                        }
                    }
                }
                held.len()
            });
        }
    });
    // Every thread's handles are gone now: one call and nothing remains.
    let mut map = map.lock().unwrap();
    map.purge();
    assert_eq!(map.len(), 0);
}

#[test]
fn weak_value_map_values_dropped_on_other_threads() {
    let mut map = WeakValueMap::new();
    let values: Vec<Arc<(u64, u64)>> = (0..20_000u64).map(|i| Arc::new((i, i * 3))).collect();
    for v in &values {
        map.insert(v.0, v);
    }
    let (keep, go): (Vec<_>, Vec<_>) = values.into_iter().partition(|v| v.0 % 3 == 0);
    std::thread::scope(|s| {
        s.spawn(move || drop(go));
        // Meanwhile: every lookup is either a miss or the right live value.
        for round in 0..3 {
            for i in 0..20_000u64 {
                if let Some(v) = map.get(&i) {
                    assert_eq!(*v, (i, i * 3));
                }
                if i % 7 == round {
                    map.remove(&u64::MAX); // a mutating call: sweeps
                }
            }
        }
    });
    map.purge();
    assert_eq!(map.len(), keep.len());
}

#[test]
fn observers_call_in_order_and_forget_the_dead() {
    struct Recorder {
        name: &'static str,
        log: Arc<Mutex<Vec<String>>>,
    }
    impl Recorder {
        fn on(&self, event: &u32) {
            self.log
                .lock()
                .unwrap()
                .push(format!("{}:{event}", self.name));
        }
    }
    let log = Arc::new(Mutex::new(Vec::new()));
    let a = Arc::new(Recorder {
        name: "a",
        log: Arc::clone(&log),
    });
    let b = Arc::new(Recorder {
        name: "b",
        log: Arc::clone(&log),
    });
    let mut list = Observers::new();
    let ida = list.subscribe(&a, Recorder::on);
    let idb = list.subscribe(&b, Recorder::on);
    assert_ne!(ida, idb);
    assert_eq!(list.notify(&1), 2);
    drop(b);
    assert_eq!(list.len(), 2);
    assert_eq!(list.live_len(), 1);
    assert_eq!(list.notify(&2), 1);
    assert_eq!(list.len(), 1);
    assert!(!list.unsubscribe(idb));
    assert!(list.unsubscribe(ida));
    assert_eq!(list.notify(&3), 0);
    assert_eq!(*log.lock().unwrap(), ["a:1", "b:1", "a:2"]);
}

/// Owners that die between notifications do not pile up: `subscribe`
/// drops the dead once the list has doubled since the last pass (they
/// stayed, with their owners' blocks, until the next `notify`), and keeps
/// the order of the others.
#[test]
fn observers_rarely_notified_hold_about_their_live_subscribers() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut list: Observers<()> = Observers::new();
    let owners: Vec<Arc<u64>> = (0..10).map(Arc::new).collect();
    for o in &owners {
        let log = Arc::clone(&log);
        list.subscribe(o, move |o: &u64, _| log.lock().unwrap().push(*o));
    }
    for i in 0..10_000u64 {
        let short_lived = Arc::new(i);
        list.subscribe(&short_lived, |_, _| {});
        assert!(list.len() <= 21, "{} subscriptions for 11 live", list.len());
    }
    assert_eq!(list.live_len(), 10);
    assert_eq!(list.notify(&()), 10);
    assert_eq!(list.len(), 10);
    assert_eq!(*log.lock().unwrap(), (0..10).collect::<Vec<u64>>());
}

/// A list that once held many live subscribers does not fill up with dead
/// ones to its old size: the pass in `subscribe` follows the live count,
/// not the vector's capacity.
#[test]
fn observers_once_large_still_drop_the_dead_at_subscribe() {
    let mut list: Observers<()> = Observers::new();
    let mut owners: Vec<Arc<u64>> = (0..1000).map(Arc::new).collect();
    for o in &owners {
        list.subscribe(o, |_, _| {});
    }
    owners.truncate(10);
    assert_eq!(list.purge(), 990);
    for i in 0..10_000u64 {
        list.subscribe(&Arc::new(i), |_, _| {});
        assert!(list.len() <= 21, "{} subscriptions for 11 live", list.len());
    }
    assert_eq!(list.notify(&()), 10);
}

#[test]
fn observers_accept_unsized_owners() {
    trait Listener: Send + Sync {
        fn heard(&self) -> &AtomicUsize;
    }
    struct L(AtomicUsize);
    impl Listener for L {
        fn heard(&self) -> &AtomicUsize {
            &self.0
        }
    }
    let owner: Arc<dyn Listener> = Arc::new(L(AtomicUsize::new(0)));
    let mut list: Observers<str> = Observers::new();
    list.subscribe(&owner, |l: &(dyn Listener + 'static), _e: &str| {
        l.heard().fetch_add(1, SeqCst);
    });
    list.notify("x");
    list.notify("y");
    assert_eq!(owner.heard().load(SeqCst), 2);
}

#[test]
fn cache_stats_are_exact() {
    let mut cache: WeakCache<u32, u32> = WeakCache::new(2);
    let one = cache.get_or_insert_with(1, || 1); // miss, insert   core [1]
    cache.get_or_insert_with(2, || 2); //           miss, insert   core [2,1]
    cache.get_or_insert_with(1, || 0); //           hit            core [1,2]
    cache.get_or_insert_with(3, || 3); //           miss, insert, evict 2 (dies: expired) core [3,1]
    assert_eq!(cache.get(&2), None); //             miss
    cache.get_or_insert_with(4, || 4); //           miss, insert, evict 1 (held by `one`) core [4,3]
    assert_eq!(cache.get(&1).as_deref(), Some(&1)); // hit; evict 3 (dies)  core [1,4]
    let s = cache.stats();
    assert_eq!(
        (s.hits, s.misses, s.inserts, s.evictions, s.expired),
        (2, 5, 4, 3, 2)
    );
    assert_eq!(cache.len(), 2);
    assert_eq!(cache.core_len(), 2);
    drop(one);
    assert_eq!(cache.peek(&1).as_deref(), Some(&1)); // still in the core
    assert_eq!(cache.remove(&4).as_deref(), Some(&4));
    assert_eq!((cache.len(), cache.core_len()), (1, 1));
    assert!((s.hit_ratio() - 2.0 / 7.0).abs() < 1e-12);
}

#[test]
fn cache_without_core_is_a_weak_map_with_stats() {
    let mut cache: WeakCache<u32, String> = WeakCache::new(0);
    let a = cache.get_or_insert_with(1, || "a".into());
    let b = cache.get_or_insert_with(1, || unreachable!());
    assert!(Arc::ptr_eq(&a, &b));
    drop((a, b));
    assert_eq!(cache.get(&1), None); // dead: removed by the lookup
    let s = cache.stats();
    assert_eq!(
        (s.hits, s.misses, s.inserts, s.evictions, s.expired),
        (1, 2, 1, 0, 1)
    );
    assert!(cache.is_empty());
}

#[test]
fn cache_core_reuses_its_nodes() {
    let mut cache: WeakCache<u32, u32> = WeakCache::new(8);
    for i in 0..1000 {
        cache.get_or_insert_with(i, || i);
    }
    assert_eq!(cache.core_len(), 8);
    assert!(cache.core.capacity() <= 8);
    // The 8 most recent are alive, the rest have expired.
    let live: Vec<u32> = (0..1000).filter(|i| cache.contains_key(i)).collect();
    assert_eq!(live, (992..1000).collect::<Vec<_>>());
    assert_eq!(cache.stats().expired + cache.len() as u64, 1000);
}

/// `reserve` during an incremental resize makes room for the entries still
/// waiting in the old table as well: the room it promises is there, and
/// filling it does not resize the table.
#[test]
fn reserve_during_a_migration_counts_the_entries_still_to_move() {
    let owners: Vec<Arc<u64>> = (0..6000).map(Arc::new).collect();
    let mut map = WeakValueMap::new();
    let mut next = 0;
    while map.table.migration_step().is_none() {
        map.insert(next, &owners[next]);
        next += 1;
    }
    map.reserve(3000);
    assert!(
        map.capacity() >= map.len() + 3000,
        "capacity {} for {} entries and 3000 more",
        map.capacity(),
        map.len()
    );
    let cap = map.capacity();
    for _ in 0..3000 {
        map.insert(next, &owners[next]);
        next += 1;
        assert_eq!(map.capacity(), cap, "resized within the reservation");
    }
    for (k, v) in owners[..next].iter().enumerate() {
        assert!(Arc::ptr_eq(&map.get(&k).unwrap(), v));
    }
}

/// `purge` rebuilds a table that removals left with more than twice the
/// room its entries need, as documented, even when no value has died.
#[test]
fn purge_rebuilds_a_table_left_oversized_by_removals() {
    let owners: Vec<Arc<u64>> = (0..5000).map(Arc::new).collect();
    let mut map = WeakValueMap::new();
    for (k, v) in owners.iter().enumerate() {
        map.insert(k, v);
    }
    for k in 1000..5000 {
        map.remove(&k);
    }
    let before = map.capacity();
    assert!(before > 4 * map.len(), "{before} for {}", map.len());
    assert_eq!(map.purge(), 0);
    assert!(map.capacity() < before, "{} of {before}", map.capacity());
    assert!(map.capacity() >= 2 * map.len());
    assert_eq!(map.len(), 1000);
    for (k, v) in owners[..1000].iter().enumerate() {
        assert!(Arc::ptr_eq(&map.get(&k).unwrap(), v));
    }
}

/// `shrink_to_fit` gives back all the room bursts of deaths left: the
/// table's, and the dead-key queue's, which keeps the room of the batch
/// vector it was last swapped with.
#[test]
fn notifying_shrink_to_fit_gives_back_the_queue() {
    use crate::measure::HeapSize;
    let mut map = NotifyingMap::new();
    for burst in [10_000u64, 1_000] {
        let handles: Vec<_> = (0..burst)
            .map(|k| map.get_or_insert_with(k, || k))
            .collect();
        drop(handles);
        map.purge();
    }
    assert!(map.is_empty());
    map.shrink_to_fit();
    assert_eq!(map.heap_size(), NotifyingMap::<u64, u64>::new().heap_size());
}
