//! Tutorial 6 — `__slots__`: stop paying for a dict per record.
//!
//! A Python object carries a `__dict__`: every instance repeats its field
//! names and a hash table. `__slots__` keeps only the values; a columnar
//! table keeps only the values *and* lays each field out contiguously. The
//! same ladder in Rust, measured with the tracking allocator:
//!
//! 1. `Vec<HashMap<String, Value>>` — a dict per record;
//! 2. `Vec<struct>` — fixed fields, but a `String` (24 bytes + slack) per
//!    string;
//! 3. `Record` — fields known at run time, names in one shared `Shape`;
//! 4. `Table` and a `slots!` table — one column per field, all strings of a
//!    chunk in one buffer.
//!
//! Then the `AttributeError` of `__slots__`: a field that does not exist, or
//! a value of the wrong type, is refused and nothing changes.
//!
//! ```text
//! cargo run --release --example 06_slots [-- RECORDS]
//! ```

use std::collections::HashMap;

use leanmem::measure::{self, TrackingAllocator, format_bytes};
use leanmem::slots::{FieldType, Record, Shape, SlotsError, Table, Value, ValueRef};

#[global_allocator]
static ALLOC: TrackingAllocator = TrackingAllocator::system();

leanmem::slots! {
    /// A user with fields known at compile time.
    #[derive(Debug, Clone, PartialEq)]
    struct User {
        id: u64,
        name: String,
        email: String,
    }
    table UserTable;
}

/// Bytes a value built by `build` holds (heap, plus its inline size).
fn bytes_of<T>(build: impl FnOnce() -> T) -> (T, usize) {
    let (value, m) = measure::measure(build);
    let m = m.expect("the example installs a tracking allocator");
    (value, m.net_bytes.unsigned_abs() + std::mem::size_of::<T>())
}

fn fields(i: usize) -> (u64, String, String) {
    (
        i as u64,
        format!("user_{i}"),
        format!("user_{i}@example.com"),
    )
}

fn main() -> Result<(), SlotsError> {
    let n: usize = match std::env::args().nth(1).map(|a| a.parse()) {
        None => 200_000,
        Some(Ok(n)) if n > 0 => n,
        _ => {
            eprintln!("usage: 06_slots [RECORDS > 0]");
            std::process::exit(2);
        }
    };
    println!("{n} users {{id, name: user_<i>, email: user_<i>@example.com}}\n");
    let mut rows: Vec<(&str, usize)> = Vec::new();

    let (dicts, b) = bytes_of(|| {
        (0..n)
            .map(|i| {
                let (id, name, email) = fields(i);
                HashMap::from([
                    ("id".to_string(), Value::Int(id as i64)),
                    ("name".to_string(), Value::Str(name)),
                    ("email".to_string(), Value::Str(email)),
                ])
            })
            .collect::<Vec<_>>()
    });
    rows.push(("dict per record: Vec<HashMap<String, Value>>", b));

    let (structs, b) = bytes_of(|| {
        (0..n)
            .map(|i| {
                let (id, name, email) = fields(i);
                User { id, name, email }
            })
            .collect::<Vec<_>>()
    });
    rows.push(("Vec<struct User>", b));

    let shape = Shape::named(
        "User",
        [
            ("id", FieldType::INT),
            ("name", FieldType::STR),
            ("email", FieldType::STR),
        ],
    )?;
    let (records, b) = bytes_of(|| {
        let mut v = Vec::with_capacity(n);
        for i in 0..n {
            let (id, name, email) = fields(i);
            v.push(Record::new(
                &shape,
                [
                    (id as i64).into(),
                    name.as_str().into(),
                    email.as_str().into(),
                ],
            )?);
        }
        Ok::<_, SlotsError>(v)
    });
    let records = records?;
    rows.push(("Vec<Record> (shape shared)", b));

    let (table, b) = bytes_of(|| {
        let mut t = Table::new(&shape);
        for i in 0..n {
            let (id, name, email) = fields(i);
            t.push_row(&[
                (id as i64).into(),
                name.as_str().into(),
                email.as_str().into(),
            ])?;
        }
        Ok::<_, SlotsError>(t)
    });
    let table = table?;
    rows.push(("Table (columns)", b));

    let (utable, b) = bytes_of(|| structs.iter().cloned().collect::<UserTable>());
    rows.push(("slots! UserTable (columns)", b));

    let dict_bytes = rows[0].1 as f64;
    for (name, bytes) in &rows {
        println!(
            "  {name:<46} {:>10}  {:>7.1} B/record  {:>5.1}× smaller than the dicts",
            format_bytes(*bytes),
            *bytes as f64 / n as f64,
            dict_bytes / *bytes as f64
        );
    }

    // Same answers from every layout.
    let from_dicts = dicts
        .iter()
        .filter(|d| matches!(d.get("name"), Some(Value::Str(s)) if s.ends_with('7')))
        .count();
    let names = table
        .column("name")?
        .as_strs()
        .map_or(0, |c| c.iter().filter(|s| s.ends_with('7')).count());
    let from_macro = utable.name().iter().filter(|s| s.ends_with('7')).count();
    assert_eq!(from_dicts, names);
    assert_eq!(from_dicts, from_macro);
    println!("\n  names ending in '7': {names} in every layout");

    // __slots__'s AttributeError, and a TypeError: refused, nothing changed.
    println!("\nthe AttributeError of __slots__:");
    let mut ada = records[1].clone();
    match ada.set("age", 36) {
        Err(e) => println!("  ada.set(\"age\", 36)      -> {e}"),
        Ok(()) => unreachable!("User has no field age"),
    }
    match ada.set("id", "one") {
        Err(e) => println!("  ada.set(\"id\", \"one\")   -> {e}"),
        Ok(()) => unreachable!("id is an int"),
    }
    println!("  ada is still {ada:?}");
    // A new field moves the record to another shape, shared by every record
    // that gains the same field.
    ada.add_field("age", FieldType::INT, 36)?;
    let mut bob = records[2].clone();
    bob.add_field("age", FieldType::INT, 41)?;
    println!(
        "  after add_field: {ada:?}; same shape as bob's: {}",
        ada.shape().ptr_eq(bob.shape())
    );
    let row = table.row(3).map(|r| r.get("email"));
    println!(
        "  table.row(3).get(\"email\") = {:?}",
        row.unwrap_or(Ok(ValueRef::Null))?
    );
    Ok(())
}
