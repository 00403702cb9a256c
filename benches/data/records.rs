//! Record datasets shared by `benches/slots.rs` and the size report
//! (included with `#[path]`): the users of the playbook, and a real
//! key: value database; and each layout they are stored in, built the same
//! way for both.
#![allow(dead_code)] // each includer uses a subset

use std::collections::HashMap;

use leanmem::slots::{FieldType, Record, Shape, Table, Value, ValueRef};
use soa_derive::StructOfArray;

/// User `i`: `{id: i, name: "user_<i>", email: "user_<i>@example.com"}`.
pub(crate) fn user_fields(i: usize) -> (u64, String, String) {
    (
        i as u64,
        format!("user_{i}"),
        format!("user_{i}@example.com"),
    )
}

/// One package from a dpkg status database.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Package {
    pub(crate) package: String,
    pub(crate) version: String,
    pub(crate) architecture: String,
    pub(crate) maintainer: String,
    pub(crate) status: String,
    pub(crate) section: Option<String>,
    pub(crate) priority: Option<String>,
    pub(crate) installed_size: Option<i64>,
    pub(crate) depends: Option<String>,
    pub(crate) description: String,
}

/// Where the real database lives on Debian-like systems.
pub(crate) const DPKG_STATUS: &str = "/var/lib/dpkg/status";

/// Parses `key: value` paragraphs (dpkg's status file, or anything in its
/// format); continuation lines (starting with a space) are skipped, so a
/// multi-line field keeps its first line.
pub(crate) fn parse_packages(text: &str) -> Vec<Package> {
    let mut out = Vec::new();
    for para in text.split("\n\n") {
        let mut fields = std::collections::HashMap::new();
        for line in para.lines() {
            if line.starts_with(' ') || line.starts_with('\t') {
                continue;
            }
            if let Some((k, v)) = line.split_once(':') {
                fields.insert(k.trim(), v.trim());
            }
        }
        let Some(package) = fields.get("Package") else {
            continue;
        };
        let get = |k: &str| fields.get(k).map(|v| (*v).to_string());
        out.push(Package {
            package: (*package).to_string(),
            version: get("Version").unwrap_or_default(),
            architecture: get("Architecture").unwrap_or_default(),
            maintainer: get("Maintainer").unwrap_or_default(),
            status: get("Status").unwrap_or_default(),
            section: get("Section"),
            priority: get("Priority"),
            installed_size: fields.get("Installed-Size").and_then(|v| v.parse().ok()),
            depends: get("Depends"),
            description: get("Description").unwrap_or_default(),
        });
    }
    out
}

/// A deterministic twin of a dpkg database with `n` packages, for machines
/// without one: few distinct maintainers, sections and architectures, as in
/// the real file.
pub(crate) fn synthetic_status(n: usize) -> String {
    const SECTIONS: [&str; 8] = [
        "admin", "libs", "utils", "devel", "net", "python", "perl", "text",
    ];
    const ARCHS: [&str; 2] = ["amd64", "all"];
    let mut s = String::new();
    let mut x = 0x9e37_79b9_7f4a_7c15_u64;
    for i in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let r = x as usize;
        s.push_str(&format!(
            "Package: pkg{i}\nStatus: install ok installed\nPriority: {}\nSection: {}\nInstalled-Size: {}\nMaintainer: Team {} <team{}@lists.example.org>\nArchitecture: {}\nVersion: {}.{}-{}\n{}Description: package number {i}\n continuation line\n\n",
            if r % 5 == 0 { "important" } else { "optional" },
            SECTIONS[r % SECTIONS.len()],
            r % 20_000,
            r % 40,
            r % 40,
            ARCHS[r % 2],
            r % 7,
            r % 13,
            r % 3,
            if r % 8 == 0 { String::new() } else { format!("Depends: libc6 (>= 2.{}), pkg{}\n", r % 30, r % (i + 1)) },
        ));
    }
    s
}

