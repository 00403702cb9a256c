//! Tutorial 1 — measure before you optimise: Rust's `tracemalloc`.
//!
//! Python's playbook starts every memory fix with `tracemalloc`: start it,
//! run the workload, read current and peak, take snapshots and compare them
//! by source line. This example does the same in Rust with
//! `leanmem::measure`:
//!
//! 1. current and peak around a workload (`traced_memory`, `reset_peak`);
//! 2. one closure's cost on this thread (`measure`);
//! 3. snapshots compared by label (`label`, `Snapshot::compare_to`);
//! 4. the deep size of a structure without running anything (`HeapSize`),
//!    checked against the allocator.
//!
//! ```text
//! cargo run --release --example 01_measure [-- WORDS]
//! ```

use std::collections::HashMap;

use leanmem::measure::{self, HeapSize, Snapshot, TrackingAllocator, format_bytes};

// `tracemalloc.start()`: the tracking allocator, with labels so snapshots can
// say which phase holds what.
#[global_allocator]
static ALLOC: TrackingAllocator = TrackingAllocator::system().with_labels();

/// A deterministic stream of words with many repeats, like tokens of a log.
fn words(n: usize) -> impl Iterator<Item = String> {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    (0..n).map(move |_| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        format!("word{}", state % 5_000)
    })
}

fn main() {
    let n: usize = match std::env::args().nth(1).map(|a| a.parse()) {
        None => 1_000_000,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("usage: 01_measure [WORDS]  ({e})");
            std::process::exit(2);
        }
    };

    // 1. tracemalloc.get_traced_memory() around a workload.
    println!("1. current and peak around a workload ({n} words)");
    measure::reset_peak();
    let (start, _) = measure::traced_memory().expect("a tracking allocator is installed");
    let all_words: Vec<String> = words(n).collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for w in &all_words {
        *counts.entry(w).or_default() += 1;
    }
    let (current, peak) = measure::traced_memory().expect("tracking");
    println!(
        "   collect-then-count: current +{}, peak +{}",
        format_bytes(current - start),
        format_bytes(peak - start)
    );
    let distinct = counts.len();
    drop(counts);
    drop(all_words);

    // 2. The same result, streamed: one closure measured on this thread.
    let (streamed, m) = measure::measure(|| {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for w in words(n) {
            *counts.entry(w).or_default() += 1;
        }
        counts
    });
    let m = m.expect("tracking");
    assert_eq!(streamed.len(), distinct);
    println!("2. streamed counting: {m}");
    println!(
        "   kept {} for {} distinct words; peak {} vs {} collecting first",
        format_bytes(m.net_bytes.unsigned_abs()),
        streamed.len(),
        format_bytes(m.peak_bytes),
        format_bytes(peak - start)
    );

    // 3. Snapshots by label: which phase holds the memory?
    println!("3. snapshots by label (tracemalloc's compare_to)");
    let before = Snapshot::take().expect("labels are on");
    let tokens = measure::label("tokens", || words(n / 10).collect::<Vec<String>>());
    let index = measure::label("index", || {
        let mut index: HashMap<&str, Vec<u32>> = HashMap::new();
        for (i, t) in tokens.iter().enumerate() {
            index.entry(t).or_default().push(i as u32);
        }
        index
    });
    let after = Snapshot::take().expect("labels are on");
    for diff in after.compare_to(&before).iter().take(3) {
        println!("   {diff}");
    }

    // 4. HeapSize: the deep size without running anything, and the
    //    allocator agrees.
    println!("4. deep size (pympler.asizeof), checked against the allocator");
    let index_stat = after.get("index").expect("registered");
    let tokens_stat = after.get("tokens").expect("registered");
    println!(
        "   tokens: HeapSize {} · allocator {}",
        format_bytes(tokens.heap_size()),
        format_bytes(tokens_stat.bytes)
    );
    println!(
        "   index:  HeapSize {} · allocator {}",
        format_bytes(index.heap_size()),
        format_bytes(index_stat.bytes)
    );
    assert_eq!(tokens.heap_size(), tokens_stat.bytes);
    assert_eq!(index.heap_size(), index_stat.bytes);
    let shallow = std::mem::size_of_val(&tokens);
    println!(
        "   size_of_val(&tokens) is {shallow} B (sys.getsizeof's view); total_size() is {}",
        format_bytes(tokens.total_size())
    );
    drop(index);
    drop(tokens);
    drop(streamed);
}
