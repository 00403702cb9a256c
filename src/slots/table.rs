//! Many records of one shape, stored by column.

use std::fmt;
use std::iter::FusedIterator;

use super::column::{BoolColumn, FloatColumn};
use super::ints::IntColumn;
use super::record::{Record, check_row, type_error};
use super::shape::Shape;
use super::strs::{StrColumn, StrEncoding};
use super::value::{Kind, Value, ValueRef};
use crate::error::SlotsError;
use crate::measure::{HeapContext, HeapSize};

#[derive(Debug, Clone, PartialEq)]
enum Data {
    Int(IntColumn<i64>),
    Float(FloatColumn),
    Bool(BoolColumn),
    Str(StrColumn),
}

#[derive(Debug, Clone)]
struct Column {
    data: Data,
    /// Validity bits, for nullable fields only.
    valid: Option<BoolColumn>,
}

/// Equal values, and nulls in the same rows: not the placeholders under
/// the nulls, which depend on the order of pushes and sets.
impl PartialEq for Column {
    fn eq(&self, other: &Self) -> bool {
        if self.valid != other.valid {
            return false;
        }
        match (&self.data, &other.data, &self.valid) {
            (Data::Int(a), Data::Int(b), Some(valid)) => a.eq_where(b, valid),
            (a, b, _) => a == b,
        }
    }
}

impl Column {
    fn new(kind: Kind, nullable: bool) -> Self {
        let data = match kind {
            Kind::Int => Data::Int(IntColumn::new()),
            Kind::Float => Data::Float(FloatColumn::new()),
            Kind::Bool => Data::Bool(BoolColumn::new()),
            Kind::Str => Data::Str(StrColumn::new()),
        };
        Self {
            data,
            valid: nullable.then(BoolColumn::new),
        }
    }

    /// Appends a value already checked against the field's type.
    fn push(&mut self, v: ValueRef<'_>) -> Result<(), SlotsError> {
        match &mut self.data {
            Data::Int(c) => match v.as_int() {
                Some(x) => c.push_i64(x),
                None => c.push_null(),
            },
            Data::Float(c) => c.push(v.as_float().unwrap_or(0.0)),
            Data::Bool(c) => c.push(v.as_bool().unwrap_or(false)),
            Data::Str(c) => c.push(v.as_str().unwrap_or(""))?,
        }
        if let Some(valid) = &mut self.valid {
            valid.push(!v.is_null());
        }
        Ok(())
    }

    #[inline]
    fn get(&self, i: usize) -> Option<ValueRef<'_>> {
        if let Some(valid) = &self.valid {
            if !valid.get(i)? {
                return Some(ValueRef::Null);
            }
        }
        Some(match &self.data {
            Data::Int(c) => ValueRef::Int(c.get_i64(i)?),
            Data::Float(c) => ValueRef::Float(c.get(i)?),
            Data::Bool(c) => ValueRef::Bool(c.get(i)?),
            Data::Str(c) => ValueRef::Str(c.get(i)?),
        })
    }

    /// A string column about to choose its encoding chooses now, so that
    /// [`fits`](Self::fits) answers for the store that will take a value.
    fn prepare(&mut self) {
        if let Data::Str(c) = &mut self.data {
            c.prepare();
        }
    }

    fn fits(&self, v: ValueRef<'_>) -> bool {
        match (&self.data, v) {
            (Data::Str(c), ValueRef::Str(s)) => c.fits(s),
            _ => true,
        }
    }

    fn reserve(&mut self, rows: usize) {
        match &mut self.data {
            Data::Int(c) => c.reserve(rows),
            Data::Float(c) => c.reserve(rows),
            Data::Bool(c) => c.reserve(rows),
            Data::Str(c) => c.reserve(rows),
        }
        if let Some(v) = &mut self.valid {
            v.reserve(rows);
        }
    }

    fn shrink_to_fit(&mut self) {
        match &mut self.data {
            Data::Int(c) => c.shrink_to_fit(),
            Data::Float(c) => c.shrink_to_fit(),
            Data::Bool(c) => c.shrink_to_fit(),
            Data::Str(c) => c.shrink_to_fit(),
        }
        if let Some(v) = &mut self.valid {
            v.shrink_to_fit();
        }
    }

    fn truncate(&mut self, n: usize) {
        if let Some(v) = &mut self.valid {
            v.truncate(n);
        }
        match (&mut self.data, &self.valid) {
            (Data::Int(c), Some(valid)) => c.truncate_nullable(n, valid),
            (Data::Int(c), None) => c.truncate(n),
            (Data::Float(c), _) => c.truncate(n),
            (Data::Bool(c), _) => c.truncate(n),
            (Data::Str(c), _) => c.truncate(n),
        }
    }

    fn clear(&mut self) {
        match &mut self.data {
            Data::Int(c) => c.clear(),
            Data::Float(c) => c.clear(),
            Data::Bool(c) => c.clear(),
            Data::Str(c) => c.clear(),
        }
        if let Some(v) = &mut self.valid {
            v.clear();
        }
    }
}

