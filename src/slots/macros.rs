//! Compile-time schemas: the [`slots!`](crate::slots!) macro and the traits
//! its generated code uses.

use std::fmt::{self, Debug};

use super::column::{BoolColumn, FloatColumn, Nullable};
use super::ints::{IntColumn, IntSlot};
use super::strs::StrColumn;
use super::value::{FieldType, ValueRef};
use crate::error::SlotsError;
use crate::measure::HeapSize;

/// Why a [`ValueRef`] cannot become a field's Rust type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueError {
    /// The value has another type.
    Type,
    /// The integer does not fit the field's integer type.
    Range(i64),
}

impl ValueError {
    /// The [`SlotsError`] for field `field` of type `ty` given `value`.
    #[must_use]
    pub fn for_field(self, field: &str, ty: FieldType, value: ValueRef<'_>) -> SlotsError {
        match self {
            ValueError::Type => SlotsError::TypeMismatch {
                field: field.to_string(),
                expected: ty.to_string(),
                found: value.type_name(),
            },
            ValueError::Range(v) => SlotsError::OutOfRange {
                field: field.to_string(),
                value: v,
            },
        }
    }
}

/// A Rust type that can be a field of a [`slots!`](crate::slots!) struct:
/// its field type, its column, and conversions to and from [`ValueRef`].
///
/// Implemented for `i8`–`i64`, `u8`–`u64`, `usize`, `f64`, `bool`,
/// `String`, and `Option` of any of them. Integers travel as `i64`
/// ([`ValueRef::Int`]): setting a negative value on an unsigned field is
/// [`ValueError::Range`], and a `u64` above `i64::MAX` reads back through
/// [`ValueRef`] wrapped to a negative number (the columns store and return
/// it exactly).
pub trait SlotValue: Sized {
    /// The field type in the struct's [`Shape`](super::Shape).
    const TYPE: FieldType;
    /// The column that stores this type in the generated table.
    type Column: SlotColumn<Self>;
    /// A borrowed view of the value.
    fn to_value_ref(&self) -> ValueRef<'_>;
    /// The value from a [`ValueRef`].
    ///
    /// # Errors
    ///
    /// [`ValueError`] if the value has another type or is out of range.
    fn from_value_ref(value: ValueRef<'_>) -> Result<Self, ValueError>;
}

/// The name of a field from its identifier as `stringify!` spells it: a
/// raw identifier (`r#type`) names the field `type`. Used by [`slots!`].
#[doc(hidden)]
#[must_use]
pub const fn field_name(ident: &'static str) -> &'static str {
    match ident.as_bytes() {
        [b'r', b'#', rest @ ..] => match std::str::from_utf8(rest) {
            Ok(name) => name,
            Err(_) => ident,
        },
        _ => ident,
    }
}

/// A column of a generated table.
pub trait SlotColumn<T>: Default + Clone + Debug + HeapSize {
    /// Rows stored.
    fn rows(&self) -> usize;
    /// Settles what the next push depends on (a string column about to
    /// choose its encoding chooses), so that [`can_push`](Self::can_push)
    /// is exact. Changes no value.
    fn prepare(&mut self) {}
    /// Whether `value` can be appended (strings: room in the chunk), after
    /// [`prepare`](Self::prepare).
    fn can_push(&self, value: &T) -> bool;
    /// Appends a value checked with [`can_push`](Self::can_push).
    fn push_value(&mut self, value: &T);
    /// Appends the placeholder of a null in a [`Nullable`] column: by
    /// default `T::default()`; integer columns choose a value that does
    /// not widen their packing.
    #[doc(hidden)]
    fn push_null(&mut self)
    where
        T: Default,
    {
        self.push_value(&T::default());
    }
    /// Row `i`, owned.
    fn get_value(&self, i: usize) -> Option<T>;
    /// Row `i`, borrowed.
    fn get_ref(&self, i: usize) -> Option<ValueRef<'_>>;
    /// Writes row `i` as Python's `repr` would (`None` where null or past
    /// the end), for the generated table's `Debug`: by default as its
    /// [`get_ref`](Self::get_ref) displays; integer columns write their
    /// own type's value, so that a `u64` above `i64::MAX` does not show
    /// wrapped to a negative number.
    #[doc(hidden)]
    fn fmt_row(&self, i: usize, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.get_ref(i).unwrap_or(ValueRef::Null), f)
    }
    /// Reserves room for `rows` more rows.
    fn reserve_rows(&mut self, rows: usize);
    /// Releases unused capacity.
    fn shrink(&mut self);
    /// Removes every row.
    fn clear_rows(&mut self);
    /// Keeps the first `rows` rows.
    fn truncate_rows(&mut self, rows: usize);
    /// Keeps the first `rows` rows of the values of a [`Nullable`] column,
    /// `valid` its validity bits, already cut: by default
    /// [`truncate_rows`](Self::truncate_rows); integer columns give nulls
    /// left alone in their last chunk the placeholder of pushed ones.
    #[doc(hidden)]
    fn truncate_after_nulls(&mut self, rows: usize, valid: &BoolColumn) {
        let _ = valid;
        self.truncate_rows(rows);
    }
}

macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl SlotValue for $t {
            const TYPE: FieldType = FieldType::INT;
            type Column = IntColumn<$t>;
            #[inline]
            fn to_value_ref(&self) -> ValueRef<'_> {
                ValueRef::Int(IntSlot::to_i64(*self))
            }
            #[inline]
            fn from_value_ref(value: ValueRef<'_>) -> Result<Self, ValueError> {
                let x = value.as_int().ok_or(ValueError::Type)?;
                <$t>::try_from(x).map_err(|_| ValueError::Range(x))
            }
        }

        impl SlotColumn<$t> for IntColumn<$t> {
            fn rows(&self) -> usize { self.len() }
            fn can_push(&self, _: &$t) -> bool { true }
            #[inline]
            // Nulls waiting at the start of the last chunk (pushed by
            // `push_null`, in a `Nullable`) take the value as placeholder.
            fn push_value(&mut self, value: &$t) { self.push_i64(IntSlot::to_i64(*value)) }
            fn push_null(&mut self) { IntColumn::push_null(self) }
            #[inline]
            fn get_value(&self, i: usize) -> Option<$t> { self.get(i) }
            #[inline]
            fn get_ref(&self, i: usize) -> Option<ValueRef<'_>> { self.get_i64(i).map(ValueRef::Int) }
            fn fmt_row(&self, i: usize, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.get(i) {
                    Some(x) => fmt::Display::fmt(&x, f),
                    None => f.write_str("None"),
                }
            }
            fn reserve_rows(&mut self, rows: usize) { self.reserve(rows) }
            fn shrink(&mut self) { self.shrink_to_fit() }
            fn clear_rows(&mut self) { self.clear() }
            fn truncate_rows(&mut self, rows: usize) { self.truncate(rows) }
            fn truncate_after_nulls(&mut self, rows: usize, valid: &BoolColumn) {
                self.truncate_nullable(rows, valid)
            }
        }
    )*};
}
int_value!(i8, i16, i32, i64, u8, u16, u32, u64, usize);

