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

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use leanmem::measure::{self, TrackingAllocator};
use leanmem::slots::{FieldType, Record, Shape, Table, Value, ValueRef};
use soa_derive::StructOfArray;

#[global_allocator]
static ALLOC: TrackingAllocator = TrackingAllocator::system();

const USERS: usize = 1_000_000;

leanmem::slots! {
    /// A user, for the macro's columnar table.
    struct MUser {
        id: u64,
        name: String,
        email: String,
    }
    table MUserTable;
}

/// A user as a plain struct (`Vec<PUser>`), and as soa_derive's input.
#[derive(Debug, StructOfArray)]
#[soa_derive(Debug)]
struct PUser {
    id: u64,
    name: String,
    email: String,
}

fn user_shape() -> Shape {
    Shape::named(
        "User",
        [
            ("id", FieldType::INT),
            ("name", FieldType::STR),
            ("email", FieldType::STR),
        ],
    )
    .expect("distinct fields")
}

fn build_dicts(n: usize) -> Vec<HashMap<String, Value>> {
    (0..n)
        .map(|i| {
            let (id, name, email) = records::user_fields(i);
            let mut d = HashMap::with_capacity(3);
            d.insert("id".to_string(), Value::Int(id as i64));
            d.insert("name".to_string(), Value::Str(name));
            d.insert("email".to_string(), Value::Str(email));
            d
        })
        .collect()
}

fn build_structs(n: usize) -> Vec<PUser> {
    (0..n)
        .map(|i| {
            let (id, name, email) = records::user_fields(i);
            PUser { id, name, email }
        })
        .collect()
}

fn build_soa(n: usize) -> PUserVec {
    let mut v = PUserVec::new();
    for i in 0..n {
        let (id, name, email) = records::user_fields(i);
        v.push(PUser { id, name, email });
    }
    v
}

fn build_records(shape: &Shape, n: usize) -> Vec<Record> {
    (0..n)
        .map(|i| {
            let (id, name, email) = records::user_fields(i);
            Record::new(
                shape,
                [
                    (id as i64).into(),
                    name.as_str().into(),
                    email.as_str().into(),
                ],
            )
            .expect("fits the shape")
        })
        .collect()
}

fn build_table(shape: &Shape, n: usize) -> Table {
    let mut t = Table::new(shape);
    for i in 0..n {
        let (id, name, email) = records::user_fields(i);
        t.push_row(&[
            (id as i64).into(),
            name.as_str().into(),
            email.as_str().into(),
        ])
        .expect("fits the shape");
    }
    t
}

fn build_macro_table(n: usize) -> MUserTable {
    let mut t = MUserTable::new();
    for i in 0..n {
        let (id, name, email) = records::user_fields(i);
        t.push(&MUser { id, name, email }).expect("small strings");
    }
    t
}

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
    let shape = user_shape();
    let rows = [
        (
            "Vec<HashMap<String, Value>> (dict)",
            size_of_build(|| build_dicts(USERS)),
        ),
        (
            "Vec<struct {u64, String, String}>",
            size_of_build(|| build_structs(USERS)),
        ),
        ("soa_derive PUserVec", size_of_build(|| build_soa(USERS))),
        (
            "Vec<leanmem Record>",
            size_of_build(|| build_records(&shape, USERS)),
        ),
        (
            "leanmem Table",
            size_of_build(|| build_table(&shape, USERS)),
        ),
        (
            "leanmem slots! table",
            size_of_build(|| build_macro_table(USERS)),
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
    let pkg_shape = package_shape();
    let n = packages.len();
    let rows = [
        (
            "Vec<HashMap<String, Value>> (dict)",
            size_of_build(|| package_dicts(&packages)).0,
        ),
        ("Vec<struct Package>", size_of_build(|| packages.clone()).0),
        (
            "leanmem Table",
            size_of_build(|| package_table(&pkg_shape, &packages)).0,
        ),
    ];
    common::print_sizes(&format!("slots/size ({dataset})"), n, &rows);
}

fn package_shape() -> Shape {
    Shape::named(
        "Package",
        [
            ("package", FieldType::STR),
            ("version", FieldType::STR),
            ("architecture", FieldType::STR),
            ("maintainer", FieldType::STR),
            ("status", FieldType::STR),
            ("section", FieldType::STR.optional()),
            ("priority", FieldType::STR.optional()),
            ("installed_size", FieldType::INT.optional()),
            ("depends", FieldType::STR.optional()),
            ("description", FieldType::STR),
        ],
    )
    .expect("distinct fields")
}

fn package_values(p: &records::Package) -> [ValueRef<'_>; 10] {
    [
        p.package.as_str().into(),
        p.version.as_str().into(),
        p.architecture.as_str().into(),
        p.maintainer.as_str().into(),
        p.status.as_str().into(),
        p.section.as_deref().into(),
        p.priority.as_deref().into(),
        p.installed_size.into(),
        p.depends.as_deref().into(),
        p.description.as_str().into(),
    ]
}

fn package_dicts(packages: &[records::Package]) -> Vec<HashMap<String, Value>> {
    let shape = package_shape();
    packages
        .iter()
        .map(|p| {
            let mut d = HashMap::new();
            for (f, v) in shape.fields().iter().zip(package_values(p)) {
                if !v.is_null() {
                    d.insert(f.name().to_string(), v.to_owned());
                }
            }
            d
        })
        .collect()
}

fn package_table(shape: &Shape, packages: &[records::Package]) -> Table {
    let mut t = Table::new(shape);
    for p in packages {
        t.push_row(&package_values(p)).expect("fits the shape");
    }
    // Fewer rows than a chunk: let the automatic string columns choose
    // their encoding now (the repetitive ones intern).
    t.shrink_to_fit();
    t
}

fn build(c: &mut Criterion) {
    let shape = user_shape();
    let mut g = c.benchmark_group("slots/build");
    g.throughput(Throughput::Elements(USERS as u64));
    g.sample_size(10);
    g.bench_function("dict", |b| b.iter_with_large_drop(|| build_dicts(USERS)));
    g.bench_function("vec_struct", |b| {
        b.iter_with_large_drop(|| build_structs(USERS))
    });
    g.bench_function("soa_derive", |b| {
        b.iter_with_large_drop(|| build_soa(USERS))
    });
    g.bench_function("records", |b| {
        b.iter_with_large_drop(|| build_records(&shape, USERS))
    });
    g.bench_function("table", |b| {
        b.iter_with_large_drop(|| build_table(&shape, USERS))
    });
    g.bench_function("macro_table", |b| {
        b.iter_with_large_drop(|| build_macro_table(USERS))
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
    let shape = user_shape();
    let dicts = build_dicts(USERS);
    let structs = build_structs(USERS);
    let soa = build_soa(USERS);
    let table = build_table(&shape, USERS);
    let mtable = build_macro_table(USERS);
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
    let shape = user_shape();
    let records = build_records(&shape, N);
    let structs = build_structs(N);
    let dicts = build_dicts(N);
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
