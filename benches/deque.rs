//! `deque/*`: leanmem's `Deque` beside std's `VecDeque`, the ring-buffer
//! crates (circular-buffer, arraydeque, ringbuf) and the naive `Vec` +
//! `remove(0)` queue, in one run.
//!
//! * `deque/bounded_window`: keep the last 1024 of 10M `u64` pushes, using
//!   each evicted value (each structure's own overwrite/evict API;
//!   `VecDeque` pops the front by hand when full).
//! * `deque/fifo_fill_drain`: push 1M `u64` at the back, pop them all
//!   from the front.
//! * `deque/steady_push_pop`: a queue of 1000 items, 1M rounds of one push
//!   at the back and one pop from the front.
//! * `deque/naive_fifo`: fill-and-drain at 1k, 10k and 100k items, with
//!   `Vec::remove(0)` (O(n) per pop) beside the deques.
//!
//! After criterion's timings, the target ratios are printed from
//! interleaved medians (`common::print_ratios`), and the heap bytes of each
//! structure after the fill and after the drain from the tracking
//! allocator. Reproduce with `cargo bench --bench deque`.

mod common;

use std::collections::VecDeque;
use std::hint::black_box;
use std::time::Duration;

use arraydeque::{ArrayDeque, Wrapping};
use circular_buffer::{FixedCircularBuffer, HeapCircularBuffer};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use leanmem::deque::{Deque, InlineDeque};
use leanmem::measure::{self, TrackingAllocator};
use ringbuf::LocalRb;
use ringbuf::storage::Heap as RbHeap;

// Counting costs a few atomic adds per allocation; these loops allocate a
// few dozen times per million operations (bounded ones never), so timings
// are unaffected while sizes come from the allocator itself.
#[global_allocator]
static ALLOC: TrackingAllocator = TrackingAllocator::system();

const WINDOW: usize = 1024;
const PUSHES: u64 = 10_000_000;
const FIFO: u64 = 1_000_000;
const STEADY_LEN: u64 = 1000;
const STEADY_ROUNDS: u64 = 1_000_000;

// ---- bounded window: keep the last WINDOW of `n` pushes ----------------

fn window_leanmem(n: u64) -> u64 {
    let mut d = Deque::with_maxlen(WINDOW);
    let mut sum = 0u64;
    for i in 0..n {
        if let Some(x) = d.push_back(i) {
            sum = sum.wrapping_add(x);
        }
    }
    sum.wrapping_add(d.len() as u64)
}

fn window_leanmem_inline(n: u64) -> u64 {
    let mut d: Box<InlineDeque<u64, WINDOW>> = Box::new(Deque::inline());
    let mut sum = 0u64;
    for i in 0..n {
        if let Some(x) = d.push_back(i) {
            sum = sum.wrapping_add(x);
        }
    }
    sum.wrapping_add(d.len() as u64)
}

fn window_circular_fixed(n: u64) -> u64 {
    let mut d = FixedCircularBuffer::<u64, WINDOW>::boxed();
    let mut sum = 0u64;
    for i in 0..n {
        if let Some(x) = d.push_back(i) {
            sum = sum.wrapping_add(x);
        }
    }
    sum.wrapping_add(d.len() as u64)
}

fn window_circular_heap(n: u64) -> u64 {
    let mut d = HeapCircularBuffer::<u64>::with_capacity(WINDOW);
    let mut sum = 0u64;
    for i in 0..n {
        if let Some(x) = d.push_back(i) {
            sum = sum.wrapping_add(x);
        }
    }
    sum.wrapping_add(d.len() as u64)
}

fn window_arraydeque(n: u64) -> u64 {
    let mut d: Box<ArrayDeque<u64, WINDOW, Wrapping>> = Box::new(ArrayDeque::new());
    let mut sum = 0u64;
    for i in 0..n {
        if let Some(x) = d.push_back(i) {
            sum = sum.wrapping_add(x);
        }
    }
    sum.wrapping_add(d.len() as u64)
}

