//! Tutorial 8 — allocate a batch, free it at once: the arena.
//!
//! Python's playbook makes a batch job faster by disabling the garbage
//! collector while it allocates many small objects (`gc.disable()` …
//! `gc.enable()`): the collector stops scanning objects that all die
//! together at the end of the batch anyway. Rust has no collector to pause;
//! its cost is one `malloc` and one `free` per small object. The answer is
//! the same idea one level down: a bump arena (`bumpalo::Bump`) hands out
//! memory by moving a pointer, and `reset()` frees the whole batch in one
//! step.
//!
//! This example parses batches of log lines into records with several small
//! heap parts (two strings and a vector of tags), aggregates them, and
//! throws the batch away — once with `String`/`Vec`/`Box` on the global
//! allocator, once in a `Bump` reset per batch — and prints time, peak heap
//! and allocator calls for both.
//!
//! When the arena wins: many small objects with one lifetime (a request, a
//! batch, a frame, a parse). When it does not: objects that outlive the
//! batch (they must be copied out), or that are freed one by one early (the
//! arena keeps everything until the reset), or a batch so large its peak
//! matters more than its speed.
//!
//! ```text
//! cargo run --release --example 08_batch_arena [-- LINES [BATCH]]
//! ```

use std::collections::HashMap;
use std::time::{Duration, Instant};

use leanmem::measure::{self, Measurement, TrackingAllocator, format_bytes};

#[path = "../benches/data/batch.rs"]
mod batch;
use batch::{Summary, line, run_arena, run_heap};

#[global_allocator]
static ALLOC: TrackingAllocator = TrackingAllocator::system();

fn timed<R>(f: impl FnOnce() -> R) -> (R, Measurement, Duration) {
    let start = Instant::now();
    let (r, m) = measure::measure(f);
    (
        r,
        m.expect("the example installs a tracking allocator"),
        start.elapsed(),
    )
}

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>());
    let (lines, batch) = match (args.next(), args.next()) {
        (None, _) => (1_000_000, 10_000),
        (Some(Ok(n)), None) => (n, 10_000),
        (Some(Ok(n)), Some(Ok(b))) if b > 0 => (n, b),
        _ => {
            eprintln!("usage: 08_batch_arena [LINES [BATCH > 0]]");
            std::process::exit(2);
        }
    };
    let input: Vec<String> = (0..lines).map(line).collect();
    println!(
        "{lines} log lines in batches of {batch}; each record: 2 strings + a vector of 3 tags\n"
    );

    // Warm both paths once, then alternate three times and keep the best
    // (the machine is shared; the minimum is the least disturbed run).
    let _ = run_heap(&input[..lines.min(batch)], batch);
    let _ = run_arena(&input[..lines.min(batch)], batch);
    let mut heap_runs = Vec::new();
    let mut arena_runs = Vec::new();
    for _ in 0..3 {
        heap_runs.push(timed(|| run_heap(&input, batch)));
        arena_runs.push(timed(|| run_arena(&input, batch)));
    }
    let best = |runs: &[(Summary, Measurement, Duration)]| {
        runs.iter().map(|r| r.2).min().unwrap_or_default()
    };
    let (heap_summary, heap_m, _) = &heap_runs[0];
    let (arena_summary, arena_m, _) = &arena_runs[0];
    assert_eq!(
        heap_summary, arena_summary,
        "both paths compute the same summary"
    );
    let (th, ta) = (best(&heap_runs), best(&arena_runs));

    println!(
        "  {:<34} {:>10} {:>12} {:>14}",
        "", "time", "peak heap", "allocations"
    );
    println!(
        "  {:<34} {:>8.1}ms {:>12} {:>14}",
        "String/Vec/Box per record",
        th.as_secs_f64() * 1e3,
        format_bytes(heap_m.peak_bytes),
        heap_m.allocations
    );
    println!(
        "  {:<34} {:>8.1}ms {:>12} {:>14}",
        "bumpalo::Bump, reset per batch",
        ta.as_secs_f64() * 1e3,
        format_bytes(arena_m.peak_bytes),
        arena_m.allocations
    );
    println!(
        "\n  arena: {:.2}× the time, {:.2}× the peak heap, {} allocator calls instead of {}",
        ta.as_secs_f64() / th.as_secs_f64(),
        arena_m.peak_bytes as f64 / heap_m.peak_bytes.max(1) as f64,
        arena_m.allocations,
        heap_m.allocations
    );
    println!(
        "  (the arena's peak is its chunks: bumpalo doubles them as a batch grows and keeps\n   the largest across resets, so peak ≈ one batch rounded up to a power of two)"
    );
    println!(
        "  per-level counts agree: {:?}",
        sorted(&heap_summary.per_level)
    );
}

fn sorted(m: &HashMap<String, usize>) -> Vec<(&str, usize)> {
    let mut v: Vec<(&str, usize)> = m.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    v.sort();
    v
}
