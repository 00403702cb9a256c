//! Tutorial 7 — the playbook end to end: analysing a server log.
//!
//! The Python playbook's headline takes a log-analysis program from 245 MB to
//! 3.2 MB of peak memory by streaming the file, storing records in
//! `__slots__` objects and iterating instead of building lists. This example
//! does the same analysis three ways and prints the peak heap and time of
//! each, checking that all three agree:
//!
//! 1. **naive**: read the whole file, a `String` per line, a
//!    `HashMap<String, String>` per entry (the dict per record), then
//!    filter the errors and count their messages;
//! 2. **streaming**: one reused line buffer, fields borrowed from it, the
//!    errors kept as `Vec<struct { u64, String, u32 }>`;
//! 3. **leanmem**: streaming, messages and levels interned
//!    ([`Interner`](leanmem::intern::Interner)), the errors kept in a
//!    [`Table`](leanmem::slots::Table) whose integer columns are bit-packed
//!    and whose message column holds symbols, and counts in a `Vec` indexed
//!    by symbol.
//!
//! Each way answers the same questions: how many errors per message, and
//! how many distinct users saw an error.
//!
//! ```text
//! cargo run --release --example 07_log_analysis              # 1M generated lines
//! cargo run --release --example 07_log_analysis -- 200000    # another size
//! cargo run --release --example 07_log_analysis -- /var/log/dpkg.log
//! cargo run --release --example 07_log_analysis -- FILE --level LEVEL
//! ```
//!
//! The generated log is `timestamp|LEVEL|message|ip|user_id` with a few
//! hundred distinct messages and about 10% errors. A real file in that
//! format works as is; a dpkg-style log (`date time action detail ...`)
//! is read with the action as the level and the detail as the message
//! (`--level status` counts dpkg's package states).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use leanmem::intern::Interner;
use leanmem::measure::{self, Measurement, TrackingAllocator, format_bytes};
use leanmem::slots::{FieldType, Shape, StrEncoding, Table, ValueRef};

#[global_allocator]
static ALLOC: TrackingAllocator = TrackingAllocator::system();

/// The answers every way must agree on.
#[derive(Debug, PartialEq, Eq)]
struct Answer {
    per_message: BTreeMap<String, usize>,
    users: usize,
    kept: usize,
}

/// One parsed line, fields borrowed from it.
struct Fields<'a> {
    ts: u64,
    level: &'a str,
    message: &'a str,
    user: u32,
}

/// Parses a line of the generated format, or of a dpkg-style log.
fn parse(line: &str) -> Option<Fields<'_>> {
    let line = line.trim_end_matches(['\n', '\r']);
    if line.contains('|') {
        let mut f = line.split('|');
        let ts = f.next()?.parse().ok()?;
        let level = f.next()?;
        let message = f.next()?;
        let _ip = f.next()?;
        let user = f.next()?.parse().ok()?;
        Some(Fields {
            ts,
            level,
            message,
            user,
        })
    } else {
        // `2025-06-24 14:36:25 status installed libc6:amd64 2.36`
        let mut f = line.split_ascii_whitespace();
        let date = f.next()?;
        let time = f.next()?;
        let level = f.next()?;
        let message = f.next().unwrap_or("");
        let ts = date
            .bytes()
            .chain(time.bytes())
            .filter(u8::is_ascii_digit)
            .fold(0u64, |n, d| {
                n.wrapping_mul(10).wrapping_add(u64::from(d - b'0'))
            });
        Some(Fields {
            ts,
            level,
            message,
            user: 0,
        })
    }
}

// ---------------------------------------------------------------- the log

const LEVELS: [(&str, u32); 4] = [("INFO", 70), ("WARN", 15), ("ERROR", 10), ("DEBUG", 5)];
const SUBJECTS: [&str; 12] = [
    "database connection",
    "cache lookup",
    "payment request",
    "session token",
    "upload",
    "search query",
    "email delivery",
    "image resize",
    "rate limiter",
    "config reload",
    "health check",
    "report export",
];
const OUTCOMES: [&str; 25] = [
    "timed out",
    "succeeded",
    "failed",
    "was retried",
    "was throttled",
    "returned 404",
    "returned 500",
    "took over 1s",
    "was cancelled",
    "hit the cache",
    "missed the cache",
    "was queued",
    "was rejected",
    "completed partially",
    "exceeded its quota",
    "lost its lease",
    "was deduplicated",
    "was rolled back",
    "was committed",
    "saw a stale read",
    "overflowed its buffer",
    "was skipped",
    "restarted",
    "degraded",
    "recovered",
];