fn window_vecdeque(n: u64) -> u64 {
    let mut d = VecDeque::with_capacity(WINDOW);
    let mut sum = 0u64;
    for i in 0..n {
        if d.len() == WINDOW {
            if let Some(x) = d.pop_front() {
                sum = sum.wrapping_add(x);
            }
        }
        d.push_back(i);
    }
    sum.wrapping_add(d.len() as u64)
}

fn window_ringbuf(n: u64) -> u64 {
    let mut d = LocalRb::<RbHeap<u64>>::new(WINDOW);
    let mut sum = 0u64;
    for i in 0..n {
        if let Some(x) = d.push_overwrite(i) {
            sum = sum.wrapping_add(x);
        }
    }
    sum.wrapping_add(ringbuf::traits::Observer::occupied_len(&d) as u64)
}

type Run = fn(u64) -> u64;

const WINDOW_RUNS: [(&str, Run); 7] = [
    ("circular-buffer FixedCircularBuffer", window_circular_fixed),
    ("leanmem Deque::with_maxlen", window_leanmem),
    ("leanmem InlineDeque", window_leanmem_inline),
    ("circular-buffer HeapCircularBuffer", window_circular_heap),
    ("arraydeque Wrapping", window_arraydeque),
    ("VecDeque + pop_front", window_vecdeque),
    ("ringbuf LocalRb push_overwrite", window_ringbuf),
];

// ---- unbounded FIFO ----------------------------------------------------

fn fifo_leanmem(n: u64) -> u64 {
    let mut d = Deque::new();
    for i in 0..n {
        d.push_back(i);
    }
    let mut sum = 0u64;
    while let Some(x) = d.pop_front() {
        sum = sum.wrapping_add(x);
    }
    sum
}

fn fifo_vecdeque(n: u64) -> u64 {
    let mut d = VecDeque::new();
    for i in 0..n {
        d.push_back(i);
    }
    let mut sum = 0u64;
    while let Some(x) = d.pop_front() {
        sum = sum.wrapping_add(x);
    }
    sum
}

fn fifo_vec_remove0(n: u64) -> u64 {
    let mut d = Vec::new();
    for i in 0..n {
        d.push(i);
    }
    let mut sum = 0u64;
    while !d.is_empty() {
        sum = sum.wrapping_add(d.remove(0));
    }
    sum
}

fn steady_leanmem(rounds: u64) -> u64 {
    let mut d: Deque<u64> = (0..STEADY_LEN).collect();
    let mut sum = 0u64;
    for i in 0..rounds {
        d.push_back(i);
        if let Some(x) = d.pop_front() {
            sum = sum.wrapping_add(x);
        }
    }
    sum
}

fn steady_vecdeque(rounds: u64) -> u64 {
    let mut d: VecDeque<u64> = (0..STEADY_LEN).collect();
    let mut sum = 0u64;
    for i in 0..rounds {
        d.push_back(i);
        if let Some(x) = d.pop_front() {
            sum = sum.wrapping_add(x);
        }
    }
    sum
}

// ---- criterion groups ----------------------------------------------------

fn bounded_window(c: &mut Criterion) {
    let mut group = c.benchmark_group("deque/bounded_window");
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(2));
    group.throughput(Throughput::Elements(PUSHES));
    group.sample_size(10);
    for (name, run) in WINDOW_RUNS {
        group.bench_function(name, |b| b.iter(|| black_box(run(black_box(PUSHES)))));
    }
    group.finish();
}

fn fifo_fill_drain(c: &mut Criterion) {
    let mut group = c.benchmark_group("deque/fifo_fill_drain");
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(2));
    group.throughput(Throughput::Elements(FIFO));
    group.sample_size(20);
    group.bench_function("VecDeque", |b| {
        b.iter(|| black_box(fifo_vecdeque(black_box(FIFO))));
    });
    group.bench_function("leanmem Deque", |b| {
        b.iter(|| black_box(fifo_leanmem(black_box(FIFO))));
    });
    group.finish();
}

