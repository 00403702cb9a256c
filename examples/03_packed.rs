//! # Lesson 3: `array.array` — store numbers, not objects
//!
//! A Python list of ints is an array of pointers to int objects: about 8
//! bytes of pointer plus a 28-byte object per element. `array.array('q')`
//! stores the numbers themselves, 8 bytes each. Rust's `Vec<Box<i64>>` and
//! `Vec<i64>` are the same two layouts. A packed vector goes one step
//! further: each number takes only the bits its range needs, counted from
//! the smallest one.
//!
//! This lesson measures the three side by side on the same data, with the
//! tracking allocator, then shows when packing pays and when it does not.
//!
//! ```text
//! cargo run --release --example 03_packed           # 1M values
//! cargo run --release --example 03_packed -- 200000 # another size
//! ```

use std::hint::black_box;
use std::time::Instant;

use leanmem::measure::{self, HeapSize, TrackingAllocator};
use leanmem::packed::{BlockPackedVec, PackedVec};

#[global_allocator]
static ALLOC: TrackingAllocator = TrackingAllocator::system();

/// A small deterministic generator (xorshift), so every run sees the same
/// data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Heap bytes that building `f`'s value left allocated, plus its inline size.
fn bytes_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let (value, m) = measure::measure(f);
    let heap = m.expect("the tracking allocator is installed").net_bytes;
    (value, heap.max(0) as usize + size_of::<T>())
}

/// Median time of `runs` calls of `f`, in nanoseconds per element.
fn ns_per_elem(n: usize, runs: usize, mut f: impl FnMut() -> i64) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed().as_secs_f64() * 1e9 / n as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);

    // Readings of a sensor: values around 20_000 that never move far.
    let readings: Vec<i64> = (0..n)
        .map(|_| 20_000 + (rng.next() % 4096) as i64)
        .collect();

    let lo = readings.iter().min().copied().unwrap_or(0);
    let hi = readings.iter().max().copied().unwrap_or(0);
    println!("Lesson 3: {n} sensor readings in {lo}..={hi}, three layouts\n");
    let (boxed, boxed_bytes) =
        bytes_of(|| readings.iter().copied().map(Box::new).collect::<Vec<_>>());
    let (plain, plain_bytes) = bytes_of(|| readings.clone());
    let (packed, packed_bytes) = bytes_of(|| PackedVec::from_slice(&readings));
    assert_eq!(packed.heap_size() + size_of_val(&packed), packed_bytes);
    let per = |b: usize| b as f64 / n as f64;
    println!("  {:<34} {:>12} {:>10}", "layout", "bytes", "B/value");
    println!(
        "  {:<34} {:>12} {:>10.2}   (+ malloc's own header per box)",
        "Vec<Box<i64>>  (a list of ints)",
        boxed_bytes,
        per(boxed_bytes)
    );
    println!(
        "  {:<34} {:>12} {:>10.2}",
        "Vec<i64>       (array.array)",
        plain_bytes,
        per(plain_bytes)
    );
    println!(
        "  {:<34} {:>12} {:>10.2}   ({} bits from {})",
        "PackedVec<i64> (packed)",
        packed_bytes,
        per(packed_bytes),
        packed.bit_width(),
        packed.min_value()
    );

    // Reading costs: a sum walks memory in order; random gets jump around.
    let idx: Vec<usize> = (0..n).map(|_| (rng.next() % n as u64) as usize).collect();
    println!(
        "\n  time, ns per value (median of 7)   {:>10} {:>12}",
        "sum", "random get"
    );
    let rows: [(&str, f64, f64); 3] = [
        (
            "Vec<Box<i64>>",
            ns_per_elem(n, 7, || boxed.iter().map(|b| **b).sum()),
            ns_per_elem(n, 7, || idx.iter().map(|&i| *boxed[i]).sum()),
        ),
        (
            "Vec<i64>",
            ns_per_elem(n, 7, || plain.iter().sum()),
            ns_per_elem(n, 7, || idx.iter().map(|&i| plain[i]).sum()),
        ),
        (
            "PackedVec<i64>",
            ns_per_elem(n, 7, || packed.sum() as i64),
            ns_per_elem(n, 7, || {
                idx.iter().map(|&i| packed.get(i).unwrap_or(0)).sum()
            }),
        ),
    ];
    for (what, sum, get) in rows {
        println!("  {what:<34} {sum:>10.3} {get:>12.3}");
    }
    let (plain_get, packed_get) = (rows[1].2, rows[2].2);
    println!(
        "  a packed get took {:.2}× the time of a Vec<i64> get here: {}",
        packed_get / plain_get,
        if packed_get < plain_get {
            "the shift and mask are repaid by reading less memory"
        } else {
            "the shift and mask cost more than the memory saved at this size"
        }
    );
    drop((boxed, plain));

    // When does packing pay? It depends on the span of the values, not on
    // their size.
    println!("\nWhen packing pays: bits per value on {n} values of each kind\n");
    let mut t = 1_700_000_000i64;
    let kinds: Vec<(&str, Vec<i64>)> = vec![
        (
            "booleans as 0/1",
            (0..n).map(|_| (rng.next() & 1) as i64).collect(),
        ),
        ("one value repeated", vec![42; n]),
        (
            "timestamps (1.7e9, +0..3 a step)",
            (0..n)
                .map(|_| {
                    t += (rng.next() % 4) as i64;
                    t
                })
                .collect(),
        ),
        (
            "signed small (-1000..1000)",
            (0..n).map(|_| (rng.next() % 2000) as i64 - 1000).collect(),
        ),
        ("random 64-bit", (0..n).map(|_| rng.next() as i64).collect()),
    ];
    println!(
        "  {:<36} {:>8} {:>10} {:>12}",
        "data", "Vec<i64>", "PackedVec", "BlockPacked"
    );
    for (what, values) in &kinds {
        let (_, plain) = bytes_of(|| values.clone());
        let (_, flat) = bytes_of(|| PackedVec::from_slice(values));
        let (_, blocks) = bytes_of(|| BlockPackedVec::from_slice(values));
        let bits = |b: usize| (b * 8) as f64 / n as f64;
        println!(
            "  {what:<36} {:>8.1} {:>10.1} {:>12.1}",
            bits(plain),
            bits(flat),
            bits(blocks)
        );
    }
    println!(
        "\nPacking pays when the values span far fewer bits than their type: flags, \
         small counts, offsets from a base (timestamps, ids). A per-block frame \
         (BlockPackedVec) pays again when the series moves slowly. Random 64-bit \
         values gain nothing. Every packed read costs a shift and a mask; \
         whether less memory repays it depends on the caches (try other sizes)."
    );
}