impl HeapSize for Column {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        let data = match &self.data {
            Data::Int(c) => c.heap_size_with(cx),
            Data::Float(c) => c.heap_size_with(cx),
            Data::Bool(c) => c.heap_size_with(cx),
            Data::Str(c) => c.heap_size_with(cx),
        };
        data + self.valid.heap_size_with(cx)
    }
}

/// Many records of one [`Shape`], stored by column: the columnar end of the
/// `__slots__` idea, where each record costs only its values.
///
/// ```
/// use leanmem::slots::{FieldType, Shape, Table, ValueRef};
///
/// let user = Shape::named("User", [("id", FieldType::INT), ("name", FieldType::STR)])?;
/// let mut users = Table::new(&user);
/// for (id, name) in [(1, "ada"), (2, "grace"), (3, "edsger")] {
///     users.push_row(&[ValueRef::Int(id), ValueRef::Str(name)])?;
/// }
/// assert_eq!(users.len(), 3);
/// assert_eq!(users.row(1).unwrap().get("name")?, ValueRef::Str("grace"));
///
/// // Scan a column without touching the others.
/// let ids = users.column("id")?.as_ints().unwrap();
/// assert_eq!(ids.iter().sum::<i64>(), 6);
/// # Ok::<(), leanmem::slots::SlotsError>(())
/// ```
///
/// # Memory layout
///
/// One column per field, each in chunks of [`CHUNK`](super::CHUNK) rows.
/// A full chunk is sealed: its integers and string offsets are bit-packed
/// with [`PackedVec`](crate::packed::PackedVec) at the width that chunk's
/// own range needs, and it never moves again — so building a table never
/// copies what it holds and leaves at most one chunk of slack per column
/// (bits, for booleans and nulls, grow by doubling: at most twice their
/// one bit a row).
///
/// | field type | bytes per row |
/// |---|---|
/// | int | the bits its chunk's range needs (ids: 12 bits), at most 8 bytes |
/// | float | 8 |
/// | bool | 1/8 |
/// | str, bytes encoding | its UTF-8 bytes + its end offset's bits (2–3 bytes) |
/// | str, interned ([`StrEncoding`]) | the bits of a symbol (3 for 6 distinct values), plus each distinct string once |
/// | nullable (any) | + 1/8 (a validity bit) |
///
/// On a million `{id: int, name: str, email: str}` users that is 39.5
/// bytes per row, 33.8 of them the strings' own bytes, against 109 for a
/// `Vec` of `struct {u64, String, String}` and 324 for a `HashMap` per
/// record (`examples/memory_report`).
#[derive(Clone, PartialEq)]
pub struct Table {
    shape: Shape,
    columns: Vec<Column>,
    len: usize,
}

impl Table {
    /// An empty table of `shape`. Allocates its list of columns (one
    /// allocation), and nothing more until the first row.
    #[must_use]
    pub fn new(shape: &Shape) -> Self {
        let columns = shape
            .fields()
            .iter()
            .map(|f| Column::new(f.ty().kind, f.ty().nullable))
            .collect();
        Self {
            shape: shape.clone(),
            columns,
            len: 0,
        }
    }

