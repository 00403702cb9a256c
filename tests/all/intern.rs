//! The interners against a `HashMap<String, u32>` + `Vec<String>` model,
//! their heap sizes against the tracking allocator, and concurrent
//! interning from several threads.

use std::collections::HashMap;
use std::sync::Arc;

use leanmem::intern::{ConcurrentInterner, FrozenInterner, Interner, Symbol};
use leanmem::measure::HeapSize;
use proptest::prelude::*;

use crate::measured;

/// Builds a value under measurement and checks its deep size against the
/// allocator exactly.
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

fn words(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("word_{}", i * 7919 % 100_003))
        .collect()
}

#[test]
fn symbols_are_four_bytes_and_option_is_free() {
    assert_eq!(std::mem::size_of::<Symbol>(), 4);
    assert_eq!(std::mem::size_of::<Option<Symbol>>(), 4);
    assert_eq!(Symbol::from_usize(0).map(Symbol::to_usize), Some(0));
    assert_eq!(
        Symbol::from_usize(Symbol::MAX_INDEX).map(Symbol::to_u32),
        Some(u32::MAX - 1)
    );
    assert_eq!(Symbol::from_usize(Symbol::MAX_INDEX + 1), None);
    let err = Symbol::try_from(usize::MAX).unwrap_err();
    assert_eq!(err.index, usize::MAX);
    assert!(err.to_string().contains("out of the symbol range"));
    assert_eq!(format!("{:?}", Symbol::from_usize(3).unwrap()), "Symbol(3)");
    assert!(Symbol::from_usize(1) < Symbol::from_usize(2));
}

#[test]
fn heap_size_is_exact_as_the_interner_grows() {
    for n in [0usize, 1, 2, 15, 16, 17, 100, 1000, 10_000, 50_000] {
        let w = words(n);
        let mut i = check(&format!("Interner of {n}"), || {
            let mut i = Interner::new();
            for s in &w {
                i.intern(s);
            }
            i
        });
        check(&format!("clone of {n}"), || i.clone());
        check(&format!("frozen {n}"), || i.clone().freeze());
        check(&format!("thawed {n}"), || i.clone().freeze().thaw());
        check(&format!("shrunk {n}"), || {
            let mut c = i.clone();
            c.shrink_to_fit();
            c
        });
        check(&format!("concurrent {n}"), || {
            let c = ConcurrentInterner::new();
            for s in &w {
                c.intern(s);
            }
            c
        });
        check(&format!("concurrent from {n}"), || {
            ConcurrentInterner::from(i.clone())
        });
        i.clear();
        assert!(i.is_empty());
    }
    check("Interner::new", Interner::new);
    check("with_capacity", || Interner::with_capacity(1000, 9000));
    check("reserve", || {
        let mut i = Interner::new();
        i.intern("a");
        i.reserve(500, 4000);
        i
    });
}

#[test]
fn memory_budgets() {
    // 20 000 distinct 10-byte strings (200 000 bytes).
    let w: Vec<String> = (0..20_000).map(|i| format!("ident{i:05}")).collect();
    let bytes: usize = w.iter().map(String::len).sum();
    let (i, m) = measured(|| {
        let mut i = Interner::new();
        for s in &w {
            i.intern(s);
        }
        i
    });
    let overhead = |total: isize| (total as f64 - bytes as f64) / w.len() as f64;
    let growing = overhead(m.net_bytes);
    assert!(growing <= 12.0, "growing: {growing:.2} B per string");
    // Exact sizes: offsets + buckets at 7/8 load.
    let buckets = 20_000 + 20_000_usize.div_ceil(7);
    let (f, m) = measured(|| i.clone().freeze());
    assert_eq!(m.net_bytes as usize, bytes + 4 * 20_001 + 4 * buckets);
    assert!(overhead(m.net_bytes) <= 8.6);
    // A clone copies lengths, not capacities: smaller than the original.
    let (mut s, m) = measured(|| i.clone());
    assert_eq!(m.net_bytes as usize, s.heap_size());
    assert!(s.heap_size() < i.heap_size());
    s.shrink_to_fit();
    assert_eq!(s.heap_size(), f.heap_size());
    // with_capacity with exact counts: no slack, no reallocation.
    let (w_cap, m) = measured(|| {
        let mut i = Interner::with_capacity(w.len(), bytes);
        for s in &w {
            i.intern(s);
        }
        i
    });
    assert_eq!(m.net_bytes as usize, f.heap_size());
    assert_eq!(m.reallocations, 0);
    assert_eq!(w_cap.heap_size(), f.heap_size());
    // The concurrent form stays within twice the single-threaded overhead.
    let (_, m) = measured(|| {
        let c = ConcurrentInterner::new();
        for s in &w {
            c.intern(s);
        }
        c
    });
    let concurrent = overhead(m.net_bytes);
    assert!(
        concurrent <= 2.0 * growing,
        "concurrent {concurrent:.2} B vs {growing:.2} B"
    );
}

