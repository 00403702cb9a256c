//! Typed errors shared across the crate's modules.

use std::fmt;

/// Why a [`measure`](crate::measure) query could not be answered.
///
/// A query that cannot measure says so instead of reporting zeros.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MeasureError {
    /// No [`TrackingAllocator`](crate::measure::TrackingAllocator) is the
    /// global allocator of this program.
    NotTracking,
    /// The tracking allocator was built without
    /// [`with_labels`](crate::measure::TrackingAllocator::with_labels), so
    /// per-label counts are not kept.
    LabelsDisabled,
}

impl fmt::Display for MeasureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotTracking => {
                "no leanmem::measure::TrackingAllocator is installed as the global allocator"
            }
            Self::LabelsDisabled => {
                "the tracking allocator was built without labels (use TrackingAllocator::with_labels)"
            }
        })
    }
}

impl std::error::Error for MeasureError {}

/// Why a [`slots`](mod@crate::slots) operation was refused: Python's
/// `AttributeError` and `TypeError` for records. The record, row or table is
/// unchanged when one is returned.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SlotsError {
    /// The shape has no field of this name.
    UnknownField(String),
    /// A value of the wrong type for the field.
    TypeMismatch {
        /// The field.
        field: String,
        /// The field's type, as Python would annotate it (`Optional[str]`).
        expected: String,
        /// The value's type (`int`, `NoneType`, ...).
        found: &'static str,
    },
    /// A row with the wrong number of values for the shape.
    WrongArity {
        /// Fields in the shape.
        expected: usize,
        /// Values given.
        found: usize,
    },
    /// Two fields of one shape with the same name.
    DuplicateField(String),
    /// More fields than a shape can hold.
    TooManyFields(usize),
    /// An integer that does not fit the field's Rust type (a macro-generated
    /// struct's `u8` field given 300, say).
    OutOfRange {
        /// The field.
        field: String,
        /// The value.
        value: i64,
    },
    /// A record's or a column chunk's strings would exceed 4 GiB of bytes,
    /// the reach of their 32-bit offsets.
    TooLarge,
}

impl fmt::Display for SlotsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownField(name) => write!(f, "no field named {name:?}"),
            Self::TypeMismatch {
                field,
                expected,
                found,
            } => write!(f, "field {field:?} expects {expected}, got {found}"),
            Self::WrongArity { expected, found } => {
                write!(f, "expected {expected} values, got {found}")
            }
            Self::DuplicateField(name) => write!(f, "field {name:?} appears twice"),
            Self::TooManyFields(n) => write!(f, "{n} fields is more than a shape can hold"),
            Self::OutOfRange { field, value } => {
                write!(f, "value {value} is out of range for field {field:?}")
            }
            Self::TooLarge => f.write_str("strings exceed the 4 GiB reach of 32-bit offsets"),
        }
    }
}

impl std::error::Error for SlotsError {}

/// A bounded [`Deque`](crate::deque::Deque) was full: the value it was
/// asked to take, handed back.
///
/// Returned by [`try_push_back`](crate::deque::Deque::try_push_back),
/// [`try_push_front`](crate::deque::Deque::try_push_front) and
/// [`insert`](crate::deque::Deque::insert) (which, as in Python, never
/// evicts); nothing is lost.
///
/// ```
/// use leanmem::deque::Deque;
///
/// let mut d = Deque::with_maxlen(1);
/// d.push_back("kept");
/// let err = d.try_push_back("refused").unwrap_err();
/// assert_eq!(err.to_string(), "deque already at its maximum size (1)");
/// assert_eq!(err.into_inner(), "refused");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DequeFullError<T> {
    value: T,
    maxlen: usize,
}

impl<T> DequeFullError<T> {
    pub(crate) const fn new(value: T, maxlen: usize) -> Self {
        Self { value, maxlen }
    }

    /// The value that did not fit, handed back.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d: Deque<String> = Deque::with_maxlen(0);
    /// let err = d.try_push_front("mine".to_string()).unwrap_err();
    /// assert_eq!(err.into_inner(), "mine");
    /// ```
    #[must_use]
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The value that did not fit, borrowed.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::with_maxlen(0);
    /// assert_eq!(d.try_push_back(7).unwrap_err().value(), &7);
    /// ```
    #[must_use]
    pub const fn value(&self) -> &T {
        &self.value
    }

    /// The maximum length of the deque that refused the value.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::with_maxlen(2);
    /// d.extend([1, 2]);
    /// assert_eq!(d.insert(0, 9).unwrap_err().maxlen(), 2);
    /// ```
    #[must_use]
    pub const fn maxlen(&self) -> usize {
        self.maxlen
    }
}

/// Shows the message, not the value, so that `T` need not be `Debug`.
impl<T> fmt::Debug for DequeFullError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DequeFullError")
            .field("maxlen", &self.maxlen)
            .finish_non_exhaustive()
    }
}

impl<T> fmt::Display for DequeFullError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "deque already at its maximum size ({})", self.maxlen)
    }
}

