//! The batch workload of `examples/08_batch_arena.rs` and `benches/arena.rs`
//! (included by both with `#[path]`): log lines parsed into records with
//! several small heap parts, aggregated, and thrown away per batch — on the
//! global allocator, or in a bump arena reset per batch.

use std::collections::HashMap;
use std::hint::black_box;

use bumpalo::Bump;
use bumpalo::collections::{String as BumpString, Vec as BumpVec};

const LEVELS: [&str; 4] = ["INFO", "WARN", "ERROR", "DEBUG"];

/// A deterministic log line `i`: `ts|LEVEL|message|tag,tag,tag`.
pub(crate) fn line(i: usize) -> String {
    let level = LEVELS[(i * 7 + i / 13) % 4];
    format!(
        "{}|{level}|request {} served in {} ms|svc{},zone{},v{}",
        1_700_000_000 + i,
        i % 977,
        i % 350,
        i % 12,
        i % 3,
        i % 5
    )
}

/// One parsed record on the global allocator: three kinds of small blocks.
pub(crate) struct Record {
    ts: u64,
    level: Box<str>,
    message: String,
    tags: Vec<String>,
}

/// The same record with every part in the arena.
pub(crate) struct ArenaRecord<'b> {
    ts: u64,
    level: &'b str,
    message: BumpString<'b>,
    tags: BumpVec<'b, &'b str>,
}

fn parse_heap(line: &str) -> Option<Record> {
    let mut parts = line.split('|');
    let ts = parts.next()?.parse().ok()?;
    let level = parts.next()?.into();
    let message = parts.next()?.to_string();
    let tags = parts.next()?.split(',').map(str::to_string).collect();
    Some(Record {
        ts,
        level,
        message,
        tags,
    })
}

fn parse_arena<'b>(line: &str, bump: &'b Bump) -> Option<ArenaRecord<'b>> {
    let mut parts = line.split('|');
    let ts = parts.next()?.parse().ok()?;
    let level = bump.alloc_str(parts.next()?);
    let message = BumpString::from_str_in(parts.next()?, bump);
    let mut tags = BumpVec::new_in(bump);
    for t in parts.next()?.split(',') {
        tags.push(&*bump.alloc_str(t));
    }
    Some(ArenaRecord {
        ts,
        level,
        message,
        tags,
    })
}

/// What each batch computes: records per level, and a checksum of the
/// rest so nothing is optimised away.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Summary {
    pub(crate) per_level: HashMap<String, usize>,
    pub(crate) checksum: u64,
}

impl Summary {
    fn count(&mut self, level: &str) {
        match self.per_level.get_mut(level) {
            Some(n) => *n += 1,
            None => {
                self.per_level.insert(level.to_string(), 1);
            }
        }
    }
}

pub(crate) fn run_heap(lines: &[String], batch: usize) -> Summary {
    let mut s = Summary::default();
    for chunk in lines.chunks(batch) {
        let records: Vec<Record> = chunk.iter().filter_map(|l| parse_heap(l)).collect();
        for r in &records {
            s.count(&r.level);
            s.checksum = s
                .checksum
                .wrapping_add(r.ts ^ (r.message.len() as u64) ^ (r.tags.len() as u64));
        }
        black_box(&records);
        // Dropping the batch frees every string and vector one by one.
    }
    s
}

pub(crate) fn run_arena(lines: &[String], batch: usize) -> Summary {
    let mut s = Summary::default();
    let mut bump = Bump::new();
    for chunk in lines.chunks(batch) {
        {
            let mut records = BumpVec::with_capacity_in(chunk.len(), &bump);
            records.extend(chunk.iter().filter_map(|l| parse_arena(l, &bump)));
            for r in &records {
                s.count(r.level);
                s.checksum = s
                    .checksum
                    .wrapping_add(r.ts ^ (r.message.len() as u64) ^ (r.tags.len() as u64));
            }
            black_box(&records);
        }
        // One step frees the batch; the arena keeps its largest chunk for
        // the next one.
        bump.reset();
    }
    s
}
