//! `slots` against the allocator and against a dict-per-record model.

use std::collections::HashMap;

use leanmem::measure::HeapSize;
use leanmem::slots::{
    CHUNK, FieldType, Kind, Record, Shape, SlotsError, StrColumn, StrEncoding, Table, Value,
    ValueRef,
};
use proptest::prelude::*;

use crate::measured;

leanmem::slots! {
    /// A user, as in the benches.
    #[derive(Debug, Clone, PartialEq)]
    pub struct User {
        pub id: u64,
        pub name: String,
        pub email: Option<String>,
        pub score: f64,
        pub active: bool,
        pub age: Option<u8>,
    }
    pub table UserTable;
}

fn user(i: u64) -> User {
    User {
        id: i,
        name: format!("user_{i}"),
        email: (i % 4 != 0).then(|| format!("user_{i}@example.com")),
        score: i as f64 / 3.0,
        active: i % 2 == 0,
        age: (i % 5 != 0).then_some((i % 90) as u8),
    }
}

fn user_shape() -> Shape {
    Shape::named(
        "User",
        [
            ("id", FieldType::INT),
            ("name", FieldType::STR),
            ("email", FieldType::STR.optional()),
        ],
    )
    .unwrap()
}

#[test]
fn record_heap_size_matches_the_allocator() {
    let (records, m) = measured(|| {
        let shape = user_shape();
        (0..1000)
            .map(|i| {
                let name = format!("user_{i}");
                let email = format!("user_{i}@example.com");
                let email = if i % 3 == 0 {
                    None
                } else {
                    Some(email.as_str())
                };
                Record::new(&shape, [i.into(), name.as_str().into(), email.into()]).unwrap()
            })
            .collect::<Vec<_>>()
    });
    assert_eq!(records.heap_size() as isize, m.net_bytes);
    // Per record: 3 slots + one null word (24 + 8) and its string bytes, in
    // two blocks; the shape is shared.
    let r = &records[1];
    let mut cx = leanmem::measure::HeapContext::new();
    r.shape().heap_size_with(&mut cx);
    assert_eq!(
        r.heap_size_with(&mut cx),
        32 + "user_1".len() + "user_1@example.com".len()
    );
}

#[test]
fn record_set_and_add_field_keep_heap_size_exact() {
    let (r, m) = measured(|| {
        let shape = user_shape();
        let mut r = Record::new(&shape, [1.into(), "a".into(), ValueRef::Null]).unwrap();
        r.set("name", "a much longer name").unwrap();
        r.set("email", "x@y").unwrap();
        r.add_field("age", FieldType::INT, 3).unwrap();
        r
    });
    // The first shape is kept alive by nothing but the transition's source
    // record, which is gone; the new shape's Arc holds the fields.
    assert_eq!(r.heap_size() as isize, m.net_bytes, "{r:?}");
}

/// A shape whose transition target was dropped still holds that target's
/// block (through the cache's `Weak`) until its next `with_field`: its heap
/// size counts it, as the allocator does.
#[test]
fn shape_heap_size_counts_dropped_transitions() {
    let (shape, m) = measured(|| {
        let s = Shape::new([("x", FieldType::INT)]).unwrap();
        drop(s.with_field("y", FieldType::INT).unwrap());
        let kept = s.with_field("z", FieldType::STR).unwrap();
        drop(s.with_field("w", FieldType::FLOAT).unwrap());
        (s, kept)
    });
    assert_eq!(shape.heap_size() as isize, m.net_bytes, "{shape:?}");
    let (r, m) = measured(|| {
        let s = Shape::new([("x", FieldType::INT)]).unwrap();
        let mut r = Record::new(&s, [1.into()]).unwrap();
        r.add_field("y", FieldType::INT, 2).unwrap();
        drop(r);
        s
    });
    assert_eq!(r.heap_size() as isize, m.net_bytes, "{r:?}");
}

#[test]
fn table_heap_size_matches_the_allocator() {
    for n in [0usize, 1, 100, 4096, 4097, 10_000] {
        let (t, m) = measured(|| {
            let shape = user_shape();
            let mut t = Table::new(&shape);
            for i in 0..n {
                let name = format!("user_{i}");
                let email = format!("user_{i}@example.com");
                let email = if i % 7 == 0 {
                    None
                } else {
                    Some(email.as_str())
                };
                t.push_row(&[(i as i64).into(), name.as_str().into(), email.into()])
                    .unwrap();
            }
            t
        });
        assert_eq!(t.heap_size() as isize, m.net_bytes, "{n} rows");
        let (mut t, m2) = measured(|| t);
        assert_eq!(m2.net_bytes, 0);
        let ((), m3) = measured(|| t.shrink_to_fit());
        assert_eq!(t.heap_size() as isize, m.net_bytes + m3.net_bytes);
    }
}

#[test]
fn table_build_peak_stays_near_its_final_size() {
    let n = 200_000;
    let (t, m) = measured(|| {
        let shape = user_shape();
        let mut t = Table::new(&shape);
        for i in 0..n {
            let name = format!("user_{i}");
            let email = format!("user_{i}@example.com");
            t.push_row(&[
                (i as i64).into(),
                name.as_str().into(),
                email.as_str().into(),
            ])
            .unwrap();
        }
        t
    });
    let final_bytes = t.heap_size();
    // Chunked columns never copy what they hold: the peak is the final size
    // plus one chunk's worth of growth (and the loop's two temporaries).
    assert!(
        (m.peak_bytes as f64) <= 1.05 * final_bytes as f64,
        "peak {} vs final {final_bytes}",
        m.peak_bytes
    );
}

#[test]
fn macro_table_heap_size_and_round_trip() {
    let (t, m) = measured(|| (0..9000).map(user).collect::<UserTable>());
    assert_eq!(t.heap_size() as isize, m.net_bytes);
    assert_eq!(t.len(), 9000);
    for i in [0usize, 1, 4095, 4096, 8999] {
        assert_eq!(t.get(i), Some(user(i as u64)));
    }
    assert_eq!(t.get(9000), None);
    assert_eq!(t.iter().count(), 9000);
    assert_eq!(t.id().iter().sum::<u64>(), 8999 * 9000 / 2);
    assert_eq!(t.email().get(4), Some(None));
    assert_eq!(t.age().get(7), Some(Some(7)));
    let (users, m) = measured(|| (0..50).map(user).collect::<Vec<User>>());
    assert_eq!(users.heap_size() as isize, m.net_bytes);
}

#[test]
fn macro_struct_access_by_name() {
    let mut u = user(3);
    assert_eq!(
        User::FIELDS,
        ["id", "name", "email", "score", "active", "age"]
    );
    assert_eq!(u.get_field("id").unwrap(), ValueRef::Int(3));
    assert_eq!(u.get_field("active").unwrap(), ValueRef::Bool(false));
    assert_eq!(
        u.get_field("nope"),
        Err(SlotsError::UnknownField("nope".into()))
    );
    let before = u.clone();
    assert_eq!(
        u.set_field("age", 300),
        Err(SlotsError::OutOfRange {
            field: "age".into(),
            value: 300
        })
    );
    assert_eq!(
        u.set_field("score", "high"),
        Err(SlotsError::TypeMismatch {
            field: "score".into(),
            expected: "float".into(),
            found: "str"
        })
    );
    assert!(matches!(
        u.set_field("name", ValueRef::Null),
        Err(SlotsError::TypeMismatch { .. })
    ));
    assert_eq!(u, before);
    u.set_field("age", ValueRef::Null).unwrap();
    u.set_field("email", "e@x").unwrap();
    u.set_field("id", 9).unwrap();
    assert_eq!(u.age, None);
    assert_eq!(u.email.as_deref(), Some("e@x"));
    assert_eq!(u.id, 9);
    let shape = User::shape();
    assert_eq!(shape.len(), 6);
    assert_eq!(shape.fields()[5].ty(), FieldType::INT.optional());
    assert!(User::shape().ptr_eq(&shape));
}

