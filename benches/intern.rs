//! `intern/*`: leanmem's interners against string-interner (StringBackend,
//! BufferBackend), lasso (Rodeo, ThreadedRodeo) and the naive
//! `HashMap<String, u32>` + `Vec<String>`, on identifiers tokenized from the
//! local cargo registry's sources (see `benches/corpus/mod.rs`).
//!
//! ```text
//! cargo bench --bench intern                         # everything
//! LEANMEM_INTERN_TOKENS=200000 cargo bench --bench intern   # a smaller corpus
//! LEANMEM_INTERN_SECTIONS=size,get cargo bench --bench intern # some sections
//! ```
//!
//! Printed besides criterion's times: bytes of overhead per distinct string
//! (capacity and slack included, measured by the tracking allocator) and the
//! targets' ratios from interleaved medians (`common::print_ratios`).

mod common;
mod corpus;

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use lasso::{Rodeo, Spur, ThreadedRodeo};
use leanmem::intern::{ConcurrentInterner, FrozenInterner, Interner, Symbol};
use leanmem::measure::{self, TrackingAllocator};
use string_interner::StringInterner;
use string_interner::backend::{BufferBackend, StringBackend};
use string_interner::symbol::SymbolU32;

use corpus::Corpus;

#[global_allocator]
static ALLOC: TrackingAllocator = TrackingAllocator::system();

type SiString = StringInterner<StringBackend<SymbolU32>>;
type SiBuffer = StringInterner<BufferBackend<SymbolU32>>;

/// The naive twin: a map from owned strings to indices and the strings by
/// index.
#[derive(Default)]
struct Naive {
    map: HashMap<String, u32>,
    strings: Vec<String>,
}

