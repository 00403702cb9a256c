//! `serde` for records and tables: each value is written as its field's
//! type says (a nullable field as an `Option`), and read back the same way,
//! so the forms need no type tags and read back from formats that are not
//! self-describing (postcard, bincode) as well as from JSON.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, SerializeTuple, Serializer};

use super::record::Record;
use super::shape::Shape;
use super::value::{FieldType, Kind, Value, ValueRef};

/// A value written as its field's type says: an `Option` for a nullable
/// field, the bare value otherwise.
pub(crate) struct Typed<'a>(pub(crate) ValueRef<'a>, pub(crate) FieldType);

impl Serialize for Typed<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match (self.1.nullable, self.0) {
            (true, ValueRef::Null) => s.serialize_none(),
            (true, v) => s.serialize_some(&Bare(v)),
            (false, v) => Bare(v).serialize(s),
        }
    }
}

/// A value without its `Option`.
struct Bare<'a>(ValueRef<'a>);

impl Serialize for Bare<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            ValueRef::Int(x) => s.serialize_i64(x),
            ValueRef::Float(x) => s.serialize_f64(x),
            ValueRef::Bool(x) => s.serialize_bool(x),
            ValueRef::Str(x) => s.serialize_str(x),
            // A required field holds no null (rows are checked when stored).
            ValueRef::Null => s.serialize_none(),
        }
    }
}

/// Reads a value of a field's type, as [`Typed`] wrote it.
#[derive(Clone, Copy)]
pub(crate) struct TypedSeed(pub(crate) FieldType);

impl<'de> DeserializeSeed<'de> for TypedSeed {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        if self.0.nullable {
            d.deserialize_option(OptionVisitor(self.0.kind))
        } else {
            bare(self.0.kind, d)
        }
    }
}

fn bare<'de, D: Deserializer<'de>>(kind: Kind, d: D) -> Result<Value, D::Error> {
    use serde::Deserialize;
    Ok(match kind {
        Kind::Int => Value::Int(i64::deserialize(d)?),
        Kind::Float => Value::Float(f64::deserialize(d)?),
        Kind::Bool => Value::Bool(bool::deserialize(d)?),
        Kind::Str => Value::Str(String::deserialize(d)?),
    })
}

struct OptionVisitor(Kind);

impl<'de> Visitor<'de> for OptionVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an optional {}", self.0.name())
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        bare(self.0, d)
    }
}

/// One row: a tuple of its values in field order.
pub(crate) struct RowSer<'s, I>(pub(crate) &'s Shape, pub(crate) I);

impl<'a, I> Serialize for RowSer<'_, I>
where
    I: Iterator<Item = ValueRef<'a>> + Clone,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let fields = self.0.fields();
        let mut t = s.serialize_tuple(fields.len())?;
        for (f, v) in fields.iter().zip(self.1.clone()) {
            t.serialize_element(&Typed(v, f.ty()))?;
        }
        t.end()
    }
}

/// Rows, as a sequence of [`RowSer`] tuples.
pub(crate) struct RowsSer<F>(pub(crate) usize, pub(crate) F);

impl<F, R> Serialize for RowsSer<F>
where
    F: Fn(usize) -> R,
    R: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0))?;
        for i in 0..self.0 {
            seq.serialize_element(&(self.1)(i))?;
        }
        seq.end()
    }
}

/// Reads one row of `shape` (a tuple of its values in field order) into
/// `values`, which it clears first.
pub(crate) struct RowSeed<'a> {
    pub(crate) shape: &'a Shape,
    pub(crate) values: &'a mut Vec<Value>,
}

impl<'de> DeserializeSeed<'de> for RowSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let n = self.shape.len();
        d.deserialize_tuple(n, self)
    }
}

impl<'de> Visitor<'de> for RowSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a row of {} values", self.shape.len())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.values.clear();
        for (k, field) in self.shape.fields().iter().enumerate() {
            let v = seq
                .next_element_seed(TypedSeed(field.ty()))?
                .ok_or_else(|| de::Error::invalid_length(k, &self))?;
            self.values.push(v);
        }
        if seq.next_element::<IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_length(self.shape.len() + 1, &self));
        }
        Ok(())
    }
}