#[test]
fn string_columns_in_every_encoding_match_the_allocator_and_each_other() {
    let levels = ["INFO", "WARN", "ERROR", "DEBUG", "TRACE", "FATAL"];
    let value = |i: usize| -> String {
        if i % 3 == 0 {
            format!("unique-{i}")
        } else {
            levels[i % levels.len()].to_string()
        }
    };
    let n = 2 * CHUNK + 100;
    let mut built = Vec::new();
    for enc in [StrEncoding::Bytes, StrEncoding::Interned, StrEncoding::Auto] {
        let (col, m) = measured(|| {
            let mut c = StrColumn::with_encoding(enc);
            for i in 0..n {
                c.push(&value(i)).unwrap();
            }
            c
        });
        assert_eq!(col.heap_size() as isize, m.net_bytes, "{enc:?}");
        assert_eq!(col.len(), n);
        assert_eq!(col.iter().len(), n);
        for i in [0, 1, 2, CHUNK - 1, CHUNK, n - 1] {
            assert_eq!(col.get(i), Some(value(i).as_str()), "{enc:?} row {i}");
        }
        assert_eq!(col.get(n), None);
        assert!(col.iter().enumerate().all(|(i, s)| s == value(i)));
        built.push(col);
    }
    // A third of the rows are distinct: the automatic column stays bytes.
    assert_eq!(built[2].encoding(), StrEncoding::Bytes);
    assert_eq!(built[1].distinct(), Some(n.div_ceil(3) + levels.len() - 2));
    assert_eq!(built[0], built[1]);
    assert_eq!(built[1], built[2]);
}

#[test]
fn automatic_columns_intern_repetitive_strings() {
    let mut c = StrColumn::new();
    for i in 0..CHUNK {
        c.push(["GET", "POST", "PUT"][i % 3]).unwrap();
    }
    assert_eq!(c.encoding(), StrEncoding::Auto);
    c.push("DELETE").unwrap(); // the first chunk is full: decide
    assert_eq!(c.encoding(), StrEncoding::Interned);
    assert_eq!(c.distinct(), Some(4));
    assert_eq!(c.get(CHUNK), Some("DELETE"));
    assert_eq!(c.get(4), Some("POST"));

    // Short columns decide at shrink_to_fit, from 64 rows on.
    let mut short = StrColumn::new();
    for i in 0..63 {
        short.push(["a", "b"][i % 2]).unwrap();
    }
    short.shrink_to_fit();
    assert_eq!(short.encoding(), StrEncoding::Auto);
    short.push("a").unwrap();
    let (_, m) = measured(|| short.shrink_to_fit());
    assert_eq!(short.encoding(), StrEncoding::Interned);
    assert!(
        m.net_bytes <= 0,
        "interning two strings shrinks the column ({m})"
    );
    assert_eq!(short.iter().filter(|s| *s == "a").count(), 33);
}

#[test]
fn table_string_encoding_can_be_chosen_and_is_checked() {
    let (t, m) = measured(|| {
        let shape = user_shape();
        let mut t = Table::new(&shape);
        for i in 0..100i64 {
            let name = format!("n{}", i % 4);
            t.push_row(&[i.into(), name.as_str().into(), ValueRef::Null])
                .unwrap();
        }
        t.set_str_encoding("name", StrEncoding::Interned).unwrap();
        t.set(3, "name", "renamed").unwrap();
        t
    });
    assert_eq!(t.heap_size() as isize, m.net_bytes);
    let names = t.column("name").unwrap().as_strs().unwrap();
    assert_eq!(names.encoding(), StrEncoding::Interned);
    assert_eq!(names.distinct(), Some(5));
    assert_eq!(t.get(3, "name").unwrap(), Some(ValueRef::Str("renamed")));
    assert_eq!(t.get(7, "name").unwrap(), Some(ValueRef::Str("n3")));
    let mut t = t;
    assert!(matches!(
        t.set_str_encoding("id", StrEncoding::Interned),
        Err(SlotsError::TypeMismatch { .. })
    ));
    assert_eq!(
        t.set_str_encoding("nope", StrEncoding::Bytes),
        Err(SlotsError::UnknownField("nope".into()))
    );
}

/// A table of two users, one with a null email.
fn two_users() -> Table {
    let mut t = Table::new(&user_shape());
    t.push_row(&[1.into(), "ada".into(), ValueRef::Null])
        .unwrap();
    t.push_row(&[2.into(), "grace".into(), "g@x".into()])
        .unwrap();
    t
}

#[cfg(feature = "serde")]
#[test]
fn serde_round_trips() {
    let t = two_users();
    let json = serde_json::to_string(&t).unwrap();
    let back: Table = serde_json::from_str(&json).unwrap();
    assert_eq!(back, t);
    let r = t.row(1).unwrap().to_record().unwrap();
    assert_eq!(
        serde_json::to_string(&r).unwrap(),
        r#"{"id":2,"name":"grace","email":"g@x"}"#
    );
}

/// One step of the model test.
#[derive(Debug, Clone)]
enum Op {
    Push(Vec<Value>),
    Set(usize, usize, Value),
    SetUnknown(usize),
    Get(usize, usize),
    Truncate(usize),
    Pop,
}

fn value_of(kind: Kind) -> BoxedStrategy<Value> {
    match kind {
        Kind::Int => any::<i64>().prop_map(Value::Int).boxed(),
        Kind::Float => (-1e9f64..1e9).prop_map(Value::Float).boxed(),
        Kind::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Kind::Str => ".{0,12}".prop_map(Value::Str).boxed(),
    }
}

fn any_value() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        value_of(Kind::Int),
        value_of(Kind::Float),
        value_of(Kind::Bool),
        value_of(Kind::Str),
    ]
    .boxed()
}

fn field_type() -> impl Strategy<Value = FieldType> {
    (
        prop_oneof![
            Just(Kind::Int),
            Just(Kind::Float),
            Just(Kind::Bool),
            Just(Kind::Str)
        ],
        any::<bool>(),
    )
        .prop_map(|(kind, nullable)| FieldType { kind, nullable })
}

