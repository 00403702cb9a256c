//! Shapes: field names and types, stored once and shared by every record.

use std::alloc::Layout;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, Weak};

use super::value::FieldType;
use crate::error::SlotsError;
use crate::measure::{HeapContext, HeapSize};

/// Above this many fields, `index_of` uses a hash map instead of a scan.
const SCAN_LIMIT: usize = 12;

/// The most fields a shape can have.
pub const MAX_FIELDS: usize = u16::MAX as usize;

/// One field of a [`Shape`]: a name and a type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    name: Box<str>,
    ty: FieldType,
}

impl Field {
    /// A field called `name` of type `ty`.
    ///
    /// ```
    /// use leanmem::slots::{Field, FieldType};
    ///
    /// let f = Field::new("email", FieldType::STR.optional());
    /// assert_eq!(f.name(), "email");
    /// assert!(f.ty().nullable);
    /// ```
    #[must_use]
    pub fn new(name: &str, ty: FieldType) -> Self {
        Self {
            name: name.into(),
            ty,
        }
    }

    /// The field's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The field's type.
    #[must_use]
    pub fn ty(&self) -> FieldType {
        self.ty
    }
}

impl From<(&str, FieldType)> for Field {
    fn from((name, ty): (&str, FieldType)) -> Self {
        Field::new(name, ty)
    }
}

impl HeapSize for Field {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.name.heap_size_with(cx)
    }
}

struct ShapeInner {
    name: Box<str>,
    fields: Box<[Field]>,
    /// Name → position, only for shapes with many fields.
    index: Option<HashMap<Box<str>, u16>>,
    /// Whether any field is nullable (records then carry null bits).
    any_nullable: bool,
    /// Shapes reached from this one by adding a field, as in V8's hidden
    /// class transitions: records that gain the same field share one shape.
    transitions: Mutex<Vec<(Field, Weak<ShapeInner>)>>,
}

/// An ordered list of field names with a type each, shared by every
/// [`Record`](super::Record) and [`Table`](super::Table) of that shape:
/// the names live once, per shape, as in `__slots__`, PEP 412's
/// key-sharing dictionaries and V8's hidden classes.
///
/// Cloning a `Shape` clones an [`Arc`]: **O(1)**.
///
/// ```
/// use leanmem::slots::{FieldType, Shape};
///
/// let user = Shape::named("User", [
///     ("id", FieldType::INT),
///     ("name", FieldType::STR),
///     ("email", FieldType::STR.optional()),
/// ])?;
/// assert_eq!(user.index_of("name"), Some(1));
/// assert_eq!(user.len(), 3);
/// assert_eq!(user.to_string(), "User(id: int, name: str, email: Optional[str])");
/// # Ok::<(), leanmem::slots::SlotsError>(())
/// ```
///
/// # Memory layout
///
/// One `Arc` block with the shape's name, a boxed slice of fields (each a
/// boxed name and a 2-byte type), and for shapes of more than 12 fields a
/// name → position hash map. A handle is one pointer (8 bytes).
#[derive(Clone)]
pub struct Shape(Arc<ShapeInner>);

impl Shape {
    /// A shape called `Record` with these fields, in order.
    ///
    /// # Errors
    ///
    /// [`SlotsError::DuplicateField`] if two fields share a name,
    /// [`SlotsError::TooManyFields`] beyond [`MAX_FIELDS`].
    ///
    /// ```
    /// use leanmem::slots::{FieldType, Shape, SlotsError};
    ///
    /// let err = Shape::new([("a", FieldType::INT), ("a", FieldType::STR)]).unwrap_err();
    /// assert_eq!(err, SlotsError::DuplicateField("a".into()));
    /// ```
    pub fn new<F: Into<Field>>(fields: impl IntoIterator<Item = F>) -> Result<Self, SlotsError> {
        Self::named("Record", fields)
    }

    /// A shape with a name (used by `Debug`, like a dataclass's class name).
    ///
    /// # Errors
    ///
    /// As for [`Shape::new`].
    pub fn named<F: Into<Field>>(
        name: &str,
        fields: impl IntoIterator<Item = F>,
    ) -> Result<Self, SlotsError> {
        let fields: Vec<Field> = fields.into_iter().map(Into::into).collect();
        Self::from_fields(name.into(), fields.into_boxed_slice())
    }

    fn from_fields(name: Box<str>, fields: Box<[Field]>) -> Result<Self, SlotsError> {
        if fields.len() > MAX_FIELDS {
            return Err(SlotsError::TooManyFields(fields.len()));
        }
        let index = if fields.len() > SCAN_LIMIT {
            let mut map = HashMap::with_capacity(fields.len());
            for (i, f) in fields.iter().enumerate() {
                if map.insert(f.name.clone(), i as u16).is_some() {
                    return Err(SlotsError::DuplicateField(f.name.to_string()));
                }
            }
            Some(map)
        } else {
            for (i, f) in fields.iter().enumerate() {
                if fields[..i].iter().any(|g| g.name == f.name) {
                    return Err(SlotsError::DuplicateField(f.name.to_string()));
                }
            }
            None
        };
        let any_nullable = fields.iter().any(|f| f.ty.nullable);
        Ok(Shape(Arc::new(ShapeInner {
            name,
            fields,
            index,
            any_nullable,
            transitions: Mutex::new(Vec::new()),
        })))
    }