/// `SlotValue` and `SlotColumn` for a `Copy` type with a column of its own.
macro_rules! copy_value {
    ($($t:ty: $column:ty, $field:ident, $variant:ident, $as:ident;)*) => {$(
        impl SlotValue for $t {
            const TYPE: FieldType = FieldType::$field;
            type Column = $column;
            fn to_value_ref(&self) -> ValueRef<'_> {
                ValueRef::$variant(*self)
            }
            fn from_value_ref(value: ValueRef<'_>) -> Result<Self, ValueError> {
                value.$as().ok_or(ValueError::Type)
            }
        }

        impl SlotColumn<$t> for $column {
            fn rows(&self) -> usize { self.len() }
            fn can_push(&self, _: &$t) -> bool { true }
            fn push_value(&mut self, value: &$t) { self.push(*value) }
            fn get_value(&self, i: usize) -> Option<$t> { self.get(i) }
            fn get_ref(&self, i: usize) -> Option<ValueRef<'_>> { self.get(i).map(ValueRef::$variant) }
            fn reserve_rows(&mut self, rows: usize) { self.reserve(rows) }
            fn shrink(&mut self) { self.shrink_to_fit() }
            fn clear_rows(&mut self) { self.clear() }
            fn truncate_rows(&mut self, rows: usize) { self.truncate(rows) }
        }
    )*};
}
copy_value! {
    f64: FloatColumn, FLOAT, Float, as_float;
    bool: BoolColumn, BOOL, Bool, as_bool;
}

