//! `slots`: a dict per record against structs, soa_derive, `Record`,
//! `Table` and a `slots!` table, on the users and on a real key: value
//! database.

use std::collections::HashMap;

use leanmem::slots::{FieldType, Record, Shape, Table, Value, ValueRef};
use soa_derive::StructOfArray;

use crate::records::{self, Package};
use crate::report::{Options, Report, Role};

leanmem::slots! {
    /// A user with compile-time fields.
    struct MUser {
        id: u64,
        name: String,
        email: String,
    }
    table MUserTable;
}

/// A user as a plain struct, and soa_derive's input.
#[derive(Debug, StructOfArray)]
#[soa_derive(Debug)]
struct PUser {
    id: u64,
    name: String,
    email: String,
}

pub(crate) fn add(report: &mut Report, options: &Options) {
    users(report, options.size(1_000_000, 50_000));
    packages(report, options);
}

fn users(report: &mut Report, n: usize) {
    let dataset = format!("{n} users {{id, name: user_<i>, email: user_<i>@example.com}}");
    let d = dataset.as_str();
    report.measure(
        "slots",
        d,
        "Vec<HashMap<String, Value>> (dict per record)",
        Role::Naive,
        n,
        || {
            (0..n)
                .map(|i| {
                    let (id, name, email) = records::user_fields(i);
                    let mut r = HashMap::with_capacity(3);
                    r.insert("id".to_string(), Value::Int(id as i64));
                    r.insert("name".to_string(), Value::Str(name));
                    r.insert("email".to_string(), Value::Str(email));
                    r
                })
                .collect::<Vec<_>>()
        },
    );
    report.measure(
        "slots",
        d,
        "Vec<struct {u64, String, String}>",
        Role::Peer,
        n,
        || {
            (0..n)
                .map(|i| {
                    let (id, name, email) = records::user_fields(i);
                    PUser { id, name, email }
                })
                .collect::<Vec<_>>()
        },
    );
    report.measure("slots", d, "soa_derive PUserVec", Role::Peer, n, || {
        let mut v = PUserVec::with_capacity(n);
        for i in 0..n {
            let (id, name, email) = records::user_fields(i);
            v.push(PUser { id, name, email });
        }
        v
    });
    // Shapes are built inside each measured closure: a value's HeapSize
    // counts the shape it shares, so the allocator must see it built.
    let user_shape = || {
        Shape::named(
            "User",
            [
                ("id", FieldType::INT),
                ("name", FieldType::STR),
                ("email", FieldType::STR),
            ],
        )
        .expect("distinct fields")
    };
    report.measure_checked("slots", d, "Vec<slots::Record>", Role::Leanmem, n, || {
        let shape = user_shape();
        let mut v = Vec::with_capacity(n);
        for i in 0..n {
            let (id, name, email) = records::user_fields(i);
            v.push(
                Record::new(
                    &shape,
                    [
                        (id as i64).into(),
                        name.as_str().into(),
                        email.as_str().into(),
                    ],
                )
                .expect("fits the shape"),
            );
        }
        v
    });
    report.measure_checked("slots", d, "slots::Table", Role::Leanmem, n, || {
        let mut t = Table::new(&user_shape());
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
    });
    report.measure_checked("slots", d, "slots! table", Role::Leanmem, n, || {
        let mut t = MUserTable::new();
        for i in 0..n {
            let (id, name, email) = records::user_fields(i);
            t.push(&MUser { id, name, email }).expect("small strings");
        }
        t
    });
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

fn values(p: &Package) -> [ValueRef<'_>; 10] {
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

fn packages(report: &mut Report, options: &Options) {
    let (dataset, packages) = records::packages(options.size(2_000, 500));
    let n = packages.len();
    let d = dataset.as_str();
    let shape = package_shape();
    report.measure(
        "slots",
        d,
        "Vec<HashMap<String, Value>> (dict per record)",
        Role::Naive,
        n,
        || {
            packages
                .iter()
                .map(|p| {
                    shape
                        .fields()
                        .iter()
                        .zip(values(p))
                        .filter(|(_, v)| !v.is_null())
                        .map(|(f, v)| (f.name().to_string(), v.to_owned()))
                        .collect::<HashMap<_, _>>()
                })
                .collect::<Vec<_>>()
        },
    );
    report.measure("slots", d, "Vec<struct Package>", Role::Peer, n, || {
        packages.clone()
    });
    report.measure_checked(
        "slots",
        d,
        "slots::Table (shrink_to_fit)",
        Role::Leanmem,
        n,
        || {
            let mut t = Table::new(&package_shape());
            for p in &packages {
                t.push_row(&values(p)).expect("fits the shape");
            }
            // Fewer rows than a chunk: let the automatic string columns choose
            // their encoding now (the repetitive ones intern).
            t.shrink_to_fit();
            t
        },
    );
}
