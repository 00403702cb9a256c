//! `packed/*`: bit-packed integer vectors against `Vec<u64>`, the
//! list-of-ints twin `Vec<Box<u64>>`, sucds `CompactVector` and sux
//! `BitFieldVec`, on 10M values of three synthetic datasets and on file
//! sizes read from this machine.
//!
//! ```text
//! cargo bench --bench packed                  # criterion groups + sizes + ratios
//! PACKED_N=1000000 cargo bench --bench packed # smaller datasets
//! ```
//!
//! Groups: `packed/get` (1M random `get`s, summed), `packed/sum`
//! (sequential sum of every value), `packed/build` (from a `&[u64]`). After
//! them the bench prints bytes per element of every structure on every
//! dataset and the target ratios from interleaved medians
//! (`common::print_ratios`).

mod common;
#[path = "common/packed_data.rs"]
mod packed_data;

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use leanmem::measure::{self, TrackingAllocator};
use leanmem::packed::{BlockPackedVec, PackedVec};
use packed_data::SplitMix;
use sucds::int_vectors::{Access, CompactVector};
use sux::bits::BitFieldVec;
use sux::traits::bit_field_slice::SliceByValue;

#[global_allocator]
static ALLOC: TrackingAllocator = TrackingAllocator::system();

type Sux = BitFieldVec<Vec<u64>>;

