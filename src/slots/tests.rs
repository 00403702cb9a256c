use super::*;

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
fn shape_lookups_and_display() {
    let s = user_shape();
    assert_eq!(s.index_of("id"), Some(0));
    assert_eq!(s.index_of("email"), Some(2));
    assert_eq!(s.index_of("Email"), None);
    assert_eq!(s.len(), 3);
    assert_eq!(s.name(), "User");
    assert_eq!(
        s.to_string(),
        "User(id: int, name: str, email: Optional[str])"
    );
    assert_eq!(
        s.field("nope").unwrap_err(),
        SlotsError::UnknownField("nope".into())
    );
}

#[test]
fn wide_shapes_use_the_index_map() {
    let names: Vec<String> = (0..40).map(|i| format!("f{i}")).collect();
    let s = Shape::new(names.iter().map(|n| (n.as_str(), FieldType::INT))).unwrap();
    for (i, n) in names.iter().enumerate() {
        assert_eq!(s.index_of(n), Some(i));
    }
    assert_eq!(s.index_of("f40"), None);
    let dup = Shape::new(
        names
            .iter()
            .map(|n| (n.as_str(), FieldType::INT))
            .chain([("f7", FieldType::STR)]),
    );
    assert_eq!(dup.unwrap_err(), SlotsError::DuplicateField("f7".into()));
}

#[test]
fn shape_equality_is_structural() {
    let a = user_shape();
    let b = user_shape();
    assert!(!a.ptr_eq(&b));
    assert_eq!(a, b);
    let c = Shape::named("Other", a.fields().to_vec()).unwrap();
    assert_ne!(a, c);
}

#[test]
fn record_get_set_and_errors_leave_it_unchanged() {
    let s = user_shape();
    let mut r = Record::new(&s, [7.into(), "ada".into(), ValueRef::Null]).unwrap();
    assert_eq!(r.get("id").unwrap(), ValueRef::Int(7));
    assert_eq!(r.get("email").unwrap(), ValueRef::Null);
    let before = r.clone();

    assert_eq!(r.set("age", 3), Err(SlotsError::UnknownField("age".into())));
    assert_eq!(
        r.set("id", "seven"),
        Err(SlotsError::TypeMismatch {
            field: "id".into(),
            expected: "int".into(),
            found: "str",
        })
    );
    assert_eq!(
        r.set("name", ValueRef::Null),
        Err(SlotsError::TypeMismatch {
            field: "name".into(),
            expected: "str".into(),
            found: "NoneType",
        })
    );
    assert_eq!(r, before);
    assert_eq!(format!("{r:?}"), format!("{before:?}"));

    r.set("name", "grace hopper").unwrap();
    r.set("email", "g@navy.mil").unwrap();
    assert_eq!(r.get("name").unwrap(), ValueRef::Str("grace hopper"));
    assert_eq!(r.get("email").unwrap(), ValueRef::Str("g@navy.mil"));
    // Shrinking an earlier string shifts the later one correctly.
    r.set("name", "g").unwrap();
    assert_eq!(r.get("email").unwrap(), ValueRef::Str("g@navy.mil"));
    r.set("email", ValueRef::Null).unwrap();
    assert_eq!(r.get("email").unwrap(), ValueRef::Null);
    r.set("email", "").unwrap();
    assert_eq!(r.get("email").unwrap(), ValueRef::Str(""));
}

#[test]
fn record_arity_and_type_checked_on_creation() {
    let s = user_shape();
    assert_eq!(
        Record::new(&s, [1.into()]).unwrap_err(),
        SlotsError::WrongArity {
            expected: 3,
            found: 1
        }
    );
    assert!(matches!(
        Record::new(&s, [1.into(), 2.into(), ValueRef::Null]),
        Err(SlotsError::TypeMismatch { .. })
    ));
}