fn steady_push_pop(c: &mut Criterion) {
    let mut group = c.benchmark_group("deque/steady_push_pop");
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(2));
    group.throughput(Throughput::Elements(STEADY_ROUNDS));
    group.sample_size(20);
    group.bench_function("VecDeque", |b| {
        b.iter(|| black_box(steady_vecdeque(black_box(STEADY_ROUNDS))));
    });
    group.bench_function("leanmem Deque", |b| {
        b.iter(|| black_box(steady_leanmem(black_box(STEADY_ROUNDS))));
    });
    group.finish();
}

fn naive_fifo(c: &mut Criterion) {
    let mut group = c.benchmark_group("deque/naive_fifo");
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(2));
    group.sample_size(10);
    for n in [1_000u64, 10_000, 100_000] {
        group.throughput(Throughput::Elements(n));
        let runs: [(&str, Run); 3] = [
            ("Vec remove(0)", fifo_vec_remove0),
            ("VecDeque", fifo_vecdeque),
            ("leanmem Deque", fifo_leanmem),
        ];
        for (name, run) in runs {
            group.bench_with_input(BenchmarkId::new(name, n), &n, |b, &n| {
                b.iter(|| black_box(run(black_box(n))));
            });
        }
    }
    group.finish();
}

// ---- target ratios and sizes -------------------------------------------

/// Heap bytes live after `build`, plus the value's inline size.
fn bytes_of<T>(build: impl FnOnce() -> T) -> (T, usize) {
    let (value, m) = measure::measure(build);
    let m = m.expect("the bench installs a tracking allocator");
    let bytes = m.net_bytes.max(0).unsigned_abs() + std::mem::size_of::<T>();
    (value, bytes)
}

