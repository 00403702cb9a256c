//! Field types and values.

use std::fmt;

use crate::measure::{HeapContext, HeapSize};

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A signed 64-bit integer.
    Int,
    /// A 64-bit float.
    Float,
    /// A boolean.
    Bool,
    /// A UTF-8 string.
    Str,
}

impl Kind {
    /// Python's name for the kind: `int`, `float`, `bool`, `str`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Kind::Int => "int",
            Kind::Float => "float",
            Kind::Bool => "bool",
            Kind::Str => "str",
        }
    }
}

/// The type of a field: a [`Kind`], and whether it may be null (`None`).
///
/// ```
/// use leanmem::slots::{FieldType, Kind};
///
/// let t = FieldType::STR.optional();
/// assert_eq!(t.kind, Kind::Str);
/// assert!(t.nullable);
/// assert_eq!(t.to_string(), "Optional[str]");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldType {
    /// What the field holds.
    pub kind: Kind,
    /// Whether the field may be null.
    pub nullable: bool,
}

impl FieldType {
    /// A required integer.
    pub const INT: FieldType = FieldType::new(Kind::Int);
    /// A required float.
    pub const FLOAT: FieldType = FieldType::new(Kind::Float);
    /// A required boolean.
    pub const BOOL: FieldType = FieldType::new(Kind::Bool);
    /// A required string.
    pub const STR: FieldType = FieldType::new(Kind::Str);

    /// A required field of `kind`.
    #[must_use]
    pub const fn new(kind: Kind) -> Self {
        Self {
            kind,
            nullable: false,
        }
    }

    /// The same type, nullable.
    #[must_use]
    pub const fn optional(self) -> Self {
        Self {
            kind: self.kind,
            nullable: true,
        }
    }

    /// Whether `value` may be stored in a field of this type.
    ///
    /// ```
    /// use leanmem::slots::{FieldType, ValueRef};
    ///
    /// assert!(FieldType::INT.accepts(ValueRef::Int(3)));
    /// assert!(!FieldType::INT.accepts(ValueRef::Null));
    /// assert!(FieldType::INT.optional().accepts(ValueRef::Null));
    /// assert!(!FieldType::INT.accepts(ValueRef::Str("3")));
    /// ```
    #[must_use]
    pub fn accepts(self, value: ValueRef<'_>) -> bool {
        match value.kind() {
            None => self.nullable,
            Some(k) => k == self.kind,
        }
    }
}

impl fmt::Display for FieldType {
    /// Python's annotation: `int`, `Optional[str]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.nullable {
            write!(f, "Optional[{}]", self.kind.name())
        } else {
            f.write_str(self.kind.name())
        }
    }
}

/// A field value borrowed from a record, a row or the caller.
///
/// Setters and `push_row` take `ValueRef`s, so the caller keeps its data
/// whether or not the value is accepted.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub enum ValueRef<'a> {
    /// No value (`None`), for nullable fields.
    Null,
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// A string.
    Str(&'a str),
}

impl<'a> ValueRef<'a> {
    /// The kind of the value, `None` for [`ValueRef::Null`].
    #[must_use]
    pub const fn kind(self) -> Option<Kind> {
        match self {
            ValueRef::Null => None,
            ValueRef::Int(_) => Some(Kind::Int),
            ValueRef::Float(_) => Some(Kind::Float),
            ValueRef::Bool(_) => Some(Kind::Bool),
            ValueRef::Str(_) => Some(Kind::Str),
        }
    }

    /// Python's name of the value's type (`NoneType` for null), for errors.
    #[must_use]
    pub const fn type_name(self) -> &'static str {
        match self.kind() {
            None => "NoneType",
            Some(k) => k.name(),
        }
    }

    /// The integer, if this is one.
    #[must_use]
    pub const fn as_int(self) -> Option<i64> {
        if let ValueRef::Int(x) = self {
            Some(x)
        } else {
            None
        }
    }

    /// The float, if this is one.
    #[must_use]
    pub const fn as_float(self) -> Option<f64> {
        if let ValueRef::Float(x) = self {
            Some(x)
        } else {
            None
        }
    }

    /// The boolean, if this is one.
    #[must_use]
    pub const fn as_bool(self) -> Option<bool> {
        if let ValueRef::Bool(x) = self {
            Some(x)
        } else {
            None
        }
    }

    /// The string, if this is one.
    #[must_use]
    pub const fn as_str(self) -> Option<&'a str> {
        if let ValueRef::Str(x) = self {
            Some(x)
        } else {
            None
        }
    }

    /// Whether this is [`ValueRef::Null`].
    #[must_use]
    pub const fn is_null(self) -> bool {
        matches!(self, ValueRef::Null)
    }

    /// An owned copy.
    #[must_use]
    pub fn to_owned(self) -> Value {
        match self {
            ValueRef::Null => Value::Null,
            ValueRef::Int(x) => Value::Int(x),
            ValueRef::Float(x) => Value::Float(x),
            ValueRef::Bool(x) => Value::Bool(x),
            ValueRef::Str(s) => Value::Str(s.to_owned()),
        }
    }
}