/// Reads a sequence of rows of `shape`, handing each to `push`.
pub(crate) struct RowsSeed<P> {
    pub(crate) shape: Shape,
    pub(crate) push: P,
}

impl<'de, P, E> DeserializeSeed<'de> for RowsSeed<P>
where
    P: FnMut(&[Value]) -> Result<(), E>,
    E: fmt::Display,
{
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, P, E> Visitor<'de> for RowsSeed<P>
where
    P: FnMut(&[Value]) -> Result<(), E>,
    E: fmt::Display,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence of rows")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let mut values = Vec::with_capacity(self.shape.len());
        while seq
            .next_element_seed(RowSeed {
                shape: &self.shape,
                values: &mut values,
            })?
            .is_some()
        {
            (self.push)(&values).map_err(de::Error::custom)?;
        }
        Ok(())
    }
}

/// A record as a map from field name to value, in field order.
pub(crate) fn serialize_record<S: Serializer>(r: &Record, s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(r.len()))?;
    for (f, (name, value)) in r.shape().fields().iter().zip(r.iter()) {
        map.serialize_entry(name, &Typed(value, f.ty()))?;
    }
    map.end()
}

/// Reads a [`Record`] of a given shape from the map that its `Serialize`
/// writes (field name → value), for any serde format: a record's form
/// does not include its shape, so reading one needs it.
///
/// Fields may come in any order; a nullable field left out reads as null,
/// as a missing `Option` field does with serde's derive. An unknown or
/// repeated name, a missing required field or a value of the wrong type
/// is an error.
///
/// ```
/// use leanmem::slots::{FieldType, Record, RecordSeed, Shape, ValueRef};
/// use serde::de::DeserializeSeed;
///
/// let shape = Shape::new([("id", FieldType::INT), ("email", FieldType::STR.optional())])?;
/// let r = Record::new(&shape, [7.into(), ValueRef::Null])?;
/// let json = serde_json::to_string(&r)?;
/// assert_eq!(json, r#"{"id":7,"email":null}"#);
///
/// let mut de = serde_json::Deserializer::from_str(&json);
/// assert_eq!(RecordSeed::new(&shape).deserialize(&mut de)?, r);
///
/// let mut de = serde_json::Deserializer::from_str(r#"{"id": 8}"#);
/// let r = RecordSeed::new(&shape).deserialize(&mut de)?;
/// assert_eq!(r.get("email")?, ValueRef::Null);
///
/// let mut de = serde_json::Deserializer::from_str(r#"{"id": 8, "age": 3}"#);
/// assert!(RecordSeed::new(&shape).deserialize(&mut de).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct RecordSeed<'s> {
    shape: &'s Shape,
}

impl<'s> RecordSeed<'s> {
    /// A seed that reads records of `shape`.
    #[must_use]
    pub fn new(shape: &'s Shape) -> Self {
        Self { shape }
    }
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = Record;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Record, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_> {
    type Value = Record;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a map of the fields of {}", self.shape.name())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record, A::Error> {
        let fields = self.shape.fields();
        let mut values: Vec<Option<Value>> = vec![None; fields.len()];
        while let Some(i) = map.next_key_seed(FieldSeed(self.shape))? {
            let field = &fields[i];
            if values[i].is_some() {
                return Err(de::Error::custom(format_args!(
                    "duplicate field `{}`",
                    field.name()
                )));
            }
            values[i] = Some(map.next_value_seed(TypedSeed(field.ty()))?);
        }
        let values = values
            .into_iter()
            .zip(fields)
            .map(|(v, f)| match v {
                Some(v) => Ok(v),
                None if f.ty().nullable => Ok(Value::Null),
                None => Err(de::Error::custom(format_args!(
                    "missing field `{}`",
                    f.name()
                ))),
            })
            .collect::<Result<Vec<_>, A::Error>>()?;
        Record::from_values(self.shape, &values).map_err(de::Error::custom)
    }
}

/// Reads a field name as its position in a shape.
struct FieldSeed<'s>(&'s Shape);

impl<'de> DeserializeSeed<'de> for FieldSeed<'_> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for FieldSeed<'_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a field name of {}", self.0.name())
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<usize, E> {
        self.0
            .index_of(name)
            .ok_or_else(|| E::custom(super::SlotsError::UnknownField(name.to_string())))
    }
}
