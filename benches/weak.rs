//! `weak/*`: weak-value maps against a strong `HashMap<K, Arc<V>>` and
//! weak-table's `WeakValueHashMap`, on one workload: 100k keys (`u64`) →
//! `Arc<[u8; 1024]>`, then 90% of the outside owners dropped.
//!
//! Criterion groups: `weak/get_live` (10k lookups of live keys),
//! `weak/get_dead` (10k lookups of dead keys), `weak/insert_after_drop`
//! (50k inserts right after the drop). Printed beside them, measured in one
//! run: heap after the drop (tracking allocator), bytes per entry beyond key
//! and value, the worst single insert after the drop (max and p99.9 of 50k
//! timed calls), and lookup ratios from interleaved medians.
//!
//! `WEAK_BENCH_QUICK=1` shrinks the printed measurements (not criterion's).
//!
//! Single-call latencies are read from two clocks: the wall clock, and the
//! thread's CPU clock (`CLOCK_THREAD_CPUTIME_ID`, which excludes time the
//! thread spent preempted, so it shows the structure's own work on a busy
//! machine; page faults and system time are included). Reading the CPU clock
//! is a system call, so this file allows `unsafe` for that one FFI call.
#![allow(unsafe_code)]

mod common;

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use leanmem::measure::{self, HeapSize, TrackingAllocator};
use leanmem::weak::{Handle, NotifyingMap, WeakValueMap};
use weak_table::WeakValueHashMap;

#[global_allocator]
static ALLOC: TrackingAllocator = TrackingAllocator::system();

type Value = [u8; 1024];
type Strong = HashMap<u64, Arc<Value>>;
type WeakTable = WeakValueHashMap<u64, std::sync::Weak<Value>>;
type Leanmem = WeakValueMap<u64, Arc<Value>>;
type Notifying = NotifyingMap<u64, Value>;

/// A fast multiplicative hasher for `u64` keys (FxHash's constant), to
/// compare with the default hasher (foldhash).
#[derive(Default, Clone, Copy)]
struct Fast(u64);