impl fmt::Display for ValueRef<'_> {
    /// Python's `repr`: `None`, `3`, `2.5`, `True`, `'text'`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ValueRef::Null => f.write_str("None"),
            ValueRef::Int(x) => write!(f, "{x}"),
            ValueRef::Float(x) => python_float(f, x),
            ValueRef::Bool(true) => f.write_str("True"),
            ValueRef::Bool(false) => f.write_str("False"),
            ValueRef::Str(s) => python_str(f, s),
        }
    }
}

fn python_float(f: &mut fmt::Formatter<'_>, x: f64) -> fmt::Result {
    if x.is_nan() {
        return f.write_str("nan");
    }
    if x.is_infinite() {
        return f.write_str(if x > 0.0 { "inf" } else { "-inf" });
    }
    let a = x.abs();
    if a != 0.0 && !(1e-4..1e16).contains(&a) {
        // Python switches to exponent form here, with a sign and at least
        // two exponent digits: 1e+16, 1e-05.
        let s = format!("{x:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let (sign, digits) = exp.strip_prefix('-').map_or(("+", exp), |d| ("-", d));
        write!(f, "{mantissa}e{sign}{digits:0>2}")
    } else if x == x.trunc() {
        write!(f, "{x:.1}")
    } else {
        write!(f, "{x}")
    }
}

fn python_str(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    use fmt::Write as _;
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    f.write_char(quote)?;
    for c in s.chars() {
        match c {
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if c == quote => {
                f.write_char('\\')?;
                f.write_char(c)?;
            }
            c if c.is_control() => write!(f, "\\x{:02x}", c as u32)?,
            // Python escapes what it does not print: separators other than
            // the space, format, private-use and unassigned code points.
            c if !c.is_ascii() && !is_printable(c) => match c as u32 {
                n @ 0..=0xff => write!(f, "\\x{n:02x}")?,
                n @ 0x100..=0xffff => write!(f, "\\u{n:04x}")?,
                n => write!(f, "\\U{n:08x}")?,
            },
            c => f.write_char(c)?,
        }
    }
    f.write_char(quote)
}

/// Whether Python's `str.isprintable` holds for `c`: it is in none of the
/// Unicode categories Other (`Cc`, `Cf`, `Cs`, `Co`, `Cn`) and Separator
/// (`Zl`, `Zp`, `Zs`), the space excepted. That is the set Rust's
/// `escape_debug` escapes, apart from the grapheme extenders it also
/// escapes at the start of a string, hence the leading `x`.
fn is_printable(c: char) -> bool {
    let mut buf = [b'x'; 5];
    let len = 1 + c.encode_utf8(&mut buf[1..]).len();
    std::str::from_utf8(&buf[..len]).is_ok_and(|s| s.escape_debug().nth(1) == Some(c))
}

impl From<i64> for ValueRef<'_> {
    fn from(x: i64) -> Self {
        ValueRef::Int(x)
    }
}

impl From<i32> for ValueRef<'_> {
    fn from(x: i32) -> Self {
        ValueRef::Int(x.into())
    }
}

impl From<u32> for ValueRef<'_> {
    fn from(x: u32) -> Self {
        ValueRef::Int(x.into())
    }
}

impl From<f64> for ValueRef<'_> {
    fn from(x: f64) -> Self {
        ValueRef::Float(x)
    }
}

impl From<bool> for ValueRef<'_> {
    fn from(x: bool) -> Self {
        ValueRef::Bool(x)
    }
}

impl<'a> From<&'a str> for ValueRef<'a> {
    fn from(s: &'a str) -> Self {
        ValueRef::Str(s)
    }
}

impl<'a> From<&'a String> for ValueRef<'a> {
    fn from(s: &'a String) -> Self {
        ValueRef::Str(s)
    }
}

impl<'a> From<&'a Value> for ValueRef<'a> {
    fn from(v: &'a Value) -> Self {
        v.as_ref()
    }
}

impl<'a, T: Into<ValueRef<'a>>> From<Option<T>> for ValueRef<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(ValueRef::Null, Into::into)
    }
}

/// An owned field value.
///
/// With the `serde` feature a `Value` on its own is written bare (`7`,
/// `"ada"`, `null`) and read back by its form, which needs a
/// self-describing format such as JSON. [`Record`](super::Record) and
/// [`Table`](super::Table) do not go through it: they write each value as
/// its field's type says, and read back from any format.
#[derive(Debug, Clone, PartialEq, PartialOrd, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum Value {
    /// No value (`None`).
    #[default]
    Null,
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// A string.
    Str(String),
}

impl Value {
    /// A borrowed view.
    #[must_use]
    pub fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Value::Null => ValueRef::Null,
            Value::Int(x) => ValueRef::Int(*x),
            Value::Float(x) => ValueRef::Float(*x),
            Value::Bool(x) => ValueRef::Bool(*x),
            Value::Str(s) => ValueRef::Str(s),
        }
    }
}

impl fmt::Display for Value {
    /// Python's `repr`, as for [`ValueRef`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_ref().fmt(f)
    }
}

impl HeapSize for Value {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        match self {
            Value::Str(s) => s.heap_size_with(cx),
            _ => 0,
        }
    }
}

impl From<ValueRef<'_>> for Value {
    fn from(v: ValueRef<'_>) -> Self {
        v.to_owned()
    }
}
