//! One record of a shape: values in slots.

use std::fmt;
use std::iter::FusedIterator;

use super::shape::Shape;
use super::value::{FieldType, Kind, Value, ValueRef};
use crate::error::SlotsError;
use crate::measure::{HeapContext, HeapSize};

/// One record of a [`Shape`]: its values in fixed slots, its strings in one
/// buffer, its field names in the shared shape — `__slots__` for data whose
/// fields are known only at run time.
///
/// ```
/// use leanmem::slots::{FieldType, Record, Shape, SlotsError, ValueRef};
///
/// let user = Shape::named("User", [
///     ("id", FieldType::INT),
///     ("name", FieldType::STR),
///     ("email", FieldType::STR.optional()),
/// ])?;
/// let mut ada = Record::new(&user, [1.into(), "ada".into(), ValueRef::Null])?;
/// assert_eq!(ada.get("name")?, ValueRef::Str("ada"));
/// ada.set("email", "ada@example.com")?;
/// assert_eq!(format!("{ada:?}"), "User(id=1, name='ada', email='ada@example.com')");
///
/// // __slots__'s AttributeError, and a TypeError: the record is unchanged.
/// assert_eq!(ada.set("age", 36), Err(SlotsError::UnknownField("age".into())));
/// assert!(matches!(ada.set("id", "one"), Err(SlotsError::TypeMismatch { .. })));
/// assert_eq!(ada.get("id")?, ValueRef::Int(1));
/// # Ok::<(), SlotsError>(())
/// ```
///
/// # Memory layout
///
/// 40 bytes inline: the shape handle (8), a boxed slice of 8-byte slots (16)
/// and a boxed `str` of the record's string bytes (16). Each field takes one
/// slot: integers and floats in place, booleans as 0/1, strings as a
/// (start, end) pair of 32-bit offsets into the string buffer. A shape with
/// nullable fields adds one slot of null bits per 64 fields. So a record of
/// `{id, name, email}` costs 40 + 3 × 8 + its string bytes, in two heap
/// blocks; the field names cost nothing per record.
#[derive(Clone)]
pub struct Record {
    shape: Shape,
    slots: Box<[u64]>,
    text: Box<str>,
}

/// Slots of a record of `shape`: one per field, plus null words.
fn slot_count(shape: &Shape) -> usize {
    let n = shape.len();
    if shape.any_nullable() {
        n + n.div_ceil(64)
    } else {
        n
    }
}

pub(crate) fn type_error(shape: &Shape, i: usize, value: ValueRef<'_>) -> SlotsError {
    let field = &shape.fields()[i];
    SlotsError::TypeMismatch {
        field: field.name().to_string(),
        expected: field.ty().to_string(),
        found: value.type_name(),
    }
}

