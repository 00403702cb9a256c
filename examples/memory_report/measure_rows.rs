//! Rows that need nothing but `measure`: the costs every later module
//! attacks, measured on plain std layouts.

use std::collections::HashMap;

use crate::report::{Options, Report, Role};

/// A dynamically typed field value, as a dict-per-record program holds it.
#[allow(dead_code)] // the payloads are what is measured, never read
enum Value {
    Int(i64),
    Str(String),
}

#[allow(dead_code)]
struct User {
    id: u64,
    name: String,
    email: String,
}

pub(crate) fn add(report: &mut Report, options: &Options) {
    let n = options.size(1_000_000, 50_000);
    let dataset = format!("{n} integers 0..{n} (i64)");
    report.measure(
        "measure",
        &dataset,
        "Vec<Box<i64>> (list of ints)",
        Role::Naive,
        n,
        || (0..n as i64).map(Box::new).collect::<Vec<_>>(),
    );
    report.measure(
        "measure",
        &dataset,
        "Vec<i64> (array.array)",
        Role::Peer,
        n,
        || (0..n as i64).collect::<Vec<_>>(),
    );

    let n = options.size(1_000_000, 50_000);
    let dataset = format!("{n} users {{id, name: user_<i>, email: user_<i>@example.com}}");
    report.measure(
        "measure",
        &dataset,
        "Vec<HashMap<String, Value>> (dict per record)",
        Role::Naive,
        n,
        || {
            (0..n)
                .map(|i| {
                    let mut record = HashMap::with_capacity(3);
                    record.insert("id".to_string(), Value::Int(i as i64));
                    record.insert("name".to_string(), Value::Str(format!("user_{i}")));
                    record.insert(
                        "email".to_string(),
                        Value::Str(format!("user_{i}@example.com")),
                    );
                    record
                })
                .collect::<Vec<_>>()
        },
    );
    report.measure(
        "measure",
        &dataset,
        "Vec<struct {u64, String, String}>",
        Role::Peer,
        n,
        || {
            (0..n)
                .map(|i| User {
                    id: i as u64,
                    name: format!("user_{i}"),
                    email: format!("user_{i}@example.com"),
                })
                .collect::<Vec<_>>()
        },
    );
}
