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