fn targets(_: &mut Criterion) {
    type Job = Box<dyn FnMut()>;
    let mut jobs: Vec<Job> = WINDOW_RUNS
        .iter()
        .map(|&(_, run)| {
            Box::new(move || {
                black_box(run(black_box(PUSHES)));
            }) as Job
        })
        .collect();
    let mut refs: Vec<(&str, &mut dyn FnMut())> = WINDOW_RUNS
        .iter()
        .zip(jobs.iter_mut())
        .map(|(&(name, _), job)| (name, &mut **job as &mut dyn FnMut()))
        .collect();
    let r = common::print_ratios(
        "deque/bounded_window (last 1024 of 10M u64 pushes)",
        PUSHES as usize,
        11,
        &mut refs,
    );
    println!(
        "  Deque::with_maxlen / circular-buffer fixed: {:.3}× (target ≤ 1.0)",
        r[1]
    );
    println!(
        "  Deque::with_maxlen / VecDeque + pop_front:  {:.3}× (target ≤ 0.6)",
        r[1] / r[5]
    );
    println!("  InlineDeque / circular-buffer fixed:        {:.3}×", r[2]);

    let r = common::print_ratios(
        "deque/fifo_fill_drain (push 1M u64, pop all)",
        FIFO as usize,
        21,
        &mut [
            ("VecDeque", &mut || {
                black_box(fifo_vecdeque(black_box(FIFO)));
            }),
            ("leanmem Deque", &mut || {
                black_box(fifo_leanmem(black_box(FIFO)));
            }),
        ],
    );
    println!("  Deque / VecDeque: {:.3}× (target ≤ 1.2)", r[1]);

    let r = common::print_ratios(
        "deque/steady_push_pop (1000 queued, 1M push+pop rounds)",
        STEADY_ROUNDS as usize,
        21,
        &mut [
            ("VecDeque", &mut || {
                black_box(steady_vecdeque(black_box(STEADY_ROUNDS)));
            }),
            ("leanmem Deque", &mut || {
                black_box(steady_leanmem(black_box(STEADY_ROUNDS)));
            }),
        ],
    );
    println!("  Deque / VecDeque: {:.3}× (target ≤ 1.2)", r[1]);

    // Sizes: after filling 1M u64, and after draining them all, as the
    // allocator counts them.
    let (mut ours, ours_full) = bytes_of(|| {
        let mut d = Deque::new();
        (0..FIFO).for_each(|i| {
            d.push_back(i);
        });
        d
    });
    let (mut std, std_full) = bytes_of(|| {
        let mut d = VecDeque::new();
        (0..FIFO).for_each(|i| d.push_back(i));
        d
    });
    let (mut naive, naive_full) = bytes_of(|| {
        let mut d = Vec::new();
        (0..FIFO).for_each(|i| d.push(i));
        d
    });
    common::print_sizes(
        "deque: heap after filling 1M u64 (heap + inline size)",
        FIFO as usize,
        &[
            ("VecDeque", std_full),
            ("leanmem Deque", ours_full),
            ("Vec (naive queue)", naive_full),
        ],
    );
    let after = |full: usize, drain: &mut dyn FnMut()| {
        let ((), m) = measure::measure(drain);
        let m = m.expect("the bench installs a tracking allocator");
        full.saturating_add_signed(m.net_bytes)
    };
    let ours_after = after(ours_full, &mut || while ours.pop_front().is_some() {});
    let std_after = after(std_full, &mut || while std.pop_front().is_some() {});
    let naive_after = after(naive_full, &mut || while naive.pop().is_some() {});
    println!("\ndeque: held after filling 1M u64 and popping all (heap + inline bytes)");
    println!("  {:<40} {std_after:>10}", "VecDeque");
    println!("  {:<40} {ours_after:>10}", "leanmem Deque");
    println!(
        "  {:<40} {naive_after:>10}",
        "Vec (naive queue, pop from the back)"
    );
    println!(
        "  Deque / VecDeque: {:.5}% (target ≤ 1%)",
        100.0 * ours_after as f64 / std_after as f64
    );
    drop((ours, std, naive));

    let (d, leanmem_window) = bytes_of(|| {
        let mut d = Deque::with_maxlen(WINDOW);
        d.extend(0..PUSHES / 1000);
        d
    });
    drop(d);
    let (d, inline_window) = bytes_of(|| {
        let mut d: InlineDeque<u64, WINDOW> = Deque::inline();
        d.extend(0..PUSHES / 1000);
        d
    });
    drop(d);
    let (d, circular_window) = bytes_of(|| {
        let mut d = HeapCircularBuffer::<u64>::with_capacity(WINDOW);
        d.extend(0..PUSHES / 1000);
        d
    });
    drop(d);
    let (d, vecdeque_window) = bytes_of(|| {
        let mut d = VecDeque::with_capacity(WINDOW);
        for i in 0..PUSHES / 1000 {
            if d.len() == WINDOW {
                d.pop_front();
            }
            d.push_back(i);
        }
        d
    });
    drop(d);
    let (d, ringbuf_window) = bytes_of(|| {
        let mut d = LocalRb::<RbHeap<u64>>::new(WINDOW);
        for i in 0..PUSHES / 1000 {
            d.push_overwrite(i);
        }
        d
    });
    drop(d);
    common::print_sizes(
        "deque/bounded_window: a full window of 1024 u64 (heap + inline size)",
        WINDOW,
        &[
            ("leanmem Deque::with_maxlen", leanmem_window),
            ("leanmem InlineDeque (inline)", inline_window),
            ("circular-buffer HeapCircularBuffer", circular_window),
            ("VecDeque", vecdeque_window),
            ("ringbuf LocalRb", ringbuf_window),
        ],
    );
}

criterion_group!(
    benches,
    bounded_window,
    fifo_fill_drain,
    steady_push_pop,
    naive_fifo,
    targets
);
criterion_main!(benches);
