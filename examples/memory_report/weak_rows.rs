//! Rows of the `weak` module: 1 KiB `Arc` values whose outside owners mostly
//! die, held as map values, map keys, set members, observer owners and cache
//! entries, by the strong std twin, weak-table where it has a counterpart,
//! and leanmem's weak structures. Each row is the structure plus the owners
//! that survive (the live values).

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Weak};

use leanmem::weak::{
    Handle, NotifyingMap, Observers, WeakCache, WeakKeyMap, WeakSet, WeakValueMap,
};
use weak_table::{PtrWeakHashSet, PtrWeakKeyHashMap, WeakValueHashMap};

use crate::report::{Options, Report, Role};

type Value = [u8; 1024];

fn value(k: u64) -> Value {
    [k as u8; 1024]
}

/// Keeps the owners of one key in `keep` (0: none), in a vector sized to
/// them (the collect reuses the allocation of `all`, whose empty slots are
/// not memory of the structures measured).
fn survivors<T>(all: Vec<T>, keep: u64) -> Vec<T> {
    let mut kept: Vec<T> = all
        .into_iter()
        .enumerate()
        .filter(|(k, _)| keep != 0 && *k as u64 % keep == 0)
        .map(|(_, v)| v)
        .collect();
    kept.shrink_to_fit();
    kept
}

fn strong(n: u64, keep: u64) -> (HashMap<u64, Arc<Value>>, Vec<Arc<Value>>) {
    let all: Vec<Arc<Value>> = (0..n).map(|k| Arc::new(value(k))).collect();
    let map = all
        .iter()
        .enumerate()
        .map(|(k, v)| (k as u64, Arc::clone(v)))
        .collect();
    (map, survivors(all, keep))
}

fn weak_table(
    n: u64,
    keep: u64,
    calls: usize,
) -> (WeakValueHashMap<u64, Weak<Value>>, Vec<Arc<Value>>) {
    let all: Vec<Arc<Value>> = (0..n).map(|k| Arc::new(value(k))).collect();
    let mut map = WeakValueHashMap::new();
    for (k, v) in all.iter().enumerate() {
        map.insert(k as u64, Arc::clone(v));
    }
    let owners = survivors(all, keep);
    for _ in 0..calls {
        map.remove(&u64::MAX);
    }
    (map, owners)
}

/// With `calls == None`, `buckets / 4` calls: the documented bound.
fn value_map(
    n: u64,
    keep: u64,
    calls: Option<usize>,
) -> (WeakValueMap<u64, Arc<Value>>, Vec<Arc<Value>>) {
    let all: Vec<Arc<Value>> = (0..n).map(|k| Arc::new(value(k))).collect();
    let mut map = WeakValueMap::new();
    for (k, v) in all.iter().enumerate() {
        map.insert(k as u64, v);
    }
    let owners = survivors(all, keep);
    for _ in 0..calls.unwrap_or(map.buckets() / 4) {
        map.remove(&u64::MAX);
    }
    (map, owners)
}

fn notifying(n: u64, keep: u64) -> (NotifyingMap<u64, Value>, Vec<Handle<Value>>) {
    let mut map = NotifyingMap::new();
    let all: Vec<Handle<Value>> = (0..n)
        .map(|k| map.get_or_insert_with(k, || value(k)))
        .collect();
    let owners = survivors(all, keep);
    map.remove(&u64::MAX); // the next call
    (map, owners)
}

/// An `Arc` hashed and compared by address, as the identity-keyed
/// structures compare their keys: the naive twin's key (a plain
/// `HashMap<Arc<V>, _>` would hash and compare the 1 KiB values, and merge
/// equal ones).
struct ByAddress(Arc<Value>);

impl Hash for ByAddress {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::ptr::hash(Arc::as_ptr(&self.0), state);
    }
}

