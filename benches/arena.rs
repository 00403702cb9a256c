//! `arena/batch`: the "disable the GC during a batch" lesson. Parses 1M log
//! lines in batches of 10k into records with small heap parts (a boxed
//! `str`, a `String`, a `Vec` of tag `String`s), aggregates and drops each
//! batch — with one allocation per part on the global allocator, and in a
//! `bumpalo::Bump` reset once per batch. Peak heap and allocator calls are
//! printed beside the times.

#[path = "data/batch.rs"]
mod batch;
mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use leanmem::measure::{self, TrackingAllocator};

#[global_allocator]
static ALLOC: TrackingAllocator = TrackingAllocator::system();

const LINES: usize = 1_000_000;
const BATCH: usize = 10_000;

fn arena(c: &mut Criterion) {
    let input: Vec<String> = (0..LINES).map(batch::line).collect();
    let (heap, heap_m) = measure::measure(|| batch::run_heap(&input, BATCH));
    let (arena, arena_m) = measure::measure(|| batch::run_arena(&input, BATCH));
    assert_eq!(heap, arena);
    let (heap_m, arena_m) = (heap_m.expect("tracking"), arena_m.expect("tracking"));
    println!("\narena/batch: peak heap and allocator calls ({LINES} lines, batches of {BATCH})");
    println!(
        "  heap:  peak {:>10} B, {:>9} allocations",
        heap_m.peak_bytes, heap_m.allocations
    );
    println!(
        "  arena: peak {:>10} B, {:>9} allocations",
        arena_m.peak_bytes, arena_m.allocations
    );

    let mut g = c.benchmark_group("arena/batch");
    g.throughput(Throughput::Elements(LINES as u64));
    g.sample_size(10);
    g.bench_function("heap", |b| b.iter(|| batch::run_heap(&input, BATCH)));
    g.bench_function("bump", |b| b.iter(|| batch::run_arena(&input, BATCH)));
    g.finish();

    let ratios = common::print_ratios(
        "arena/batch",
        LINES,
        11,
        &mut [
            ("String/Vec/Box per record", &mut || {
                std::hint::black_box(batch::run_heap(&input, BATCH));
            }),
            ("bumpalo::Bump reset per batch", &mut || {
                std::hint::black_box(batch::run_arena(&input, BATCH));
            }),
        ],
    );
    println!("  arena / heap: {:.3}× the time", ratios[1]);
}

criterion_group!(benches, arena);
criterion_main!(benches);