    /// An empty table with room for `rows` rows (their fixed-size parts; see
    /// [`Table::reserve`]).
    #[must_use]
    pub fn with_capacity(shape: &Shape, rows: usize) -> Self {
        let mut t = Self::new(shape);
        t.reserve(rows);
        t
    }

    /// A table of `shape` holding `records`.
    ///
    /// # Errors
    ///
    /// As for [`Table::push_record`]; the records stay the caller's.
    pub fn from_records<'r>(
        shape: &Shape,
        records: impl IntoIterator<Item = &'r Record>,
    ) -> Result<Self, SlotsError> {
        let mut t = Self::new(shape);
        for r in records {
            t.push_record(r)?;
        }
        Ok(t)
    }

    /// The table's shape.
    #[must_use]
    pub fn shape(&self) -> &Shape {
        &self.shape
    }

    /// Number of rows.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the table has no rows.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends a row of values in field order.
    ///
    /// Computes in amortized **O(fields + string bytes)** time.
    ///
    /// # Errors
    ///
    /// [`SlotsError::WrongArity`], [`SlotsError::TypeMismatch`] or
    /// [`SlotsError::TooLarge`]: every value is checked before any is
    /// stored, so a refused row leaves the table unchanged.
    ///
    /// ```
    /// use leanmem::slots::{FieldType, Shape, SlotsError, Table, ValueRef};
    ///
    /// let s = Shape::new([("n", FieldType::INT), ("tag", FieldType::STR.optional())])?;
    /// let mut t = Table::new(&s);
    /// t.push_row(&[ValueRef::Int(1), ValueRef::Null])?;
    /// let err = t.push_row(&[ValueRef::Str("x"), ValueRef::Null]).unwrap_err();
    /// assert!(matches!(err, SlotsError::TypeMismatch { .. }));
    /// assert_eq!(t.len(), 1);
    /// # Ok::<(), SlotsError>(())
    /// ```
    pub fn push_row(&mut self, values: &[ValueRef<'_>]) -> Result<(), SlotsError> {
        check_row(&self.shape, values)?;
        for c in &mut self.columns {
            c.prepare();
        }
        if !self.columns.iter().zip(values).all(|(c, v)| c.fits(*v)) {
            return Err(SlotsError::TooLarge);
        }
        for (c, v) in self.columns.iter_mut().zip(values) {
            // Checked above: type and size, so this cannot fail.
            c.push(*v)?;
        }
        self.len += 1;
        Ok(())
    }

    /// Appends a record's values. A record of another shape is matched by
    /// field name: it must have the table's fields (in any order), with
    /// values of their types.
    ///
    /// # Errors
    ///
    /// As for [`Table::push_row`], and [`SlotsError::UnknownField`] naming
    /// a field of the table that the record lacks; the table is unchanged.
    ///
    /// ```
    /// use leanmem::slots::{FieldType, Record, Shape, Table, ValueRef};
    ///
    /// let table_shape = Shape::new([("email", FieldType::STR), ("name", FieldType::STR)])?;
    /// let other = Shape::new([("name", FieldType::STR), ("email", FieldType::STR)])?;
    /// let mut t = Table::new(&table_shape);
    /// t.push_record(&Record::new(&other, ["ada".into(), "ada@x".into()])?)?;
    /// assert_eq!(t.get(0, "name")?, Some(ValueRef::Str("ada")));
    /// # Ok::<(), leanmem::slots::SlotsError>(())
    /// ```
    pub fn push_record(&mut self, record: &Record) -> Result<(), SlotsError> {
        let values: Vec<ValueRef<'_>> = if record.shape().ptr_eq(&self.shape) {
            record.iter().map(|(_, v)| v).collect()
        } else {
            if record.len() != self.shape.len() {
                return Err(SlotsError::WrongArity {
                    expected: self.shape.len(),
                    found: record.len(),
                });
            }
            self.shape
                .fields()
                .iter()
                .map(|f| record.get(f.name()))
                .collect::<Result<_, _>>()?
        };
        self.push_row(&values)
    }

    /// Row `i` as a borrowed view, or `None` past the end. **O(1)**.
    #[must_use]
    pub fn row(&self, i: usize) -> Option<Row<'_>> {
        (i < self.len).then_some(Row { table: self, i })
    }

    /// The value at row `i`, field `name`.
    ///
    /// # Errors
    ///
    /// [`SlotsError::UnknownField`]; `Ok(None)` past the last row.
    pub fn get(&self, i: usize, name: &str) -> Result<Option<ValueRef<'_>>, SlotsError> {
        let (f, _) = self.shape.field(name)?;
        Ok(self.columns[f].get(i))
    }

    /// Sets the value at row `i`, field `name`.
    ///
    /// **O(1)** for numbers and booleans, except **O([`CHUNK`](super::CHUNK))**
    /// for an integer outside the frame of its packed chunk, which re-packs
    /// the chunk, and for the first value set among nulls waiting at the
    /// start of the growing chunk (they all take it as their placeholder);
    /// a string (or a null in a string field) rebuilds its chunk's buffer,
    /// **O([`CHUNK`](super::CHUNK) strings)**.
    ///
    /// # Errors
    ///
    /// [`SlotsError::UnknownField`], [`SlotsError::TypeMismatch`],
    /// [`SlotsError::TooLarge`]; `Ok(false)` past the last row. The table is
    /// unchanged on error.
    pub fn set<'v>(
        &mut self,
        i: usize,
        name: &str,
        value: impl Into<ValueRef<'v>>,
    ) -> Result<bool, SlotsError> {
        let value = value.into();
        let (f, field) = self.shape.field(name)?;
        if !field.ty().accepts(value) {
            return Err(type_error(&self.shape, f, value));
        }
        if i >= self.len {
            return Ok(false);
        }
        let column = &mut self.columns[f];
        match &mut column.data {
            // A null keeps the old value as its placeholder: no re-pack.
            Data::Int(c) => value.as_int().is_none_or(|x| c.set_i64(i, x)),
            Data::Float(c) => c.set(i, value.as_float().unwrap_or(0.0)),
            Data::Bool(c) => c.set(i, value.as_bool().unwrap_or(false)),
            Data::Str(c) => c.set(i, value.as_str().unwrap_or(""))?,
        };
        if let Some(valid) = &mut column.valid {
            valid.set(i, !value.is_null());
        }
        Ok(true)
    }

    /// Chooses how the string column `name` stores its strings (see
    /// [`StrEncoding`]; columns start as [`StrEncoding::Auto`]). Rows
    /// already stored are re-encoded: **O(rows of the column)**.
    ///
    /// # Errors
    ///
    /// [`SlotsError::UnknownField`], [`SlotsError::TypeMismatch`] if the
    /// field is not a string, or [`SlotsError::TooLarge`] if a chunk's
    /// strings, stored as bytes, would pass 4 GiB; the table is unchanged.
    ///
    /// ```
    /// use leanmem::slots::{FieldType, Shape, StrEncoding, Table, ValueRef};
    ///
    /// let s = Shape::new([("level", FieldType::STR)])?;
    /// let mut t = Table::new(&s);
    /// t.set_str_encoding("level", StrEncoding::Interned)?;
    /// for l in ["INFO", "WARN", "INFO"] {
    ///     t.push_row(&[ValueRef::Str(l)])?;
    /// }
    /// let levels = t.column("level")?.as_strs().unwrap();
    /// assert_eq!(levels.distinct(), Some(2));
    /// # Ok::<(), leanmem::slots::SlotsError>(())
    /// ```
    pub fn set_str_encoding(
        &mut self,
        name: &str,
        encoding: StrEncoding,
    ) -> Result<(), SlotsError> {
        let (f, field) = self.shape.field(name)?;
        let Data::Str(old) = &self.columns[f].data else {
            return Err(SlotsError::TypeMismatch {
                field: name.to_string(),
                expected: field.ty().to_string(),
                found: "str",
            });
        };
        let mut new = StrColumn::with_encoding(encoding);
        new.reserve(old.len());
        for s in old.iter() {
            new.push(s)?;
        }
        self.columns[f].data = Data::Str(new);
        Ok(())
    }

    /// The column called `name`, for scans that touch only it.
    ///
    /// # Errors
    ///
    /// [`SlotsError::UnknownField`].
    pub fn column(&self, name: &str) -> Result<ColumnRef<'_>, SlotsError> {
        let (f, _) = self.shape.field(name)?;
        Ok(ColumnRef {
            column: &self.columns[f],
        })
    }

    /// The rows in order.
    pub fn iter(
        &self,
    ) -> impl ExactSizeIterator<Item = Row<'_>> + DoubleEndedIterator + FusedIterator + '_ {
        (0..self.len).map(move |i| Row { table: self, i })
    }

    /// Reserves room for `rows` more rows: each column's chunk list and
    /// current chunk (string bytes still grow as they arrive).
    ///
    /// # Panics
    ///
    /// If the row count overflows `usize` (as for `Vec::reserve`).
    pub fn reserve(&mut self, rows: usize) {
        for c in &mut self.columns {
            c.reserve(rows);
        }
    }

    /// Releases unused capacity: at most the current chunk's, since sealed
    /// chunks are exact.
    pub fn shrink_to_fit(&mut self) {
        for c in &mut self.columns {
            c.shrink_to_fit();
        }
    }

    /// Keeps the first `len` rows and drops the rest (nothing if there are
    /// no more). Computes in **O(fields + chunks dropped)** time, plus
    /// **O(fields · [`CHUNK`](super::CHUNK))** when it cuts into a full
    /// chunk, which is
    /// unpacked to grow again, or leaves a nullable int column only nulls
    /// in its last chunk (they get the placeholder of nulls just pushed, so
    /// that they do not widen the chunk's packing). Keeps the capacity of
    /// the chunks kept; an interned string column keeps the strings it has
    /// seen.
    ///
    /// ```
    /// use leanmem::slots::{FieldType, Shape, Table};
    ///
    /// let shape = Shape::new([("n", FieldType::INT)])?;
    /// let mut t = Table::new(&shape);
    /// for n in 0..10_000 {
    ///     t.push_row(&[n.into()])?;
    /// }
    /// t.truncate(4_100);
    /// assert_eq!(t.len(), 4_100);
    /// assert_eq!(t.get(4_099, "n")?, Some(4_099.into()));
    /// assert_eq!(t.get(4_100, "n")?, None);
    /// # Ok::<(), leanmem::slots::SlotsError>(())
    /// ```
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        for c in &mut self.columns {
            c.truncate(len);
        }
        self.len = len;
    }

    /// Removes the last row and returns its values, or `None` if empty.
    /// Costs as [`truncate`](Self::truncate) does.
    ///
    /// ```
    /// use leanmem::slots::{FieldType, Shape, Table, Value, ValueRef};
    ///
    /// let shape = Shape::new([("n", FieldType::INT), ("s", FieldType::STR.optional())])?;
    /// let mut t = Table::new(&shape);
    /// t.push_row(&[1.into(), "one".into()])?;
    /// t.push_row(&[2.into(), ValueRef::Null])?;
    /// assert_eq!(t.pop(), Some(vec![Value::Int(2), Value::Null]));
    /// assert_eq!(t.len(), 1);
    /// # Ok::<(), leanmem::slots::SlotsError>(())
    /// ```
    pub fn pop(&mut self) -> Option<Vec<Value>> {
        let values = self.row(self.len.checked_sub(1)?)?.to_values();
        self.truncate(self.len - 1);
        Some(values)
    }

    /// Removes every row.
    pub fn clear(&mut self) {
        for c in &mut self.columns {
            c.clear();
        }
        self.len = 0;
    }
}