/// Elements per synthetic dataset (default 10M).
fn n() -> usize {
    std::env::var("PACKED_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000_000)
}

/// Random indices for the `get` benchmarks.
const GETS: usize = 1_000_000;

struct Structures {
    vec: Vec<u64>,
    /// The list-of-ints twin: boxing each value is the point.
    #[allow(clippy::vec_box)]
    boxed: Option<Vec<Box<u64>>>,
    sucds: CompactVector,
    sux: Sux,
    packed: PackedVec<u64>,
    blocks: BlockPackedVec<u64>,
}

impl Structures {
    fn build(values: &[u64], boxed: bool) -> Self {
        Self {
            vec: values.to_vec(),
            boxed: boxed.then(|| values.iter().copied().map(Box::new).collect()),
            sucds: CompactVector::from_slice(values),
            sux: Sux::from_slice(&values).expect("u64 values fit u64 words"),
            packed: PackedVec::from_slice(values),
            blocks: BlockPackedVec::from_slice(values),
        }
    }
}

fn indices(len: usize) -> Vec<usize> {
    let mut r = SplitMix(77);
    (0..GETS)
        .map(|_| (r.next_u64() % len as u64) as usize)
        .collect()
}

// The measured operations, one function each so criterion and the
// interleaved ratios run exactly the same code.

fn get_vec(s: &Structures, idx: &[usize]) -> u64 {
    idx.iter()
        .map(|&i| s.vec.get(i).copied().unwrap_or(0))
        .fold(0, u64::wrapping_add)
}
fn get_boxed(s: &Structures, idx: &[usize]) -> u64 {
    let b = s.boxed.as_ref().expect("built");
    idx.iter()
        .map(|&i| b.get(i).map_or(0, |x| **x))
        .fold(0, u64::wrapping_add)
}
fn get_sucds(s: &Structures, idx: &[usize]) -> u64 {
    idx.iter()
        .map(|&i| s.sucds.access(i).unwrap_or(0))
        .fold(0, u64::wrapping_add)
}
fn get_sux(s: &Structures, idx: &[usize]) -> u64 {
    idx.iter()
        .map(|&i| s.sux.get_value(i).unwrap_or(0))
        .fold(0, u64::wrapping_add)
}
fn get_packed(s: &Structures, idx: &[usize]) -> u64 {
    idx.iter()
        .map(|&i| s.packed.get(i).unwrap_or(0))
        .fold(0, u64::wrapping_add)
}
fn get_blocks(s: &Structures, idx: &[usize]) -> u64 {
    idx.iter()
        .map(|&i| s.blocks.get(i).unwrap_or(0))
        .fold(0, u64::wrapping_add)
}

// Sums of 10M values below 2^32 cannot overflow a u64: `sum` is exact.
fn sum_vec(s: &Structures) -> u64 {
    s.vec.iter().sum()
}
fn sum_boxed(s: &Structures) -> u64 {
    let b = s.boxed.as_ref().expect("built");
    b.iter().map(|x| **x).sum()
}
fn sum_sucds(s: &Structures) -> u64 {
    s.sucds.iter().sum()
}
fn sum_sux(s: &Structures) -> u64 {
    s.sux.iter().sum()
}
fn sum_packed_fast(s: &Structures) -> u64 {
    s.packed.sum() as u64
}
fn sum_packed_iter(s: &Structures) -> u64 {
    s.packed.iter().sum()
}
fn sum_blocks(s: &Structures) -> u64 {
    s.blocks.sum() as u64
}

/// Heap bytes (tracking allocator) plus inline size of what `build` returns.
fn bytes<T>(build: impl FnOnce() -> T) -> usize {
    let (v, m) = measure::measure(build);
    let b = m
        .expect("the bench installs a tracking allocator")
        .net_bytes
        .max(0) as usize
        + std::mem::size_of::<T>();
    drop(v);
    b
}

/// Prints bytes and bits per element of every structure on `values`.
fn print_sizes(name: &str, values: &[u64]) {
    let n = values.len();
    let span =
        values.iter().max().copied().unwrap_or(0) - values.iter().min().copied().unwrap_or(0);
    let rows = [
        (
            "Vec<Box<u64>> (list of ints)",
            bytes(|| values.iter().copied().map(Box::new).collect::<Vec<_>>()),
        ),
        ("Vec<u64>", bytes(|| values.to_vec())),
        (
            "sucds CompactVector",
            bytes(|| CompactVector::from_slice(values)),
        ),
        (
            "sux BitFieldVec",
            bytes(|| Sux::from_slice(&values).expect("fits")),
        ),
        ("leanmem PackedVec", bytes(|| PackedVec::from_slice(values))),
        (
            "leanmem BlockPackedVec",
            bytes(|| BlockPackedVec::from_slice(values)),
        ),
    ];
    common::print_sizes(&format!("packed sizes, {name}"), n, &rows);
    let limit = 64 - span.leading_zeros();
    println!("  bits per element (limit ⌈log2(max − min + 1)⌉ = {limit}):");
    for (what, b) in rows {
        println!(
            "  {what:<40} {:>10.2} bits/elem",
            (b * 8) as f64 / n.max(1) as f64
        );
    }
}

fn criterion_groups(c: &mut Criterion, name: &str, s: &Structures, idx: &[usize], n: usize) {
    let mut g = c.benchmark_group("packed/get");
    g.throughput(Throughput::Elements(idx.len() as u64));
    g.sample_size(10);
    g.warm_up_time(std::time::Duration::from_millis(500));
    g.measurement_time(std::time::Duration::from_secs(2));
    g.bench_function(BenchmarkId::new("Vec<u64>", name), |b| {
        b.iter(|| get_vec(s, black_box(idx)))
    });
    if s.boxed.is_some() {
        g.bench_function(BenchmarkId::new("Vec<Box<u64>>", name), |b| {
            b.iter(|| get_boxed(s, black_box(idx)))
        });
    }
    g.bench_function(BenchmarkId::new("sucds", name), |b| {
        b.iter(|| get_sucds(s, black_box(idx)))
    });
    g.bench_function(BenchmarkId::new("sux", name), |b| {
        b.iter(|| get_sux(s, black_box(idx)))
    });
    g.bench_function(BenchmarkId::new("PackedVec", name), |b| {
        b.iter(|| get_packed(s, black_box(idx)))
    });
    g.bench_function(BenchmarkId::new("BlockPackedVec", name), |b| {
        b.iter(|| get_blocks(s, black_box(idx)))
    });
    g.finish();

    let mut g = c.benchmark_group("packed/sum");
    g.throughput(Throughput::Elements(n as u64));
    g.sample_size(10);
    g.warm_up_time(std::time::Duration::from_millis(500));
    g.measurement_time(std::time::Duration::from_secs(2));
    g.bench_function(BenchmarkId::new("Vec<u64>", name), |b| {
        b.iter(|| sum_vec(black_box(s)))
    });
    if s.boxed.is_some() {
        g.bench_function(BenchmarkId::new("Vec<Box<u64>>", name), |b| {
            b.iter(|| sum_boxed(black_box(s)))
        });
    }
    g.bench_function(BenchmarkId::new("sucds", name), |b| {
        b.iter(|| sum_sucds(black_box(s)))
    });
    g.bench_function(BenchmarkId::new("sux", name), |b| {
        b.iter(|| sum_sux(black_box(s)))
    });
    g.bench_function(BenchmarkId::new("PackedVec::sum", name), |b| {
        b.iter(|| sum_packed_fast(black_box(s)))
    });
    g.bench_function(BenchmarkId::new("PackedVec::iter().sum()", name), |b| {
        b.iter(|| sum_packed_iter(black_box(s)))
    });
    g.bench_function(BenchmarkId::new("BlockPackedVec::sum", name), |b| {
        b.iter(|| sum_blocks(black_box(s)))
    });
    g.finish();
}

fn build_group(c: &mut Criterion, name: &str, values: &[u64]) {
    let mut g = c.benchmark_group("packed/build");
    g.throughput(Throughput::Elements(values.len() as u64));
    g.sample_size(10);
    g.warm_up_time(std::time::Duration::from_millis(500));
    g.measurement_time(std::time::Duration::from_secs(3));
    g.bench_function(BenchmarkId::new("Vec<u64>", name), |b| {
        b.iter(|| values.to_vec())
    });
    g.bench_function(BenchmarkId::new("Vec<Box<u64>>", name), |b| {
        b.iter(|| values.iter().copied().map(Box::new).collect::<Vec<_>>())
    });
    g.bench_function(BenchmarkId::new("sucds", name), |b| {
        b.iter(|| CompactVector::from_slice(values))
    });
    g.bench_function(BenchmarkId::new("sux", name), |b| {
        b.iter(|| Sux::from_slice(&values).expect("fits"))
    });
    g.bench_function(BenchmarkId::new("PackedVec", name), |b| {
        b.iter(|| PackedVec::from_slice(values))
    });
    g.bench_function(BenchmarkId::new("BlockPackedVec", name), |b| {
        b.iter(|| BlockPackedVec::from_slice(values))
    });
    g.finish();
}

/// The speed targets, from interleaved medians.
fn ratios(name: &str, s: &Structures, idx: &[usize], values: &[u64]) {
    let n = values.len();
    let r = common::print_ratios(
        &format!("packed/get ratios, {name} ({} random gets)", idx.len()),
        idx.len(),
        15,
        &mut [
            ("Vec<u64>", &mut || {
                black_box(get_vec(s, black_box(idx)));
            }),
            ("sucds CompactVector", &mut || {
                black_box(get_sucds(s, black_box(idx)));
            }),
            ("sux BitFieldVec", &mut || {
                black_box(get_sux(s, black_box(idx)));
            }),
            ("leanmem PackedVec", &mut || {
                black_box(get_packed(s, black_box(idx)));
            }),
            ("leanmem BlockPackedVec", &mut || {
                black_box(get_blocks(s, black_box(idx)));
            }),
        ],
    );
    let fastest = r[..3].iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "  PackedVec get vs fastest peer: {:.3}× (target ≤ 1.1×)",
        r[3] / fastest
    );

    let r = common::print_ratios(
        &format!("packed/sum ratios, {name}"),
        n,
        15,
        &mut [
            ("Vec<u64> iter sum", &mut || {
                black_box(sum_vec(black_box(s)));
            }),
            ("sucds iter sum", &mut || {
                black_box(sum_sucds(black_box(s)));
            }),
            ("sux iter sum", &mut || {
                black_box(sum_sux(black_box(s)));
            }),
            ("PackedVec::sum (fast path)", &mut || {
                black_box(sum_packed_fast(black_box(s)));
            }),
            ("PackedVec::iter().sum()", &mut || {
                black_box(sum_packed_iter(black_box(s)));
            }),
            ("BlockPackedVec::sum", &mut || {
                black_box(sum_blocks(black_box(s)));
            }),
        ],
    );
    println!(
        "  PackedVec::sum vs Vec<u64>: {:.3}× (target ≤ 1.0×); iter().sum(): {:.3}× (target ≤ 2.0×)",
        r[3], r[4]
    );

    let r = common::print_ratios(
        &format!("packed/build ratios, {name}"),
        n,
        11,
        &mut [
            ("Vec<u64> (to_vec)", &mut || {
                black_box(values.to_vec());
            }),
            ("sucds CompactVector::from_slice", &mut || {
                black_box(CompactVector::from_slice(values));
            }),
            ("sux BitFieldVec::from_slice", &mut || {
                black_box(Sux::from_slice(&values).expect("fits"));
            }),
            ("leanmem PackedVec::from_slice", &mut || {
                black_box(PackedVec::from_slice(values));
            }),
            ("leanmem BlockPackedVec::from_slice", &mut || {
                black_box(BlockPackedVec::from_slice(values));
            }),
        ],
    );
    let fastest = r[..3].iter().copied().fold(f64::INFINITY, f64::min);
    let fastest_packing = r[1..3].iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "  PackedVec build vs fastest peer: {:.3}× (target ≤ 1.0×); vs fastest bit-packing peer: {:.3}×",
        r[3] / fastest,
        r[3] / fastest_packing
    );
}