/// Writes `lines` deterministic log lines; returns the file's size.
fn write_log(path: &Path, lines: usize) -> io::Result<u64> {
    let mut w = BufWriter::new(File::create(path)?);
    let mut x = 0x2545_f491_4f6c_dd1d_u64;
    for i in 0..lines {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let mut pick = (x % 100) as u32;
        let level = LEVELS
            .iter()
            .find(|(_, pct)| {
                let hit = pick < *pct;
                pick = pick.saturating_sub(*pct);
                hit
            })
            .map_or("INFO", |(l, _)| l);
        let subject = SUBJECTS[(x >> 8) as usize % SUBJECTS.len()];
        let outcome = OUTCOMES[(x >> 16) as usize % OUTCOMES.len()];
        writeln!(
            w,
            "{}|{level}|{subject} {outcome}|10.{}.{}.{}|{}",
            1_700_000_000 + i as u64 / 10,
            (x >> 24) % 256,
            (x >> 32) % 256,
            (x >> 40) % 256,
            (x >> 48) % 20_000
        )?;
    }
    w.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

// ------------------------------------------------------------- three ways

/// 1. Everything in memory, a dict per entry.
fn naive(path: &Path, wanted: &str) -> io::Result<Answer> {
    let text = std::fs::read_to_string(path)?;
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let entries: Vec<HashMap<String, String>> = lines
        .iter()
        .filter_map(|l| parse(l))
        .map(|f| {
            HashMap::from([
                ("timestamp".to_string(), f.ts.to_string()),
                ("level".to_string(), f.level.to_string()),
                ("message".to_string(), f.message.to_string()),
                ("user_id".to_string(), f.user.to_string()),
            ])
        })
        .collect();
    let errors: Vec<&HashMap<String, String>> =
        entries.iter().filter(|e| e["level"] == wanted).collect();
    let mut per_message = BTreeMap::new();
    for e in &errors {
        *per_message.entry(e["message"].clone()).or_insert(0) += 1;
    }
    let users: HashSet<&str> = errors.iter().map(|e| e["user_id"].as_str()).collect();
    Ok(Answer {
        per_message,
        users: users.len(),
        kept: errors.len(),
    })
}

/// 2. One reused buffer; errors kept as plain structs.
fn streaming(path: &Path, wanted: &str) -> io::Result<Answer> {
    struct Error {
        _ts: u64,
        message: String,
        user: u32,
    }
    let mut reader = BufReader::new(File::open(path)?);
    let mut line = String::new();
    let mut kept: Vec<Error> = Vec::new();
    while reader.read_line(&mut line)? != 0 {
        if let Some(f) = parse(&line) {
            if f.level == wanted {
                kept.push(Error {
                    _ts: f.ts,
                    message: f.message.to_string(),
                    user: f.user,
                });
            }
        }
        line.clear();
    }
    let mut per_message: BTreeMap<String, usize> = BTreeMap::new();
    for e in &kept {
        match per_message.get_mut(&e.message) {
            Some(n) => *n += 1,
            None => {
                per_message.insert(e.message.clone(), 1);
            }
        }
    }
    let users: HashSet<u32> = kept.iter().map(|e| e.user).collect();
    Ok(Answer {
        per_message,
        users: users.len(),
        kept: kept.len(),
    })
}

/// 3. Streaming, interned, errors kept in a slots table.
fn leanmem_way(path: &Path, wanted: &str) -> io::Result<Answer> {
    let shape = Shape::named(
        "Error",
        [
            ("ts", FieldType::INT),
            ("message", FieldType::STR),
            ("user", FieldType::INT),
        ],
    )
    .map_err(io::Error::other)?;
    let mut kept = Table::new(&shape);
    kept.set_str_encoding("message", StrEncoding::Interned)
        .map_err(io::Error::other)?;
    let mut levels = Interner::new();
    let wanted_level = levels.intern(wanted);
    let mut reader = BufReader::new(File::open(path)?);
    let mut line = String::new();
    while reader.read_line(&mut line)? != 0 {
        if let Some(f) = parse(&line) {
            // A level is a symbol: comparing it is comparing two integers.
            if levels.intern(f.level) == wanted_level {
                kept.push_row(&[
                    ValueRef::Int(f.ts as i64),
                    ValueRef::Str(f.message),
                    ValueRef::Int(i64::from(f.user)),
                ])
                .map_err(io::Error::other)?;
            }
        }
        line.clear();
    }
    kept.shrink_to_fit();
    let messages = kept.column("message").map_err(io::Error::other)?;
    let messages = messages
        .as_strs()
        .ok_or_else(|| io::Error::other("message is a str column"))?;
    let users = kept.column("user").map_err(io::Error::other)?;
    let users = users
        .as_ints()
        .ok_or_else(|| io::Error::other("user is an int column"))?;
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for m in messages.iter() {
        *counts.entry(m).or_default() += 1;
    }
    let distinct_users: HashSet<i64> = users.iter().collect();
    Ok(Answer {
        per_message: counts
            .into_iter()
            .map(|(m, n)| (m.to_string(), n))
            .collect(),
        users: distinct_users.len(),
        kept: kept.len(),
    })
}

type Way = fn(&Path, &str) -> io::Result<Answer>;

fn run(way: Way, path: &Path, wanted: &str) -> io::Result<(Answer, Measurement, Duration)> {
    let start = Instant::now();
    let (answer, m) = measure::measure(|| way(path, wanted));
    Ok((
        answer?,
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

fn usage() -> ! {
    eprintln!("usage: 07_log_analysis [LINES | FILE] [--level LEVEL]");
    std::process::exit(2)
}

fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut source: Option<String> = None;
    let mut level: Option<String> = None;
    while let Some(a) = args.next() {
        if a == "--level" {
            level = Some(args.next().unwrap_or_else(|| usage()));
        } else if source.is_none() {
            source = Some(a);
        } else {
            usage();
        }
    }
    let (path, _temp, wanted) = match source.as_deref().map(|s| (s, s.parse::<usize>())) {
        Some((file, Err(_))) => {
            let path = PathBuf::from(file);
            if !path.is_file() {
                eprintln!("07_log_analysis: {file} is not a file");
                std::process::exit(2);
            }
            let default = if first_line_has_pipes(&path)? {
                "ERROR"
            } else {
                "status"
            };
            let wanted = level.unwrap_or_else(|| default.to_string());
            println!(
                "{}: {} on disk; counting messages of level {wanted:?}\n",
                path.display(),
                format_bytes(std::fs::metadata(&path)?.len() as usize)
            );
            (path, None, wanted)
        }
        other => {
            let lines = match other {
                Some((_, Ok(n))) => n,
                _ => 1_000_000,
            };
            let temp = TempFile(
                std::env::temp_dir().join(format!("leanmem-07-{}.log", std::process::id())),
            );
            let size = write_log(&temp.0, lines)?;
            let wanted = level.unwrap_or_else(|| "ERROR".to_string());
            println!(
                "{lines} generated log lines, {} on disk; counting messages of level {wanted:?}\n",
                format_bytes(size as usize)
            );
            (temp.0.clone(), Some(temp), wanted)
        }
    };

    let ways: [(&str, Way); 3] = [
        ("1. naive (file, String per line, dict per entry)", naive),
        ("2. streaming (one buffer, structs kept)", streaming),
        ("3. leanmem (streaming, interned, slots table)", leanmem_way),
    ];
    println!(
        "  {:<50} {:>10} {:>12} {:>12}",
        "", "time", "peak heap", "allocations"
    );
    let mut results = Vec::new();
    for (name, way) in ways {
        let (answer, m, t) = run(way, &path, &wanted)?;
        println!(
            "  {name:<50} {:>8.1}ms {:>12} {:>12}",
            t.as_secs_f64() * 1e3,
            format_bytes(m.peak_bytes),
            m.allocations
        );
        results.push((answer, m, t));
    }
    let (first, rest) = results.split_first().expect("three ways ran");
    for (answer, _, _) in rest {
        assert_eq!(answer, &first.0, "every way gives the same answer");
    }
    let (naive_m, naive_t) = (first.1, first.2);
    let (lean_m, lean_t) = (results[2].1, results[2].2);
    println!(
        "\n  naive / leanmem peak heap: {:.0}× ({} vs {}); leanmem time: {:.2}× naive's",
        naive_m.peak_bytes as f64 / lean_m.peak_bytes.max(1) as f64,
        format_bytes(naive_m.peak_bytes),
        format_bytes(lean_m.peak_bytes),
        lean_t.as_secs_f64() / naive_t.as_secs_f64()
    );
    let a = &first.0;
    println!(
        "  all three agree: {} {wanted} entries, {} distinct messages, {} distinct users; top 3:",
        a.kept,
        a.per_message.len(),
        a.users
    );
    let mut top: Vec<(&String, &usize)> = a.per_message.iter().collect();
    top.sort_by(|x, y| y.1.cmp(x.1).then(x.0.cmp(y.0)));
    for (m, n) in top.iter().take(3) {
        println!("    {n:>8}  {m}");
    }
    Ok(())
}

fn first_line_has_pipes(path: &Path) -> io::Result<bool> {
    let mut line = String::new();
    BufReader::new(File::open(path)?).read_line(&mut line)?;
    Ok(line.contains('|'))
}
