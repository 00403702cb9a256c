//! Rows of the `weak` module: keys → `Arc<[u8; 1024]>` whose outside owners
//! mostly die, held by a strong map, weak-table, and leanmem's weak maps.
//! Each row is the map plus the owners that survive (the live values).

use std::collections::HashMap;
use std::sync::{Arc, Weak};

use leanmem::weak::{Handle, NotifyingMap, WeakValueMap};
use weak_table::WeakValueHashMap;

use crate::report::{Options, Report, Role};

type Value = [u8; 1024];

fn value(k: u64) -> Value {
    [k as u8; 1024]
}

/// Keeps the owners of one key in `keep` (0: none).
fn survivors<T>(all: Vec<T>, keep: u64) -> Vec<T> {
    all.into_iter()
        .enumerate()
        .filter(|(k, _)| keep != 0 && *k as u64 % keep == 0)
        .map(|(_, v)| v)
        .collect()
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
        "NotifyingMap (drained by the call)",
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
}