impl SlotValue for String {
    const TYPE: FieldType = FieldType::STR;
    type Column = StrColumn;
    fn to_value_ref(&self) -> ValueRef<'_> {
        ValueRef::Str(self)
    }
    fn from_value_ref(value: ValueRef<'_>) -> Result<Self, ValueError> {
        value.as_str().map(str::to_owned).ok_or(ValueError::Type)
    }
}

impl SlotColumn<String> for StrColumn {
    fn rows(&self) -> usize {
        self.len()
    }
    fn prepare(&mut self) {
        StrColumn::prepare(self);
    }
    fn can_push(&self, value: &String) -> bool {
        self.fits(value)
    }
    fn push_value(&mut self, value: &String) {
        // `prepare` and `can_push` ran: `push` stores it (`fits` is exact).
        let stored = self.push(value);
        debug_assert!(stored.is_ok(), "can_push said the string fits");
    }
    fn get_value(&self, i: usize) -> Option<String> {
        self.get(i).map(str::to_owned)
    }
    fn get_ref(&self, i: usize) -> Option<ValueRef<'_>> {
        self.get(i).map(ValueRef::Str)
    }
    fn reserve_rows(&mut self, rows: usize) {
        self.reserve(rows);
    }
    fn shrink(&mut self) {
        self.shrink_to_fit();
    }
    fn clear_rows(&mut self) {
        self.clear();
    }
    fn truncate_rows(&mut self, rows: usize) {
        self.truncate(rows);
    }
}

impl<T: SlotValue + Default> SlotValue for Option<T>
where
    Nullable<T::Column>: SlotColumn<Option<T>>,
{
    const TYPE: FieldType = T::TYPE.optional();
    type Column = Nullable<T::Column>;
    fn to_value_ref(&self) -> ValueRef<'_> {
        self.as_ref()
            .map_or(ValueRef::Null, SlotValue::to_value_ref)
    }
    fn from_value_ref(value: ValueRef<'_>) -> Result<Self, ValueError> {
        if value.is_null() {
            Ok(None)
        } else {
            T::from_value_ref(value).map(Some)
        }
    }
}

impl<T, C> SlotColumn<Option<T>> for Nullable<C>
where
    T: SlotValue<Column = C> + Default + Clone,
    C: SlotColumn<T>,
{
    fn rows(&self) -> usize {
        self.len()
    }
    fn prepare(&mut self) {
        self.parts_mut().0.prepare();
    }
    fn can_push(&self, value: &Option<T>) -> bool {
        match value {
            Some(v) => self.values().can_push(v),
            None => true,
        }
    }
    fn push_value(&mut self, value: &Option<T>) {
        let (values, valid) = self.parts_mut();
        match value {
            Some(v) => values.push_value(v),
            None => values.push_null(),
        }
        valid.push(value.is_some());
    }
    fn get_value(&self, i: usize) -> Option<Option<T>> {
        let valid = self.validity().get(i)?;
        Some(if valid {
            self.values().get_value(i)
        } else {
            None
        })
    }
    fn get_ref(&self, i: usize) -> Option<ValueRef<'_>> {
        let valid = self.validity().get(i)?;
        if valid {
            self.values().get_ref(i)
        } else {
            Some(ValueRef::Null)
        }
    }
    fn fmt_row(&self, i: usize, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.validity().get(i) == Some(true) {
            self.values().fmt_row(i, f)
        } else {
            f.write_str("None")
        }
    }
    fn reserve_rows(&mut self, rows: usize) {
        let (values, valid) = self.parts_mut();
        values.reserve_rows(rows);
        valid.reserve(rows);
    }
    fn shrink(&mut self) {
        let (values, valid) = self.parts_mut();
        values.shrink();
        valid.shrink_to_fit();
    }
    fn clear_rows(&mut self) {
        let (values, valid) = self.parts_mut();
        values.clear_rows();
        valid.clear();
    }
    fn truncate_rows(&mut self, rows: usize) {
        let (values, valid) = self.parts_mut();
        valid.truncate(rows);
        values.truncate_after_nulls(rows, valid);
    }
}