fn scenario() -> impl Strategy<Value = (Vec<FieldType>, bool, Vec<Op>)> {
    (prop::collection::vec(field_type(), 1..6), any::<bool>()).prop_flat_map(|(types, intern)| {
        let n = types.len();
        let op = prop_oneof![
            prop::collection::vec(any_value(), n..=n).prop_map(Op::Push),
            (0usize..40, 0..n, any_value()).prop_map(|(r, f, v)| Op::Set(r, f, v)),
            (0usize..40).prop_map(Op::SetUnknown),
            (0usize..40, 0..n).prop_map(|(r, f)| Op::Get(r, f)),
            (0usize..40).prop_map(Op::Truncate),
            Just(Op::Pop),
        ];
        (Just(types), Just(intern), prop::collection::vec(op, 0..60))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Tables and records behave like a `Vec<HashMap<String, Value>>` that
    /// enforces the shape: same accepts, same refusals, same values.
    #[test]
    fn table_and_records_follow_the_dict_model((types, intern, ops) in scenario()) {
        let names: Vec<String> = (0..types.len()).map(|i| format!("f{i}")).collect();
        let shape = Shape::new(names.iter().map(String::as_str).zip(types.iter().copied())).unwrap();
        let mut table = Table::new(&shape);
        if intern {
            for (name, ty) in names.iter().zip(&types) {
                if ty.kind == Kind::Str {
                    table.set_str_encoding(name, StrEncoding::Interned).unwrap();
                }
            }
        }
        let mut records: Vec<Record> = Vec::new();
        let mut model: Vec<HashMap<String, Value>> = Vec::new();
        let accepts = |f: usize, v: &Value| types[f].accepts(v.as_ref());
        for op in &ops {
            match op {
                Op::Push(values) => {
                    let ok = values.iter().enumerate().all(|(f, v)| accepts(f, v));
                    let refs: Vec<ValueRef<'_>> = values.iter().map(Value::as_ref).collect();
                    prop_assert_eq!(table.push_row(&refs).is_ok(), ok);
                    let rec = Record::from_refs(&shape, &refs);
                    prop_assert_eq!(rec.is_ok(), ok);
                    if let Ok(r) = rec {
                        records.push(r);
                        model.push(names.iter().cloned().zip(values.iter().cloned()).collect());
                    }
                }
                Op::Set(row, f, v) => {
                    let ok = accepts(*f, v);
                    let res = table.set(*row, &names[*f], v);
                    prop_assert_eq!(res.is_ok(), ok);
                    prop_assert_eq!(res.unwrap_or(false), ok && *row < model.len());
                    if *row < model.len() {
                        prop_assert_eq!(records[*row].set(&names[*f], v).is_ok(), ok);
                        if ok {
                            model[*row].insert(names[*f].clone(), v.clone());
                        }
                    }
                }
                Op::SetUnknown(row) => {
                    prop_assert_eq!(table.set(*row, "missing", 1), Err(SlotsError::UnknownField("missing".into())));
                    if let Some(r) = records.get_mut(*row) {
                        prop_assert!(r.set("missing", 1).is_err());
                    }
                }
                Op::Truncate(len) => {
                    table.truncate(*len);
                    records.truncate(*len);
                    model.truncate(*len);
                }
                Op::Pop => {
                    let want = model.pop().map(|m| names.iter().map(|n| m[n].clone()).collect::<Vec<_>>());
                    prop_assert_eq!(table.pop(), want);
                    records.pop();
                }
                Op::Get(row, f) => {
                    let want = model.get(*row).map(|m| m[&names[*f]].clone());
                    let got = table.get(*row, &names[*f]).unwrap().map(ValueRef::to_owned);
                    prop_assert_eq!(&got, &want);
                    let got = records.get(*row).map(|r| r.get(&names[*f]).unwrap().to_owned());
                    prop_assert_eq!(&got, &want);
                }
            }
        }
        prop_assert_eq!(table.len(), model.len());
        for (i, m) in model.iter().enumerate() {
            for (f, name) in names.iter().enumerate() {
                prop_assert_eq!(table.row(i).unwrap().get_index(f).map(ValueRef::to_owned), Some(m[name].clone()));
            }
            prop_assert_eq!(&table.row(i).unwrap().to_record().unwrap(), &records[i]);
        }
        #[cfg(feature = "serde")]
        {
            use serde::de::DeserializeSeed;
            let bytes = postcard::to_allocvec(&table).unwrap();
            prop_assert_eq!(&postcard::from_bytes::<Table>(&bytes).unwrap(), &table);
            let json = serde_json::to_string(&table).unwrap();
            prop_assert_eq!(&serde_json::from_str::<Table>(&json).unwrap(), &table);
            for r in &records {
                let bytes = postcard::to_allocvec(r).unwrap();
                let mut de = postcard::Deserializer::from_bytes(&bytes);
                let back = leanmem::slots::RecordSeed::new(&shape).deserialize(&mut de).unwrap();
                prop_assert_eq!(&back, r);
            }
        }
    }
}

#[test]
fn string_columns_iterate_empty_and_multibyte_strings_across_chunks() {
    // Empty strings and 2-, 3- and 4-byte characters, with the empty ones
    // and the widest ones landing on both sides of every chunk boundary.
    let pool = ["", "é", "日本語", "🦀x", "a", "", "ß🦀"];
    let value = |i: usize| -> String {
        if i % CHUNK == 0 || i % CHUNK == CHUNK - 1 {
            if (i / CHUNK) % 2 == 0 {
                String::new()
            } else {
                "🦀".repeat(3)
            }
        } else {
            pool[i % pool.len()].repeat(1 + i % 3)
        }
    };
    let n = 3 * CHUNK + 7;
    for enc in [StrEncoding::Bytes, StrEncoding::Interned] {
        let mut c = StrColumn::with_encoding(enc);
        for i in 0..n {
            c.push(&value(i)).unwrap();
        }
        let mut rows = 0;
        for (i, s) in c.iter().enumerate() {
            assert_eq!(s, value(i), "{enc:?} row {i}");
            rows += 1;
        }
        assert_eq!(rows, n, "{enc:?}");
        for i in [0, CHUNK - 1, CHUNK, 2 * CHUNK - 1, 2 * CHUNK, n - 1] {
            assert_eq!(c.get(i), Some(value(i).as_str()), "{enc:?} row {i}");
        }
    }
    // An empty column yields nothing.
    assert_eq!(
        StrColumn::with_encoding(StrEncoding::Bytes).iter().next(),
        None
    );
}

/// A refused row stores nothing in any column, even when the push that
/// refuses it is the one where an automatic string column chooses to intern
/// (the size check must be made against the interned store). The string of
/// `u32::MAX` NUL bytes is never written: its zeroed pages stay unmapped.
#[test]
fn a_row_refused_as_a_column_chooses_its_encoding_stores_nothing() {
    let huge = String::from_utf8(vec![0u8; u32::MAX as usize]).expect("NULs are UTF-8");
    let shape = Shape::new([("n", FieldType::INT), ("s", FieldType::STR)]).unwrap();
    let mut t = Table::new(&shape);
    for i in 0..CHUNK {
        t.push_row(&[(i as i64).into(), "a".into()]).unwrap();
    }
    let values = |t: &Table| -> Vec<Vec<Value>> {
        (0..t.len())
            .map(|i| {
                let row = t.row(i).unwrap();
                ["n", "s"].map(|f| row.get(f).unwrap().to_owned()).to_vec()
            })
            .collect()
    };
    let before = values(&t);
    let err = t.push_row(&[(-1i64).into(), huge.as_str().into()]);
    assert!(matches!(err, Err(SlotsError::TooLarge)), "{err:?}");
    assert_eq!(values(&t), before, "nothing stored");
    t.push_row(&[5000i64.into(), "b".into()]).unwrap();
    let row = t.row(CHUNK).unwrap();
    assert_eq!(row.get("n").unwrap(), ValueRef::Int(5000));
    assert_eq!(row.get("s").unwrap(), ValueRef::Str("b"));
    assert_eq!(t.column("n").unwrap().as_ints().unwrap().len(), CHUNK + 1);

    // The same through a `slots!` table, whose `push` reported success.
    let mut users = UserTable::new();
    for i in 0..CHUNK as u64 {
        users
            .push(&User {
                name: "a".into(),
                ..user(i)
            })
            .unwrap();
    }
    let big_user = User {
        name: huge,
        ..user(9)
    };
    let refused = users.push(&big_user);
    assert!(matches!(refused, Err(SlotsError::TooLarge)), "{refused:?}");
    drop(big_user);
    assert_eq!(users.len(), CHUNK);
    users.push(&user(9999)).unwrap();
    assert_eq!(users.get(CHUNK), Some(user(9999)));
}

/// Reserving more rows than a `usize` counts panics as `Vec::reserve` does
/// (documented), in debug and release builds alike, instead of wrapping.
#[test]
fn table_reserve_overflow_panics_with_capacity_overflow() {
    let shape = user_shape();
    let mut t = Table::new(&shape);
    t.push_row(&[1.into(), "a".into(), ValueRef::Null]).unwrap();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| t.reserve(usize::MAX)));
    let message = caught.expect_err("reserve(usize::MAX) on a non-empty table");
    let text = message
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| message.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    assert!(text.contains("capacity overflow"), "{text}");
    assert_eq!(t.len(), 1);
}

