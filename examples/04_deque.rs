//! Lesson 4: queues. Python's `collections.deque` replaces `list.pop(0)`,
//! which moves every remaining item, with O(1) at both ends; `maxlen` turns
//! it into a sliding window. In Rust the same trap is `Vec::remove(0)`.
//!
//! This example measures, on your machine:
//! 1. a FIFO queue with `Vec::remove(0)` against `leanmem::deque::Deque`, at
//!    growing sizes: the first grows with n² (each pop moves the rest), the
//!    second linearly;
//! 2. a moving average over a stream with a bounded deque, which evicts the
//!    oldest reading itself, and allocates nothing after construction;
//! 3. memory after a burst: `VecDeque` keeps its peak, `Deque` gives it back.
//!
//! ```text
//! cargo run --release --example 04_deque            # sizes up to 100k
//! cargo run --release --example 04_deque -- 400000  # a larger last size
//! ```

use std::collections::VecDeque;
use std::hint::black_box;
use std::time::{Duration, Instant};

use leanmem::deque::Deque;
use leanmem::measure::{self, TrackingAllocator, format_bytes};

#[global_allocator]
static ALLOC: TrackingAllocator = TrackingAllocator::system();

/// Fills a queue with `n` jobs and processes them in arrival order.
fn fifo_vec(n: u64) -> u64 {
    let mut queue: Vec<u64> = (0..n).collect();
    let mut done = 0u64;
    while !queue.is_empty() {
        done = done.wrapping_add(queue.remove(0)); // moves every other job
    }
    done
}

fn fifo_deque(n: u64) -> u64 {
    let mut queue: Deque<u64> = (0..n).collect();
    let mut done = 0u64;
    while let Some(job) = queue.pop_front() {
        done = done.wrapping_add(job);
    }
    done
}

/// The best of `runs` runs (the least disturbed by the rest of the machine).
fn time(runs: usize, f: impl Fn() -> u64) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let largest: u64 = match std::env::args().nth(1).map(|a| a.parse()) {
        None => 100_000,
        Some(Ok(n)) if n >= 1000 => n,
        Some(_) => {
            eprintln!("usage: 04_deque [LARGEST_SIZE >= 1000]");
            std::process::exit(2);
        }
    };

    println!("1. A FIFO queue: fill with n jobs, process them in order\n");
    println!(
        "  {:>9}  {:>14}  {:>14}  {:>9}",
        "n", "Vec::remove(0)", "Deque", "ratio"
    );
    let mut n = 1000;
    let mut rows = Vec::new();
    while n <= largest {
        // The quadratic one is slow enough at large n to need one run only.
        let naive = time(if n > 10_000 { 1 } else { 3 }, || fifo_vec(n));
        let deque = time(3, || fifo_deque(n));
        rows.push((n, naive, deque));
        println!(
            "  {n:>9}  {:>11.1} µs  {:>11.1} µs  {:>8.0}×",
            naive.as_secs_f64() * 1e6,
            deque.as_secs_f64() * 1e6,
            naive.as_secs_f64() / deque.as_secs_f64().max(1e-9)
        );
        n = if n * 4 > largest && n < largest {
            largest
        } else {
            n * 4
        };
    }
    if let [(n1, v1, d1), .., (n2, v2, d2)] = rows[..] {
        // The exponent k of time ∝ n^k between the smallest and largest size.
        let k = |t1: Duration, t2: Duration| {
            (t2.as_secs_f64() / t1.as_secs_f64().max(1e-9)).ln() / (n2 as f64 / n1 as f64).ln()
        };
        println!(
            "  measured growth: Vec::remove(0) ∝ n^{:.2}, Deque ∝ n^{:.2} (2 is quadratic, 1 linear)",
            k(v1, v2),
            k(d1, d2)
        );
    }

    println!("\n2. A moving average of the last 100 readings, over 1M readings\n");
    let mut window: Deque<f64> = Deque::with_maxlen(100);
    let mut sum = 0.0;
    let mut last_average = 0.0;
    let (_, m) = measure::measure(|| {
        for i in 0..1_000_000u32 {
            let reading = f64::from(i % 1000);
            sum += reading;
            if let Some(oldest) = window.push_back(reading) {
                sum -= oldest; // the deque hands back what it evicted
            }
            last_average = sum / window.len() as f64;
        }
    });
    let m = m.expect("this example installs a tracking allocator");
    println!(
        "  last average: {last_average:.1} over {} readings",
        window.len()
    );
    println!(
        "  allocations while streaming: {} (the 100 slots were allocated by with_maxlen)",
        m.allocations
    );

    println!("\n3. Memory after a burst of 1M jobs, all processed\n");
    let (std_left, std_held) = measure::measure(|| {
        let mut q = VecDeque::new();
        (0..1_000_000u64).for_each(|i| q.push_back(i));
        while q.pop_front().is_some() {}
        q
    });
    let (ours_left, ours_held) = measure::measure(|| {
        let mut q = Deque::new();
        (0..1_000_000u64).for_each(|i| {
            q.push_back(i);
        });
        while q.pop_front().is_some() {}
        q
    });
    let (std_held, ours_held) = (
        std_held.expect("tracking").net_bytes.unsigned_abs(),
        ours_held.expect("tracking").net_bytes.unsigned_abs(),
    );
    println!(
        "  VecDeque still holds {:>10} (capacity {})",
        format_bytes(std_held),
        std_left.capacity()
    );
    println!(
        "  Deque holds          {:>10} (capacity {}): it halves when under a quarter full",
        format_bytes(ours_held),
        ours_left.capacity()
    );
}