impl<T> std::error::Error for DequeFullError<T> {}

/// [`WeakValueMap::try_insert`](crate::weak::WeakValueMap::try_insert) found
/// the key already mapped to a live value. Nothing was changed: the key
/// comes back, with the value that holds the place.
///
/// ```
/// use std::sync::Arc;
/// use leanmem::weak::WeakValueMap;
///
/// let mut map: WeakValueMap<&str, Arc<u32>> = WeakValueMap::new();
/// let one = Arc::new(1);
/// let two = Arc::new(2);
/// map.try_insert("a", &one).unwrap();
/// let err = map.try_insert("a", &two).unwrap_err();
/// assert_eq!((err.key, *err.existing), ("a", 1));
/// assert_eq!(err.to_string(), "the key already maps to a live value");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OccupiedError<K, V> {
    /// The key that was not inserted.
    pub key: K,
    /// The live value the key already maps to.
    pub existing: V,
}

impl<K, V> fmt::Display for OccupiedError<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the key already maps to a live value")
    }
}

impl<K: fmt::Debug, V: fmt::Debug> std::error::Error for OccupiedError<K, V> {}

/// Why an [`Interner`](crate::intern::Interner) could not take a new string.
///
/// Returned by `try_intern`; the interner is left unchanged and the string
/// stays the caller's.
///
/// ```
/// use leanmem::InternError;
///
/// let e = InternError::BytesExhausted { len: 10, stored: u32::MAX as usize - 3 };
/// assert!(e.to_string().contains("10 bytes"));
/// let _: &dyn std::error::Error = &e;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InternError {
    /// Every symbol is taken: the interner already holds `u32::MAX`
    /// distinct strings.
    SymbolsExhausted,
    /// The string's bytes would take the interner's byte storage past the
    /// `u32::MAX` bytes its 4-byte offsets can address.
    BytesExhausted {
        /// Bytes of the string that did not fit.
        len: usize,
        /// Bytes already stored.
        stored: usize,
    },
}

impl fmt::Display for InternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SymbolsExhausted => {
                f.write_str("the interner holds u32::MAX strings: no symbol is left")
            }
            Self::BytesExhausted { len, stored } => write!(
                f,
                "a string of {len} bytes does not fit: the interner stores {stored} bytes and addresses at most u32::MAX"
            ),
        }
    }
}

impl std::error::Error for InternError {}

/// An index too large for a [`Symbol`](crate::intern::Symbol) (above
/// [`Symbol::MAX_INDEX`](crate::intern::Symbol::MAX_INDEX)).
///
/// ```
/// use leanmem::intern::Symbol;
///
/// let e = Symbol::try_from(usize::MAX).unwrap_err();
/// assert_eq!(e.index, usize::MAX);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SymbolRangeError {
    /// The index that was asked for.
    pub index: usize,
}

impl fmt::Display for SymbolRangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "index {} is out of the symbol range (at most u32::MAX - 1)",
            self.index
        )
    }
}

impl std::error::Error for SymbolRangeError {}

/// A value outside the frame of a [`PackedVec`](crate::packed::PackedVec)
/// in fixed-width mode ([`try_push`](crate::packed::PackedVec::try_push),
/// [`try_set`](crate::packed::PackedVec::try_set)). The value is handed
/// back and the vector is unchanged.
///
/// ```
/// use leanmem::packed::PackedVec;
///
/// let mut v = PackedVec::<u32>::with_range(10..=20); // frame 10..=25
/// let err = v.try_push(30).unwrap_err();
/// assert_eq!(err.into_value(), 30);
/// assert!(v.is_empty());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PackedRangeError<T> {
    value: T,
    min: T,
    max: T,
}

impl<T: Copy> PackedRangeError<T> {
    pub(crate) fn new(value: T, min: T, max: T) -> Self {
        Self { value, min, max }
    }

    /// The value that did not fit.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let mut v = PackedVec::<i8>::with_range(-4..=3);
    /// assert_eq!(v.try_push(-5).unwrap_err().value(), -5);
    /// ```
    pub fn value(&self) -> T {
        self.value
    }

    /// The values that would have fitted, `min..=max`.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let mut v = PackedVec::<i8>::with_range(-4..=3);
    /// assert_eq!(v.try_push(9).unwrap_err().range(), -4..=3);
    /// ```
    pub fn range(&self) -> std::ops::RangeInclusive<T> {
        self.min..=self.max
    }

    /// Takes the value back.
    ///
    /// ```
    /// use leanmem::packed::PackedVec;
    ///
    /// let mut v = PackedVec::<u8>::with_range(0..=1);
    /// assert_eq!(v.try_push(2).unwrap_err().into_value(), 2);
    /// ```
    pub fn into_value(self) -> T {
        self.value
    }
}

impl<T: fmt::Display> fmt::Display for PackedRangeError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "value {} is outside the packed range {}..={}",
            self.value, self.min, self.max
        )
    }
}

impl<T: fmt::Debug + fmt::Display> std::error::Error for PackedRangeError<T> {}