leanmem::slots! {
    /// Fields named by raw identifiers, as data with a `type` column needs.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Event {
        pub r#type: String,
        pub r#match: u32,
    }
    pub table EventTable;
}

/// A raw identifier names its field without the `r#`.
#[test]
fn raw_identifier_fields_are_named_without_the_prefix() {
    assert_eq!(Event::FIELDS, ["type", "match"]);
    assert_eq!(Event::shape().index_of("type"), Some(0));
    let mut e = Event {
        r#type: "click".into(),
        r#match: 3,
    };
    assert_eq!(e.get_field("type").unwrap(), ValueRef::Str("click"));
    e.set_field("match", 4).unwrap();
    assert_eq!(e.r#match, 4);
    assert!(matches!(
        e.get_field("r#type"),
        Err(SlotsError::UnknownField(_))
    ));
    let mut t = EventTable::new();
    t.push(&e).unwrap();
    assert!(format!("{t:?}").contains("type='click'"), "{t:?}");
}

leanmem::slots! {
    /// Unsigned integers past `i64::MAX`: hashes, ids.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Hashed {
        pub h: u64,
        pub oh: Option<u64>,
        pub n: usize,
    }
    pub table HashedTable;
}

/// A `slots!` table's `Debug` shows each field's own value: a `u64` past
/// `i64::MAX` as the struct holds it, not wrapped to a negative number as
/// its `ValueRef` has it (it printed `h=-1` for `u64::MAX`).
#[test]
fn macro_table_debug_shows_unsigned_integers_past_i64_max() {
    let rows = [
        Hashed {
            h: u64::MAX,
            oh: Some(1 << 63),
            n: usize::MAX,
        },
        Hashed {
            h: 7,
            oh: None,
            n: 0,
        },
    ];
    let t: HashedTable = rows.iter().cloned().collect();
    assert_eq!(t.get(0).as_ref(), Some(&rows[0]));
    assert_eq!(
        format!("{t:?}"),
        "[Hashed(h=18446744073709551615, oh=9223372036854775808, n=18446744073709551615), \
         Hashed(h=7, oh=None, n=0)]"
    );
}

/// The iterators of records, rows, tables and bool columns know their
/// length and run both ways, and stay done once done, as a slice's do.
#[test]
fn iterators_are_exact_double_ended_and_fused() {
    fn fused<I: std::iter::FusedIterator>(i: I) -> I {
        i
    }
    let t = two_users();
    let r = t.row(1).unwrap().to_record().unwrap();
    let names: Vec<&str> = fused(r.iter()).rev().map(|(n, _)| n).collect();
    assert_eq!(names, ["email", "name", "id"]);
    let row = t.row(0).unwrap();
    assert_eq!(row.iter().len(), 3);
    assert_eq!(
        fused(row.iter()).next_back(),
        Some(("email", ValueRef::Null))
    );
    let order: Vec<usize> = fused(t.iter()).rev().map(|r| r.index()).collect();
    assert_eq!(order, [1, 0]);
    let flags: leanmem::slots::BoolColumn = [true, false, false].into_iter().collect();
    let mut it = fused(flags.iter());
    assert_eq!(it.len(), 3);
    assert_eq!(it.next_back(), Some(false));
    assert_eq!(it.rev().collect::<Vec<_>>(), [false, true]);
}

/// A string that would take a chunk past 4 GiB is refused and nothing is
/// stored. (Here, not among the unit tests: its 4 GiB allocation, though
/// never touched, would show in the process-wide counters those check.)
#[test]
fn str_column_reports_overflow_without_storing() {
    // `u32::MAX` NUL bytes, never written: the zeroed pages stay unmapped.
    let huge = String::from_utf8(vec![0u8; u32::MAX as usize]).expect("NULs are UTF-8");
    let mut c = StrColumn::new();
    c.push("abc").unwrap();
    assert_eq!(c.push(&huge), Err(SlotsError::TooLarge));
    assert_eq!(c.len(), 1);
    assert_eq!(c.get(0), Some("abc"));
    assert_eq!(c.get(1), None);
    c.push("0123456789").unwrap();
    assert_eq!(c.iter().collect::<Vec<_>>(), ["abc", "0123456789"]);
}

/// A refused `add_field` leaves no trace: not in the record, and not in
/// the shape it shares, whose transition cache would otherwise keep the
/// block of a shape built for nothing.
#[test]
fn a_refused_add_field_allocates_nothing() {
    let shape = user_shape();
    let mut r = Record::new(&shape, [1.into(), "a".into(), ValueRef::Null]).unwrap();
    let before = r.clone();
    let ((), m) = measured(|| {
        assert_eq!(
            r.add_field("age", FieldType::INT, "old"),
            Err(SlotsError::TypeMismatch {
                field: "age".into(),
                expected: "int".into(),
                found: "str",
            })
        );
        assert_eq!(
            r.add_field("id", FieldType::STR, ValueRef::Null),
            Err(SlotsError::DuplicateField("id".into()))
        );
    });
    assert_eq!(m.net_bytes, 0, "{m}");
    assert_eq!(r, before);
    assert!(r.shape().ptr_eq(&shape));
    r.add_field("age", FieldType::INT, 36).unwrap();
    assert_eq!(r.get("age").unwrap(), ValueRef::Int(36));
}

// A struct without fields (Python's `__slots__ = ()`) is accepted by the
// macro's grammar, so it must build: its shape, access by name and table.
leanmem::slots! {
    /// A marker record.
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Marker {}
    pub table MarkerTable;
}

#[test]
fn a_struct_without_fields_has_a_shape_and_a_table() {
    assert!(Marker::FIELDS.is_empty());
    assert!(Marker::shape().is_empty());
    assert_eq!(Marker::shape().to_string(), "Marker()");
    let mut m = Marker {};
    assert_eq!(m.get_field("x"), Err(SlotsError::UnknownField("x".into())));
    assert_eq!(
        m.set_field("x", 1),
        Err(SlotsError::UnknownField("x".into()))
    );
    let mut t = MarkerTable::new();
    t.push(&m).unwrap();
    t.push(&m).unwrap();
    assert_eq!(t.len(), 2);
    assert_eq!(t.get(1), Some(Marker {}));
    assert_eq!(t.get(2), None);
    assert_eq!(format!("{t:?}"), "[Marker(), Marker()]");
}

/// A shape with a field of every kind, each required and nullable.
pub(crate) fn mixed_shape() -> Shape {
    Shape::named(
        "Mixed",
        [
            ("i", FieldType::INT),
            ("oi", FieldType::INT.optional()),
            ("f", FieldType::FLOAT),
            ("of", FieldType::FLOAT.optional()),
            ("b", FieldType::BOOL),
            ("ob", FieldType::BOOL.optional()),
            ("s", FieldType::STR),
            ("os", FieldType::STR.optional()),
        ],
    )
    .unwrap()
}

/// Row `i` of [`mixed_shape`]: extreme integers and negative frames,
/// signed zeros and subnormals, nulls on a period prime to 64 and to
/// `CHUNK`, strings both unique and repeated.
pub(crate) fn mixed_row(i: usize) -> Vec<Value> {
    let ints = [i64::MIN, i64::MAX, -1, 0, -(i as i64)];
    let floats = [-0.0, 0.0, 5e-324, -1e300, 0.1];
    let null_or = |period: usize, v: Value| if i % period == 0 { Value::Null } else { v };
    vec![
        Value::Int(ints[i % ints.len()]),
        null_or(3, Value::Int(-7 - i as i64)),
        Value::Float(floats[i % floats.len()]),
        null_or(7, Value::Float(floats[(i + 2) % floats.len()])),
        Value::Bool(i % 2 == 0),
        null_or(5, Value::Bool(i % 3 == 0)),
        Value::Str(format!("s{i}é")),
        null_or(11, Value::Str(["GET", "PUT", ""][i % 3].into())),
    ]
}