fn bench_all(c: &mut Criterion) {
    let n = n();
    let uniform = packed_data::uniform20(n);
    let times = packed_data::timestamps(n);
    let zipf = packed_data::zipf32(n);
    let (files, files_name) = packed_data::file_sizes(n);

    for (name, values) in [
        ("uniform [0, 2^20)", &uniform),
        ("timestamps 1.7e9 + steps 0..=3", &times),
        ("zipf-like [0, 2^32)", &zipf),
        (files_name.as_str(), &files),
    ] {
        print_sizes(&format!("{name}, {} values", values.len()), values);
    }

    let s = Structures::build(&uniform, true);
    let idx = indices(uniform.len());
    check_agree(&s, &uniform, &idx);
    criterion_groups(c, "uniform20", &s, &idx, uniform.len());
    build_group(c, "uniform20", &uniform);
    ratios("uniform [0, 2^20)", &s, &idx, &uniform);
    drop(s);

    let s = Structures::build(&times, false);
    check_agree(&s, &times, &idx);
    let mut g = c.benchmark_group("packed/get");
    g.throughput(Throughput::Elements(idx.len() as u64));
    g.sample_size(10);
    g.measurement_time(std::time::Duration::from_secs(2));
    for (what, f) in [
        ("Vec<u64>", get_vec as fn(&Structures, &[usize]) -> u64),
        ("sux", get_sux),
        ("PackedVec", get_packed),
        ("BlockPackedVec", get_blocks),
    ] {
        g.bench_function(BenchmarkId::new(what, "timestamps"), |b| {
            b.iter(|| f(&s, black_box(&idx)))
        });
    }
    g.finish();
    let r = common::print_ratios(
        &format!("packed/get ratios, timestamps ({} random gets)", idx.len()),
        idx.len(),
        15,
        &mut [
            ("Vec<u64>", &mut || {
                black_box(get_vec(&s, black_box(&idx)));
            }),
            ("sux BitFieldVec", &mut || {
                black_box(get_sux(&s, black_box(&idx)));
            }),
            ("leanmem PackedVec", &mut || {
                black_box(get_packed(&s, black_box(&idx)));
            }),
            ("leanmem BlockPackedVec", &mut || {
                black_box(get_blocks(&s, black_box(&idx)));
            }),
        ],
    );
    println!(
        "  PackedVec get vs fastest peer: {:.3}× (target ≤ 1.1×)",
        r[2] / r[0].min(r[1])
    );
}

/// Every structure answers the same (a bench of wrong answers measures nothing).
fn check_agree(s: &Structures, values: &[u64], idx: &[usize]) {
    let want = get_vec(s, idx);
    assert_eq!(get_sucds(s, idx), want);
    assert_eq!(get_sux(s, idx), want);
    assert_eq!(get_packed(s, idx), want);
    assert_eq!(get_blocks(s, idx), want);
    let sum = values.iter().fold(0u64, |a, &x| a.wrapping_add(x));
    assert_eq!(sum_sucds(s), sum);
    assert_eq!(sum_sux(s), sum);
    assert_eq!(sum_packed_fast(s), sum);
    assert_eq!(sum_packed_iter(s), sum);
    assert_eq!(sum_blocks(s), sum);
    if s.boxed.is_some() {
        assert_eq!(get_boxed(s, idx), want);
        assert_eq!(sum_boxed(s), sum);
    }
}

criterion_group!(benches, bench_all);
criterion_main!(benches);