/// Checks every value against the shape before anything is stored.
pub(crate) fn check_row(shape: &Shape, values: &[ValueRef<'_>]) -> Result<(), SlotsError> {
    if values.len() != shape.len() {
        return Err(SlotsError::WrongArity {
            expected: shape.len(),
            found: values.len(),
        });
    }
    for (i, (v, f)) in values.iter().zip(shape.fields()).enumerate() {
        if !f.ty().accepts(*v) {
            return Err(type_error(shape, i, *v));
        }
    }
    Ok(())
}

fn encode(value: ValueRef<'_>, text_start: usize, text_end: usize) -> u64 {
    match value {
        ValueRef::Null => 0,
        ValueRef::Int(x) => x as u64,
        ValueRef::Float(x) => x.to_bits(),
        ValueRef::Bool(b) => u64::from(b),
        ValueRef::Str(_) => (text_start as u64) | ((text_end as u64) << 32),
    }
}

impl Record {
    /// A record of `shape` with `values` in field order.
    ///
    /// Computes in **O(fields + string bytes)** time; two allocations.
    ///
    /// # Errors
    ///
    /// [`SlotsError::WrongArity`] for the wrong number of values,
    /// [`SlotsError::TypeMismatch`] for a value of the wrong type (`Null`
    /// in a required field included), [`SlotsError::TooLarge`] beyond 4 GiB
    /// of strings.
    ///
    /// ```
    /// use leanmem::slots::{FieldType, Record, Shape, SlotsError};
    ///
    /// let s = Shape::new([("x", FieldType::FLOAT), ("ok", FieldType::BOOL)])?;
    /// let r = Record::new(&s, [1.5.into(), true.into()])?;
    /// assert_eq!(r.to_string(), "Record(x=1.5, ok=True)");
    /// assert_eq!(
    ///     Record::new(&s, [1.5.into()]).unwrap_err(),
    ///     SlotsError::WrongArity { expected: 2, found: 1 }
    /// );
    /// # Ok::<(), SlotsError>(())
    /// ```
    pub fn new<'v>(
        shape: &Shape,
        values: impl IntoIterator<Item = ValueRef<'v>>,
    ) -> Result<Self, SlotsError> {
        let values: Vec<ValueRef<'v>> = values.into_iter().collect();
        Self::from_refs(shape, &values)
    }

    /// As [`Record::new`], from a slice.
    ///
    /// # Errors
    ///
    /// As for [`Record::new`].
    pub fn from_refs(shape: &Shape, values: &[ValueRef<'_>]) -> Result<Self, SlotsError> {
        check_row(shape, values)?;
        let text_len: usize = values.iter().map(|v| v.as_str().map_or(0, str::len)).sum();
        if u32::try_from(text_len).is_err() {
            return Err(SlotsError::TooLarge);
        }
        let mut text = String::with_capacity(text_len);
        let mut slots = vec![0u64; slot_count(shape)].into_boxed_slice();
        let n = shape.len();
        for (i, (v, f)) in values.iter().zip(shape.fields()).enumerate() {
            let start = text.len();
            if let ValueRef::Str(s) = v {
                text.push_str(s);
            }
            // A null string field still owns an empty span at its place in
            // the buffer, so string spans stay in field order.
            slots[i] = if f.ty().kind == Kind::Str {
                encode(ValueRef::Str(""), start, text.len())
            } else {
                encode(*v, start, text.len())
            };
            if v.is_null() {
                slots[n + i / 64] |= 1 << (i % 64);
            }
        }
        Ok(Self {
            shape: shape.clone(),
            slots,
            text: text.into_boxed_str(),
        })
    }

    /// The record's shape.
    #[must_use]
    pub fn shape(&self) -> &Shape {
        &self.shape
    }

    /// Number of fields.
    #[must_use]
    pub fn len(&self) -> usize {
        self.shape.len()
    }

    /// Whether the shape has no fields.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.shape.is_empty()
    }

    /// Decodes slot `i` of a field of type `ty`.
    #[inline]
    fn decode(&self, i: usize, ty: FieldType) -> ValueRef<'_> {
        if ty.nullable {
            let n = self.shape.len();
            if self.slots[n + i / 64] & (1 << (i % 64)) != 0 {
                return ValueRef::Null;
            }
        }
        let slot = self.slots[i];
        match ty.kind {
            Kind::Int => ValueRef::Int(slot as i64),
            Kind::Float => ValueRef::Float(f64::from_bits(slot)),
            Kind::Bool => ValueRef::Bool(slot != 0),
            Kind::Str => {
                let start = (slot & 0xffff_ffff) as usize;
                let end = (slot >> 32) as usize;
                ValueRef::Str(self.text.get(start..end).unwrap_or_default())
            }
        }
    }

    /// The value of field `i`, or `None` past the last field.
    ///
    /// Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::slots::{FieldType, Record, Shape, ValueRef};
    ///
    /// let s = Shape::new([("n", FieldType::INT)])?;
    /// let r = Record::new(&s, [7.into()])?;
    /// assert_eq!(r.get_index(0), Some(ValueRef::Int(7)));
    /// assert_eq!(r.get_index(1), None);
    /// # Ok::<(), leanmem::slots::SlotsError>(())
    /// ```
    #[inline]
    #[must_use]
    pub fn get_index(&self, i: usize) -> Option<ValueRef<'_>> {
        let ty = self.shape.fields().get(i)?.ty();
        Some(self.decode(i, ty))
    }

    /// The value of the field called `name`.
    ///
    /// Computes in **O(fields)** time for up to 12 fields, **O(1)** expected
    /// above (see [`Shape::index_of`]).
    ///
    /// # Errors
    ///
    /// [`SlotsError::UnknownField`] — `__slots__`'s `AttributeError`.
    #[inline]
    pub fn get(&self, name: &str) -> Result<ValueRef<'_>, SlotsError> {
        match self.shape.lookup(name) {
            Some((i, ty)) => Ok(self.decode(i, ty)),
            // Built here, not in an out-of-line function: one that returns
            // the error writes it through a pointer into the result, which
            // then lives in memory on the hit path too (12% slower,
            // `slots/get_by_name`).
            None => Err(SlotsError::UnknownField(name.to_string())),
        }
    }

    /// Sets the field called `name`.
    ///
    /// Computes in **O(1)** time for numbers and booleans; **O(string
    /// bytes of the record)** for a string, whose buffer is rebuilt.
    ///
    /// # Errors
    ///
    /// [`SlotsError::UnknownField`], [`SlotsError::TypeMismatch`] or
    /// [`SlotsError::TooLarge`]; the record is unchanged.
    pub fn set<'v>(
        &mut self,
        name: &str,
        value: impl Into<ValueRef<'v>>,
    ) -> Result<(), SlotsError> {
        let i = self
            .shape
            .index_of(name)
            .ok_or_else(|| SlotsError::UnknownField(name.to_string()))?;
        self.set_index(i, value)
    }

    /// Sets field `i`.
    ///
    /// # Errors
    ///
    /// [`SlotsError::UnknownField`] (named `#i`) past the last field;
    /// otherwise as for [`Record::set`].
    pub fn set_index<'v>(
        &mut self,
        i: usize,
        value: impl Into<ValueRef<'v>>,
    ) -> Result<(), SlotsError> {
        let value = value.into();
        let Some(field) = self.shape.fields().get(i) else {
            return Err(SlotsError::UnknownField(format!("#{i}")));
        };
        let ty = field.ty();
        if !ty.accepts(value) {
            return Err(type_error(&self.shape, i, value));
        }
        if ty.kind == Kind::Str {
            self.replace_text(i, value.as_str().unwrap_or(""))?;
        } else {
            self.slots[i] = encode(value, 0, 0);
        }
        if ty.nullable {
            let n = self.shape.len();
            let bit = 1 << (i % 64);
            if value.is_null() {
                self.slots[n + i / 64] |= bit;
            } else {
                self.slots[n + i / 64] &= !bit;
            }
        }
        Ok(())
    }

    /// Replaces string field `i`'s bytes with `new`, shifting the offsets of
    /// the string fields after it.
    fn replace_text(&mut self, i: usize, new: &str) -> Result<(), SlotsError> {
        let slot = self.slots[i];
        let start = (slot & 0xffff_ffff) as usize;
        let end = (slot >> 32) as usize;
        let len = self.text.len() - (end - start) + new.len();
        if u32::try_from(len).is_err() {
            return Err(SlotsError::TooLarge);
        }
        let mut text = String::with_capacity(len);
        text.push_str(&self.text[..start]);
        text.push_str(new);
        text.push_str(&self.text[end..]);
        self.text = text.into_boxed_str();
        let delta = new.len() as i64 - (end - start) as i64;
        self.slots[i] = (start as u64) | (((start + new.len()) as u64) << 32);
        for (j, f) in self.shape.fields().iter().enumerate().skip(i + 1) {
            if f.ty().kind == Kind::Str {
                let s = self.slots[j];
                let a = ((s & 0xffff_ffff) as i64 + delta) as u64;
                let b = (((s >> 32) as i64) + delta) as u64;
                self.slots[j] = a | (b << 32);
            }
        }
        Ok(())
    }

    /// Adds a field: the record moves to the shape's
    /// [transition](Shape::with_field) for it (shared with every record
    /// that gained the same field), and its slots are rebuilt.
    ///
    /// Computes in **O(fields + string bytes)** time, plus building the new
    /// shape the first time any record of this shape gains this field.
    ///
    /// # Errors
    ///
    /// [`SlotsError::DuplicateField`] if the field exists,
    /// [`SlotsError::TypeMismatch`] if `value` does not fit `ty`,
    /// [`SlotsError::TooManyFields`] beyond [`MAX_FIELDS`](super::MAX_FIELDS),
    /// [`SlotsError::TooLarge`] beyond 4 GiB of strings; the record is
    /// unchanged.
    ///
    /// ```
    /// use leanmem::slots::{FieldType, Record, Shape, ValueRef};
    ///
    /// let point = Shape::named("Point", [("x", FieldType::INT)])?;
    /// let mut a = Record::new(&point, [1.into()])?;
    /// let mut b = Record::new(&point, [2.into()])?;
    /// a.add_field("y", FieldType::INT, 10)?;
    /// b.add_field("y", FieldType::INT, 20)?;
    /// assert!(a.shape().ptr_eq(b.shape()));
    /// assert_eq!(b.get("y")?, ValueRef::Int(20));
    /// # Ok::<(), leanmem::slots::SlotsError>(())
    /// ```
    pub fn add_field<'v>(
        &mut self,
        name: &str,
        ty: FieldType,
        value: impl Into<ValueRef<'v>>,
    ) -> Result<(), SlotsError> {
        let value = value.into();
        // Checked before the transition is made: a refused field must not
        // leave a shape built for nothing in the shared shape's cache.
        if self.shape.index_of(name).is_some() {
            return Err(SlotsError::DuplicateField(name.to_string()));
        }
        if !ty.accepts(value) {
            return Err(SlotsError::TypeMismatch {
                field: name.to_string(),
                expected: ty.to_string(),
                found: value.type_name(),
            });
        }
        let shape = self.shape.with_field(name, ty)?;
        let mut values: Vec<ValueRef<'_>> = self.iter().map(|(_, v)| v).collect();
        values.push(value);
        *self = Record::from_refs(&shape, &values)?;
        Ok(())
    }

    /// `(name, value)` pairs in field order.
    pub fn iter(
        &self,
    ) -> impl ExactSizeIterator<Item = (&str, ValueRef<'_>)> + DoubleEndedIterator + FusedIterator + '_
    {
        self.shape
            .fields()
            .iter()
            .enumerate()
            .map(move |(i, f)| (f.name(), self.get_index(i).unwrap_or(ValueRef::Null)))
    }

    /// The values, owned, in field order.
    #[must_use]
    pub fn to_values(&self) -> Vec<Value> {
        self.iter().map(|(_, v)| v.to_owned()).collect()
    }
}

