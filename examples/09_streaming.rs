//! Tutorial 9 — generators and iterators: never hold what you can stream.
//!
//! Python's playbook replaces `f.readlines()` with `for line in f`,
//! list comprehensions with generator expressions, and whole-file loads with
//! chunked and batched reading. The Rust equivalents are `BufRead`, lazy
//! iterator chains and a reused buffer. This example writes a CSV-like file
//! (`id,category,amount`), sums `amount` per category six ways, checks that
//! all six agree, and prints the peak heap and time of each:
//!
//! 1. collect everything first: the file as one `String`, a `Vec<String>` of
//!    lines, a `Vec` of parsed records, then the sum (the `readlines()` way);
//! 2. the file as one `String`, then a lazy `lines()` chain;
//! 3. `BufRead::lines()`: streaming, but a new `String` per line;
//! 4. `BufRead::read_line` into one reused `String` (a generator that yields
//!    borrowed lines);
//! 5. chunked: fixed 64 KiB reads, lines split out of the buffer by hand;
//! 6. batched: records gathered into a reused `Vec` of 10,000 and handed to
//!    a batch consumer (what a database insert would want).
//!
//! Memory-mapping the file (`memmap2`) would make the heap peak of (2)
//! vanish too, but it moves the cost to mapped pages, which count in the
//! process's resident memory all the same; streaming (4–6) needs neither
//! the dependency nor the pages, so this example does without it.
//!
//! ```text
//! cargo run --release --example 09_streaming [-- LINES]
//! ```

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use leanmem::measure::{self, Measurement, TrackingAllocator, format_bytes};

#[global_allocator]
static ALLOC: TrackingAllocator = TrackingAllocator::system();

const CATEGORIES: [&str; 6] = ["books", "games", "garden", "music", "tools", "toys"];

/// Totals per category, in cents.
type Totals = BTreeMap<String, u64>;

fn write_file(path: &Path, lines: usize) -> io::Result<u64> {
    let mut w = BufWriter::new(File::create(path)?);
    for i in 0..lines {
        let cat = CATEGORIES[(i * 31 + i / 7) % CATEGORIES.len()];
        writeln!(w, "{i},{cat},{}.{:02}", (i * 37) % 500, (i * 13) % 100)?;
    }
    w.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

/// Parses `id,category,amount` into (category, cents).
fn parse(line: &str) -> Option<(&str, u64)> {
    let mut f = line.split(',');
    let _id = f.next()?;
    let cat = f.next()?;
    let (units, cents) = f.next()?.trim_end().split_once('.')?;
    Some((
        cat,
        units.parse::<u64>().ok()? * 100 + cents.parse::<u64>().ok()?,
    ))
}

fn add(totals: &mut Totals, cat: &str, cents: u64) {
    match totals.get_mut(cat) {
        Some(t) => *t += cents,
        None => {
            totals.insert(cat.to_string(), cents);
        }
    }
}

/// 1. Everything in memory before any work.
fn collect_first(path: &Path) -> io::Result<Totals> {
    struct Row {
        category: String,
        cents: u64,
    }
    let text = std::fs::read_to_string(path)?;
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let rows: Vec<Row> = lines
        .iter()
        .filter_map(|l| parse(l))
        .map(|(c, cents)| Row {
            category: c.to_string(),
            cents,
        })
        .collect();
    let mut totals = Totals::new();
    for r in &rows {
        add(&mut totals, &r.category, r.cents);
    }
    Ok(totals)
}

/// 2. The whole file, but a lazy chain over it.
fn whole_file_lazy(path: &Path) -> io::Result<Totals> {
    let text = std::fs::read_to_string(path)?;
    let mut totals = Totals::new();
    for (cat, cents) in text.lines().filter_map(parse) {
        add(&mut totals, cat, cents);
    }
    Ok(totals)
}

/// 3. Streaming with `lines()`: one allocation per line.
fn lines_iter(path: &Path) -> io::Result<Totals> {
    let mut totals = Totals::new();
    for line in BufReader::new(File::open(path)?).lines() {
        if let Some((cat, cents)) = parse(&line?) {
            add(&mut totals, cat, cents);
        }
    }
    Ok(totals)
}

/// 4. Streaming into one reused line buffer.
fn reused_buffer(path: &Path) -> io::Result<Totals> {
    let mut totals = Totals::new();
    let mut reader = BufReader::new(File::open(path)?);
    let mut line = String::new();
    while reader.read_line(&mut line)? != 0 {
        if let Some((cat, cents)) = parse(&line) {
            add(&mut totals, cat, cents);
        }
        line.clear();
    }
    Ok(totals)
}

/// 5. Fixed-size chunks; a line cut by a chunk boundary is carried over.
fn chunked(path: &Path) -> io::Result<Totals> {
    const CHUNK: usize = 64 * 1024;
    let mut totals = Totals::new();
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; CHUNK];
    let mut kept = 0; // bytes of an unfinished line at the front of `buf`
    loop {
        if kept == buf.len() {
            buf.resize(buf.len() * 2, 0); // a line longer than the buffer
        }
        let n = file.read(&mut buf[kept..])?;
        let filled = kept + n;
        let (complete, rest) = match buf[..filled].iter().rposition(|&b| b == b'\n') {
            Some(i) if n > 0 => (i + 1, filled - i - 1),
            _ => (filled, 0), // end of file: whatever is left is the last line
        };
        for line in buf[..complete].split(|&b| b == b'\n') {
            if let Some((cat, cents)) = std::str::from_utf8(line).ok().and_then(parse) {
                add(&mut totals, cat, cents);
            }
        }
        buf.copy_within(complete..filled, 0);
        kept = rest;
        if n == 0 {
            return Ok(totals);
        }
    }
}

