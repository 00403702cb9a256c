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
//! A million `{id: int, name: "user_<i>", email: "user_<i>@example.com"}`
//! records, in requested heap bytes plus the inline size, per record
//! (`examples/memory_report`; the strings alone are 33.8 bytes):
//!
//! | layout | bytes per record |
//! |---|---|
//! | `Vec<HashMap<String, Value>>` (a dict per record) | 324 |
//! | `Vec<struct {u64, String, String}>` | 109 |
//! | [`Record`] per record, shape shared | 97.8 |
//! | [`Table`] / a [`slots!`](crate::slots!) table | 39.5 |

mod column;
mod ints;
mod macros;
mod record;
#[cfg(feature = "serde")]
mod serde_impl;
mod shape;
mod strs;
mod table;
mod value;

pub use self::column::{BoolColumn, CHUNK, FloatColumn, Nullable};
pub use self::ints::{IntColumn, IntIter, IntSlot};
#[doc(hidden)]
pub use self::macros::field_name as __field_name;
pub use self::macros::{SlotColumn, SlotValue, ValueError};
pub use self::record::Record;
#[cfg(feature = "serde")]
pub use self::serde_impl::RecordSeed;
pub use self::shape::{Field, MAX_FIELDS, Shape};
pub use self::strs::{StrColumn, StrEncoding, StrIter};
pub use self::table::{ColumnRef, Row, Table};
pub use self::value::{FieldType, Kind, Value, ValueRef};
pub use crate::error::SlotsError;

#[cfg(test)]
mod tests;