impl PartialEq for Record {
    /// Equal shapes and equal values.
    fn eq(&self, other: &Self) -> bool {
        self.shape == other.shape && self.iter().zip(other.iter()).all(|(a, b)| a.1 == b.1)
    }
}

impl fmt::Debug for Record {
    /// A dataclass repr: `User(id=1, name='ada', email=None)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.shape.name())?;
        for (i, (name, value)) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{name}={value}")?;
        }
        f.write_str(")")
    }
}

impl fmt::Display for Record {
    /// The same dataclass repr as `Debug`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl HeapSize for Record {
    /// The slots and the string buffer, plus the shared shape the first
    /// time it is reached in `cx`.
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.shape.heap_size_with(cx) + self.slots.heap_size_with(cx) + self.text.heap_size_with(cx)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Record {
    /// A map from field name to value, in field order, each value as its
    /// field's type says (an `Option` for a nullable field). The shape is
    /// not included: a record reads back against its shape with
    /// [`RecordSeed`](super::RecordSeed). As for
    /// [`Table`](super::Table), `serde_json` writes non-finite floats as
    /// `null`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        super::serde_impl::serialize_record(self, s)
    }
}

impl Record {
    /// A record of `shape` from owned values (as read back from a serialized
    /// map, for instance).
    ///
    /// # Errors
    ///
    /// As for [`Record::new`].
    pub fn from_values(shape: &Shape, values: &[Value]) -> Result<Self, SlotsError> {
        let refs: Vec<ValueRef<'_>> = values.iter().map(Value::as_ref).collect();
        Self::from_refs(shape, &refs)
    }
}
