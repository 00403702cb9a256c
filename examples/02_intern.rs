//! # Lesson 2: `sys.intern` — store each distinct string once
//!
//! A log, a CSV column or a token stream repeats the same few strings
//! millions of times. Python's `sys.intern(s)` returns one shared copy of
//! `s`, so a million references cost a million pointers rather than a
//! million strings, and equality becomes an identity check.
//!
//! In Rust the same lesson is an interner: each distinct string is stored
//! once, and every occurrence becomes a 4-byte [`Symbol`]. This example
//! builds a synthetic web-server log both ways, measures the bytes with the
//! tracking allocator, and times equality as string compare versus integer
//! compare.
//!
//! ```text
//! cargo run --release --example 02_intern            # 1,000,000 log lines
//! cargo run --release --example 02_intern -- 200000  # fewer lines
//! ```

use std::hint::black_box;
use std::time::Instant;

use leanmem::intern::{Interner, Symbol};
use leanmem::measure::{self, HeapSize, TrackingAllocator, format_bytes};

#[global_allocator]
static ALLOC: TrackingAllocator = TrackingAllocator::system();

/// One log line's repeated fields: method, path, status, user agent.
const METHODS: [&str; 4] = ["GET", "POST", "PUT", "DELETE"];
const STATUSES: [&str; 5] = [
    "200 OK",
    "201 Created",
    "304 Not Modified",
    "404 Not Found",
    "500 Internal Server Error",
];
const AGENTS: [&str; 3] = [
    "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0",
    "curl/8.5.0",
    "Go-http-client/1.1",
];

/// The fields of line `i`: deterministic, with 200 distinct paths.
fn fields(i: usize) -> [String; 4] {
    let mix = i.wrapping_mul(2_654_435_761) >> 7;
    [
        METHODS[mix % 4].to_string(),
        format!("/api/v1/items/{}", mix % 200),
        STATUSES[mix % 5].to_string(),
        AGENTS[mix % 3].to_string(),
    ]
}

fn main() {
    let lines: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);

    // 1. The naive way: every field of every line is its own String.
    let (naive, m) = measure::measure(|| (0..lines).flat_map(fields).collect::<Vec<String>>());
    let m = m.expect("the tracking allocator is installed");
    let (naive_bytes, naive_blocks) = (m.net_bytes as usize, m.net_blocks());

    // 2. The interned way: each distinct field stored once, a Symbol per field.
    let ((symbols, interner), m) = measure::measure(|| {
        let mut interner = Interner::new();
        let symbols: Vec<Symbol> = (0..lines)
            .flat_map(fields)
            .map(|f| interner.intern(&f))
            .collect();
        (symbols, interner.freeze())
    });
    let m = m.expect("the tracking allocator is installed");
    let (interned_bytes, interned_blocks) = (m.net_bytes as usize, m.net_blocks());
    assert_eq!(interned_bytes, symbols.heap_size() + interner.heap_size());

    println!(
        "{lines} log lines, {} fields, {} distinct strings",
        naive.len(),
        interner.len()
    );
    println!(
        "  Vec<String>                  {:>10}  ({:.1} B per field)",
        format_bytes(naive_bytes),
        naive_bytes as f64 / naive.len() as f64
    );
    println!(
        "  Vec<Symbol> + interner       {:>10}  ({:.1} B per field; the interner itself: {})",
        format_bytes(interned_bytes),
        interned_bytes as f64 / symbols.len() as f64,
        format_bytes(interner.heap_size())
    );
    println!(
        "  saved: {:.1}× less memory, and {} heap blocks instead of {}",
        naive_bytes as f64 / interned_bytes as f64,
        interned_blocks,
        naive_blocks
    );

    // 3. Equality: comparing strings reads their bytes; comparing symbols
    //    compares two u32s (Python's `a is b` after sys.intern).
    let needle = "404 Not Found";
    let started = Instant::now();
    let by_string = naive
        .iter()
        .filter(|s| s.as_str() == black_box(needle))
        .count();
    let string_time = started.elapsed();
    let needle_symbol = interner.get(needle).expect("the log has 404s");
    let started = Instant::now();
    let by_symbol = symbols
        .iter()
        .filter(|&&s| s == black_box(needle_symbol))
        .count();
    let symbol_time = started.elapsed();
    assert_eq!(by_string, by_symbol);
    println!(
        "\ncounting {by_symbol} occurrences of {needle:?} among {} fields:",
        symbols.len()
    );
    println!(
        "  string compare  {:>8.2} ms\n  symbol compare  {:>8.2} ms  ({:.1}× faster)",
        string_time.as_secs_f64() * 1e3,
        symbol_time.as_secs_f64() * 1e3,
        string_time.as_secs_f64() / symbol_time.as_secs_f64().max(1e-9)
    );

    // 4. A symbol is 4 bytes, and so is Option<Symbol>; resolving is an
    //    array lookup.
    println!(
        "\nsize_of::<Symbol>() = {}, size_of::<Option<Symbol>>() = {}, size_of::<String>() = {}",
        std::mem::size_of::<Symbol>(),
        std::mem::size_of::<Option<Symbol>>(),
        std::mem::size_of::<String>()
    );
    println!(
        "the first line again: {:?}",
        symbols[..4]
            .iter()
            .map(|&s| &interner[s])
            .collect::<Vec<_>>()
    );
}
