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