/// The table's own bytes, without its shape's (made before it, outside
/// the measurement).
fn table_bytes(t: &Table) -> isize {
    let mut cx = leanmem::measure::HeapContext::new();
    t.shape().heap_size_with(&mut cx);
    t.heap_size_with(&mut cx) as isize
}

pub(crate) fn push_mixed(t: &mut Table, rows: std::ops::Range<usize>) {
    for i in rows {
        let row = mixed_row(i);
        let refs: Vec<ValueRef<'_>> = row.iter().map(Value::as_ref).collect();
        t.push_row(&refs).unwrap();
    }
}

/// Values equal bit for bit (a `-0.0` that came back as `0.0` is a bug).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
        _ => a == b,
    }
}

/// Every kind of column, required and nullable, at the sizes around a
/// null word (63/64/65 rows) and a chunk, against the allocator and a
/// plain model: after pushes, sets that re-pack a sealed chunk, a change
/// of string encoding, `shrink_to_fit` and pushes after it.
#[test]
fn tables_of_every_kind_match_the_allocator_and_the_model() {
    let shape = mixed_shape();
    for n in [63, 64, 65, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 65] {
        let mut model: Vec<Vec<Value>> = (0..n).map(mixed_row).collect();
        let (mut t, m) = measured(|| {
            let mut t = Table::new(&shape);
            push_mixed(&mut t, 0..n);
            t
        });
        assert_eq!(table_bytes(&t), m.net_bytes, "{n} rows");
        // Outside the first chunk's frame, in a sealed chunk when there is one.
        let sets = [
            (1, "i", Value::Int(i64::MIN)),
            (2, "oi", Value::Int(i64::MAX)),
            (3, "oi", Value::Null),
            (4, "of", Value::Float(-0.0)),
            (5, "ob", Value::Null),
            (6, "s", Value::Str("a longer string than before".into())),
            (n - 1, "os", Value::Str("last".into())),
            (n - 1, "i", Value::Int(i64::MAX)),
        ];
        let later: Vec<Vec<Value>> = (n..n + 70).map(mixed_row).collect();
        let ((), m2) = measured(|| {
            for (row, field, v) in &sets {
                assert!(t.set(*row, field, v).unwrap());
            }
            t.set_str_encoding("os", StrEncoding::Interned).unwrap();
            t.shrink_to_fit();
            for row in &later {
                let refs: Vec<ValueRef<'_>> = row.iter().map(Value::as_ref).collect();
                t.push_row(&refs).unwrap();
            }
        });
        for (row, field, v) in sets {
            model[row][shape.index_of(field).unwrap()] = v;
        }
        model.extend(later);
        assert_eq!(table_bytes(&t), m.net_bytes + m2.net_bytes, "{n} rows");
        assert_eq!(t.len(), model.len());
        for (i, want) in model.iter().enumerate() {
            let got = t.row(i).unwrap().to_values();
            assert!(
                got.iter().zip(want).all(|(a, b)| same_value(a, b)),
                "row {i} of {n}: {got:?} vs {want:?}"
            );
        }
        for (f, field) in shape.fields().iter().enumerate() {
            let column: Vec<Value> = t
                .column(field.name())
                .unwrap()
                .iter()
                .map(ValueRef::to_owned)
                .collect();
            assert_eq!(column.len(), model.len(), "{}", field.name());
            assert!(
                column
                    .iter()
                    .zip(&model)
                    .all(|(a, row)| same_value(a, &row[f])),
                "column {} of {n}",
                field.name()
            );
        }
        let ints: Vec<i64> = t.column("i").unwrap().as_ints().unwrap().iter().collect();
        assert_eq!(ints.len(), model.len());
        assert_eq!(ints[n - 1], i64::MAX);
        let clone = t.clone();
        assert_eq!(clone, t);
        drop(clone);
        let ((), m3) = measured(|| {
            t.clear();
            push_mixed(&mut t, 0..3);
        });
        assert_eq!(
            table_bytes(&t),
            m.net_bytes + m2.net_bytes + m3.net_bytes,
            "{n} rows, cleared"
        );
        assert_eq!(t.row(2).unwrap().to_values(), mixed_row(2));
    }
}

/// Pushing after `shrink_to_fit` grows each column's current chunk by
/// doubling; once that chunk is sealed, the next one must not keep the
/// doubled room: a column holds at most one chunk of slack, as if it had
/// never been shrunk.
#[test]
fn pushes_after_shrink_to_fit_leave_at_most_one_chunk_of_slack() {
    let shape = Shape::new([("n", FieldType::INT), ("s", FieldType::STR)]).unwrap();
    let build = |shrink_at: Option<usize>| {
        measured(|| {
            let mut t = Table::new(&shape);
            for i in 0..3 * CHUNK + 10 {
                if Some(i) == shrink_at {
                    t.shrink_to_fit();
                }
                let s = format!("row {i}");
                t.push_row(&[(i as i64).into(), s.as_str().into()]).unwrap();
            }
            t
        })
    };
    let (plain, _) = build(None);
    let (shrunk, m) = build(Some(CHUNK + CHUNK * 3 / 4));
    assert_eq!(table_bytes(&shrunk), m.net_bytes);
    assert_eq!(shrunk, plain);
    assert!(
        shrunk.heap_size() <= plain.heap_size(),
        "shrunk then grown: {} bytes, never shrunk: {}",
        shrunk.heap_size(),
        plain.heap_size()
    );

    // The same through a `slots!` table.
    let (plain, _) = measured(|| (0..3 * CHUNK as u64 + 10).map(user).collect::<UserTable>());
    let (shrunk, m) = measured(|| {
        let mut t = UserTable::new();
        for i in 0..3 * CHUNK as u64 + 10 {
            if i == (CHUNK + CHUNK * 3 / 4) as u64 {
                t.shrink_to_fit();
            }
            t.push(&user(i)).unwrap();
        }
        t
    });
    assert_eq!(shrunk.heap_size() as isize, m.net_bytes);
    assert!(shrunk.heap_size() <= plain.heap_size());
}

/// Shapes past the scan limit keep a name index; records with more than
/// 64 nullable fields keep several null words: both as allocated.
#[test]
fn wide_shapes_and_records_match_the_allocator() {
    let names: Vec<String> = (0..130).map(|i| format!("field_{i}")).collect();
    let (shape, m) = measured(|| {
        Shape::named(
            "Wide",
            names
                .iter()
                .map(|n| (n.as_str(), FieldType::STR.optional())),
        )
        .unwrap()
    });
    assert_eq!(shape.heap_size() as isize, m.net_bytes);
    let (records, m) = measured(|| {
        (0..3)
            .map(|k| {
                let values: Vec<ValueRef<'_>> = names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| {
                        if (i + k) % 3 == 0 {
                            ValueRef::Null
                        } else {
                            ValueRef::Str(n)
                        }
                    })
                    .collect();
                Record::from_refs(&shape, &values).unwrap()
            })
            .collect::<Vec<_>>()
    });
    let mut cx = leanmem::measure::HeapContext::new();
    shape.heap_size_with(&mut cx);
    assert_eq!(records.heap_size_with(&mut cx) as isize, m.net_bytes);
    for (k, r) in records.iter().enumerate() {
        for i in [0, 63, 64, 65, 127, 128, 129] {
            let want = if (i + k) % 3 == 0 {
                ValueRef::Null
            } else {
                ValueRef::Str(&names[i])
            };
            assert_eq!(r.get(&names[i]).unwrap(), want, "record {k} field {i}");
        }
    }
}

