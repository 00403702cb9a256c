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

/// Why a [`slots`](crate::slots) operation was refused: Python's
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