impl std::hash::Hasher for Fast {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type FastHash = std::hash::BuildHasherDefault<Fast>;

const KEYS: u64 = 100_000;
const INSERTS: u64 = 50_000;
const LOOKUPS: usize = 10_000;

fn value(k: u64) -> Value {
    let mut v = [0u8; 1024];
    v[0] = k as u8;
    v
}

fn quick() -> bool {
    std::env::var_os("WEAK_BENCH_QUICK").is_some()
}

/// Whether the owner of key `k` survives the drop (10%).
fn kept(k: u64) -> bool {
    k % 10 == 0
}

/// The owners of the kept keys; the others are dropped here.
fn survivors<T>(all: Vec<T>) -> Vec<T> {
    let mut kept: Vec<T> = all
        .into_iter()
        .enumerate()
        .filter(|(k, _)| kept(*k as u64))
        .map(|(_, v)| v)
        .collect();
    // The collect reuses the allocation of `all` (room for every key): its
    // empty slots are the bench's own, not memory of the maps measured.
    kept.shrink_to_fit();
    kept
}

/// The keys in a fixed pseudo-random order.
fn shuffled(keys: impl Iterator<Item = u64>) -> Vec<u64> {
    let mut v: Vec<u64> = keys.collect();
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for i in (1..v.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.swap(i, (x % (i as u64 + 1)) as usize);
    }
    v
}

/// A workload state: a map and the owners that survived the drop.
trait Workload: Sized {
    const NAME: &'static str;
    type Owner;
    /// Builds 100k entries and drops 90% of the owners.
    fn build_and_drop() -> (Self, Vec<Self::Owner>);
    /// One further call: insert a new key with a new value (kept alive).
    fn insert(&mut self, k: u64, owners: &mut Vec<Self::Owner>);
    /// A mutating call that changes nothing (removing an absent key).
    fn touch(&mut self);
    /// Looks a key up and reads the value's first byte.
    fn lookup(&self, k: u64) -> Option<u8>;
}

impl Workload for Strong {
    const NAME: &'static str = "HashMap<u64, Arc<V>> (strong)";
    type Owner = Arc<Value>;
    fn build_and_drop() -> (Self, Vec<Arc<Value>>) {
        let mut map = HashMap::new();
        let mut owners = Vec::new();
        for k in 0..KEYS {
            let v = Arc::new(value(k));
            map.insert(k, Arc::clone(&v));
            if kept(k) {
                owners.push(v);
            }
        }
        (map, owners)
    }
    fn insert(&mut self, k: u64, owners: &mut Vec<Arc<Value>>) {
        let v = Arc::new(value(k));
        HashMap::insert(self, k, Arc::clone(&v));
        owners.push(v);
    }
    fn touch(&mut self) {
        self.remove(&u64::MAX);
    }
    fn lookup(&self, k: u64) -> Option<u8> {
        // An owned handle, as the weak maps return.
        self.get(&k).cloned().map(|v| v[0])
    }
}

impl Workload for WeakTable {
    const NAME: &'static str = "weak-table WeakValueHashMap";
    type Owner = Arc<Value>;
    fn build_and_drop() -> (Self, Vec<Arc<Value>>) {
        let mut map = WeakValueHashMap::new();
        let mut owners = Vec::new();
        let mut all = Vec::with_capacity(KEYS as usize);
        for k in 0..KEYS {
            let v = Arc::new(value(k));
            map.insert(k, Arc::clone(&v));
            all.push(v);
        }
        owners.extend(survivors(all));
        (map, owners)
    }
    fn insert(&mut self, k: u64, owners: &mut Vec<Arc<Value>>) {
        let v = Arc::new(value(k));
        WeakValueHashMap::insert(self, k, Arc::clone(&v));
        owners.push(v);
    }
    fn touch(&mut self) {
        self.remove(&u64::MAX);
    }
    fn lookup(&self, k: u64) -> Option<u8> {
        self.get(&k).map(|v| v[0])
    }
}

impl Workload for Leanmem {
    const NAME: &'static str = "leanmem WeakValueMap";
    type Owner = Arc<Value>;
    fn build_and_drop() -> (Self, Vec<Arc<Value>>) {
        let mut map = WeakValueMap::new();
        let mut all = Vec::with_capacity(KEYS as usize);
        for k in 0..KEYS {
            let v = Arc::new(value(k));
            map.insert(k, &v);
            all.push(v);
        }
        let owners = survivors(all);
        (map, owners)
    }
    fn insert(&mut self, k: u64, owners: &mut Vec<Arc<Value>>) {
        let v = Arc::new(value(k));
        WeakValueMap::insert(self, k, &v);
        owners.push(v);
    }
    fn touch(&mut self) {
        self.remove(&u64::MAX);
    }
    fn lookup(&self, k: u64) -> Option<u8> {
        self.get(&k).map(|v| v[0])
    }
}

impl Workload for Notifying {
    const NAME: &'static str = "leanmem NotifyingMap";
    type Owner = Handle<Value>;
    fn build_and_drop() -> (Self, Vec<Handle<Value>>) {
        let mut map = NotifyingMap::new();
        let mut all = Vec::with_capacity(KEYS as usize);
        for k in 0..KEYS {
            all.push(map.get_or_insert_with(k, || value(k)));
        }
        let owners = survivors(all);
        (map, owners)
    }
    fn insert(&mut self, k: u64, owners: &mut Vec<Handle<Value>>) {
        owners.push(self.get_or_insert_with(k, || value(k)));
    }
    fn touch(&mut self) {
        self.remove(&u64::MAX);
    }
    fn lookup(&self, k: u64) -> Option<u8> {
        self.get(&k).map(|v| v[0])
    }
}

// ---------------------------------------------------------------------------
// Printed measurements.

fn heap_after<W: Workload>(calls: usize) -> (usize, usize) {
    let ((map, owners), m) = measure::measure(|| {
        let (mut map, owners) = W::build_and_drop();
        for _ in 0..calls {
            map.touch();
        }
        (map, owners)
    });
    let bytes = m
        .expect("tracking allocator")
        .net_bytes
        .max(0)
        .unsigned_abs();
    let live = owners.len();
    drop((map, owners));
    (bytes, live)
}

fn print_heap_after_drop() {
    println!(
        "\nweak/heap_after_drop: {KEYS} keys → Arc<[u8; 1024]>, 90% of owners dropped, then N further mutating calls (remove of an absent key); map + surviving owners, tracking allocator"
    );
    let strong = heap_after::<Strong>(1).0;
    let buckets = {
        let (m, _o) = Leanmem::build_and_drop();
        m.buckets()
    };
    let mut rows: Vec<(String, usize)> = vec![(format!("{} after 1 call", Strong::NAME), strong)];
    for calls in [1usize, 1000, buckets / 16, buckets / 8 + 1] {
        rows.push((
            format!("{} after {calls} calls", WeakTable::NAME),
            heap_after::<WeakTable>(calls).0,
        ));
        rows.push((
            format!("{} after {calls} calls", Leanmem::NAME),
            heap_after::<Leanmem>(calls).0,
        ));
    }
    rows.push((
        format!("{} after 1 call", Notifying::NAME),
        heap_after::<Notifying>(1).0,
    ));
    println!(
        "  (buckets of the WeakValueMap table: {buckets}; a full sweep pass = buckets/8 = {} calls)",
        buckets / 8
    );
    for (name, bytes) in &rows {
        println!(
            "  {name:<58} {:>8.2} MiB  {:>6.1}% of strong",
            *bytes as f64 / 1048576.0,
            100.0 * *bytes as f64 / strong as f64
        );
    }
}

/// Bytes per entry beyond key (8) and value (1024), all values alive.
fn print_overhead() {
    let n = KEYS as usize;
    let payload = n * (8 + 1024);
    let (strong, m) = measure::measure(|| {
        (0..KEYS)
            .map(|k| (k, Arc::new(value(k))))
            .collect::<HashMap<_, _>>()
    });
    let strong_b = m.unwrap().net_bytes as usize;
    drop(strong);
    let (wt, m) = measure::measure(|| {
        let owners: Vec<Arc<Value>> = (0..KEYS).map(|k| Arc::new(value(k))).collect();
        let mut map = WeakTable::new();
        for (k, v) in owners.iter().enumerate() {
            map.insert(k as u64, Arc::clone(v));
        }
        (map, owners)
    });
    let wt_b = m.unwrap().net_bytes as usize - wt.1.capacity() * 8;
    drop(wt);
    let (lm, m) = measure::measure(|| {
        let owners: Vec<Arc<Value>> = (0..KEYS).map(|k| Arc::new(value(k))).collect();
        let mut map = Leanmem::new();
        for (k, v) in owners.iter().enumerate() {
            map.insert(k as u64, v);
        }
        (map, owners)
    });
    let lm_b = m.unwrap().net_bytes as usize - lm.1.capacity() * 8;
    assert_eq!(
        lm.heap_size() as isize,
        (lm_b + lm.1.capacity() * 8) as isize
    );
    drop(lm);
    let (nm, m) = measure::measure(|| {
        let mut map = Notifying::new();
        let handles: Vec<Handle<Value>> = (0..KEYS)
            .map(|k| map.get_or_insert_with(k, || value(k)))
            .collect();
        (map, handles)
    });
    let nm_b =
        m.unwrap().net_bytes as usize - nm.1.capacity() * std::mem::size_of::<Handle<Value>>();
    drop(nm);
    println!(
        "\nweak/overhead: bytes per entry beyond key (8 B) and value (1024 B), {n} live entries, owners' vectors excluded (target ≤ 40 B)"
    );
    for (name, b) in [
        (Strong::NAME, strong_b),
        (WeakTable::NAME, wt_b),
        (Leanmem::NAME, lm_b),
        (Notifying::NAME, nm_b),
    ] {
        println!(
            "  {name:<40} {:>8.2} B/entry",
            (b - payload) as f64 / n as f64
        );
    }
    common::print_sizes(
        "weak/size (all alive, map + values)",
        n,
        &[
            (Strong::NAME, strong_b),
            (WeakTable::NAME, wt_b),
            (Leanmem::NAME, lm_b),
            (Notifying::NAME, nm_b),
        ],
    );
}

/// CPU time consumed by this thread so far.
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the
    // call, and CLOCK_THREAD_CPUTIME_ID is a clock every Linux supports.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// (max, p99.9, median) of a list of durations.
fn summary(mut times: Vec<Duration>) -> [Duration; 3] {
    times.sort();
    let n = times.len();
    [times[n - 1], times[n * 999 / 1000], times[n / 2]]
}

/// Times each of 50k inserts right after the drop on both clocks; returns
/// the wall-clock and CPU-clock summaries.
fn insert_latencies<W: Workload>() -> ([Duration; 3], [Duration; 3]) {
    let (mut map, mut owners) = W::build_and_drop();
    owners.reserve(INSERTS as usize);
    let mut wall = Vec::with_capacity(INSERTS as usize);
    let mut cpu = Vec::with_capacity(INSERTS as usize);
    for k in KEYS..KEYS + INSERTS {
        let c = thread_cpu_time();
        let t = Instant::now();
        map.insert(k, &mut owners);
        wall.push(t.elapsed());
        cpu.push(thread_cpu_time() - c);
    }
    black_box(&map);
    drop((map, owners));
    (summary(wall), summary(cpu))
}

fn print_worst_insert() {
    let runs = if quick() { 1 } else { 5 };
    println!(
        "\nweak/worst_insert_after_drop: each of {INSERTS} inserts timed right after the drop; per structure, the median over {runs} interleaved runs of each run's max / p99.9 / median, on the wall clock and on the thread's CPU clock (target: max ≤ 1 ms)"
    );
    type Runs = Vec<([Duration; 3], [Duration; 3])>;
    let mut results: Vec<(&str, Runs)> = vec![
        (Strong::NAME, vec![]),
        (WeakTable::NAME, vec![]),
        (Leanmem::NAME, vec![]),
        (Notifying::NAME, vec![]),
    ];
    for _ in 0..runs {
        results[0].1.push(insert_latencies::<Strong>());
        results[1].1.push(insert_latencies::<WeakTable>());
        results[2].1.push(insert_latencies::<Leanmem>());
        results[3].1.push(insert_latencies::<Notifying>());
    }
    let med = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    for (name, r) in &results {
        for (clock, pick) in [("wall", 0usize), ("cpu ", 1)] {
            let stat = |i: usize| {
                med(r
                    .iter()
                    .map(|x| if pick == 0 { x.0[i] } else { x.1[i] })
                    .collect())
            };
            let (max, p999, p50) = (stat(0), stat(1), stat(2));
            println!(
                "  {name:<32} {clock} max {:>8.3} ms  p99.9 {:>8.2} µs  median {:>6.0} ns",
                max.as_secs_f64() * 1e3,
                p999.as_secs_f64() * 1e6,
                p50.as_secs_f64() * 1e9
            );
        }
    }
}

/// Median of a list of numbers.
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Looks every key up, summing the first bytes found.
fn run(f: &dyn Fn(u64) -> Option<u8>, keys: &[u64]) {
    let mut sum = 0u64;
    for &k in keys {
        sum += u64::from(f(black_box(k)).unwrap_or(1));
    }
    black_box(sum);
}

/// Lookup costs, repeated on fresh builds (memory layout differs between
/// builds and dominates single runs): live keys as a ratio to the strong
/// map, dead keys in ns, right after the next call and once settled
/// (`buckets/4` further calls: sweep done, any resize finished).
fn print_lookup_ratios() {
    let reps = if quick() { 1 } else { 5 };
    let rounds = if quick() { 5 } else { 15 };
    let live = shuffled((0..KEYS).filter(|k| kept(*k)));
    let dead = shuffled((0..KEYS).filter(|k| !kept(*k)).take(LOOKUPS));
    let per = |d: Duration, n: usize| d.as_secs_f64() * 1e9 / n as f64;
    let mut live_ratios: [Vec<f64>; 4] = Default::default();
    let mut live_ns: [Vec<f64>; 5] = Default::default();
    let mut dead_next: [Vec<f64>; 4] = Default::default();
    let mut dead_settled: [Vec<f64>; 2] = Default::default();
    for _ in 0..reps {
        let (mut strong, _so) = Strong::build_and_drop();
        let (mut wt, _wo) = WeakTable::build_and_drop();
        let (mut lm, _lo) = Leanmem::build_and_drop();
        let (mut nm, _no) = Notifying::build_and_drop();
        strong.touch();
        wt.touch();
        lm.touch();
        nm.touch();
        // Dead keys right after the next call.
        let m = common::interleaved_medians(
            rounds,
            &mut [
                ("strong", &mut || run(&|k| strong.lookup(k), &dead)),
                ("weak-table", &mut || run(&|k| wt.lookup(k), &dead)),
                ("WeakValueMap", &mut || run(&|k| lm.lookup(k), &dead)),
                ("NotifyingMap", &mut || run(&|k| nm.lookup(k), &dead)),
            ],
        );
        for i in 0..4 {
            dead_next[i].push(per(m[i], dead.len()));
        }
        // Settle: the same further calls for every map.
        let settle = lm.buckets() / 4;
        for _ in 0..settle {
            strong.touch();
            wt.touch();
            lm.touch();
            nm.touch();
        }
        let m = common::interleaved_medians(
            rounds,
            &mut [
                ("strong", &mut || run(&|k| strong.lookup(k), &live)),
                ("by reference", &mut || {
                    run(&|k| strong.get(&k).map(|v| v[0]), &live)
                }),
                ("weak-table", &mut || run(&|k| wt.lookup(k), &live)),
                ("WeakValueMap", &mut || run(&|k| lm.lookup(k), &live)),
                ("NotifyingMap", &mut || run(&|k| nm.lookup(k), &live)),
            ],
        );
        for i in 0..5 {
            live_ns[i].push(per(m[i], live.len()));
        }
        for i in 0..4 {
            live_ratios[i].push(m[i + 1].as_secs_f64() / m[0].as_secs_f64());
        }
        let m = common::interleaved_medians(
            rounds,
            &mut [
                ("WeakValueMap", &mut || run(&|k| lm.lookup(k), &dead)),
                ("NotifyingMap", &mut || run(&|k| nm.lookup(k), &dead)),
            ],
        );
        for i in 0..2 {
            dead_settled[i].push(per(m[i], dead.len()));
        }
    }
    println!(
        "\nweak/get_live: {} live keys after the drop and buckets/4 further calls, each lookup returning an owned handle; median over {reps} fresh builds of the median of {rounds} interleaved rounds (target ≤ 1.3× the strong map)",
        live.len()
    );
    let names = [
        "HashMap<u64, Arc<V>> (strong), cloned",
        "HashMap<u64, Arc<V>> by reference",
        WeakTable::NAME,
        Leanmem::NAME,
        Notifying::NAME,
    ];
    for (i, name) in names.iter().enumerate() {
        let ratio = if i == 0 {
            1.0
        } else {
            median(live_ratios[i - 1].clone())
        };
        println!(
            "  {name:<40} {:>8.1} ns/lookup   {ratio:>6.3}× strong",
            median(live_ns[i].clone())
        );
    }
    println!(
        "\nweak/get_dead: {} keys whose values died (the strong map still holds them); median over {reps} builds (target ≤ 20 ns)",
        dead.len()
    );
    let names = [
        Strong::NAME,
        WeakTable::NAME,
        Leanmem::NAME,
        Notifying::NAME,
    ];
    for (i, name) in names.iter().enumerate() {
        println!(
            "  {name:<40} {:>8.1} ns/lookup right after the next call",
            median(dead_next[i].clone())
        );
    }
    for (i, name) in [Leanmem::NAME, Notifying::NAME].iter().enumerate() {
        println!(
            "  {name:<40} {:>8.1} ns/lookup settled (buckets/4 calls later)",
            median(dead_settled[i].clone())
        );
    }
    print_fast_hasher_lookups(&dead, rounds);
}

/// Dead-key lookups with a multiplicative hasher instead of the default,
/// to separate hashing from the table's own cost.
fn print_fast_hasher_lookups(dead: &[u64], rounds: usize) {
    let mut nm: NotifyingMap<u64, Value, FastHash> = NotifyingMap::with_hasher(FastHash::default());
    let handles = survivors(
        (0..KEYS)
            .map(|k| nm.get_or_insert_with(k, || value(k)))
            .collect(),
    );
    let mut lm: WeakValueMap<u64, Arc<Value>, FastHash> =
        WeakValueMap::with_hasher(FastHash::default());
    let all: Vec<Arc<Value>> = (0..KEYS).map(|k| Arc::new(value(k))).collect();
    for (k, v) in all.iter().enumerate() {
        lm.insert(k as u64, v);
    }
    let owners = survivors(all);
    let settle = lm.buckets() / 4;
    for _ in 0..settle {
        nm.remove(&u64::MAX);
        lm.remove(&u64::MAX);
    }
    let m = common::interleaved_medians(
        rounds,
        &mut [
            ("NotifyingMap", &mut || {
                run(&|k| nm.get(&k).map(|v| v[0]), dead)
            }),
            ("WeakValueMap", &mut || {
                run(&|k| lm.get(&k).map(|v| v[0]), dead)
            }),
        ],
    );
    println!(
        "  with a multiplicative hasher (FxHash-style) instead of the default foldhash, settled:"
    );
    for (name, d) in [(Notifying::NAME, m[0]), (Leanmem::NAME, m[1])] {
        println!(
            "  {name:<40} {:>8.1} ns/lookup",
            d.as_secs_f64() * 1e9 / dead.len() as f64
        );
    }
    drop((handles, owners));
}

// ---------------------------------------------------------------------------
// Criterion groups.

type Owners = (
    Vec<Arc<Value>>,
    Vec<Arc<Value>>,
    Vec<Arc<Value>>,
    Vec<Handle<Value>>,
);

/// The four maps after the drop and `buckets/4` further calls each.
fn settled() -> (Strong, WeakTable, Leanmem, Notifying, Owners) {
    let (mut strong, so) = Strong::build_and_drop();
    let (mut wt, wo) = WeakTable::build_and_drop();
    let (mut lm, lo) = Leanmem::build_and_drop();
    let (mut nm, no) = Notifying::build_and_drop();
    for _ in 0..lm.buckets() / 4 {
        strong.touch();
        wt.touch();
        lm.touch();
        nm.touch();
    }
    (strong, wt, lm, nm, (so, wo, lo, no))
}

fn get_live(c: &mut Criterion) {
    let (strong, wt, lm, nm, _owners) = settled();
    let live = shuffled((0..KEYS).filter(|k| kept(*k)));
    let mut group = c.benchmark_group("weak/get_live");
    group.throughput(Throughput::Elements(live.len() as u64));
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(2));
    group.warm_up_time(Duration::from_millis(500));
    group.bench_function("strong_hashmap", |b| {
        b.iter(|| {
            live.iter()
                .filter_map(|&k| strong.lookup(black_box(k)))
                .count()
        })
    });
    group.bench_function("weak_table", |b| {
        b.iter(|| live.iter().filter_map(|&k| wt.lookup(black_box(k))).count())
    });
    group.bench_function("WeakValueMap", |b| {
        b.iter(|| live.iter().filter_map(|&k| lm.lookup(black_box(k))).count())
    });
    group.bench_function("NotifyingMap", |b| {
        b.iter(|| live.iter().filter_map(|&k| nm.lookup(black_box(k))).count())
    });
    group.finish();
}