impl HeapSize for Table {
    /// Every column, the column list, and the shared shape the first time
    /// it is reached in `cx`.
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.shape.heap_size_with(cx) + self.columns.heap_size_with(cx)
    }
}

impl fmt::Debug for Table {
    /// A list of dataclass reprs: `[User(id=1, name='ada'), ...]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// One row of a [`Table`], borrowed.
#[derive(Clone, Copy)]
pub struct Row<'t> {
    table: &'t Table,
    i: usize,
}

impl<'t> Row<'t> {
    /// The row's position in the table.
    #[must_use]
    pub fn index(&self) -> usize {
        self.i
    }

    /// The value of the field called `name`.
    ///
    /// # Errors
    ///
    /// [`SlotsError::UnknownField`].
    pub fn get(&self, name: &str) -> Result<ValueRef<'t>, SlotsError> {
        let (f, _) = self.table.shape.field(name)?;
        Ok(self.table.columns[f].get(self.i).unwrap_or(ValueRef::Null))
    }

    /// The value of field `f`, or `None` past the last field.
    #[must_use]
    pub fn get_index(&self, f: usize) -> Option<ValueRef<'t>> {
        self.table.columns.get(f)?.get(self.i)
    }

    /// `(name, value)` pairs in field order.
    pub fn iter(
        &self,
    ) -> impl ExactSizeIterator<Item = (&'t str, ValueRef<'t>)> + DoubleEndedIterator + FusedIterator + 't
    {
        let (table, i) = (self.table, self.i);
        table
            .shape
            .fields()
            .iter()
            .zip(&table.columns)
            .map(move |(f, c)| (f.name(), c.get(i).unwrap_or(ValueRef::Null)))
    }

    /// The row as an owned [`Record`].
    ///
    /// # Errors
    ///
    /// [`SlotsError::TooLarge`] if the row's strings together pass the
    /// 4 GiB a record can hold (each column chunk has its own 4 GiB).
    pub fn to_record(&self) -> Result<Record, SlotsError> {
        let values: Vec<ValueRef<'_>> = self.iter().map(|(_, v)| v).collect();
        Record::from_refs(&self.table.shape, &values)
    }

    /// The values, owned, in field order.
    #[must_use]
    pub fn to_values(&self) -> Vec<Value> {
        self.iter().map(|(_, v)| v.to_owned()).collect()
    }
}