    /// The shape's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// The fields, in order.
    #[must_use]
    pub fn fields(&self) -> &[Field] {
        &self.0.fields
    }

    /// Number of fields.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.fields.len()
    }

    /// Whether the shape has no fields.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.fields.is_empty()
    }

    /// The position of the field called `name`: look it up once, then use
    /// positions (`get_index`) in hot loops.
    ///
    /// Computes in **O(fields)** time for up to 12 fields (a scan, faster
    /// than hashing at that size), **O(1)** expected above.
    ///
    /// ```
    /// use leanmem::slots::{FieldType, Shape};
    ///
    /// let s = Shape::new([("x", FieldType::FLOAT), ("y", FieldType::FLOAT)])?;
    /// assert_eq!(s.index_of("y"), Some(1));
    /// assert_eq!(s.index_of("z"), None);
    /// # Ok::<(), leanmem::slots::SlotsError>(())
    /// ```
    #[inline]
    #[must_use]
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.lookup(name).map(|(i, _)| i)
    }

    /// Position and type of the field called `name`, in one pass. Always
    /// inlined: for the shapes small enough to be scanned, the call cost
    /// more than the scan (`benches/slots.rs`, `slots/get_by_name`).
    #[inline(always)]
    pub(crate) fn lookup(&self, name: &str) -> Option<(usize, FieldType)> {
        match &self.0.index {
            Some(map) => self.lookup_in(map, name),
            None => {
                // A plain loop: `Iterator::find` was left out of line.
                for (i, f) in self.0.fields.iter().enumerate() {
                    if name_eq(f.name.as_bytes(), name.as_bytes()) {
                        return Some((i, f.ty));
                    }
                }
                None
            }
        }
    }

    /// [`lookup`](Self::lookup) in the name index of a shape with many
    /// fields; out of line.
    #[inline(never)]
    fn lookup_in(&self, map: &HashMap<Box<str>, u16>, name: &str) -> Option<(usize, FieldType)> {
        let i = usize::from(*map.get(name)?);
        Some((i, self.0.fields.get(i)?.ty))
    }

    /// The field called `name`, with its position.
    ///
    /// # Errors
    ///
    /// [`SlotsError::UnknownField`] if there is none.
    pub fn field(&self, name: &str) -> Result<(usize, &Field), SlotsError> {
        self.index_of(name)
            .map(|i| (i, &self.0.fields[i]))
            .ok_or_else(|| SlotsError::UnknownField(name.to_string()))
    }

    pub(crate) fn any_nullable(&self) -> bool {
        self.0.any_nullable
    }

    /// The shape with one more field at the end: a *transition*, as V8's
    /// hidden classes make when an object gains a property. Transitions are
    /// cached, so every record that gains the same field from the same shape
    /// gets the same shape (and shares its names) instead of a new one.
    ///
    /// Computes in **O(fields)** time the first time (a new shape is built),
    /// then **O(transitions)** to find the cached one.
    ///
    /// # Errors
    ///
    /// [`SlotsError::DuplicateField`] if the shape already has `name`,
    /// [`SlotsError::TooManyFields`] if it already has [`MAX_FIELDS`].
    ///
    /// ```
    /// use leanmem::slots::{FieldType, Shape};
    ///
    /// let point = Shape::named("Point", [("x", FieldType::INT), ("y", FieldType::INT)])?;
    /// let a = point.with_field("z", FieldType::INT)?;
    /// let b = point.with_field("z", FieldType::INT)?;
    /// assert!(a.ptr_eq(&b)); // one shared shape
    /// assert_eq!(a.index_of("z"), Some(2));
    /// # Ok::<(), leanmem::slots::SlotsError>(())
    /// ```
    pub fn with_field(&self, name: &str, ty: FieldType) -> Result<Shape, SlotsError> {
        if self.index_of(name).is_some() {
            return Err(SlotsError::DuplicateField(name.to_string()));
        }
        let field = Field::new(name, ty);
        let mut transitions = self.0.transitions.lock().unwrap_or_else(|e| e.into_inner());
        transitions.retain(|(_, w)| w.strong_count() > 0);
        if let Some(shape) = transitions
            .iter()
            .find(|(f, _)| *f == field)
            .and_then(|(_, w)| w.upgrade())
        {
            return Ok(Shape(shape));
        }
        let mut fields = self.0.fields.to_vec();
        fields.push(field.clone());
        let shape = Self::from_fields(self.0.name.clone(), fields.into_boxed_slice())?;
        transitions.push((field, Arc::downgrade(&shape.0)));
        Ok(shape)
    }

    /// Whether two handles share one shape (pointer equality).
    #[must_use]
    pub fn ptr_eq(&self, other: &Shape) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl PartialEq for Shape {
    /// Same name and fields (shared or not).
    fn eq(&self, other: &Self) -> bool {
        self.ptr_eq(other) || (self.0.name == other.0.name && self.0.fields == other.0.fields)
    }
}