#[test]
fn record_debug_is_a_dataclass_repr() {
    let s = Shape::named(
        "Point",
        [
            ("x", FieldType::FLOAT),
            ("ok", FieldType::BOOL),
            ("label", FieldType::STR),
            ("n", FieldType::INT.optional()),
        ],
    )
    .unwrap();
    let r = Record::new(
        &s,
        [2.0.into(), false.into(), "it's".into(), ValueRef::Null],
    )
    .unwrap();
    assert_eq!(
        format!("{r:?}"),
        r#"Point(x=2.0, ok=False, label="it's", n=None)"#
    );
    let r = Record::new(&s, [0.25.into(), true.into(), "a\nb".into(), 5.into()]).unwrap();
    assert_eq!(r.to_string(), r"Point(x=0.25, ok=True, label='a\nb', n=5)");
}

#[test]
fn many_nullable_fields_use_several_null_words() {
    let names: Vec<String> = (0..130).map(|i| format!("f{i}")).collect();
    let s = Shape::new(
        names
            .iter()
            .map(|n| (n.as_str(), FieldType::INT.optional())),
    )
    .unwrap();
    let values: Vec<ValueRef<'_>> = (0..130)
        .map(|i| {
            if i % 3 == 0 {
                ValueRef::Null
            } else {
                ValueRef::Int(i)
            }
        })
        .collect();
    let mut r = Record::from_refs(&s, &values).unwrap();
    for (i, v) in values.iter().enumerate() {
        assert_eq!(r.get_index(i), Some(*v));
    }
    r.set("f129", ValueRef::Null).unwrap();
    assert_eq!(r.get("f129").unwrap(), ValueRef::Null);
    r.set("f129", 1).unwrap();
    assert_eq!(r.get("f129").unwrap(), ValueRef::Int(1));
}

#[test]
fn add_field_transitions_are_shared() {
    let s = user_shape();
    let mut a = Record::new(&s, [1.into(), "a".into(), ValueRef::Null]).unwrap();
    let mut b = Record::new(&s, [2.into(), "b".into(), "b@x".into()]).unwrap();
    a.add_field("age", FieldType::INT, 30).unwrap();
    b.add_field("age", FieldType::INT, 40).unwrap();
    assert!(a.shape().ptr_eq(b.shape()));
    assert_eq!(a.get("age").unwrap(), ValueRef::Int(30));
    assert_eq!(b.get("email").unwrap(), ValueRef::Str("b@x"));
    // Another field from the same shape is another transition.
    let mut c = Record::new(&s, [3.into(), "c".into(), ValueRef::Null]).unwrap();
    c.add_field("score", FieldType::FLOAT, 1.5).unwrap();
    assert!(!c.shape().ptr_eq(a.shape()));
    // Errors leave the record alone.
    let before = c.clone();
    assert_eq!(
        c.add_field("id", FieldType::INT, 1),
        Err(SlotsError::DuplicateField("id".into()))
    );
    assert!(matches!(
        c.add_field("flag", FieldType::BOOL, 1),
        Err(SlotsError::TypeMismatch { .. })
    ));
    assert_eq!(c, before);
    assert_eq!(c.shape().len(), 4);
}

