//! `slots`: records and tables against the dict-per-record twin,
//! `Vec<struct>` and soa_derive, on 1M users and on a real key: value
//! database (dpkg's status file, or its synthetic twin).
//!
//! Groups: `slots/build` (1M users), `slots/scan` (sum of `id` where `name`
//! ends with '7'), `slots/get_by_name` (one field read by name). Sizes in
//! bytes per record and the build peak are printed first; the target ratios
//! last, from interleaved medians.

mod common;
#[path = "data/records.rs"]
mod records;

use records::{MUserTable, PUser, PUserVec};

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use leanmem::measure::{self, TrackingAllocator};
use leanmem::slots::{Table, Value, ValueRef};

#[global_allocator]
static ALLOC: TrackingAllocator = TrackingAllocator::system();

const USERS: usize = 1_000_000;

/// Bytes per record and build peak of one layout, measured by the tracking
/// allocator (inline size of the container included).
fn size_of_build<T>(build: impl FnOnce() -> T) -> (usize, usize) {
    let (v, m) = measure::measure(build);
    let m = m.expect("the bench installs a tracking allocator");
    let bytes = m.net_bytes.unsigned_abs() + std::mem::size_of::<T>();
    drop(v);
    (bytes, m.peak_bytes + std::mem::size_of::<T>())
}

fn sizes() {
    let shape = records::user_shape();
    let rows = [
        (
            "Vec<HashMap<String, Value>> (dict)",
            size_of_build(|| records::user_dicts(USERS)),
        ),
        (
            "Vec<struct {u64, String, String}>",
            size_of_build(|| records::user_structs(USERS)),
        ),
        (
            "soa_derive PUserVec",
            size_of_build(|| records::user_soa(USERS)),
        ),
        (
            "Vec<leanmem Record>",
            size_of_build(|| records::user_records(&shape, USERS)),
        ),
        (
            "leanmem Table",
            size_of_build(|| records::user_table(&shape, USERS)),
        ),
        (
            "leanmem slots! table",
            size_of_build(|| records::user_macro_table(USERS)),
        ),
    ];
    let flat: Vec<(&str, usize)> = rows.iter().map(|(n, (b, _))| (*n, *b)).collect();
    common::print_sizes("slots/size (1M users)", USERS, &flat);
    println!("  build peak / final size:");
    for (name, (bytes, peak)) in &rows {
        println!("  {name:<40} {:>6.3}×", *peak as f64 / *bytes as f64);
    }
    let dict = rows[0].1.0 as f64;
    let structs = rows[1].1.0 as f64;
    for (name, (bytes, _)) in &rows[4..] {
        println!(
            "  {name}: {:.1} B/record, {:.2}× smaller than the dict twin, {:.2}× smaller than Vec<struct>",
            *bytes as f64 / USERS as f64,
            dict / *bytes as f64,
            structs / *bytes as f64
        );
    }

    let (dataset, packages) = records::packages(700);
    let n = packages.len();
    let rows = [
        (
            "Vec<HashMap<String, Value>> (dict)",
            size_of_build(|| records::package_dicts(&packages)).0,
        ),
        ("Vec<struct Package>", size_of_build(|| packages.clone()).0),
        (
            "leanmem Table",
            size_of_build(|| records::package_table(&packages)).0,
        ),
    ];
    common::print_sizes(&format!("slots/size ({dataset})"), n, &rows);
}

fn build(c: &mut Criterion) {
    let shape = records::user_shape();
    let mut g = c.benchmark_group("slots/build");
    g.throughput(Throughput::Elements(USERS as u64));
    g.sample_size(10);
    g.bench_function("dict", |b| {
        b.iter_with_large_drop(|| records::user_dicts(USERS))
    });
    g.bench_function("vec_struct", |b| {
        b.iter_with_large_drop(|| records::user_structs(USERS))
    });
    g.bench_function("soa_derive", |b| {
        b.iter_with_large_drop(|| records::user_soa(USERS))
    });
    g.bench_function("records", |b| {
        b.iter_with_large_drop(|| records::user_records(&shape, USERS))
    });
    g.bench_function("table", |b| {
        b.iter_with_large_drop(|| records::user_table(&shape, USERS))
    });
    g.bench_function("macro_table", |b| {
        b.iter_with_large_drop(|| records::user_macro_table(USERS))
    });
    g.finish();
}

fn scan_structs(v: &[PUser]) -> u64 {
    v.iter()
        .filter(|u| u.name.ends_with('7'))
        .map(|u| u.id)
        .sum()
}

fn scan_soa(v: &PUserVec) -> u64 {
    v.name
        .iter()
        .zip(&v.id)
        .filter(|(n, _)| n.ends_with('7'))
        .map(|(_, id)| *id)
        .sum()
}

fn scan_table(t: &Table) -> u64 {
    let ids = t
        .column("id")
        .expect("field")
        .as_ints()
        .expect("int column");
    let names = t
        .column("name")
        .expect("field")
        .as_strs()
        .expect("str column");
    names
        .iter()
        .zip(ids.iter())
        .filter(|(n, _)| n.ends_with('7'))
        .map(|(_, id)| id as u64)
        .sum()
}

fn scan_macro(t: &MUserTable) -> u64 {
    t.name()
        .iter()
        .zip(t.id().iter())
        .filter(|(n, _)| n.ends_with('7'))
        .map(|(_, id)| id)
        .sum()
}