/// The real dpkg database if this machine has one, else the synthetic twin
/// of `fallback` packages; with the dataset's name.
pub(crate) fn packages(fallback: usize) -> (String, Vec<Package>) {
    match std::fs::read_to_string(DPKG_STATUS) {
        Ok(text) if text.contains("Package:") => {
            let p = parse_packages(&text);
            (format!("{} packages from {DPKG_STATUS}", p.len()), p)
        }
        _ => {
            let p = parse_packages(&synthetic_status(fallback));
            (format!("{} synthetic dpkg-style packages", p.len()), p)
        }
    }
}

// ---------------------------------------------------------------------------
// The layouts the slots bench and the size report compare, built one way for
// both. Builders that take no shape make their own inside, so that a
// measurement around the call sees the shape allocated too.

leanmem::slots! {
    /// A user with compile-time fields, for the macro's columnar table.
    pub(crate) struct MUser {
        pub(crate) id: u64,
        pub(crate) name: String,
        pub(crate) email: String,
    }
    pub(crate) table MUserTable;
}

/// A user as a plain struct (`Vec<PUser>`), and as soa_derive's input.
#[derive(Debug, StructOfArray)]
#[soa_derive(Debug)]
pub(crate) struct PUser {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) email: String,
}

/// The users' shape: `User(id: int, name: str, email: str)`.
pub(crate) fn user_shape() -> Shape {
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

/// `n` users as a dict per record (Python's `__dict__`).
pub(crate) fn user_dicts(n: usize) -> Vec<HashMap<String, Value>> {
    (0..n)
        .map(|i| {
            let (id, name, email) = user_fields(i);
            let mut d = HashMap::with_capacity(3);
            d.insert("id".to_string(), Value::Int(id as i64));
            d.insert("name".to_string(), Value::Str(name));
            d.insert("email".to_string(), Value::Str(email));
            d
        })
        .collect()
}

/// `n` users as structs.
pub(crate) fn user_structs(n: usize) -> Vec<PUser> {
    (0..n)
        .map(|i| {
            let (id, name, email) = user_fields(i);
            PUser { id, name, email }
        })
        .collect()
}

/// `n` users in soa_derive's struct of vectors, sized exactly.
pub(crate) fn user_soa(n: usize) -> PUserVec {
    let mut v = PUserVec::with_capacity(n);
    for i in 0..n {
        let (id, name, email) = user_fields(i);
        v.push(PUser { id, name, email });
    }
    v
}

/// `n` users as a `Record` each, of `shape` ([`user_shape`]).
pub(crate) fn user_records(shape: &Shape, n: usize) -> Vec<Record> {
    (0..n)
        .map(|i| {
            let (id, name, email) = user_fields(i);
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

/// `n` users in a `Table` of `shape` ([`user_shape`]).
pub(crate) fn user_table(shape: &Shape, n: usize) -> Table {
    let mut t = Table::new(shape);
    for i in 0..n {
        let (id, name, email) = user_fields(i);
        t.push_row(&[
            (id as i64).into(),
            name.as_str().into(),
            email.as_str().into(),
        ])
        .expect("fits the shape");
    }
    t
}

/// `n` users in the `slots!` macro's table.
pub(crate) fn user_macro_table(n: usize) -> MUserTable {
    let mut t = MUserTable::new();
    for i in 0..n {
        let (id, name, email) = user_fields(i);
        t.push(&MUser { id, name, email }).expect("small strings");
    }
    t
}

/// The packages' shape.
pub(crate) fn package_shape() -> Shape {
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

/// A package's values in [`package_shape`]'s order.
pub(crate) fn package_values(p: &Package) -> [ValueRef<'_>; 10] {
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

/// Packages as a dict per record, absent fields left out (as a parser
/// building dicts would).
pub(crate) fn package_dicts(packages: &[Package]) -> Vec<HashMap<String, Value>> {
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

/// Packages in a `Table`, shrunk to fit.
pub(crate) fn package_table(packages: &[Package]) -> Table {
    let mut t = Table::new(&package_shape());
    for p in packages {
        t.push_row(&package_values(p)).expect("fits the shape");
    }
    // Fewer rows than a chunk: let the automatic string columns choose
    // their encoding now (the repetitive ones intern).
    t.shrink_to_fit();
    t
}