#[test]
fn table_push_get_set_and_columns() {
    let s = user_shape();
    let mut t = Table::new(&s);
    for i in 0..10_000i64 {
        let name = format!("user_{i}");
        let email = format!("user_{i}@example.com");
        let email = if i % 10 == 0 {
            None
        } else {
            Some(email.as_str())
        };
        t.push_row(&[i.into(), name.as_str().into(), email.into()])
            .unwrap();
    }
    assert_eq!(t.len(), 10_000);
    let row = t.row(4097).unwrap();
    assert_eq!(row.get("name").unwrap(), ValueRef::Str("user_4097"));
    assert_eq!(
        row.get("email").unwrap(),
        ValueRef::Str("user_4097@example.com")
    );
    assert_eq!(t.row(10).unwrap().get("email").unwrap(), ValueRef::Null);
    assert!(t.row(10_000).is_none());
    assert_eq!(t.get(5, "id").unwrap(), Some(ValueRef::Int(5)));
    assert_eq!(t.get(10_000, "id").unwrap(), None);

    let ids = t.column("id").unwrap();
    assert_eq!(
        ids.as_ints().unwrap().iter().sum::<i64>(),
        9_999 * 10_000 / 2
    );
    assert!(ids.as_strs().is_none());
    let emails = t.column("email").unwrap();
    assert_eq!(emails.validity().unwrap().count_ones(), 9_000);
    assert_eq!(emails.iter().filter(|v| v.is_null()).count(), 1_000);
    let names: Vec<&str> = t
        .column("name")
        .unwrap()
        .as_strs()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(names.len(), 10_000);
    assert_eq!(names[8191], "user_8191");

    // Set across a sealed chunk and the tail.
    assert!(t.set(100, "name", "renamed").unwrap());
    assert!(t.set(9_999, "name", "last one").unwrap());
    assert!(t.set(100, "email", ValueRef::Null).unwrap());
    assert_eq!(t.get(100, "name").unwrap(), Some(ValueRef::Str("renamed")));
    assert_eq!(t.get(101, "name").unwrap(), Some(ValueRef::Str("user_101")));
    assert_eq!(
        t.get(9_999, "name").unwrap(),
        Some(ValueRef::Str("last one"))
    );
    assert_eq!(t.get(100, "email").unwrap(), Some(ValueRef::Null));
    assert!(!t.set(10_000, "name", "x").unwrap());
    assert!(matches!(
        t.set(1, "id", "x"),
        Err(SlotsError::TypeMismatch { .. })
    ));
    assert_eq!(
        t.set(1, "nope", 1),
        Err(SlotsError::UnknownField("nope".into()))
    );
}

#[test]
fn table_refuses_bad_rows_and_stays_unchanged() {
    let s = user_shape();
    let mut t = Table::new(&s);
    t.push_row(&[1.into(), "a".into(), ValueRef::Null]).unwrap();
    let before = t.clone();
    assert!(t.push_row(&[1.into(), "a".into()]).is_err());
    assert!(
        t.push_row(&[1.into(), ValueRef::Null, ValueRef::Null])
            .is_err()
    );
    assert!(
        t.push_row(&["x".into(), "a".into(), ValueRef::Null])
            .is_err()
    );
    assert_eq!(t, before);
    assert_eq!(t.len(), 1);
}

#[test]
fn rows_round_trip_through_records() {
    let s = user_shape();
    let records: Vec<Record> = (0..50)
        .map(|i| {
            let name = format!("n{i}");
            Record::new(&s, [i.into(), name.as_str().into(), ValueRef::Null]).unwrap()
        })
        .collect();
    let t = Table::from_records(&s, &records).unwrap();
    for (i, r) in records.iter().enumerate() {
        assert_eq!(&t.row(i).unwrap().to_record().unwrap(), r);
    }
    assert_eq!(
        format!("{:?}", t.row(3).unwrap()),
        "User(id=3, name='n3', email=None)"
    );
    let back: Vec<Record> = t.iter().map(|r| r.to_record().unwrap()).collect();
    assert_eq!(back, records);
    assert_eq!(t.iter().next_back().unwrap().index(), 49);
}

#[test]
fn clear_and_shrink_keep_working() {
    let s = Shape::new([("b", FieldType::BOOL), ("f", FieldType::FLOAT.optional())]).unwrap();
    let mut t = Table::with_capacity(&s, 100);
    for i in 0..5000 {
        let f = if i % 2 == 0 {
            ValueRef::Float(f64::from(i))
        } else {
            ValueRef::Null
        };
        t.push_row(&[ValueRef::Bool(i % 3 == 0), f]).unwrap();
    }
    assert_eq!(t.get(4999, "f").unwrap(), Some(ValueRef::Null));
    assert_eq!(t.get(4998, "f").unwrap(), Some(ValueRef::Float(4998.0)));
    assert_eq!(
        t.column("b").unwrap().as_bools().unwrap().count_ones(),
        1667
    );
    t.shrink_to_fit();
    assert_eq!(t.get(3, "b").unwrap(), Some(ValueRef::Bool(true)));
    t.clear();
    assert!(t.is_empty());
    assert!(t.row(0).is_none());
    t.push_row(&[true.into(), 1.0.into()]).unwrap();
    assert_eq!(t.get(0, "f").unwrap(), Some(ValueRef::Float(1.0)));
}

