//! Every serde form round-trips through a format that is not
//! self-describing (postcard: no field names, no type tags), as well as
//! through JSON: none may rely on `deserialize_any`.

use leanmem::deque::{Deque, InlineDeque};
use leanmem::intern::{ConcurrentInterner, FrozenInterner, Interner, Symbol};
use leanmem::packed::{BlockPackedVec, PackedVec};
use leanmem::slots::{Record, Table, ValueRef};
use leanmem::weak::CacheStats;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::slots::{mixed_row, mixed_shape, push_mixed};

/// `x` written by postcard and read back.
fn postcard<T: Serialize + DeserializeOwned>(x: &T) -> T {
    let bytes = postcard::to_allocvec(x).expect("serializes");
    postcard::from_bytes(&bytes).expect("deserializes")
}

#[test]
fn deques_interners_and_packed_vectors() {
    let mut d: Deque<String> = Deque::with_maxlen(3);
    d.extend(["a", "b", "c", "d"].map(String::from));
    let back = postcard(&d);
    assert_eq!(back, d);
    assert_eq!(back.maxlen(), Some(3));
    let i: InlineDeque<u8, 4> = [1, 2, 3].into_iter().collect();
    assert_eq!(postcard(&i), i);

    let words = ["", "a", "héllo", "a\0b", "zz"];
    let interner: Interner = words.into_iter().collect();
    let back = postcard(&interner);
    assert_eq!(
        back.iter().collect::<Vec<_>>(),
        interner.iter().collect::<Vec<_>>()
    );
    let frozen: FrozenInterner = postcard(&interner.clone().freeze());
    assert_eq!(frozen.get("héllo"), interner.get("héllo"));
    let conc: ConcurrentInterner = postcard(&ConcurrentInterner::from_iter(words));
    assert_eq!(conc.get("zz"), interner.get("zz"));
    let syms: Vec<Symbol> = words.iter().map(|w| interner.get(w).unwrap()).collect();
    assert_eq!(postcard(&syms), syms);

    let p: PackedVec<i32> = PackedVec::from_slice(&[-5, 0, 7, i32::MAX]);
    assert_eq!(postcard(&p), p);
    let ts: Vec<u64> = (0..1000).map(|k| 1_700_000_000 + 3 * k).collect();
    let b = BlockPackedVec::from_slice(&ts);
    assert_eq!(postcard(&b), b);

    let stats = CacheStats::default();
    assert_eq!(postcard(&stats), stats);
}

fn table(rows: usize) -> Table {
    let mut t = Table::new(&mixed_shape());
    push_mixed(&mut t, 0..rows);
    t
}