#[test]
fn frozen_interner_is_sync_and_shared_by_threads() {
    fn assert_sync<T: Sync + Send>() {}
    assert_sync::<FrozenInterner>();
    assert_sync::<ConcurrentInterner>();
    assert_sync::<Interner>();
    let mut i = Interner::new();
    let syms: Vec<Symbol> = words(1000).iter().map(|s| i.intern(s)).collect();
    let f = Arc::new(i.freeze());
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let f = Arc::clone(&f);
            let syms = syms.clone();
            std::thread::spawn(move || {
                for (k, s) in syms.iter().enumerate().skip(t) {
                    let text = f.resolve(*s).unwrap();
                    assert_eq!(f.get(text), Some(*s));
                    assert_eq!(text, words(1000)[k]);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}

#[test]
fn threads_interning_overlapping_sets_agree_on_symbols() {
    let c = Arc::new(ConcurrentInterner::with_shards(4));
    let threads = 4;
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let c = Arc::clone(&c);
            std::thread::spawn(move || {
                // Each thread: 3000 strings, overlapping its neighbours'.
                (t * 1000..t * 1000 + 3000)
                    .map(|n| {
                        let s = format!("s{n}");
                        (s.clone(), c.intern(&s))
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut seen: HashMap<String, Symbol> = HashMap::new();
    for h in handles {
        for (s, sym) in h.join().unwrap() {
            let first = *seen.entry(s.clone()).or_insert(sym);
            assert_eq!(first, sym, "{s} got two symbols");
            assert_eq!(c.resolve(sym), Some(s.as_str()));
        }
    }
    // Dense: the symbols are exactly 0..distinct.
    let distinct = (threads - 1) * 1000 + 3000;
    assert_eq!(c.len(), distinct);
    assert_eq!(seen.len(), distinct);
    let mut indices: Vec<usize> = seen.values().map(|s| s.to_usize()).collect();
    indices.sort_unstable();
    assert_eq!(indices, (0..distinct).collect::<Vec<_>>());
    assert_eq!(c.iter().count(), distinct);
    // Moving to the single-threaded form keeps every symbol.
    let c = Arc::try_unwrap(c).expect("threads joined");
    let single = c.into_interner();
    for (s, sym) in &seen {
        assert_eq!(single.get(s), Some(*sym));
    }
}

#[test]
fn long_empty_nul_and_non_ascii_strings() {
    let long = "λ\0".repeat(40_000); // 120 000 bytes
    let cases = [
        "",
        "\0",
        "a\0b",
        "ünïcødé",
        "日本語",
        "🦀🦀",
        long.as_str(),
        "a",
    ];
    let mut i = Interner::new();
    let c = ConcurrentInterner::new();
    let syms: Vec<Symbol> = cases.iter().map(|s| i.intern(s)).collect();
    for (k, s) in cases.iter().enumerate() {
        assert_eq!(syms[k].to_usize(), k);
        assert_eq!(i.resolve(syms[k]), Some(*s));
        assert_eq!(c.intern(s), syms[k]);
    }
    let f = i.clone().freeze();
    for (k, s) in cases.iter().enumerate() {
        assert_eq!(f.get(s), Some(syms[k]));
        assert_eq!(&f[syms[k]], *s);
        assert_eq!(&c[syms[k]], *s);
    }
    assert_eq!(i.get("λ"), None);
}

#[test]
#[should_panic(expected = "is not a symbol of this interner")]
fn index_panics_on_a_foreign_symbol() {
    let i: Interner = ["a"].into_iter().collect();
    let _ = &i[Symbol::from_usize(5).unwrap()];
}

#[test]
fn traits_behave_like_collections() {
    let i: Interner = ["x", "y", "x"].into_iter().collect();
    assert_eq!(format!("{i:?}"), r#"["x", "y"]"#);
    let mut j = Interner::new();
    j.extend(["x", "y"]);
    assert_eq!(i, j);
    j.intern("z");
    assert_ne!(i, j);
    let f = i.clone().freeze();
    assert_eq!(f, i.clone().freeze());
    assert_eq!(format!("{f:?}"), r#"["x", "y"]"#);
    let rev: Vec<&str> = i.iter().rev().map(|(_, s)| s).collect();
    assert_eq!(rev, ["y", "x"]);
    let mut it = i.iter();
    assert_eq!(it.len(), 2);
    it.next();
    assert_eq!(it.len(), 1);
    it.next();
    assert_eq!(it.next(), None);
    assert_eq!(it.next(), None);
    let c: ConcurrentInterner = ["b", "a", "b"].into_iter().collect();
    assert_eq!(format!("{c:?}"), r#"["b", "a"]"#);
    let d = c.clone();
    assert_eq!(d.get("a"), c.get("a"));
    assert_eq!(
        Interner::from(d),
        ["b", "a"].into_iter().collect::<Interner>()
    );
    let default: Interner = Interner::default();
    assert!(default.is_empty());
}

/// An iterator's `Debug` shows the pairs it has left, as the crate's other
/// iterators do; it used to print the interner's whole byte buffer and
/// offsets, strings already consumed included.
#[test]
fn iter_debug_lists_the_pairs_left() {
    let i: Interner = ["x", "yy", "z"].into_iter().collect();
    let mut it = i.iter();
    assert_eq!(
        format!("{it:?}"),
        r#"[(Symbol(0), "x"), (Symbol(1), "yy"), (Symbol(2), "z")]"#
    );
    it.next();
    it.next_back();
    assert_eq!(format!("{it:?}"), r#"[(Symbol(1), "yy")]"#);
    it.next();
    assert_eq!(format!("{it:?}"), "[]");
    let f = i.freeze();
    let mut it = f.iter();
    it.nth(1);
    assert_eq!(format!("{it:?}"), r#"[(Symbol(2), "z")]"#);
}

#[cfg(feature = "serde")]
#[test]
fn serde_round_trip_keeps_symbols() {
    let mut i = Interner::new();
    let syms: Vec<Symbol> = ["b", "", "é\0", "a"].iter().map(|s| i.intern(s)).collect();
    let json = serde_json::to_string(&i).unwrap();
    assert_eq!(json, r#"["b","","é\u0000","a"]"#);
    let back: Interner = serde_json::from_str(&json).unwrap();
    assert_eq!(back, i);
    for s in &syms {
        assert_eq!(back.resolve(*s), i.resolve(*s));
    }
    let frozen: FrozenInterner = serde_json::from_str(&json).unwrap();
    assert_eq!(serde_json::to_string(&frozen).unwrap(), json);
    let conc: ConcurrentInterner = serde_json::from_str(&json).unwrap();
    assert_eq!(serde_json::to_string(&conc).unwrap(), json);
    assert_eq!(conc.get("a"), Some(syms[3]));
    // Symbols serialize as their index.
    assert_eq!(serde_json::to_string(&syms).unwrap(), "[0,1,2,3]");
    let back_syms: Vec<Symbol> = serde_json::from_str("[0,1,2,3]").unwrap();
    assert_eq!(back_syms, syms);
    assert!(serde_json::from_str::<Symbol>("4294967295").is_err());
    // A repeated string would renumber symbols: rejected.
    let err = serde_json::from_str::<Interner>(r#"["a","b","a"]"#).unwrap_err();
    assert!(err.to_string().contains("duplicate"), "{err}");
    assert!(serde_json::from_str::<Interner>(r#"["a", 3]"#).is_err());
}

#[derive(Debug, Clone)]
enum Op {
    Intern(String),
    Get(String),
    Resolve(usize),
    Clone,
    Shrink,
    Freeze,
    Reserve(u16, u16),
    Clear,
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-c]{0,3}",
        2 => "\\PC{0,12}",
        1 => "[\0é日]{1,4}",
        1 => (0usize..3).prop_map(|k| "x".repeat(65_536 + k)),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => text().prop_map(Op::Intern),
        3 => text().prop_map(Op::Get),
        3 => (0usize..64).prop_map(Op::Resolve),
        1 => Just(Op::Clone),
        1 => Just(Op::Shrink),
        1 => Just(Op::Freeze),
        1 => (0u16..300, 0u16..3000).prop_map(|(a, b)| Op::Reserve(a, b)),
        1 => Just(Op::Clear),
    ]
}

/// The model: what an interner means.
#[derive(Default)]
struct Model {
    map: HashMap<String, u32>,
    strings: Vec<String>,
}

impl Model {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.map.get(s) {
            return i;
        }
        let i = self.strings.len() as u32;
        self.strings.push(s.to_owned());
        self.map.insert(s.to_owned(), i);
        i
    }
}

/// What the model answers to one operation, computed before the interner
/// runs so that the model's allocations stay out of the measurement.
enum Want {
    Symbol(u32),
    Lookup(Option<u32>),
    Text(Option<String>),
    Strings(Vec<String>),
    Nothing,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every operation agrees with the model; symbols stay stable and
    /// dense; the frozen and concurrent forms answer the same; the heap
    /// size stays equal to the allocator's count.
    #[test]
    fn interner_matches_the_model(ops in prop::collection::vec(op(), 0..60)) {
        let mut model = Model::default();
        let wants: Vec<(Want, usize)> = ops
            .iter()
            .map(|op| {
                let want = match op {
                    Op::Intern(s) => Want::Symbol(model.intern(s)),
                    Op::Get(s) => Want::Lookup(model.map.get(s.as_str()).copied()),
                    Op::Resolve(k) => Want::Text(model.strings.get(*k).cloned()),
                    Op::Freeze => Want::Strings(model.strings.clone()),
                    Op::Clear => {
                        model = Model::default();
                        Want::Nothing
                    }
                    _ => Want::Nothing,
                };
                (want, model.strings.len())
            })
            .collect();
        let (i, m) = measured(|| {
            let mut i = Interner::new();
            let mut c = ConcurrentInterner::with_shards(2);
            for (op, (want, len)) in ops.iter().zip(&wants) {
                match (op, want) {
                    (Op::Intern(s), Want::Symbol(want)) => {
                        let sym = i.intern(s);
                        assert_eq!(sym.to_u32(), *want);
                        assert_eq!(c.intern(s), sym);
                    }
                    (Op::Get(s), Want::Lookup(want)) => {
                        assert_eq!(i.get(s).map(Symbol::to_u32), *want);
                        assert_eq!(c.get(s).map(Symbol::to_u32), *want);
                        assert_eq!(i.contains(s), want.is_some());
                    }
                    (Op::Resolve(k), Want::Text(want)) => {
                        let sym = Symbol::from_usize(*k).unwrap();
                        assert_eq!(i.resolve(sym), want.as_deref());
                        assert_eq!(c.resolve(sym), want.as_deref());
                    }
                    (Op::Clone, _) => {
                        let copy = i.clone();
                        assert_eq!(&copy, &i);
                        i = copy;
                    }
                    (Op::Shrink, _) => i.shrink_to_fit(),
                    (Op::Freeze, Want::Strings(strings)) => {
                        let f = i.clone().freeze();
                        assert_eq!(f.len(), strings.len());
                        for (k, s) in strings.iter().enumerate() {
                            assert_eq!(f.get(s).map(Symbol::to_usize), Some(k));
                            assert_eq!(f.resolve(Symbol::from_usize(k).unwrap()), Some(s.as_str()));
                        }
                        i = f.thaw();
                    }
                    (Op::Reserve(a, b), _) => {
                        i.reserve(usize::from(*a), usize::from(*b));
                        assert!(i.capacity() >= i.len() + usize::from(*a));
                        assert!(i.byte_capacity() >= i.byte_len() + usize::from(*b));
                    }
                    (Op::Clear, _) => {
                        i.clear();
                        // The concurrent interner has no `clear`: a new one.
                        c = ConcurrentInterner::with_shards(2);
                    }
                    _ => unreachable!("each op has its answer"),
                }
                assert_eq!(i.len(), *len);
            }
            drop(c);
            i
        });
        prop_assert_eq!(i.heap_size() as isize, m.net_bytes);
        let strings: Vec<&str> = i.iter().map(|(_, s)| s).collect();
        let want: Vec<&str> = model.strings.iter().map(String::as_str).collect();
        prop_assert_eq!(strings, want);
        prop_assert_eq!(i.byte_len(), model.strings.iter().map(String::len).sum::<usize>());
    }
}

#[test]
fn lookups_run_while_writers_grow_the_same_shards() {
    // Two shards: every reader shares a shard with the writers, whose
    // tables are rebuilt many times while the readers look up and resolve.
    let c = Arc::new(ConcurrentInterner::with_shards(2));
    let known: Vec<(String, Symbol)> = (0..2000)
        .map(|n| {
            let s = format!("known{n}");
            let sym = c.intern(&s);
            (s, sym)
        })
        .collect();
    let known = Arc::new(known);
    let writers: Vec<_> = (0..2)
        .map(|t| {
            let c = Arc::clone(&c);
            std::thread::spawn(move || {
                for n in 0..20_000 {
                    let s = format!("new{t}_{n}");
                    let sym = c.intern(&s);
                    assert_eq!(c.resolve(sym), Some(s.as_str()));
                }
            })
        })
        .collect();
    let readers: Vec<_> = (0..2)
        .map(|t| {
            let c = Arc::clone(&c);
            let known = Arc::clone(&known);
            std::thread::spawn(move || {
                for round in 0..20 {
                    for (s, sym) in known.iter().skip((t + round) % 7) {
                        assert_eq!(c.get(s), Some(*sym));
                        assert_eq!(c.resolve(*sym), Some(s.as_str()));
                    }
                }
            })
        })
        .collect();
    for h in writers.into_iter().chain(readers) {
        h.join().unwrap();
    }
    assert_eq!(c.len(), 2000 + 2 * 20_000);
    let single = Arc::try_unwrap(c).expect("joined").into_interner();
    assert_eq!(single.get("known7"), Some(known[7].1));
    check("concurrent rebuilt from the result", || {
        ConcurrentInterner::from(single.clone())
    });
}

/// A user's hasher that fails: while armed (by any clone), hashing the
/// string `victim` panics. Otherwise it is std's `DefaultHasher`.
#[derive(Clone)]
struct Tripwire {
    armed: Arc<std::sync::atomic::AtomicBool>,
    victim: &'static str,
}

struct TripHasher {
    inner: std::hash::DefaultHasher,
    victim: Option<&'static str>,
}

impl Tripwire {
    fn new(victim: &'static str) -> Self {
        Self {
            armed: Arc::default(),
            victim,
        }
    }

    fn arm(&self, armed: bool) {
        self.armed.store(armed, std::sync::atomic::Ordering::SeqCst);
    }
}

impl std::hash::Hasher for TripHasher {
    fn write(&mut self, bytes: &[u8]) {
        if let Some(victim) = self.victim.filter(|v| v.as_bytes() == bytes) {
            panic!("tripwire: the hasher fails on {victim:?}");
        }
        self.inner.write(bytes);
    }
    fn finish(&self) -> u64 {
        self.inner.finish()
    }
}

impl std::hash::BuildHasher for Tripwire {
    type Hasher = TripHasher;
    fn build_hasher(&self) -> TripHasher {
        let armed = self.armed.load(std::sync::atomic::Ordering::SeqCst);
        TripHasher {
            inner: std::hash::DefaultHasher::new(),
            victim: armed.then_some(self.victim),
        }
    }
}

/// Whether `f` panicked.
fn panics<R>(f: impl FnOnce() -> R) -> bool {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).is_err()
}

/// What every interner must keep after a call panicked: exactly the strings
/// of `expect`, each found under its one symbol, and no string that
/// resolves but is not found (a later `intern` would give it a second
/// symbol).
macro_rules! assert_consistent {
    ($i:expr, $expect:expr) => {{
        let (i, expect) = (&$i, &$expect);
        assert_eq!(i.len(), expect.len(), "len");
        for (s, sym) in expect.iter() {
            assert_eq!(i.get(s), Some(*sym), "get({s:?})");
            assert_eq!(i.resolve(*sym), Some(s.as_str()), "resolve({sym:?})");
        }
        let mut listed = 0;
        for (sym, s) in i.iter() {
            assert_eq!(i.get(s), Some(sym), "{sym:?} resolves to {s:?}, not found");
            listed += 1;
        }
        assert_eq!(listed, expect.len(), "iter");
    }};
}

/// Interns `w0` … `w{n - 1}`; returns each with its symbol.
fn intern_numbered(n: usize, mut intern: impl FnMut(&str) -> Symbol) -> Vec<(String, Symbol)> {
    (0..n)
        .map(|k| {
            let s = format!("w{k}");
            let sym = intern(&s);
            (s, sym)
        })
        .collect()
}

/// Interns `prefix0`, `prefix1`, … into `expect` until `intern` panics;
/// returns the string it panicked on.
fn intern_until_panic(
    mut intern: impl FnMut(&str) -> Symbol,
    prefix: &str,
    expect: &mut Vec<(String, Symbol)>,
) -> String {
    for n in 0..500_000 {
        let s = format!("{prefix}{n}");
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| intern(&s))) {
            Ok(sym) => expect.push((s, sym)),
            Err(_) => return s,
        }
    }
    panic!("no growth hashed the strings again");
}

/// The user's hasher panics while a shard's table grows (it hashes every
/// string again once the table is too large to move entries by their
/// stored bits), under the shard's writers' mutex and while other threads
/// look up: the shard keeps its table, no symbol is handed out for the
/// string that failed, and the poisoned mutex does not stop later writers.
#[test]
fn concurrent_hasher_panic_while_a_table_grows_hands_out_no_second_symbol() {
    use std::sync::atomic::{AtomicBool, Ordering};

    let wire = Tripwire::new("w0");
    let c = ConcurrentInterner::with_shards_and_hasher(1, wire.clone());
    let mut expect = intern_numbered(30_000, |s| c.intern(s));
    let known = expect[1..2000].to_vec();
    let stop = AtomicBool::new(false);
    let failed = std::thread::scope(|scope| {
        let readers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    while !stop.load(Ordering::Acquire) {
                        for (s, sym) in &known {
                            assert_eq!(c.get(s), Some(*sym));
                            assert_eq!(c.resolve(*sym), Some(s.as_str()));
                        }
                    }
                })
            })
            .collect();
        wire.arm(true);
        let failed = intern_until_panic(|s| c.intern(s), "x", &mut expect);
        wire.arm(false);
        stop.store(true, Ordering::Release);
        for r in readers {
            r.join().unwrap();
        }
        failed
    });
    assert_eq!(c.get(&failed), None, "{failed:?} was not interned");
    assert_consistent!(c, expect);
    for (s, sym) in &expect {
        assert_eq!(c.intern(s), *sym, "intern({s:?})");
    }
    // Interning again after the panic: the failed string, fresh strings from
    // two threads (the shard's mutex is poisoned), a copy.
    let sym = c.intern(&failed);
    assert_eq!(sym.to_usize(), expect.len());
    expect.push((failed, sym));
    let fresh: Vec<Vec<(String, Symbol)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|t| {
                let c = &c;
                scope.spawn(move || {
                    (0..20_000)
                        .map(|n| {
                            let s = format!("t{t}_{n}");
                            let sym = c.intern(&s);
                            (s, sym)
                        })
                        .collect()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    expect.extend(fresh.into_iter().flatten());
    expect.sort_by_key(|&(_, sym)| sym);
    assert_consistent!(c, expect);
    assert_consistent!(c.clone(), expect);
    let single = c.into_interner();
    assert_consistent!(single, expect);
}

/// The user's hasher panics in each call of `Interner` and `FrozenInterner`
/// that hashes: hashing the string asked for, growing (40 000 strings: the
/// table is rebuilt by hashing them again), `reserve`, `shrink_to_fit`,
/// `freeze`. Each leaves the interner as it was.
#[test]
fn interner_hasher_panics_leave_it_consistent() {
    let wire = Tripwire::new("w0");
    let mut i = Interner::with_hasher(wire.clone());
    let mut expect = intern_numbered(40_000, |s| i.intern(s));

    wire.arm(true);
    assert!(panics(|| i.intern("w0")));
    assert!(panics(|| i.get("w0")));
    let failed = intern_until_panic(|s| i.intern(s), "x", &mut expect);
    assert!(panics(|| i.try_intern(&failed)));
    wire.arm(false);
    assert_eq!(i.get(&failed), None);
    assert_consistent!(i, expect);

    wire.arm(true);
    assert!(panics(|| i.reserve(100_000, 0)));
    wire.arm(false);
    assert_consistent!(i, expect);

    wire.arm(true);
    assert!(panics(|| i.shrink_to_fit()));
    wire.arm(false);
    assert_consistent!(i, expect);

    wire.arm(true);
    assert!(panics(|| i.clone().freeze()));
    let copy = i.clone();
    wire.arm(false);
    assert_consistent!(copy, expect);
    assert_consistent!(i, expect);

    let sym = i.intern(&failed);
    assert_eq!(sym.to_usize(), expect.len());
    expect.push((failed, sym));
    assert_consistent!(i, expect);
    for (s, sym) in &expect {
        assert_eq!(i.intern(s), *sym, "intern({s:?})");
    }

    let frozen = i.freeze();
    wire.arm(true);
    assert!(panics(|| frozen.get("w0")));
    let copy = frozen.clone();
    wire.arm(false);
    assert_consistent!(frozen, expect);
    assert_consistent!(copy, expect);
    let mut thawed = frozen.thaw();
    let sym = thawed.intern("fresh");
    expect.push(("fresh".to_owned(), sym));
    assert_consistent!(thawed, expect);
}