/// Tables with nullable fields of every kind survive a JSON round trip:
/// nulls stay null, signed zeros and extreme integers stay exact.
#[cfg(feature = "serde")]
#[test]
fn serde_round_trips_nullable_fields_of_every_kind() {
    let shape = mixed_shape();
    let mut t = Table::new(&shape);
    push_mixed(&mut t, 0..CHUNK + 65);
    let json = serde_json::to_string(&t).unwrap();
    let back: Table = serde_json::from_str(&json).unwrap();
    assert_eq!(back, t);
    for i in 0..t.len() {
        let (a, b) = (
            t.row(i).unwrap().to_values(),
            back.row(i).unwrap().to_values(),
        );
        assert!(a.iter().zip(&b).all(|(x, y)| same_value(x, y)), "row {i}");
    }
    let r = t.row(39).unwrap().to_record().unwrap();
    let v: serde_json::Value = serde_json::to_value(&r).unwrap();
    assert_eq!(v["oi"], serde_json::Value::Null);
    assert_eq!(v["i"], serde_json::json!(-39));
}

leanmem::slots! {
    /// A reading that may be missing.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Reading {
        pub at: Option<i64>,
    }
    pub table ReadingTable;
}

/// A null in a nullable integer column costs its validity bit and no
/// more: its placeholder stays inside the chunk's frame, so timestamps
/// keep their 12-bit packing (a 0 there made it 31 bits).
#[test]
fn nulls_do_not_widen_the_packing_of_integer_columns() {
    let n = 2 * CHUNK + 100;
    let at = |i: usize| 1_700_000_000 + i as i64;
    // Nulls every third row, a leading run of them, and a chunk of them.
    let nulls: [&dyn Fn(usize) -> bool; 3] = [&|i| i % 3 == 0, &|i| i < 100, &|i| {
        (CHUNK..2 * CHUNK).contains(&i) || i % 7 == 1
    }];
    for (k, null) in nulls.iter().enumerate() {
        nulls_cost_no_packing(&format!("pattern {k}"), n, &at, null);
    }
}

/// Builds an `at` column of `n` rows, in a `Table` and in a `slots!`
/// table, with nulls where `null` says and without: the column with nulls
/// reads back right and takes no more bytes than the one without.
fn nulls_cost_no_packing(
    what: &str,
    n: usize,
    at: &dyn Fn(usize) -> i64,
    null: &dyn Fn(usize) -> bool,
) {
    let shape = Shape::new([("at", FieldType::INT.optional())]).unwrap();
    let table_of = |with_nulls: bool| {
        let mut t = Table::new(&shape);
        for i in 0..n {
            let v = if with_nulls && null(i) {
                ValueRef::Null
            } else {
                at(i).into()
            };
            t.push_row(&[v]).unwrap();
        }
        t
    };
    let (dense, holey) = (table_of(false), table_of(true));
    assert!(
        holey.heap_size() <= dense.heap_size(),
        "{what}: {} bytes with nulls, {} without",
        holey.heap_size(),
        dense.heap_size()
    );
    for i in 0..n {
        let want = if null(i) {
            ValueRef::Null
        } else {
            ValueRef::Int(at(i))
        };
        assert_eq!(holey.get(i, "at").unwrap(), Some(want), "{what}, row {i}");
    }
    let macro_of = |with_nulls: bool| {
        (0..n)
            .map(|i| Reading {
                at: (!(with_nulls && null(i))).then(|| at(i)),
            })
            .collect::<ReadingTable>()
    };
    let (dense, holey) = (macro_of(false), macro_of(true));
    assert!(
        holey.heap_size() <= dense.heap_size(),
        "{what}: slots! table"
    );
    for i in 0..n {
        assert_eq!(
            holey.get(i).unwrap().at,
            (!null(i)).then(|| at(i)),
            "{what}, row {i}"
        );
    }
}

/// Setting a row to null keeps its old value as the placeholder (no
/// re-pack), and equality looks past placeholders.
#[test]
fn null_placeholders_do_not_change_size_or_equality() {
    let shape = Shape::new([("at", FieldType::INT.optional())]).unwrap();
    let n = CHUNK + 10;
    let mut a = Table::new(&shape);
    let mut b = Table::new(&shape);
    for i in 0..n {
        let x = ValueRef::Int(1_700_000_000 + i as i64);
        a.push_row(&[if i % 2 == 0 { ValueRef::Null } else { x }])
            .unwrap();
        b.push_row(&[x]).unwrap();
    }
    assert_ne!(a, b);
    let before = b.heap_size();
    for i in (0..n).step_by(2) {
        assert_eq!(b.set(i, "at", ValueRef::Null), Ok(true));
    }
    assert_eq!(
        b.heap_size(),
        before,
        "a null set in a sealed chunk re-packed it"
    );
    // Placeholders differ (the pushed nulls hold the row before's value,
    // the set ones their own), the tables do not.
    assert_eq!(a, b);
    b.set(1, "at", 5).unwrap();
    assert_ne!(a, b);
    a.set(1, "at", 5).unwrap();
    assert_eq!(a, b);
}

/// A null's placeholder stays inside its own chunk's frame: nulls that
/// start a chunk do not copy the last value of the chunk before (which
/// may lie far from this chunk's), and nulls whose first value comes by
/// `set` take it as a pushed one would give it.
#[test]
fn null_placeholders_stay_in_their_own_chunks_frame() {
    let shape = Shape::new([("at", FieldType::INT.optional())]).unwrap();
    // Chunk 0 counts from 0; the next ones hold timestamps.
    let n = 2 * CHUNK + 10;
    let at = |i: usize| {
        if i < CHUNK {
            i as i64
        } else {
            1_700_000_000 + i as i64
        }
    };
    for leading in [1, 3, CHUNK + 2] {
        let null = |i: usize| (CHUNK..CHUNK + leading).contains(&i);
        nulls_cost_no_packing(&format!("{leading} nulls"), n, &at, &null);
    }

    // A tail of nulls whose first value is set, then values pushed until
    // the chunk seals.
    let at = |i: usize| 1_700_000_000 + i as i64;
    let mut holey = Table::new(&shape);
    let mut dense = Table::new(&shape);
    for i in 0..CHUNK + 10 {
        holey
            .push_row(&[if i < 3 { ValueRef::Null } else { at(i).into() }])
            .unwrap();
        dense.push_row(&[at(i).into()]).unwrap();
        if i == 2 {
            assert_eq!(holey.set(1, "at", at(1)), Ok(true));
        }
    }
    assert!(
        holey.heap_size() <= dense.heap_size(),
        "{} bytes with nulls, {} without",
        holey.heap_size(),
        dense.heap_size()
    );
    for i in 0..CHUNK + 10 {
        let want = if i == 0 || i == 2 {
            ValueRef::Null
        } else {
            ValueRef::Int(at(i))
        };
        assert_eq!(holey.get(i, "at").unwrap(), Some(want), "row {i}");
    }
}

/// An `IntColumn` cloned out of a nullable column is a plain column: a
/// push appends, and leaves the rows before it as they were.
#[test]
fn int_columns_cloned_from_nullable_ones_push_plainly() {
    let shape = Shape::new([("at", FieldType::INT.optional())]).unwrap();
    let mut t = Table::new(&shape);
    t.push_row(&[ValueRef::Null]).unwrap();
    t.push_row(&[ValueRef::Null]).unwrap();
    let mut ints = t.column("at").unwrap().as_ints().unwrap().clone();
    let mut want: Vec<i64> = ints.iter().collect();
    ints.push(5);
    want.push(5);
    assert_eq!(ints.iter().collect::<Vec<_>>(), want);

    let readings: ReadingTable = [Reading { at: None }].into_iter().collect();
    let mut values = readings.at().values().clone();
    values.extend([7]);
    assert_eq!(values.get(0), readings.at().values().get(0));
    assert_eq!(values.get(1), Some(7));
}