fn scan_dicts(v: &[HashMap<String, Value>]) -> u64 {
    v.iter()
        .filter(|d| matches!(d.get("name"), Some(Value::Str(s)) if s.ends_with('7')))
        .map(|d| match d.get("id") {
            Some(Value::Int(x)) => *x as u64,
            _ => 0,
        })
        .sum()
}

fn scan(c: &mut Criterion) {
    let shape = records::user_shape();
    let dicts = records::user_dicts(USERS);
    let structs = records::user_structs(USERS);
    let soa = records::user_soa(USERS);
    let table = records::user_table(&shape, USERS);
    let mtable = records::user_macro_table(USERS);
    let want = scan_structs(&structs);
    assert_eq!(scan_soa(&soa), want);
    assert_eq!(scan_table(&table), want);
    assert_eq!(scan_macro(&mtable), want);
    assert_eq!(scan_dicts(&dicts), want);

    let mut g = c.benchmark_group("slots/scan");
    g.throughput(Throughput::Elements(USERS as u64));
    g.sample_size(20);
    g.bench_function("dict", |b| b.iter(|| scan_dicts(black_box(&dicts))));
    g.bench_function("vec_struct", |b| {
        b.iter(|| scan_structs(black_box(&structs)))
    });
    g.bench_function("soa_derive", |b| b.iter(|| scan_soa(black_box(&soa))));
    g.bench_function("table", |b| b.iter(|| scan_table(black_box(&table))));
    g.bench_function("macro_table", |b| b.iter(|| scan_macro(black_box(&mtable))));
    g.finish();

    let ratios = common::print_ratios(
        "slots/scan (sum of id where name ends with '7')",
        USERS,
        31,
        &mut [
            ("Vec<struct>", &mut || {
                black_box(scan_structs(black_box(&structs)));
            }),
            ("soa_derive", &mut || {
                black_box(scan_soa(black_box(&soa)));
            }),
            ("leanmem Table", &mut || {
                black_box(scan_table(black_box(&table)));
            }),
            ("leanmem slots! table", &mut || {
                black_box(scan_macro(black_box(&mtable)));
            }),
        ],
    );
    println!(
        "  Table / Vec<struct>: {:.3}× (target ≤ 1.0); slots! table: {:.3}×",
        ratios[2], ratios[3]
    );
}

/// Reads one field by name, the way code driven by a run-time field list
/// does: a struct through a `match` on the name (yielding the field as a
/// `ValueRef`, since the fields differ in type), a `Record`, a dict.
fn get_by_name(c: &mut Criterion) {
    const N: usize = 1000;
    const NAMES: [&str; 3] = ["id", "name", "email"];
    let shape = records::user_shape();
    let records = records::user_records(&shape, N);
    let structs = records::user_structs(N);
    let dicts = records::user_dicts(N);
    // Both sides produce the same thing: the dynamically typed value of a
    // field named at run time, consumed by the same code.
    fn by_match<'u>(u: &'u PUser, name: &str) -> Option<ValueRef<'u>> {
        match name {
            "id" => Some(ValueRef::Int(u.id as i64)),
            "name" => Some(ValueRef::Str(&u.name)),
            "email" => Some(ValueRef::Str(&u.email)),
            _ => None,
        }
    }
    let value_len = |v: ValueRef<'_>| match v {
        ValueRef::Int(x) => x as usize,
        ValueRef::Str(s) => s.len(),
        _ => 0,
    };
    let run_structs = || {
        let mut acc = 0;
        for (i, u) in structs.iter().enumerate() {
            acc += by_match(u, black_box(NAMES[i % 3])).map_or(0, value_len);
        }
        acc
    };
    let run_records = || {
        let mut acc = 0;
        for (i, r) in records.iter().enumerate() {
            acc += r.get(black_box(NAMES[i % 3])).map_or(0, value_len);
        }
        acc
    };
    let run_dicts = || {
        let mut acc = 0;
        for (i, d) in dicts.iter().enumerate() {
            acc += match d.get(black_box(NAMES[i % 3])) {
                Some(Value::Int(x)) => *x as usize,
                Some(Value::Str(s)) => s.len(),
                _ => 0,
            };
        }
        acc
    };
    assert_eq!(run_structs(), run_records());
    assert_eq!(run_structs(), run_dicts());

    let mut g = c.benchmark_group("slots/get_by_name");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("struct_match", |b| b.iter(run_structs));
    g.bench_function("record", |b| b.iter(run_records));
    g.bench_function("dict", |b| b.iter(run_dicts));
    g.finish();

    let ratios = common::print_ratios(
        "slots/get_by_name (1000 reads cycling id/name/email)",
        N,
        301,
        &mut [
            ("struct field via match on name", &mut || {
                black_box(run_structs());
            }),
            ("leanmem Record::get", &mut || {
                black_box(run_records());
            }),
            ("HashMap<String, Value>::get", &mut || {
                black_box(run_dicts());
            }),
        ],
    );
    println!("  Record / match: {:.3}× (target ≤ 2.0)", ratios[1]);
}

fn all(c: &mut Criterion) {
    sizes();
    scan(c);
    get_by_name(c);
    build(c);
}

criterion_group!(benches, all);
criterion_main!(benches);