impl PartialEq for ByAddress {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for ByAddress {}

fn objects(n: u64) -> Vec<Arc<Value>> {
    (0..n).map(|k| Arc::new(value(k))).collect()
}

/// `calls` mutating calls on a key the structure does not hold.
fn probe_calls(calls: usize, mut call: impl FnMut(&Arc<Value>)) {
    let probe = Arc::new(value(0));
    for _ in 0..calls {
        call(&probe);
    }
}

fn strong_keys(n: u64, keep: u64) -> (HashMap<ByAddress, u64>, Vec<Arc<Value>>) {
    let all = objects(n);
    let map = (0..n)
        .zip(&all)
        .map(|(k, o)| (ByAddress(Arc::clone(o)), k))
        .collect();
    (map, survivors(all, keep))
}

fn weak_table_keys(
    n: u64,
    keep: u64,
    calls: usize,
) -> (PtrWeakKeyHashMap<Weak<Value>, u64>, Vec<Arc<Value>>) {
    let all = objects(n);
    let mut map = PtrWeakKeyHashMap::new();
    for (k, o) in (0..n).zip(&all) {
        map.insert(Arc::clone(o), k);
    }
    let owners = survivors(all, keep);
    probe_calls(calls, |p| {
        map.remove(p);
    });
    (map, owners)
}

fn key_map(n: u64, keep: u64, calls: usize) -> (WeakKeyMap<Arc<Value>, u64>, Vec<Arc<Value>>) {
    let all = objects(n);
    let mut map = WeakKeyMap::new();
    for (k, o) in (0..n).zip(&all) {
        map.insert(o, k);
    }
    let owners = survivors(all, keep);
    probe_calls(calls, |p| {
        map.remove(p);
    });
    (map, owners)
}

fn strong_set(n: u64, keep: u64) -> (HashSet<ByAddress>, Vec<Arc<Value>>) {
    let all = objects(n);
    let set = all.iter().map(|o| ByAddress(Arc::clone(o))).collect();
    (set, survivors(all, keep))
}

fn weak_table_set(
    n: u64,
    keep: u64,
    calls: usize,
) -> (PtrWeakHashSet<Weak<Value>>, Vec<Arc<Value>>) {
    let all = objects(n);
    let mut set = PtrWeakHashSet::new();
    for o in &all {
        set.insert(Arc::clone(o));
    }
    let owners = survivors(all, keep);
    probe_calls(calls, |p| {
        set.remove(p);
    });
    (set, owners)
}

fn weak_set(n: u64, keep: u64, calls: usize) -> (WeakSet<Arc<Value>>, Vec<Arc<Value>>) {
    let all = objects(n);
    let mut set = WeakSet::new();
    for o in &all {
        set.insert(o);
    }
    let owners = survivors(all, keep);
    probe_calls(calls, |p| {
        set.remove(p);
    });
    (set, owners)
}

/// The subscribers' method: reads the owner, so nothing is optimised away.
fn on_event(owner: &Value, event: &u64) {
    std::hint::black_box((owner[0], *event));
}

type Callback = Arc<dyn Fn(&u64) + Send + Sync>;

/// Strong callbacks, each closing over its owner; then one notify.
fn strong_callbacks(n: u64, keep: u64) -> (Vec<Callback>, Vec<Arc<Value>>) {
    let all = objects(n);
    let callbacks: Vec<Callback> = all
        .iter()
        .map(|o| {
            let owner = Arc::clone(o);
            Arc::new(move |e: &u64| on_event(&owner, e)) as Callback
        })
        .collect();
    let owners = survivors(all, keep);
    for c in &callbacks {
        c(&1);
    }
    (callbacks, owners)
}

fn observers(n: u64, keep: u64) -> (Observers<u64>, Vec<Arc<Value>>) {
    let all = objects(n);
    let mut list = Observers::new();
    for o in &all {
        list.subscribe(o, on_event);
    }
    let owners = survivors(all, keep);
    list.notify(&1);
    (list, owners)
}

/// Every key looked up once through `get`; the caller keeps every `keep`th
/// value and drops the others at once.
fn cached<C>(
    n: u64,
    keep: u64,
    mut cache: C,
    mut get: impl FnMut(&mut C, u64) -> Arc<Value>,
) -> (C, Vec<Arc<Value>>) {
    let mut kept = Vec::new();
    for k in 0..n {
        let v = get(&mut cache, k);
        if k % keep == 0 {
            kept.push(v);
        }
    }
    (cache, kept)
}

/// `WeakKeyMap` and `WeakSet` do not expose `buckets()`; they are built on
/// `WeakValueMap`'s table, so the same capacity after the same `n` inserts
/// means the same buckets, and `WeakValueMap::buckets() / 4` is their
/// reclamation bound too.
fn same_table_as_value_map(n: u64) -> bool {
    let keys: Vec<Arc<u8>> = (0..n).map(|_| Arc::new(0)).collect();
    let mut values = WeakValueMap::new();
    let mut map = WeakKeyMap::new();
    let mut set = WeakSet::new();
    for (k, a) in (0..n).zip(&keys) {
        values.insert(k, a);
        map.insert(a, ());
        set.insert(a);
    }
    map.capacity() == values.capacity() && set.capacity() == values.capacity()
}

pub(crate) fn add(report: &mut Report, options: &Options) {
    let n = options.size(100_000, 10_000) as u64;
    let elements = n as usize;

    let dataset = format!("{n} u64 keys → Arc<[u8; 1024]>, 90% of owners dropped, then 1 call");
    report.measure(
        "weak",
        &dataset,
        "HashMap<u64, Arc<V>> (strong)",
        Role::Naive,
        elements,
        || strong(n, 10),
    );
    report.measure(
        "weak",
        &dataset,
        "weak-table WeakValueHashMap",
        Role::Peer,
        elements,
        || weak_table(n, 10, 1),
    );
    report.measure_checked(
        "weak",
        &dataset,
        "WeakValueMap (sweep under way)",
        Role::Leanmem,
        elements,
        || value_map(n, 10, Some(1)),
    );
    report.measure_checked(
        "weak",
        &dataset,
        "NotifyingMap (1 call)",
        Role::Leanmem,
        elements,
        || notifying(n, 10),
    );

    let dataset =
        format!("{n} u64 keys → Arc<[u8; 1024]>, 90% of owners dropped, then buckets/4 calls");
    report.measure(
        "weak",
        &dataset,
        "HashMap<u64, Arc<V>> (strong)",
        Role::Naive,
        elements,
        || strong(n, 10),
    );
    let calls = value_map(n, 10, Some(0)).0.buckets() / 4;
    report.measure(
        "weak",
        &dataset,
        &format!("weak-table WeakValueHashMap ({calls} calls)"),
        Role::Peer,
        elements,
        || weak_table(n, 10, calls),
    );
    report.measure_checked(
        "weak",
        &dataset,
        &format!("WeakValueMap ({calls} calls)"),
        Role::Leanmem,
        elements,
        || value_map(n, 10, None),
    );

    // The Weak trap: a dead value's block stays while a Weak points to it.
    let dataset =
        format!("{n} Arc<[u8; 1024]> whose owners all dropped, held weakly (the Weak trap)");
    report.measure(
        "weak",
        &dataset,
        "Vec<Weak<V>> (1040-byte blocks kept by dead Weaks)",
        Role::Naive,
        elements,
        || {
            let all: Vec<Arc<Value>> = (0..n).map(|k| Arc::new(value(k))).collect();
            all.iter().map(Arc::downgrade).collect::<Vec<_>>()
        },
    );
    report.measure(
        "weak",
        &dataset,
        "weak-table WeakValueHashMap (1 call)",
        Role::Peer,
        elements,
        || weak_table(n, 0, 1),
    );
    report.measure_checked(
        "weak",
        &dataset,
        "WeakValueMap (buckets/4 calls)",
        Role::Leanmem,
        elements,
        || value_map(n, 0, None),
    );
    report.measure_checked(
        "weak",
        &dataset,
        "NotifyingMap (1 call)",
        Role::Leanmem,
        elements,
        || notifying(n, 0),
    );

    // WeakKeyMap: data attached to objects the map does not own.
    let dataset = format!(
        "{n} Arc<[u8; 1024]> keys (by address) → u64, 90% of key owners dropped, then 1 call"
    );
    report.measure(
        "weak",
        &dataset,
        "HashMap<Arc<K>, u64> by address (strong)",
        Role::Naive,
        elements,
        || strong_keys(n, 10),
    );
    report.measure(
        "weak",
        &dataset,
        "weak-table PtrWeakKeyHashMap",
        Role::Peer,
        elements,
        || weak_table_keys(n, 10, 1),
    );
    report.measure_checked(
        "weak",
        &dataset,
        "WeakKeyMap (sweep under way)",
        Role::Leanmem,
        elements,
        || key_map(n, 10, 1),
    );

    assert!(
        same_table_as_value_map(n),
        "WeakKeyMap and WeakSet grow as WeakValueMap does"
    );
    let dataset = format!(
        "{n} Arc<[u8; 1024]> keys (by address) → u64, 90% of key owners dropped, then buckets/4 calls"
    );
    report.measure(
        "weak",
        &dataset,
        "HashMap<Arc<K>, u64> by address (strong)",
        Role::Naive,
        elements,
        || strong_keys(n, 10),
    );
    report.measure(
        "weak",
        &dataset,
        &format!("weak-table PtrWeakKeyHashMap ({calls} calls)"),
        Role::Peer,
        elements,
        || weak_table_keys(n, 10, calls),
    );
    report.measure_checked(
        "weak",
        &dataset,
        &format!("WeakKeyMap ({calls} calls)"),
        Role::Leanmem,
        elements,
        || key_map(n, 10, calls),
    );

    // WeakSet: membership without ownership.
    let dataset =
        format!("{n} Arc<[u8; 1024]> members (by address), 90% of owners dropped, then 1 call");
    report.measure(
        "weak",
        &dataset,
        "HashSet<Arc<T>> by address (strong)",
        Role::Naive,
        elements,
        || strong_set(n, 10),
    );
    report.measure(
        "weak",
        &dataset,
        "weak-table PtrWeakHashSet",
        Role::Peer,
        elements,
        || weak_table_set(n, 10, 1),
    );
    report.measure_checked(
        "weak",
        &dataset,
        "WeakSet (sweep under way)",
        Role::Leanmem,
        elements,
        || weak_set(n, 10, 1),
    );

    let dataset = format!(
        "{n} Arc<[u8; 1024]> members (by address), 90% of owners dropped, then buckets/4 calls"
    );
    report.measure(
        "weak",
        &dataset,
        "HashSet<Arc<T>> by address (strong)",
        Role::Naive,
        elements,
        || strong_set(n, 10),
    );
    report.measure(
        "weak",
        &dataset,
        &format!("weak-table PtrWeakHashSet ({calls} calls)"),
        Role::Peer,
        elements,
        || weak_table_set(n, 10, calls),
    );
    report.measure_checked(
        "weak",
        &dataset,
        &format!("WeakSet ({calls} calls)"),
        Role::Leanmem,
        elements,
        || weak_set(n, 10, calls),
    );

    // Observers: subscribers that do not keep their owners alive.
    let dataset = format!(
        "{n} subscribers (Arc<[u8; 1024]> owner + method), 90% of owners dropped, then 1 notify"
    );
    report.measure(
        "weak",
        &dataset,
        "Vec<Arc<dyn Fn(&E)>> (strong callbacks)",
        Role::Naive,
        elements,
        || strong_callbacks(n, 10),
    );
    report.measure_checked(
        "weak",
        &dataset,
        "Observers (after 1 notify)",
        Role::Leanmem,
        elements,
        || observers(n, 10),
    );

    // WeakCache: a bounded strong core, the rest only while in use.
    let core = (n / 10) as usize;
    let dataset = format!(
        "{n} u64 keys → Arc<[u8; 1024]> via get_or_insert_with, callers keep 10% of values"
    );
    report.measure(
        "weak",
        &dataset,
        "HashMap<u64, Arc<V>> (unbounded cache)",
        Role::Naive,
        elements,
        || {
            cached(n, 10, HashMap::new(), |c, k| {
                Arc::clone(c.entry(k).or_insert_with(|| Arc::new(value(k))))
            })
        },
    );
    report.measure_checked(
        "weak",
        &dataset,
        &format!("WeakCache (strong core of {core})"),
        Role::Leanmem,
        elements,
        || {
            cached(n, 10, WeakCache::new(core), |c, k| {
                c.get_or_insert_with(k, || value(k))
            })
        },
    );
}
