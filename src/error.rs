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