impl fmt::Debug for Row<'_> {
    /// A dataclass repr: `User(id=1, name='ada')`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.table.shape.name())?;
        for (k, (name, value)) in self.iter().enumerate() {
            if k > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{name}={value}")?;
        }
        f.write_str(")")
    }
}

/// One column of a [`Table`], borrowed: typed access for fast scans.
#[derive(Debug, Clone, Copy)]
pub struct ColumnRef<'t> {
    column: &'t Column,
}

impl<'t> ColumnRef<'t> {
    /// The integers, if this is an int column (placeholders where null).
    #[must_use]
    pub fn as_ints(&self) -> Option<&'t IntColumn<i64>> {
        if let Data::Int(c) = &self.column.data {
            Some(c)
        } else {
            None
        }
    }

    /// The floats, if this is a float column (placeholders where null).
    #[must_use]
    pub fn as_floats(&self) -> Option<&'t FloatColumn> {
        if let Data::Float(c) = &self.column.data {
            Some(c)
        } else {
            None
        }
    }

    /// The booleans, if this is a bool column (placeholders where null).
    #[must_use]
    pub fn as_bools(&self) -> Option<&'t BoolColumn> {
        if let Data::Bool(c) = &self.column.data {
            Some(c)
        } else {
            None
        }
    }

    /// The strings, if this is a str column (placeholders where null).
    #[must_use]
    pub fn as_strs(&self) -> Option<&'t StrColumn> {
        if let Data::Str(c) = &self.column.data {
            Some(c)
        } else {
            None
        }
    }

    /// The validity bits, for a nullable field (`true` where not null).
    #[must_use]
    pub fn validity(&self) -> Option<&'t BoolColumn> {
        self.column.valid.as_ref()
    }

    /// The value of row `i`.
    #[must_use]
    pub fn get(&self, i: usize) -> Option<ValueRef<'t>> {
        self.column.get(i)
    }

    /// The values in row order.
    pub fn iter(&self) -> impl Iterator<Item = ValueRef<'t>> + 't {
        let column = self.column;
        (0..).map_while(move |i| column.get(i))
    }
}