/// Declares a struct with fixed fields and generates, at compile time, what
/// [`Shape`](crate::slots::Shape), [`Record`](crate::slots::Record) and
/// [`Table`](crate::slots::Table) give at run time:
///
/// * the struct itself, as written (derives and docs kept);
/// * `FIELDS`, the field names in order, and `shape()`, its run-time
///   [`Shape`](crate::slots::Shape);
/// * `get_field(name)` and `set_field(name, value)`, access by name with
///   the same typed errors as [`Record`](crate::slots::Record)
///   (`UnknownField`, `TypeMismatch`, `OutOfRange`);
/// * [`HeapSize`](crate::measure::HeapSize) for the struct;
/// * a columnar companion table, named after `table`, storing one column
///   per field with the same layouts as [`Table`](crate::slots::Table)
///   (strings in one buffer per chunk): `new`, `with_capacity`, `len`,
///   `is_empty`, `push`, `get`, `iter`, `reserve`, `shrink_to_fit`,
///   `truncate`, `pop`, `clear`, and one accessor per field returning that
///   field's column.
///   Field names must therefore not be one of those method names.
///
/// Field types: `i8`–`i64`, `u8`–`u64`, `usize`, `f64`, `bool`, `String`,
/// and `Option` of any of them (see [`SlotValue`](crate::slots::SlotValue)).
///
/// ```
/// leanmem::slots! {
///     /// A user.
///     #[derive(Debug, Clone, PartialEq)]
///     pub struct User {
///         pub id: u64,
///         pub name: String,
///         pub email: Option<String>,
///     }
///     pub table UserTable;
/// }
///
/// use leanmem::slots::{SlotsError, ValueRef};
///
/// let mut ada = User { id: 1, name: "ada".into(), email: None };
/// assert_eq!(User::FIELDS, ["id", "name", "email"]);
/// assert_eq!(ada.get_field("name")?, ValueRef::Str("ada"));
/// ada.set_field("email", "ada@example.com")?;
/// assert_eq!(ada.set_field("age", 36), Err(SlotsError::UnknownField("age".into())));
/// assert!(matches!(ada.set_field("id", -1), Err(SlotsError::OutOfRange { .. })));
///
/// let mut users = UserTable::new();
/// users.push(&ada)?;
/// users.push(&User { id: 2, name: "grace".into(), email: None })?;
/// assert_eq!(users.len(), 2);
/// assert_eq!(users.get(0), Some(ada));
/// assert_eq!(users.name().get(1), Some("grace"));
/// assert_eq!(users.id().iter().sum::<u64>(), 3);
/// assert_eq!(
///     format!("{users:?}"),
///     "[User(id=1, name='ada', email='ada@example.com'), User(id=2, name='grace', email=None)]"
/// );
/// # Ok::<(), SlotsError>(())
/// ```
#[macro_export]
macro_rules! slots {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $( $(#[$fmeta:meta])* $fvis:vis $field:ident : $ty:ty ),* $(,)?
        }
        $tvis:vis table $table:ident;
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $( $(#[$fmeta])* $fvis $field : $ty, )*
        }

        impl $name {
            /// The field names, in order.
            $vis const FIELDS: &'static [&'static str] = &[$($crate::slots::__field_name(stringify!($field))),*];

            /// The run-time shape of this struct (built once, then shared).
            $vis fn shape() -> $crate::slots::Shape {
                static SHAPE: ::std::sync::OnceLock<$crate::slots::Shape> =
                    ::std::sync::OnceLock::new();
                SHAPE
                    .get_or_init(|| {
                        // Typed, so that a struct without fields has a shape too.
                        let fields: &[(&str, $crate::slots::FieldType)] = &[
                            $(($crate::slots::__field_name(stringify!($field)), <$ty as $crate::slots::SlotValue>::TYPE)),*
                        ];
                        $crate::slots::Shape::named(stringify!($name), fields.iter().copied())
                        .expect("a struct's fields have distinct names")
                    })
                    .clone()
            }

            /// The value of the field called `name`.
            ///
            /// # Errors
            ///
            /// [`SlotsError::UnknownField`]($crate::slots::SlotsError::UnknownField).
            #[allow(dead_code)]
            $vis fn get_field(
                &self,
                name: &str,
            ) -> ::std::result::Result<$crate::slots::ValueRef<'_>, $crate::slots::SlotsError> {
                match name {
                    $( n if n == $crate::slots::__field_name(stringify!($field)) => {
                        Ok($crate::slots::SlotValue::to_value_ref(&self.$field))
                    } )*
                    _ => Err($crate::slots::SlotsError::UnknownField(name.to_string())),
                }
            }

            /// Sets the field called `name`; the struct is unchanged on error.
            ///
            /// # Errors
            ///
            /// `UnknownField`, `TypeMismatch` or `OutOfRange`.
            #[allow(dead_code, unused_variables)]
            $vis fn set_field<'v>(
                &mut self,
                name: &str,
                value: impl ::std::convert::Into<$crate::slots::ValueRef<'v>>,
            ) -> ::std::result::Result<(), $crate::slots::SlotsError> {
                let value = value.into();
                match name {
                    $( n if n == $crate::slots::__field_name(stringify!($field)) => {
                        self.$field = <$ty as $crate::slots::SlotValue>::from_value_ref(value)
                            .map_err(|e| e.for_field(
                                $crate::slots::__field_name(stringify!($field)),
                                <$ty as $crate::slots::SlotValue>::TYPE,
                                value,
                            ))?;
                        Ok(())
                    } )*
                    _ => Err($crate::slots::SlotsError::UnknownField(name.to_string())),
                }
            }
        }

        impl $crate::measure::HeapSize for $name {
            #[allow(unused_variables)]
            fn heap_size_with(&self, cx: &mut $crate::measure::HeapContext) -> usize {
                0 $( + $crate::measure::HeapSize::heap_size_with(&self.$field, cx) )*
            }
        }

        /// The columnar table of
        #[doc = concat!("[`", stringify!($name), "`]")]
        /// records: one column per field.
        #[derive(Clone, Default)]
        $tvis struct $table {
            len: usize,
            $( $field: <$ty as $crate::slots::SlotValue>::Column, )*
        }

        #[allow(dead_code, unused_variables)]
        impl $table {
            /// An empty table; allocates nothing until the first push.
            $tvis fn new() -> Self {
                Self::default()
            }

            /// An empty table with room for `rows` rows.
            $tvis fn with_capacity(rows: usize) -> Self {
                let mut t = Self::default();
                t.reserve(rows);
                t
            }

            /// Number of rows.
            $tvis fn len(&self) -> usize {
                self.len
            }

            /// Whether the table has no rows.
            $tvis fn is_empty(&self) -> bool {
                self.len == 0
            }

            /// Appends a copy of `record`'s fields. Amortized **O(fields +
            /// string bytes)**.
            ///
            /// # Errors
            ///
            /// [`SlotsError::TooLarge`]($crate::slots::SlotsError::TooLarge)
            /// if a string column's chunk would pass 4 GiB; the table is
            /// unchanged.
            $tvis fn push(&mut self, record: &$name) -> ::std::result::Result<(), $crate::slots::SlotsError> {
                $( $crate::slots::SlotColumn::prepare(&mut self.$field); )*
                if !(true $( && $crate::slots::SlotColumn::can_push(&self.$field, &record.$field) )*) {
                    return Err($crate::slots::SlotsError::TooLarge);
                }
                $( $crate::slots::SlotColumn::push_value(&mut self.$field, &record.$field); )*
                self.len += 1;
                Ok(())
            }

            /// Row `i` as an owned record, or `None` past the end.
            $tvis fn get(&self, i: usize) -> ::std::option::Option<$name> {
                if i >= self.len {
                    return None;
                }
                Some($name {
                    $( $field: $crate::slots::SlotColumn::get_value(&self.$field, i)?, )*
                })
            }

            /// The rows in order, as owned records.
            $tvis fn iter(&self) -> impl ::std::iter::Iterator<Item = $name> + '_ {
                (0..self.len).filter_map(move |i| self.get(i))
            }

            /// Reserves room for `rows` more rows.
            ///
            /// # Panics
            ///
            /// If the row count overflows `usize` (as for `Vec::reserve`).
            $tvis fn reserve(&mut self, rows: usize) {
                $( $crate::slots::SlotColumn::reserve_rows(&mut self.$field, rows); )*
            }

            /// Releases unused capacity.
            $tvis fn shrink_to_fit(&mut self) {
                $( $crate::slots::SlotColumn::shrink(&mut self.$field); )*
            }

            /// Keeps the first `len` rows and drops the rest (nothing if
            /// there are no more): **O(fields + chunks dropped)**, plus
            /// **O(fields · CHUNK)**
            /// when it cuts into a full chunk or leaves a nullable integer
            /// column only nulls in its last chunk.
            $tvis fn truncate(&mut self, len: usize) {
                if len >= self.len {
                    return;
                }
                $( $crate::slots::SlotColumn::truncate_rows(&mut self.$field, len); )*
                self.len = len;
            }

            /// Removes the last row and returns it, or `None` if empty.
            $tvis fn pop(&mut self) -> ::std::option::Option<$name> {
                let last = self.get(self.len.checked_sub(1)?)?;
                self.truncate(self.len - 1);
                Some(last)
            }

            /// Removes every row.
            $tvis fn clear(&mut self) {
                $( $crate::slots::SlotColumn::clear_rows(&mut self.$field); )*
                self.len = 0;
            }

            $(
                #[doc = concat!("The `", stringify!($field), "` column.")]
                $tvis fn $field(&self) -> &<$ty as $crate::slots::SlotValue>::Column {
                    &self.$field
                }
            )*
        }

        impl ::std::fmt::Debug for $table {
            /// A list of dataclass reprs.
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str("[")?;
                for i in 0..self.len {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}(", stringify!($name))?;
                    let mut _first = true;
                    $(
                        if !_first {
                            f.write_str(", ")?;
                        }
                        _first = false;
                        write!(f, "{}=", $crate::slots::__field_name(stringify!($field)))?;
                        // Written by the column as its own type: a `u64`
                        // past `i64::MAX` is not shown wrapped, as its
                        // `ValueRef` has it.
                        <
                            <$ty as $crate::slots::SlotValue>::Column
                            as $crate::slots::SlotColumn<$ty>
                        >::fmt_row(&self.$field, i, f)?;
                    )*
                    f.write_str(")")?;
                }
                f.write_str("]")
            }
        }

        impl $crate::measure::HeapSize for $table {
            #[allow(unused_variables)]
            fn heap_size_with(&self, cx: &mut $crate::measure::HeapContext) -> usize {
                0 $( + $crate::measure::HeapSize::heap_size_with(&self.$field, cx) )*
            }
        }

        impl ::std::iter::Extend<$name> for $table {
            /// Appends each record.
            ///
            /// # Panics
            ///
            /// If a string column's chunk would pass 4 GiB (see `push`).
            fn extend<I: ::std::iter::IntoIterator<Item = $name>>(&mut self, iter: I) {
                for record in iter {
                    self.push(&record).expect("a column chunk passed 4 GiB of strings");
                }
            }
        }

        impl ::std::iter::FromIterator<$name> for $table {
            /// # Panics
            ///
            /// As for `Extend`.
            fn from_iter<I: ::std::iter::IntoIterator<Item = $name>>(iter: I) -> Self {
                let mut t = Self::new();
                t.extend(iter);
                t
            }
        }
    };
}