fn get_dead(c: &mut Criterion) {
    let (strong, wt, lm, nm, _owners) = settled();
    let dead = shuffled((0..KEYS).filter(|k| !kept(*k)).take(LOOKUPS));
    let mut group = c.benchmark_group("weak/get_dead");
    group.throughput(Throughput::Elements(dead.len() as u64));
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(2));
    group.warm_up_time(Duration::from_millis(500));
    group.bench_function("strong_hashmap", |b| {
        b.iter(|| {
            dead.iter()
                .filter_map(|&k| strong.lookup(black_box(k)))
                .count()
        })
    });
    group.bench_function("weak_table", |b| {
        b.iter(|| dead.iter().filter_map(|&k| wt.lookup(black_box(k))).count())
    });
    group.bench_function("WeakValueMap", |b| {
        b.iter(|| dead.iter().filter_map(|&k| lm.lookup(black_box(k))).count())
    });
    group.bench_function("NotifyingMap", |b| {
        b.iter(|| dead.iter().filter_map(|&k| nm.lookup(black_box(k))).count())
    });
    group.finish();
}

fn insert_after_drop(c: &mut Criterion) {
    let mut group = c.benchmark_group("weak/insert_after_drop");
    group.throughput(Throughput::Elements(INSERTS));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(3));
    group.warm_up_time(Duration::from_millis(200));
    fn bench<W: Workload>(b: &mut criterion::Bencher<'_>) {
        b.iter_batched(
            || {
                let (m, mut o) = W::build_and_drop();
                o.reserve(INSERTS as usize);
                (m, o)
            },
            |(mut m, mut o)| {
                for k in KEYS..KEYS + INSERTS {
                    m.insert(k, &mut o);
                }
                (m, o)
            },
            BatchSize::PerIteration,
        );
    }
    group.bench_function("strong_hashmap", bench::<Strong>);
    group.bench_function("weak_table", bench::<WeakTable>);
    group.bench_function("WeakValueMap", bench::<Leanmem>);
    group.bench_function("NotifyingMap", bench::<Notifying>);
    group.finish();
}

fn printed(_: &mut Criterion) {
    print_heap_after_drop();
    print_overhead();
    print_worst_insert();
    print_lookup_ratios();
}

criterion_group!(benches, printed, get_live, get_dead, insert_after_drop);
criterion_main!(benches);