impl Eq for Shape {}

impl std::hash::Hash for Shape {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.name.hash(state);
        self.0.fields.hash(state);
    }
}

impl fmt::Debug for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Shape {
    /// `Name(field: type, ...)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.0.name)?;
        for (i, field) in self.0.fields.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}: {}", field.name, field.ty)?;
        }
        f.write_str(")")
    }
}

impl HeapSize for ShapeInner {
    /// Its names, index and transition cache, and the block of every cached
    /// shape that has been dropped: the cache's `Weak` keeps that block (its
    /// counters and the emptied shape) allocated until the next
    /// [`Shape::with_field`] on this shape clears it.
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        let transitions = self.transitions.lock().map_or(0, |t| {
            let dead = t.iter().filter(|(_, w)| w.strong_count() == 0).count();
            t.heap_size_with(cx) + dead * dead_shape_block()
        });
        self.name.heap_size_with(cx)
            + self.fields.heap_size_with(cx)
            + self.index.heap_size_with(cx)
            + transitions
    }
}

/// Bytes of the block of an `Arc<ShapeInner>`: two counters, then the
/// shape (the layout `Arc` allocates).
fn dead_shape_block() -> usize {
    Layout::new::<[usize; 2]>()
        .extend(Layout::new::<ShapeInner>())
        .map_or(0, |(l, _)| l.pad_to_align().size())
}

impl HeapSize for Shape {
    /// The shared block, counted once per [`HeapContext`] (see the sharing
    /// policy of [`HeapSize`]).
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        <Arc<ShapeInner> as HeapSize>::heap_size_with(&self.0, cx)
    }
}

#[cfg(feature = "serde")]
mod serde_impl {
    use super::{Field, Shape};
    use crate::slots::value::{FieldType, Kind};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct FieldRepr {
        name: String,
        kind: KindRepr,
        nullable: bool,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum KindRepr {
        Int,
        Float,
        Bool,
        Str,
    }

    #[derive(Serialize, Deserialize)]
    struct ShapeRepr {
        name: String,
        fields: Vec<FieldRepr>,
    }

    impl Serialize for Shape {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            ShapeRepr {
                name: self.name().to_string(),
                fields: self
                    .fields()
                    .iter()
                    .map(|f| FieldRepr {
                        name: f.name().to_string(),
                        kind: match f.ty().kind {
                            Kind::Int => KindRepr::Int,
                            Kind::Float => KindRepr::Float,
                            Kind::Bool => KindRepr::Bool,
                            Kind::Str => KindRepr::Str,
                        },
                        nullable: f.ty().nullable,
                    })
                    .collect(),
            }
            .serialize(s)
        }
    }

    impl<'de> Deserialize<'de> for Shape {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let repr = ShapeRepr::deserialize(d)?;
            let fields = repr.fields.into_iter().map(|f| {
                let kind = match f.kind {
                    KindRepr::Int => Kind::Int,
                    KindRepr::Float => Kind::Float,
                    KindRepr::Bool => Kind::Bool,
                    KindRepr::Str => Kind::Str,
                };
                Field::new(
                    &f.name,
                    FieldType {
                        kind,
                        nullable: f.nullable,
                    },
                )
            });
            Shape::named(&repr.name, fields).map_err(serde::de::Error::custom)
        }
    }
}

/// `a == b` for field names, inline: names of up to 16 bytes are compared
/// as two overlapping integer loads each, with no call to `memcmp` (field
/// names are short, and a lookup by name compares a few of them).
#[inline(always)]
pub(crate) fn name_eq(a: &[u8], b: &[u8]) -> bool {
    fn word<const N: usize>(s: &[u8], at: usize) -> [u8; N] {
        let mut w = [0; N];
        w.copy_from_slice(&s[at..at + N]);
        w
    }
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        0 => true,
        1 => a[0] == b[0],
        2..=3 => {
            u16::from_ne_bytes(word(a, 0)) == u16::from_ne_bytes(word(b, 0))
                && u16::from_ne_bytes(word(a, n - 2)) == u16::from_ne_bytes(word(b, n - 2))
        }
        4..=7 => {
            u32::from_ne_bytes(word(a, 0)) == u32::from_ne_bytes(word(b, 0))
                && u32::from_ne_bytes(word(a, n - 4)) == u32::from_ne_bytes(word(b, n - 4))
        }
        8..=16 => {
            u64::from_ne_bytes(word(a, 0)) == u64::from_ne_bytes(word(b, 0))
                && u64::from_ne_bytes(word(a, n - 8)) == u64::from_ne_bytes(word(b, n - 8))
        }
        _ => a == b,
    }
}
