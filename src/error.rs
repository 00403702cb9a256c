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