/// `a == b`, or the first row and field where they differ.
fn same_tables(a: &Table, b: &Table, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}");
    for i in 0..a.len() {
        let (x, y) = (a.row(i).unwrap().to_values(), b.row(i).unwrap().to_values());
        for (f, (v, w)) in x.iter().zip(&y).enumerate() {
            assert!(
                same_value(v, w),
                "{what}: row {i}, field {f}: {v:?} against {w:?}"
            );
        }
    }
    assert!(a == b, "{what}: the rows agree, `==` does not");
}

/// Cut anywhere (inside the growing chunk, at a chunk's edge, inside a
/// packed chunk), a table is the table of the rows kept, its heap size
/// follows the allocator, and it grows back into the whole; `pop` hands
/// the rows back in reverse across a chunk boundary.
#[test]
fn tables_truncate_and_pop_at_every_kind_of_cut() {
    let shape = mixed_shape();
    let n = 2 * CHUNK + 65;
    let mut whole = Table::new(&shape);
    push_mixed(&mut whole, 0..n);
    for cut in [
        0,
        1,
        63,
        64,
        65,
        CHUNK - 1,
        CHUNK,
        CHUNK + 1,
        2 * CHUNK,
        n - 1,
        n,
        n + 5,
    ] {
        let mut t = whole.clone();
        let before = table_bytes(&t);
        let ((), m) = measured(|| t.truncate(cut));
        assert_eq!(table_bytes(&t) - before, m.net_bytes, "cut {cut}");
        let mut want = Table::new(&shape);
        push_mixed(&mut want, 0..cut.min(n));
        same_tables(&t, &want, &format!("cut {cut}"));
        assert_eq!(t.len(), cut.min(n));
        assert_eq!(t.get(cut, "i").unwrap(), None);
        let before = table_bytes(&t);
        let ((), m) = measured(|| push_mixed(&mut t, cut.min(n)..n));
        assert_eq!(
            table_bytes(&t) - before,
            m.net_bytes,
            "cut {cut}, grown back"
        );
        same_tables(&t, &whole, &format!("cut {cut}, grown back"));
    }
    let mut t = whole.clone();
    t.truncate(CHUNK + 3);
    for i in (CHUNK - 70..CHUNK + 3).rev() {
        let row = t.pop().unwrap();
        assert!(
            row.iter().zip(&mixed_row(i)).all(|(a, b)| same_value(a, b)),
            "row {i}"
        );
    }
    assert_eq!(t.len(), CHUNK - 70);
    t.clear();
    assert_eq!(t.pop(), None);

    // The macro's table, and a bool column's bits past the cut.
    let mut users: UserTable = (0..CHUNK as u64 + 10).map(user).collect();
    users.truncate(CHUNK - 1);
    assert_eq!(users.pop(), Some(user(CHUNK as u64 - 2)));
    assert_eq!(users.len(), CHUNK - 2);
    users.push(&user(7)).unwrap();
    assert_eq!(users.get(CHUNK - 2), Some(user(7)));
    assert_eq!(users.iter().count(), CHUNK - 1);
    let mut flags: leanmem::slots::BoolColumn = [true; 70].into_iter().collect();
    flags.truncate(65);
    flags.truncate(3);
    flags.extend([false; 70]);
    assert_eq!(flags.count_ones(), 3);
}

/// A xorshift generator with helpers: the randomized cut checks below are
/// plain tests (fixed seeds, fast) next to the proptest model.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        crate::xorshift(&mut self.0)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A length to cut a column of `len` rows to: 0, around a chunk's edge,
    /// a multiple of 64, near or past the end, or anywhere.
    fn cut(&mut self, len: usize) -> usize {
        match self.below(6) {
            0 => 0,
            1 => (self.below(4) * CHUNK + self.below(3)).saturating_sub(1),
            2 => self.below(len / 64 + 2) * 64,
            3 => len.saturating_sub(self.below(3)),
            4 => len + self.below(3),
            _ => self.below(len + 1),
        }
    }

    /// A value of type `ty`: a third null where nullable; integers from
    /// far-apart frames, floats with signed zeros, multibyte strings.
    fn value(&mut self, ty: FieldType) -> Value {
        if ty.nullable && self.below(3) == 0 {
            return Value::Null;
        }
        match ty.kind {
            Kind::Int => Value::Int(match self.below(4) {
                0 => 1_700_000_000 + self.below(5000) as i64,
                1 => -(self.below(100) as i64),
                2 => i64::MIN + self.below(3) as i64,
                _ => self.below(1 << 20) as i64,
            }),
            Kind::Float => Value::Float([-0.0, 0.0, 5e-324, 1.5, f64::MAX][self.below(5)]),
            Kind::Bool => Value::Bool(self.below(2) == 0),
            Kind::Str => Value::Str(match self.below(4) {
                0 => String::new(),
                1 => "GET".into(),
                2 => "é€".repeat(self.below(3)),
                _ => format!("u{}", self.next() % 100_000),
            }),
        }
    }
}

/// Random pushes (one or thousands of rows), sets, cuts, pops,
/// `shrink_to_fit`, `reserve` and `clear` over three chunks: every step
/// as the allocator counts it, the rows around the chunk edges as the
/// model has them, and at times the whole table equal to the one built
/// from the model, its column iterators exact.
#[test]
fn random_cuts_match_the_model_the_allocator_and_a_fresh_table() {
    let shape = mixed_shape();
    let types: Vec<FieldType> = shape.fields().iter().map(|f| f.ty()).collect();
    let push = |t: &mut Table, rows: &[Vec<Value>]| {
        for row in rows {
            let refs: Vec<ValueRef<'_>> = row.iter().map(Value::as_ref).collect();
            t.push_row(&refs).unwrap();
        }
    };
    for seed in 1..=3u64 {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ seed);
        let mut t = Table::new(&shape);
        let mut model: Vec<Vec<Value>> = Vec::new();
        for step in 0..30 {
            let what = format!("seed {seed}, step {step}");
            let before = table_bytes(&t);
            let m = match rng.below(10) {
                0..=2 => {
                    let k = [rng.below(3000), rng.below(5)][rng.below(2)];
                    let rows: Vec<Vec<Value>> = (0..k)
                        .map(|_| types.iter().map(|&ty| rng.value(ty)).collect())
                        .collect();
                    let ((), m) = measured(|| push(&mut t, &rows));
                    model.extend(rows);
                    m
                }
                3 => {
                    let (r, f) = (rng.cut(model.len()), rng.below(types.len()));
                    let v = rng.value(types[f]);
                    let name = shape.fields()[f].name();
                    let (set, m) = measured(|| t.set(r, name, v.as_ref()).unwrap());
                    assert_eq!(set, r < model.len(), "{what}");
                    if set {
                        model[r][f] = v;
                    }
                    m
                }
                4 | 5 => {
                    let cut = rng.cut(model.len());
                    model.truncate(cut);
                    measured(|| t.truncate(cut)).1
                }
                6 => {
                    let want: Vec<Option<Vec<Value>>> =
                        (0..rng.below(70)).map(|_| model.pop()).collect();
                    let (same, m) = measured(|| {
                        want.iter().all(|w| match (t.pop(), w) {
                            (Some(g), Some(w)) => g.iter().zip(w).all(|(a, b)| same_value(a, b)),
                            (g, w) => g.is_none() && w.is_none(),
                        })
                    });
                    assert!(same, "{what}: pop");
                    m
                }
                7 => measured(|| t.shrink_to_fit()).1,
                8 => {
                    let k = rng.below(2 * CHUNK);
                    measured(|| t.reserve(k)).1
                }
                _ => {
                    model.clear();
                    measured(|| t.clear()).1
                }
            };
            assert_eq!(table_bytes(&t) - before, m.net_bytes, "{what}");
            let n = model.len();
            assert_eq!(t.len(), n, "{what}");
            for i in [
                0,
                1,
                63,
                64,
                CHUNK - 1,
                CHUNK,
                CHUNK + 1,
                2 * CHUNK,
                n - n.min(2),
                n,
                n + 1,
            ] {
                let got = t.row(i).map(|r| r.to_values());
                match (&got, model.get(i)) {
                    (Some(g), Some(w)) => assert!(
                        g.iter().zip(w).all(|(a, b)| same_value(a, b)),
                        "{what}: row {i}: {g:?} against {w:?}"
                    ),
                    (g, w) => assert!(g.is_none() && w.is_none(), "{what}: row {i}"),
                }
            }
            if step % 10 != 9 {
                continue;
            }
            let mut fresh = Table::new(&shape);
            push(&mut fresh, &model);
            same_tables(&t, &fresh, &what);
            for f in shape.fields() {
                let c = t.column(f.name()).unwrap();
                if let Some(x) = c.as_ints() {
                    assert_eq!(x.iter().len(), n, "{what}");
                    assert!(
                        x.iter().enumerate().all(|(i, a)| x.get(i) == Some(a)),
                        "{what}"
                    );
                }
                if let Some(x) = c.as_strs() {
                    assert_eq!(x.iter().len(), n, "{what}");
                    assert!(
                        x.iter().enumerate().all(|(i, a)| x.get(i) == Some(a)),
                        "{what}"
                    );
                }
                if let Some(x) = c.validity().or(c.as_bools()) {
                    assert_eq!(x.iter().count(), n, "{what}");
                    assert_eq!(x.count_ones(), x.iter().filter(|&b| b).count(), "{what}");
                }
            }
        }
    }
}