/// 6. Batches of parsed records, handed to a consumer one batch at a time.
fn batched(path: &Path) -> io::Result<Totals> {
    const BATCH: usize = 10_000;
    let mut totals = Totals::new();
    let mut consume = |batch: &mut Vec<(u8, u64)>| {
        for &(cat, cents) in batch.iter() {
            add(&mut totals, CATEGORIES[usize::from(cat)], cents);
        }
        batch.clear();
    };
    let mut batch = Vec::with_capacity(BATCH);
    let mut reader = BufReader::new(File::open(path)?);
    let mut line = String::new();
    while reader.read_line(&mut line)? != 0 {
        if let Some((cat, cents)) = parse(&line) {
            if let Some(c) = CATEGORIES.iter().position(|&k| k == cat) {
                batch.push((c as u8, cents));
            }
        }
        line.clear();
        if batch.len() == BATCH {
            consume(&mut batch);
        }
    }
    consume(&mut batch);
    Ok(totals)
}

type Way = fn(&Path) -> io::Result<Totals>;

fn run(way: Way, path: &Path) -> io::Result<(Totals, Measurement, Duration)> {
    let start = Instant::now();
    let (totals, m) = measure::measure(|| way(path));
    Ok((
        totals?,
        m.expect("the example installs a tracking allocator"),
        start.elapsed(),
    ))
}

/// A temporary file removed on drop.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn main() -> io::Result<()> {
    let lines: usize = match std::env::args().nth(1).map(|a| a.parse()) {
        None => 2_000_000,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("usage: 09_streaming [LINES]  ({e})");
            std::process::exit(2);
        }
    };
    let file =
        TempFile(std::env::temp_dir().join(format!("leanmem-09-{}.csv", std::process::id())));
    let size = write_file(&file.0, lines)?;
    println!(
        "{lines} lines, {} on disk: sum of amount per category, six ways\n",
        format_bytes(size as usize)
    );

    let ways: [(&str, Way); 6] = [
        ("1. collect everything first", collect_first),
        ("2. whole file, lazy lines()", whole_file_lazy),
        ("3. BufRead::lines() (String per line)", lines_iter),
        ("4. read_line into one buffer", reused_buffer),
        ("5. 64 KiB chunks", chunked),
        ("6. batches of 10,000 records", batched),
    ];
    let mut expected: Option<Totals> = None;
    println!(
        "  {:<40} {:>10} {:>12} {:>12}",
        "", "time", "peak heap", "allocations"
    );
    let mut first_peak = 0;
    for (name, way) in ways {
        let (totals, m, t) = run(way, &file.0)?;
        match &expected {
            None => {
                first_peak = m.peak_bytes;
                expected = Some(totals);
            }
            Some(e) => assert_eq!(&totals, e, "{name} disagrees"),
        }
        let versus = if first_peak == m.peak_bytes {
            String::new()
        } else {
            format!(
                "peak ÷ {:.0}",
                first_peak as f64 / m.peak_bytes.max(1) as f64
            )
        };
        println!(
            "  {name:<40} {:>8.1}ms {:>12} {:>12}   {versus}",
            t.as_secs_f64() * 1e3,
            format_bytes(m.peak_bytes),
            m.allocations,
        );
    }
    if let Some(totals) = expected {
        let sum: u64 = totals.values().sum();
        println!(
            "\n  all six agree: {} categories, {}.{:02} in total",
            totals.len(),
            sum / 100,
            sum % 100
        );
    }
    Ok(())
}