#[test]
fn shapes_and_tables() {
    let s = mixed_shape();
    assert_eq!(postcard(&s), s);
    for rows in [0, 1, 100] {
        let t = table(rows);
        let back = postcard(&t);
        assert_eq!(back, t, "{rows} rows");
        assert_eq!(back.shape(), t.shape());
        // JSON keeps its form: the shape, then rows as arrays.
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(serde_json::from_str::<Table>(&json).unwrap(), t);
    }
    let json = serde_json::to_string(&table(1)).unwrap();
    assert!(
        json.ends_with(r#""rows":[[-9223372036854775808,null,-0.0,null,true,null,"s0é",null]]}"#),
        "{json}"
    );
}

#[test]
fn records_read_back_against_their_shape() {
    use leanmem::slots::RecordSeed;
    use serde::de::DeserializeSeed;

    let shape = mixed_shape();
    for i in 0..8 {
        let values = mixed_row(i);
        let r = Record::from_values(&shape, &values).unwrap();
        let bytes = postcard::to_allocvec(&r).unwrap();
        let mut de = postcard::Deserializer::from_bytes(&bytes);
        assert_eq!(
            RecordSeed::new(&shape).deserialize(&mut de).unwrap(),
            r,
            "row {i}"
        );
        let json = serde_json::to_string(&r).unwrap();
        let mut de = serde_json::Deserializer::from_str(&json);
        assert_eq!(
            RecordSeed::new(&shape).deserialize(&mut de).unwrap(),
            r,
            "row {i}"
        );
    }
    let read = |json: &str| {
        let mut de = serde_json::Deserializer::from_str(json);
        RecordSeed::new(&shape)
            .deserialize(&mut de)
            .map_err(|e| e.to_string())
    };
    // Any order; nullable fields may be left out.
    let r = read(r#"{"s":"x","b":false,"f":1,"i":2}"#).unwrap();
    assert_eq!(r.get("f").unwrap(), ValueRef::Float(1.0));
    assert_eq!(r.get("os").unwrap(), ValueRef::Null);
    let err = read(r#"{"s":"x","b":false,"f":1}"#).unwrap_err();
    assert!(err.contains("missing field `i`"), "{err}");
    let err = read(r#"{"i":1,"i":2,"s":"x","b":false,"f":1}"#).unwrap_err();
    assert!(err.contains("duplicate field `i`"), "{err}");
    let err = read(r#"{"i":1,"age":2}"#).unwrap_err();
    assert!(err.contains("age"), "{err}");
    assert!(read(r#"{"i":"one","s":"x","b":false,"f":1}"#).is_err());
    assert!(read(r#"{"i":null,"s":"x","b":false,"f":1}"#).is_err());
}

#[test]
fn tables_refuse_what_does_not_fit_their_shape() {
    let s = serde_json::to_string(&mixed_shape()).unwrap();
    let read = |rows: &str| {
        serde_json::from_str::<Table>(&format!(r#"{{"shape":{s},"rows":{rows}}}"#))
            .map_err(|e| e.to_string())
    };
    let good = r#"[[1,null,0.5,null,true,null,"a",null]]"#;
    assert_eq!(read(good).unwrap().len(), 1);
    // A float field takes an integer; nothing else converts.
    assert!(read(r#"[[1,2,3,4.5,true,false,"a","b"]]"#).is_ok());
    let err = read(r#"[[1,null,0.5,null,true,null,"a"]]"#).unwrap_err();
    assert!(err.contains("invalid length 7"), "{err}");
    let err = read(r#"[[1,null,0.5,null,true,null,"a",null,9]]"#).unwrap_err();
    assert!(err.contains("invalid length 9"), "{err}");
    assert!(read(r#"[[1.5,null,0.5,null,true,null,"a",null]]"#).is_err());
    assert!(read(r#"[[null,null,0.5,null,true,null,"a",null]]"#).is_err());
    let err = serde_json::from_str::<Table>(&format!(r#"{{"rows":[],"shape":{s}}}"#))
        .unwrap_err()
        .to_string();
    assert!(err.contains("`shape` must come before its `rows`"), "{err}");
    assert!(serde_json::from_str::<Table>(&format!(r#"{{"shape":{s}}}"#)).is_err());
    assert!(serde_json::from_str::<Table>(&format!(r#"{{"shape":{s},"rows":[],"x":1}}"#)).is_err());
    // Postcard: a truncated table is an error, not a shorter table.
    let bytes = postcard::to_allocvec(&table(10)).unwrap();
    assert!(postcard::from_bytes::<Table>(&bytes[..bytes.len() - 1]).is_err());
}

/// A table is written and read row by row: writing allocates nothing that
/// grows with the rows, reading peaks at the table it builds (both used to
/// go through a `Vec<Vec<Value>>` of every row: 5× the table).
#[test]
fn tables_stream_through_serde() {
    use leanmem::measure::HeapSize;

    let t = table(3 * leanmem::slots::CHUNK);
    let json = serde_json::to_vec(&t).unwrap();
    let ((), write) = crate::measured(|| serde_json::to_writer(std::io::sink(), &t).unwrap());
    assert!(write.peak_bytes < 1024, "{} bytes", write.peak_bytes);
    let (back, read) = crate::measured(|| serde_json::from_slice::<Table>(&json).unwrap());
    assert_eq!(back, t);
    let size = back.heap_size();
    assert!(
        read.peak_bytes <= size + size / 8,
        "peak {} bytes for a table of {size}",
        read.peak_bytes
    );
}