/// Cut back to nulls only in its last chunk, a nullable integer column is
/// the column of the rows kept: those nulls wait for the chunk's first
/// value again (they do not keep the placeholder a cut value gave them,
/// nor one that widens the chunk's packing), in a `Table`, a `slots!`
/// table and a `Nullable` column.
#[test]
fn cut_back_to_nulls_a_column_is_the_column_of_the_rows_kept() {
    let shape = Shape::new([("at", FieldType::INT.optional())]).unwrap();
    let at = |i: usize| 1_700_000_000 + i as i64;
    let table_of = |rows: &[Option<i64>]| {
        let mut t = Table::new(&shape);
        for r in rows {
            t.push_row(&[r.map_or(ValueRef::Null, ValueRef::Int)])
                .unwrap();
        }
        t
    };
    let packed_bytes = |mut t: Table| {
        t.shrink_to_fit();
        t.heap_size()
    };
    // (rows pushed, cut, rows pushed after): a pop in the first chunk's
    // leading nulls; a cut into a sealed chunk of nulls only, after a
    // chunk counting from 0; a cut back past a value to leading nulls.
    let counting = |i: usize| Some(i as i64);
    type Rows = Vec<Option<i64>>;
    let cases: Vec<(Rows, usize, Rows)> = vec![
        (
            vec![None, None],
            1,
            (1..CHUNK + 1).map(|i| Some(at(i))).collect(),
        ),
        (
            (0..CHUNK)
                .map(counting)
                .chain((0..CHUNK + 5).map(|_| None))
                .collect(),
            CHUNK + 3,
            (0..CHUNK).map(|i| Some(at(i))).collect(),
        ),
        (
            vec![None, None, Some(5), Some(6)],
            2,
            (0..CHUNK).map(|i| Some(at(i))).collect(),
        ),
    ];
    for (k, (pushed, cut, after)) in cases.into_iter().enumerate() {
        let mut t = table_of(&pushed);
        t.truncate(cut);
        let kept: Rows = pushed[..cut].to_vec();
        assert!(t == table_of(&kept), "case {k}");
        for r in &after {
            t.push_row(&[r.map_or(ValueRef::Null, ValueRef::Int)])
                .unwrap();
        }
        let whole: Rows = kept.iter().chain(&after).copied().collect();
        let fresh = table_of(&whole);
        assert!(t == fresh, "case {k}");
        assert_eq!(packed_bytes(t), packed_bytes(fresh), "case {k}");

        // The same through a `slots!` table.
        let readings = |rows: &[Option<i64>]| {
            rows.iter()
                .map(|&at| Reading { at })
                .collect::<ReadingTable>()
        };
        let mut r = readings(&pushed);
        r.truncate(cut);
        assert_eq!(r.at(), readings(&kept).at(), "case {k}, slots! table");
        r.extend(after.iter().map(|&at| Reading { at }));
        let mut fresh = readings(&whole);
        assert_eq!(r.at(), fresh.at(), "case {k}, slots! table");
        r.shrink_to_fit();
        fresh.shrink_to_fit();
        assert_eq!(r.heap_size(), fresh.heap_size(), "case {k}, slots! table");

        // And a `Nullable` column by itself.
        let nullable = |rows: &[Option<i64>]| {
            let mut c = leanmem::slots::Nullable::<leanmem::slots::IntColumn<i64>>::default();
            for &x in rows {
                c.push(x);
            }
            c
        };
        let mut c = nullable(&pushed);
        c.truncate(cut);
        assert_eq!(c, nullable(&kept), "case {k}, Nullable");
    }
}

/// Random pushes, cuts and pops of nullable integers, with long runs of
/// nulls: a `Nullable` column is, placeholders included, the one built
/// from the rows kept; a `slots!` table follows the allocator and its
/// model, its nullable integers again those of a fresh table.
#[test]
fn random_cuts_of_nullable_ints_are_the_columns_of_the_rows_kept() {
    type Ints = leanmem::slots::Nullable<leanmem::slots::IntColumn<i64>>;
    let ints = |rows: &[Option<i64>]| {
        let mut c = Ints::default();
        rows.iter().for_each(|&x| c.push(x));
        c
    };
    for seed in 1..=6u64 {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D ^ seed);
        let (mut c, mut model) = (Ints::default(), Vec::new());
        let (mut users, mut user_model) = (UserTable::new(), Vec::new());
        for step in 0..30 {
            let what = format!("seed {seed}, step {step}");
            let before = (c.heap_size() + users.heap_size()) as isize;
            let ((), m) = match rng.below(5) {
                0 | 1 => {
                    let k = [rng.below(3000), rng.below(4)][rng.below(2)];
                    let nulls = rng.below(5);
                    let xs: Vec<Option<i64>> = (model.len()..model.len() + k)
                        .map(|i| (rng.below(4) >= nulls).then_some(1_700_000_000 + i as i64))
                        .collect();
                    let us: Vec<User> = (0..k).map(|_| user(rng.next() % 10_000)).collect();
                    let m = measured(|| {
                        xs.iter().for_each(|&x| c.push(x));
                        us.iter().for_each(|u| users.push(u).unwrap());
                    });
                    model.extend(xs);
                    user_model.extend(us);
                    m
                }
                2 | 3 => {
                    let (cut, user_cut) = (rng.cut(model.len()), rng.cut(user_model.len()));
                    model.truncate(cut);
                    user_model.truncate(user_cut);
                    measured(|| {
                        c.truncate(cut);
                        users.truncate(user_cut);
                    })
                }
                _ => {
                    let want: Vec<Option<User>> =
                        (0..rng.below(70)).map(|_| user_model.pop()).collect();
                    let (same, m) =
                        measured(|| want.iter().all(|w| users.pop().as_ref() == w.as_ref()));
                    assert!(same, "{what}: pop");
                    ((), m)
                }
            };
            let after = (c.heap_size() + users.heap_size()) as isize;
            assert_eq!(after - before, m.net_bytes, "{what}");
            assert_eq!(c, ints(&model), "{what}");
            assert_eq!(users.len(), user_model.len(), "{what}");
            if step % 10 == 9 {
                assert!(users.iter().eq(user_model.iter().cloned()), "{what}");
                let fresh: UserTable = user_model.iter().cloned().collect();
                assert_eq!(users.age(), fresh.age(), "{what}");
            }
        }
    }
}
