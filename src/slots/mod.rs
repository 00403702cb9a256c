//! Fixed-field records, from `__slots__` to columnar tables.
//!
//! A Python object without `__slots__` carries a dict per instance: every
//! record repeats its field names and pays a hash table. `__slots__`,
//! key-sharing dictionaries (PEP 412), V8's hidden classes and ECS archetype
//! tables all make the same move: the field names live once, in a *shape*,
//! and each record is only its values. This module gives both forms:
//!
//! | when the fields are known | one record | many records |
//! |---|---|---|
//! | at run time (CSV headers, log formats, JSON-ish rows) | [`Record`] of a [`Shape`] | [`Table`]: one column per field |
//! | at compile time | a struct from [`slots!`](crate::slots!) (`get_field`/`set_field` by name) | its generated columnar table |
//!
//! Bad input is refused with the `AttributeError`/`TypeError` of
//! `__slots__` — [`SlotsError::UnknownField`], [`SlotsError::TypeMismatch`] —
//! and leaves the record or table unchanged. Setters take borrowed
//! [`ValueRef`]s, so a refused value is still the caller's.
//!
//! # Which layout costs what
//!
//! For `{id: int, name: str, email: str}` (a 64-bit id and two short
//! strings), per record, in requested heap bytes plus the inline size:
//!
//! | layout | bytes per record |
//! |---|---|
//! | `Vec<HashMap<String, Value>>` (a dict per record) | ≈ 300 + strings |
//! | `Vec<struct {u64, String, String}>` | 56 + strings (+ `String` slack) |
//! | [`Record`] per record, shape shared | 64 + strings |
//! | [`Table`] / a [`slots!`](crate::slots!) table | 16 + strings |
//!
//! `examples/memory_report` measures these on a million users.

mod column;
mod macros;
mod record;
mod shape;
mod table;
mod value;

pub use self::column::{
    BoolColumn, CHUNK, FloatColumn, IntColumn, IntIter, IntSlot, Nullable, StrColumn,
};
pub use self::macros::{SlotColumn, SlotValue, ValueError};
pub use self::record::Record;
pub use self::shape::{Field, MAX_FIELDS, Shape};
pub use self::table::{ColumnRef, Row, Table};
pub use self::value::{FieldType, Kind, Value, ValueRef};
pub use crate::error::SlotsError;

#[cfg(test)]
mod tests;