impl Naive {
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

fn tokens_wanted() -> usize {
    std::env::var("LEANMEM_INTERN_TOKENS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

fn build_leanmem<S: BuildHasher + Default>(tokens: &[&str]) -> Interner<S> {
    let mut i = Interner::default();
    for t in tokens {
        black_box(i.intern(t));
    }
    i
}

fn build_si_string(tokens: &[&str]) -> SiString {
    let mut i = SiString::new();
    for t in tokens {
        black_box(i.get_or_intern(t));
    }
    i
}

fn build_si_buffer(tokens: &[&str]) -> SiBuffer {
    let mut i = SiBuffer::new();
    for t in tokens {
        black_box(i.get_or_intern(t));
    }
    i
}

fn build_rodeo(tokens: &[&str]) -> Rodeo {
    let mut i = Rodeo::default();
    for t in tokens {
        black_box(i.get_or_intern(t));
    }
    i
}

fn build_naive(tokens: &[&str]) -> Naive {
    let mut i = Naive::default();
    for t in tokens {
        black_box(i.intern(t));
    }
    i
}

/// Interns `tokens` into a fresh concurrent interner from `threads` threads,
/// each taking an equal contiguous part of the stream.
fn build_concurrent(tokens: &[&str], threads: usize) -> ConcurrentInterner {
    let interner = ConcurrentInterner::new();
    run_threads(tokens, threads, |t| {
        black_box(interner.intern(t));
    });
    interner
}

fn build_threaded_rodeo(tokens: &[&str], threads: usize) -> ThreadedRodeo {
    let interner = ThreadedRodeo::default();
    run_threads(tokens, threads, |t| {
        black_box(interner.get_or_intern(t));
    });
    interner
}

fn run_threads(tokens: &[&str], threads: usize, f: impl Fn(&str) + Sync) {
    if threads == 1 {
        tokens.iter().for_each(|t| f(t));
        return;
    }
    let part = tokens.len().div_ceil(threads);
    std::thread::scope(|scope| {
        for chunk in tokens.chunks(part) {
            let f = &f;
            scope.spawn(move || chunk.iter().for_each(|t| f(t)));
        }
    });
}

/// Process-wide live bytes held by what `build` returns (works when
/// `build` allocates from other threads too).
fn live_bytes<T>(build: impl FnOnce() -> T) -> (T, usize) {
    let before = measure::stats().expect("tracking allocator").current;
    let value = build();
    let after = measure::stats().expect("tracking allocator").current;
    (
        value,
        after.saturating_sub(before) + std::mem::size_of::<T>(),
    )
}

fn sizes(corpus: &Corpus) {
    let t = &corpus.tokens[..];
    let mut rows: Vec<(String, usize)> = Vec::new();
    let mut add = |name: &str, bytes: usize| rows.push((name.to_string(), bytes));
    add(
        "naive HashMap<String,u32> + Vec<String>",
        live_bytes(|| build_naive(t)).1,
    );
    add(
        "string-interner StringBackend",
        live_bytes(|| build_si_string(t)).1,
    );
    add(
        "string-interner BufferBackend",
        live_bytes(|| build_si_buffer(t)).1,
    );
    add("lasso Rodeo", live_bytes(|| build_rodeo(t)).1);
    add(
        "lasso ThreadedRodeo (2 threads)",
        live_bytes(|| build_threaded_rodeo(t, 2)).1,
    );
    let (growing, bytes) = live_bytes(|| build_leanmem::<leanmem::intern::DefaultHashBuilder>(t));
    add("leanmem Interner (growing)", bytes);
    add(
        "leanmem Interner (shrink_to_fit)",
        live_bytes(|| {
            let mut i = growing.clone();
            i.shrink_to_fit();
            i
        })
        .1,
    );
    add(
        "leanmem FrozenInterner",
        live_bytes(|| growing.clone().freeze()).1,
    );
    add(
        "leanmem ConcurrentInterner (1 thread)",
        live_bytes(|| build_concurrent(t, 1)).1,
    );
    add(
        "leanmem ConcurrentInterner (2 threads)",
        live_bytes(|| build_concurrent(t, 2)).1,
    );
    drop(growing);

    println!("\nintern corpus: {}", corpus.source);
    println!(
        "  {} tokens, {} distinct, {} bytes of distinct strings ({:.1} B each)",
        corpus.tokens.len(),
        corpus.unique,
        corpus.unique_bytes,
        corpus.unique_bytes as f64 / corpus.unique.max(1) as f64
    );
    let named: Vec<(&str, usize)> = rows.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    common::print_sizes("intern/size (per distinct string)", corpus.unique, &named);
    println!(
        "\nintern/size: overhead per distinct string beyond its bytes (capacity and slack included)"
    );
    for (name, bytes) in &rows {
        println!("  {name:<40} {:>8.2} B", corpus.overhead(*bytes));
    }
    let find = |n: &str| corpus.overhead(rows.iter().find(|r| r.0 == n).unwrap().1);
    let growing = find("leanmem Interner (growing)");
    let shrunk = find("leanmem Interner (shrink_to_fit)");
    let frozen = find("leanmem FrozenInterner");
    let conc = find("leanmem ConcurrentInterner (2 threads)");
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    // The growing interner's overhead depends on where the count falls in
    // its growth steps: sweep it over the distinct strings, in order.
    let (mut min, mut max, mut sum, mut samples) = (f64::MAX, 0f64, 0f64, 0usize);
    let mut sweep = Interner::new();
    let mut bytes = 0usize;
    for (k, s) in corpus.distinct().into_iter().enumerate() {
        sweep.intern(s);
        bytes += s.len();
        if k >= 999 && k % 37 == 0 {
            let o = (leanmem::HeapSize::heap_size(&sweep) - bytes) as f64 / sweep.len() as f64;
            (min, max, sum, samples) = (min.min(o), max.max(o), sum + o, samples + 1);
        }
    }
    println!(
        "  Interner (growing) over the first 1000..{} distinct strings: min {min:.2} B, mean {:.2} B, max {max:.2} B   {}",
        corpus.unique,
        sum / samples.max(1) as f64,
        verdict(max <= 12.0)
    );
    println!(
        "  target: Interner growing      {growing:6.2} B ≤ 12    {}",
        verdict(growing <= 12.0)
    );
    println!(
        "  target: Interner shrunk       {shrunk:6.2} B ≤ 10    {}",
        verdict(shrunk <= 10.0)
    );
    println!(
        "  target: FrozenInterner        {frozen:6.2} B ≤ 9.0   {}",
        verdict(frozen <= 9.0)
    );
    println!(
        "  target: ConcurrentInterner    {conc:6.2} B ≤ 2 × {growing:.2}   {}",
        verdict(conc <= 2.0 * growing)
    );
}

fn bench_intern(c: &mut Criterion, corpus: &Corpus) {
    let t = &corpus.tokens[..];
    let mut group = c.benchmark_group("intern/intern");
    group.throughput(Throughput::Elements(t.len() as u64));
    group.bench_function("leanmem Interner", |b| {
        b.iter(|| build_leanmem::<leanmem::intern::DefaultHashBuilder>(t))
    });
    group.bench_function("string-interner StringBackend", |b| {
        b.iter(|| build_si_string(t))
    });
    group.bench_function("string-interner BufferBackend", |b| {
        b.iter(|| build_si_buffer(t))
    });
    group.bench_function("lasso Rodeo", |b| b.iter(|| build_rodeo(t)));
    group.bench_function("naive HashMap+Vec", |b| b.iter(|| build_naive(t)));
    group.finish();

    let ratios = common::print_ratios(
        "intern/intern (a fresh interner takes the whole token stream)",
        t.len(),
        11,
        &mut [
            ("string-interner StringBackend", &mut || {
                drop(black_box(build_si_string(t)))
            }),
            ("leanmem Interner", &mut || {
                drop(black_box(build_leanmem::<
                    leanmem::intern::DefaultHashBuilder,
                >(t)))
            }),
            ("string-interner BufferBackend", &mut || {
                drop(black_box(build_si_buffer(t)))
            }),
            ("lasso Rodeo", &mut || drop(black_box(build_rodeo(t)))),
            ("naive HashMap+Vec", &mut || drop(black_box(build_naive(t)))),
        ],
    );
    println!(
        "  target: leanmem / StringBackend = {:.3} ≤ 1.0   {}",
        ratios[1],
        if ratios[1] <= 1.0 { "met" } else { "NOT met" }
    );
}

fn bench_hashers(c: &mut Criterion, corpus: &Corpus) {
    let t = &corpus.tokens[..];
    let mut group = c.benchmark_group("intern/hasher");
    group.throughput(Throughput::Elements(t.len() as u64));
    group.bench_function("foldhash fast", |b| {
        b.iter(|| build_leanmem::<foldhash::fast::RandomState>(t))
    });
    group.bench_function("foldhash quality", |b| {
        b.iter(|| build_leanmem::<foldhash::quality::RandomState>(t))
    });
    group.bench_function("ahash", |b| {
        b.iter(|| build_leanmem::<ahash::RandomState>(t))
    });
    group.bench_function("fxhash", |b| {
        b.iter(|| build_leanmem::<rustc_hash::FxBuildHasher>(t))
    });
    group.bench_function("std SipHash", |b| {
        b.iter(|| build_leanmem::<std::hash::RandomState>(t))
    });
    group.finish();
    common::print_ratios(
        "intern/hasher (leanmem Interner, whole token stream, by hasher)",
        t.len(),
        9,
        &mut [
            ("foldhash fast (default)", &mut || {
                drop(black_box(build_leanmem::<foldhash::fast::RandomState>(t)))
            }),
            ("foldhash quality", &mut || {
                drop(black_box(build_leanmem::<foldhash::quality::RandomState>(
                    t,
                )))
            }),
            ("ahash", &mut || {
                drop(black_box(build_leanmem::<ahash::RandomState>(t)))
            }),
            ("fxhash (rustc-hash, unseeded)", &mut || {
                drop(black_box(build_leanmem::<rustc_hash::FxBuildHasher>(t)))
            }),
            ("std SipHash-1-3", &mut || {
                drop(black_box(build_leanmem::<std::hash::RandomState>(t)))
            }),
        ],
    );
}

/// Prints the ratio of leanmem (first) to the fastest peer of `ratios`
/// (those at `peers`).
fn print_vs_fastest_peer(what: &str, ratios: &[f64], peers: std::ops::Range<usize>) {
    let fastest = ratios[peers].iter().copied().fold(f64::INFINITY, f64::min);
    let r = 1.0 / fastest;
    println!(
        "  target: {what} leanmem / fastest peer = {r:.3} ≤ 1.0   {}",
        if r <= 1.0 { "met" } else { "NOT met" }
    );
}

fn bench_get(c: &mut Criterion, corpus: &Corpus) {
    let t = &corpus.tokens[..];
    let lean = build_leanmem::<leanmem::intern::DefaultHashBuilder>(t);
    let frozen: FrozenInterner = lean.clone().freeze();
    let si = build_si_string(t);
    let sib = build_si_buffer(t);
    let rodeo = build_rodeo(t);
    let naive = build_naive(t);
    let conc = build_concurrent(t, 1);
    let threaded = build_threaded_rodeo(t, 1);

    let lean_get = || t.iter().filter_map(|s| lean.get(s)).count();
    let frozen_get = || t.iter().filter_map(|s| frozen.get(s)).count();
    let conc_get = || t.iter().filter_map(|s| conc.get(s)).count();
    let si_get = || t.iter().filter_map(|s| si.get(s)).count();
    let sib_get = || t.iter().filter_map(|s| sib.get(s)).count();
    let rodeo_get = || t.iter().filter_map(|s| rodeo.get(s)).count();
    let naive_get = || t.iter().filter_map(|s| naive.map.get(*s)).count();
    let threaded_get = || t.iter().filter_map(|s| threaded.get(s)).count();

    let mut group = c.benchmark_group("intern/get");
    group.throughput(Throughput::Elements(t.len() as u64));
    group.bench_function("leanmem Interner", |b| b.iter(lean_get));
    group.bench_function("leanmem FrozenInterner", |b| b.iter(frozen_get));
    group.bench_function("leanmem ConcurrentInterner", |b| b.iter(conc_get));
    group.bench_function("string-interner StringBackend", |b| b.iter(si_get));
    group.bench_function("string-interner BufferBackend", |b| b.iter(sib_get));
    group.bench_function("lasso Rodeo", |b| b.iter(rodeo_get));
    group.bench_function("naive HashMap", |b| b.iter(naive_get));
    group.bench_function("lasso ThreadedRodeo", |b| b.iter(threaded_get));
    group.finish();

    let ratios = common::print_ratios(
        "intern/get (look up every token of the stream, all present)",
        t.len(),
        15,
        &mut [
            ("leanmem Interner", &mut || {
                black_box(lean_get());
            }),
            ("string-interner StringBackend", &mut || {
                black_box(si_get());
            }),
            ("string-interner BufferBackend", &mut || {
                black_box(sib_get());
            }),
            ("lasso Rodeo", &mut || {
                black_box(rodeo_get());
            }),
            ("naive HashMap", &mut || {
                black_box(naive_get());
            }),
            ("leanmem FrozenInterner", &mut || {
                black_box(frozen_get());
            }),
            ("leanmem ConcurrentInterner", &mut || {
                black_box(conc_get());
            }),
            ("lasso ThreadedRodeo", &mut || {
                black_box(threaded_get());
            }),
        ],
    );
    print_vs_fastest_peer("get", &ratios, 1..5);
    println!(
        "  ConcurrentInterner / lasso ThreadedRodeo = {:.3}",
        ratios[6] / ratios[7]
    );
    println!(
        "  FrozenInterner / fastest peer = {:.3}",
        ratios[5] / ratios[1..5].iter().copied().fold(f64::INFINITY, f64::min)
    );
}

fn bench_resolve(c: &mut Criterion, corpus: &Corpus) {
    let t = &corpus.tokens[..];
    let mut lean = Interner::new();
    let lean_syms: Vec<Symbol> = t.iter().map(|s| lean.intern(s)).collect();
    let frozen: FrozenInterner = lean.clone().freeze();
    let conc = ConcurrentInterner::new();
    let conc_syms: Vec<Symbol> = t.iter().map(|s| conc.intern(s)).collect();
    let mut si = SiString::new();
    let si_syms: Vec<SymbolU32> = t.iter().map(|s| si.get_or_intern(s)).collect();
    let mut sib = SiBuffer::new();
    let sib_syms: Vec<SymbolU32> = t.iter().map(|s| sib.get_or_intern(s)).collect();
    let mut rodeo = Rodeo::default();
    let rodeo_syms: Vec<Spur> = t.iter().map(|s| rodeo.get_or_intern(s)).collect();
    let threaded = ThreadedRodeo::default();
    let threaded_syms: Vec<Spur> = t.iter().map(|s| threaded.get_or_intern(s)).collect();
    let mut naive = Naive::default();
    let naive_syms: Vec<u32> = t.iter().map(|s| naive.intern(s)).collect();

    // Each sums the lengths of the resolved strings, in stream order.
    let lean_resolve = || {
        lean_syms
            .iter()
            .map(|&s| lean.resolve(s).map_or(0, str::len))
            .sum::<usize>()
    };
    let frozen_resolve = || {
        lean_syms
            .iter()
            .map(|&s| frozen.resolve(s).map_or(0, str::len))
            .sum::<usize>()
    };
    let conc_resolve = || {
        conc_syms
            .iter()
            .map(|&s| conc.resolve(s).map_or(0, str::len))
            .sum::<usize>()
    };
    let si_resolve = || {
        si_syms
            .iter()
            .map(|&s| si.resolve(s).map_or(0, str::len))
            .sum::<usize>()
    };
    let sib_resolve = || {
        sib_syms
            .iter()
            .map(|&s| sib.resolve(s).map_or(0, str::len))
            .sum::<usize>()
    };
    let threaded_resolve = || {
        threaded_syms
            .iter()
            .map(|s| threaded.resolve(s).len())
            .sum::<usize>()
    };
    let rodeo_resolve = || {
        rodeo_syms
            .iter()
            .map(|s| rodeo.resolve(s).len())
            .sum::<usize>()
    };
    let naive_resolve = || {
        naive_syms
            .iter()
            .map(|&i| naive.strings[i as usize].len())
            .sum::<usize>()
    };

    let mut group = c.benchmark_group("intern/resolve");
    group.throughput(Throughput::Elements(t.len() as u64));
    group.bench_function("leanmem Interner", |b| b.iter(lean_resolve));
    group.bench_function("leanmem FrozenInterner", |b| b.iter(frozen_resolve));
    group.bench_function("leanmem ConcurrentInterner", |b| b.iter(conc_resolve));
    group.bench_function("string-interner StringBackend", |b| b.iter(si_resolve));
    group.bench_function("string-interner BufferBackend", |b| b.iter(sib_resolve));
    group.bench_function("lasso Rodeo", |b| b.iter(rodeo_resolve));
    group.bench_function("naive Vec<String>", |b| b.iter(naive_resolve));
    group.bench_function("lasso ThreadedRodeo", |b| b.iter(threaded_resolve));
    group.finish();

    let ratios = common::print_ratios(
        "intern/resolve (resolve the symbol of every token, in stream order)",
        t.len(),
        15,
        &mut [
            ("leanmem Interner", &mut || {
                black_box(lean_resolve());
            }),
            ("string-interner StringBackend", &mut || {
                black_box(si_resolve());
            }),
            ("string-interner BufferBackend", &mut || {
                black_box(sib_resolve());
            }),
            ("lasso Rodeo", &mut || {
                black_box(rodeo_resolve());
            }),
            ("naive Vec<String>", &mut || {
                black_box(naive_resolve());
            }),
            ("leanmem FrozenInterner", &mut || {
                black_box(frozen_resolve());
            }),
            ("leanmem ConcurrentInterner", &mut || {
                black_box(conc_resolve());
            }),
            ("lasso ThreadedRodeo", &mut || {
                black_box(threaded_resolve());
            }),
        ],
    );
    print_vs_fastest_peer("resolve", &ratios, 1..5);
    println!(
        "  ConcurrentInterner / lasso ThreadedRodeo = {:.3}",
        ratios[6] / ratios[7]
    );
}

fn bench_rehash(c: &mut Criterion, corpus: &Corpus) {
    let frozen: FrozenInterner = build_leanmem(&corpus.tokens).freeze();
    let n = frozen.len();
    let mut group = c.benchmark_group("intern/rehash");
    group.throughput(Throughput::Elements(n as u64));
    // `reserve(n, 0)` on an exactly sized interner rebuilds the table from
    // the strings (hashing each again) and extends the offsets.
    group.bench_function(
        "leanmem Interner reserve (table rebuilt from the strings)",
        |b| {
            b.iter_batched(
                || frozen.clone().thaw(),
                |mut i| {
                    i.reserve(n, 0);
                    i
                },
                BatchSize::LargeInput,
            )
        },
    );
    group.finish();
}

fn bench_concurrent(c: &mut Criterion, corpus: &Corpus) {
    let t = &corpus.tokens[..];
    let mut group = c.benchmark_group("intern/concurrent");
    group.throughput(Throughput::Elements(t.len() as u64));
    for threads in [1, 2] {
        group.bench_function(
            format!("leanmem ConcurrentInterner, {threads} threads"),
            |b| b.iter(|| build_concurrent(t, threads)),
        );
        group.bench_function(format!("lasso ThreadedRodeo, {threads} threads"), |b| {
            b.iter(|| build_threaded_rodeo(t, threads))
        });
    }
    group.finish();
    // What two threads can gain on this machine at all: lookups in a
    // lock-free FrozenInterner, which share nothing but read-only memory.
    // Interleaved with the rest, so both ratios see the same machine load.
    let frozen: FrozenInterner = build_leanmem(t).freeze();
    let lookups = |threads: usize| {
        run_threads(t, threads, |s| {
            black_box(frozen.get(s));
        })
    };
    let ratios = common::print_ratios(
        "intern/concurrent (a fresh interner takes the stream, split between threads; hits and misses mixed)",
        t.len(),
        11,
        &mut [
            ("leanmem ConcurrentInterner, 1 thread", &mut || {
                drop(black_box(build_concurrent(t, 1)))
            }),
            ("leanmem ConcurrentInterner, 2 threads", &mut || {
                drop(black_box(build_concurrent(t, 2)))
            }),
            ("lasso ThreadedRodeo, 1 thread", &mut || {
                drop(black_box(build_threaded_rodeo(t, 1)))
            }),
            ("lasso ThreadedRodeo, 2 threads", &mut || {
                drop(black_box(build_threaded_rodeo(t, 2)))
            }),
            ("leanmem Interner (single-threaded)", &mut || {
                drop(black_box(build_leanmem::<
                    leanmem::intern::DefaultHashBuilder,
                >(t)))
            }),
            ("control: FrozenInterner::get, 1 thread", &mut || lookups(1)),
            ("control: FrozenInterner::get, 2 threads", &mut || {
                lookups(2)
            }),
        ],
    );
    let machine = ratios[6] / ratios[5];
    println!(
        "  target: 2 threads / 1 thread = {:.3} < 1.0   {}",
        ratios[1],
        if ratios[1] < 1.0 { "met" } else { "NOT met" }
    );
    println!(
        "  control: lock-free lookups, 2 threads / 1 thread = {machine:.3} (0.5 on two idle cores; near 1 when other work holds a core)"
    );
    println!(
        "  lasso ThreadedRodeo: 2 threads / 1 thread = {:.3}",
        ratios[3] / ratios[2]
    );
}

/// Whether section `name` runs: all unless `LEANMEM_INTERN_SECTIONS` lists
/// some (comma-separated: size, intern, get, resolve, hasher, rehash,
/// concurrent).
fn section(name: &str) -> bool {
    std::env::var("LEANMEM_INTERN_SECTIONS")
        .map_or(true, |v| v.split(',').any(|s| s.trim() == name))
}

/// One part of this bench.
type Section = fn(&mut Criterion, &Corpus);

fn intern(c: &mut Criterion) {
    let corpus = Corpus::load(tokens_wanted());
    let sections: [(&str, Section); 7] = [
        ("size", |_, corpus| sizes(corpus)),
        ("intern", bench_intern),
        ("get", bench_get),
        ("resolve", bench_resolve),
        ("hasher", bench_hashers),
        ("rehash", bench_rehash),
        ("concurrent", bench_concurrent),
    ];
    for (name, run) in sections {
        if section(name) {
            run(c, &corpus);
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = intern
}
criterion_main!(benches);