#[test]
fn value_conversions_and_display() {
    assert_eq!(ValueRef::from(Some("x")), ValueRef::Str("x"));
    assert_eq!(ValueRef::from(None::<i64>), ValueRef::Null);
    assert_eq!(ValueRef::Float(f64::NAN).to_string(), "nan");
    assert_eq!(ValueRef::Float(-1e300).to_string(), "-1e+300");
    assert_eq!(ValueRef::Float(1e16).to_string(), "1e+16");
    assert_eq!(ValueRef::Float(1e15).to_string(), "1000000000000000.0");
    assert_eq!(ValueRef::Float(0.0001).to_string(), "0.0001");
    assert_eq!(ValueRef::Float(0.00001).to_string(), "1e-05");
    assert_eq!(ValueRef::Float(1.5e-7).to_string(), "1.5e-07");
    assert_eq!(ValueRef::Float(0.0).to_string(), "0.0");
    assert_eq!(ValueRef::Float(f64::INFINITY).to_string(), "inf");
    assert_eq!(Value::from(ValueRef::Str("q")), Value::Str("q".into()));
    assert_eq!(Value::Int(3).to_string(), "3");
    assert_eq!(ValueRef::Str("a\\b").to_string(), r"'a\\b'");
    assert_eq!(ValueRef::Null.type_name(), "NoneType");
}

#[test]
fn long_names_with_a_shared_prefix_are_told_apart() {
    let s = Shape::new([
        ("abcdefgh1", FieldType::INT),
        ("abcdefgh2", FieldType::INT),
        ("abcdefg", FieldType::INT),
        ("", FieldType::INT),
    ])
    .unwrap();
    assert_eq!(s.index_of("abcdefgh2"), Some(1));
    assert_eq!(s.index_of("abcdefgh1"), Some(0));
    assert_eq!(s.index_of("abcdefgh3"), None);
    assert_eq!(s.index_of("abcdefg"), Some(2));
    assert_eq!(s.index_of(""), Some(3));
    assert_eq!(s.index_of("abcdef"), None);
}

#[test]
fn name_comparison_agrees_with_slice_equality_at_every_length() {
    for n in 0..=20usize {
        let a: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
        assert!(super::shape::name_eq(&a, &a.clone()), "length {n}");
        // A difference at any one position, and a different length.
        for at in 0..n {
            let mut b = a.clone();
            b[at] ^= 1;
            assert!(!super::shape::name_eq(&a, &b), "length {n}, byte {at}");
        }
        let mut longer = a.clone();
        longer.push(b'a');
        assert!(!super::shape::name_eq(&a, &longer), "length {n}");
    }
    // Through the public lookup, on a shape small enough to be scanned.
    let s = Shape::new([("abcdefghi", FieldType::INT), ("abcdefghj", FieldType::INT)]).unwrap();
    assert_eq!(s.index_of("abcdefghj"), Some(1));
    assert_eq!(s.index_of("bbcdefghi"), None);
}

/// `repr` escapes what Python does not print (separators other than the
/// space, format and private-use characters, unassigned code points) and
/// keeps the rest, combining marks included. The expected strings are
/// Python 3's `repr` of the same text.
#[test]
fn repr_escapes_what_python_does_not_print() {
    assert_eq!(
        ValueRef::Str("a\u{a0}b\u{200b}c\u{301}d\u{2028}é\u{e0001}\u{e000}x\u{85}").to_string(),
        "'a\\xa0b\\u200bc\u{301}d\\u2028é\\U000e0001\\ue000x\\x85'"
    );
    assert_eq!(
        ValueRef::Str("日本語 🦀\u{200d}\u{feff}\u{ad}\u{3000}\u{10ffff}\u{378}").to_string(),
        "'日本語 🦀\\u200d\\ufeff\\xad\\u3000\\U0010ffff\\u0378'"
    );
    let s = Shape::named("Tag", [("label", FieldType::STR)]).unwrap();
    let r = Record::new(&s, ["it's\u{a0}\"ok\"\\".into()]).unwrap();
    assert_eq!(r.to_string(), "Tag(label='it\\'s\\xa0\"ok\"\\\\')");
}