#[cfg(feature = "serde")]
mod serde_impl {
    use std::fmt;

    use super::Table;
    use crate::slots::SlotsError;
    use crate::slots::serde_impl::{RowSer, RowsSeed, RowsSer};
    use crate::slots::shape::Shape;
    use crate::slots::value::{Value, ValueRef};
    use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde::ser::{Serialize, SerializeStruct, Serializer};

    impl Serialize for Table {
        /// `{"shape": {...}, "rows": [[v, ...], ...]}`: each row a tuple of
        /// its values in field order, each value as its field's type says
        /// (an `Option` for a nullable field), so the form has no type tags
        /// and reads back from formats that are not self-describing
        /// (postcard, bincode) as well as from JSON. Rows are written as
        /// they are read from the columns, without a copy of the table.
        /// The string columns' encodings are not kept (a deserialized table
        /// chooses again). Formats without non-finite floats lose them:
        /// `serde_json` writes NaN and ±inf as `null`, which an optional
        /// float field reads back as null and a required one refuses; and
        /// it reads finite floats back exactly only with its
        /// `float_roundtrip` feature (without it, the last digit may move).
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let rows = RowsSer(self.len, |i| {
                RowSer(
                    &self.shape,
                    self.columns
                        .iter()
                        .map(move |c| c.get(i).unwrap_or(ValueRef::Null)),
                )
            });
            let mut st = s.serialize_struct("Table", 2)?;
            st.serialize_field("shape", &self.shape)?;
            st.serialize_field("rows", &rows)?;
            st.end()
        }
    }

    #[derive(serde::Deserialize)]
    #[serde(field_identifier, rename_all = "lowercase")]
    enum Key {
        Shape,
        Rows,
    }

    /// Reads the rows of `table` into it.
    fn rows_of(table: &mut Table) -> RowsSeed<impl FnMut(&[Value]) -> Result<(), SlotsError> + '_> {
        RowsSeed {
            shape: table.shape.clone(),
            push: move |values: &[Value]| {
                let refs: Vec<ValueRef<'_>> = values.iter().map(Value::as_ref).collect();
                table.push_row(&refs)
            },
        }
    }

    struct TableVisitor;

    impl<'de> Visitor<'de> for TableVisitor {
        type Value = Table;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a table: its shape, then its rows")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Table, A::Error> {
            let shape: Shape = seq
                .next_element()?
                .ok_or_else(|| de::Error::invalid_length(0, &self))?;
            let mut table = Table::new(&shape);
            seq.next_element_seed(rows_of(&mut table))?
                .ok_or_else(|| de::Error::invalid_length(1, &self))?;
            Ok(table)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Table, A::Error> {
            let mut table = None;
            let mut rows = false;
            while let Some(key) = map.next_key()? {
                match key {
                    Key::Shape if table.is_some() => {
                        return Err(de::Error::duplicate_field("shape"));
                    }
                    Key::Shape => table = Some(Table::new(&map.next_value::<Shape>()?)),
                    Key::Rows if rows => return Err(de::Error::duplicate_field("rows")),
                    Key::Rows => {
                        let t = table.as_mut().ok_or_else(|| {
                            de::Error::custom("a table's `shape` must come before its `rows`")
                        })?;
                        map.next_value_seed(rows_of(t))?;
                        rows = true;
                    }
                }
            }
            let table = table.ok_or_else(|| de::Error::missing_field("shape"))?;
            if !rows {
                return Err(de::Error::missing_field("rows"));
            }
            Ok(table)
        }
    }

    impl<'de> Deserialize<'de> for Table {
        /// Reads what `Serialize` wrote, checking every row against the
        /// shape as [`Table::push_row`] does. Rows are read straight into
        /// the table as they come, so in a map (JSON) the `shape` key must
        /// come before `rows`, as `Serialize` writes them: a document whose
        /// keys were reordered (sorted, say) is refused with an error
        /// saying so.
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_struct("Table", &["shape", "rows"], TableVisitor)
        }
    }
}