/// Why [`PackedVec::try_set`](crate::packed::PackedVec::try_set) refused a
/// write. The vector is unchanged in both cases.
///
/// ```
/// use leanmem::packed::{PackedSetError, PackedVec};
///
/// let mut v = PackedVec::from_slice(&[1u16, 2, 3]);
/// assert_eq!(
///     v.try_set(7, 1),
///     Err(PackedSetError::IndexOutOfBounds { index: 7, len: 3 })
/// );
/// assert!(matches!(v.try_set(0, 900), Err(PackedSetError::OutOfRange(_))));
/// assert_eq!(v.to_vec(), [1, 2, 3]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PackedSetError<T> {
    /// `index` is not below the vector's length.
    IndexOutOfBounds {
        /// The index asked for.
        index: usize,
        /// The vector's length.
        len: usize,
    },
    /// The value does not fit the vector's frame.
    OutOfRange(PackedRangeError<T>),
}

impl<T: fmt::Display> fmt::Display for PackedSetError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::IndexOutOfBounds { index, len } => {
                write!(f, "index {index} is out of bounds for length {len}")
            }
            Self::OutOfRange(e) => e.fmt(f),
        }
    }
}

impl<T: fmt::Debug + fmt::Display> std::error::Error for PackedSetError<T> {}

/// Why words could not be read as a packed structure
/// ([`PackedSlice::from_words`](crate::packed::PackedSlice::from_words) and
/// the other readers of the serialized form). Reading never panics and
/// never reads out of bounds: malformed input gets one of these.
///
/// ```
/// use leanmem::packed::{PackedFormatError, PackedSlice};
///
/// assert_eq!(
///     PackedSlice::<u32>::from_words(&[]).unwrap_err(),
///     PackedFormatError::TooShort { needed: 3, found: 0 }
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PackedFormatError {
    /// Fewer words than the header announces.
    TooShort {
        /// Words the header and data need.
        needed: u64,
        /// Words given.
        found: u64,
    },
    /// More words than the header announces (for readers that take exactly
    /// one structure).
    TrailingWords {
        /// Words the header and data need.
        needed: u64,
        /// Words given.
        found: u64,
    },
    /// The first word is not a leanmem packed header (or was written on a
    /// machine of the other byte order and not converted).
    BadMagic,
    /// A format version this crate does not read.
    UnsupportedVersion(u8),
    /// The words hold another layout (flat or block) than the one asked for.
    WrongLayout {
        /// The layout tag asked for.
        expected: u8,
        /// The layout tag found.
        found: u8,
    },
    /// The words hold another element type than the one asked for.
    WrongElementType {
        /// The element tag asked for (byte size, `0x80` set when signed).
        expected: u8,
        /// The element tag found.
        found: u8,
    },
    /// A bit width larger than the element type's.
    BadWidth {
        /// The width found.
        width: u32,
        /// The widest allowed.
        max: u32,
    },
    /// A frame of reference (minimum and width) that does not lie inside
    /// the element type's range.
    BadFrame,
    /// A block header whose data offset disagrees with the widths before it.
    BadBlockOffset {
        /// The block.
        block: u64,
    },
    /// A block length other than the one this crate writes (128 values).
    BadBlockLength {
        /// The base-2 logarithm found.
        log2: u8,
    },
    /// A length whose bit count does not fit in memory.
    LengthOverflow,
    /// A byte string whose length is not a multiple of 8.
    PartialWord {
        /// The byte count.
        bytes: u64,
    },
}

impl fmt::Display for PackedFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooShort { needed, found } => {
                write!(f, "packed words too short: {needed} needed, {found} found")
            }
            Self::TrailingWords { needed, found } => {
                write!(f, "packed words too long: {needed} needed, {found} found")
            }
            Self::BadMagic => f.write_str("not a leanmem packed header (bad magic or byte order)"),
            Self::UnsupportedVersion(v) => write!(f, "unsupported packed format version {v}"),
            Self::WrongLayout { expected, found } => {
                write!(
                    f,
                    "packed layout {found} found where {expected} was expected"
                )
            }
            Self::WrongElementType { expected, found } => write!(
                f,
                "packed element type {found:#04x} found where {expected:#04x} was expected"
            ),
            Self::BadWidth { width, max } => {
                write!(
                    f,
                    "packed bit width {width} exceeds the element's {max} bits"
                )
            }
            Self::BadFrame => f.write_str("packed frame of reference outside the element range"),
            Self::BadBlockOffset { block } => {
                write!(f, "packed block {block} has an inconsistent data offset")
            }
            Self::BadBlockLength { log2 } => {
                write!(
                    f,
                    "packed blocks of 2^{log2} values are not supported (128 are)"
                )
            }
            Self::LengthOverflow => f.write_str("packed length overflows the address space"),
            Self::PartialWord { bytes } => {
                write!(f, "{bytes} bytes are not a whole number of 64-bit words")
            }
        }
    }
}

impl std::error::Error for PackedFormatError {}
