//! [`Symbol`]: the 4-byte handle of an interned string.

use std::fmt;
use std::num::NonZeroU32;

use crate::measure::{HeapContext, HeapSize};

/// The handle of an interned string: 4 bytes, `Copy`, compared as an
/// integer.
///
/// Symbols are dense and in insertion order: the first distinct string an
/// interner sees gets index 0, the next index 1, and so on, so a symbol
/// doubles as an index into a side table (`Vec<T>` indexed by
/// [`to_usize`](Self::to_usize)). Inside is a [`NonZeroU32`] holding the
/// index plus one, so `Option<Symbol>` is 4 bytes too.
///
/// A symbol means something only to the interner that issued it (and to
/// its clones, frozen form and deserialized copies, which keep the same
/// symbols). Resolving it elsewhere gives another string or `None`.
///
/// ```
/// use leanmem::intern::{Interner, Symbol};
///
/// let mut names = Interner::new();
/// let a = names.intern("alpha");
/// let b = names.intern("beta");
/// assert_eq!((a.to_usize(), b.to_usize()), (0, 1));
/// assert_eq!(names.intern("alpha"), a); // same string, same symbol
/// assert_eq!(std::mem::size_of::<Option<Symbol>>(), 4);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct Symbol(NonZeroU32);

impl Symbol {
    /// The largest index a symbol can have: `u32::MAX - 1`, so an interner
    /// holds at most `u32::MAX` strings.
    ///
    /// ```
    /// use leanmem::intern::Symbol;
    ///
    /// assert!(Symbol::from_usize(Symbol::MAX_INDEX).is_some());
    /// assert!(Symbol::from_usize(Symbol::MAX_INDEX + 1).is_none());
    /// ```
    pub const MAX_INDEX: usize = u32::MAX as usize - 1;

    /// The symbol with index `index`, or `None` past
    /// [`MAX_INDEX`](Self::MAX_INDEX). Whether an interner knows it is
    /// for the interner to say ([`Interner::resolve`](super::Interner::resolve)).
    ///
    /// Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::intern::{Interner, Symbol};
    ///
    /// let mut i = Interner::new();
    /// let s = i.intern("x");
    /// assert_eq!(Symbol::from_usize(0), Some(s));
    /// assert_eq!(Symbol::from_usize(usize::MAX), None);
    /// ```
    #[inline]
    #[must_use]
    pub const fn from_usize(index: usize) -> Option<Self> {
        if index > Self::MAX_INDEX {
            return None;
        }
        match NonZeroU32::new(index as u32 + 1) {
            Some(n) => Some(Self(n)),
            None => None,
        }
    }

    /// The symbol's index: its position in insertion order.
    ///
    /// Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let mut i = Interner::new();
    /// i.intern("first");
    /// assert_eq!(i.intern("second").to_usize(), 1);
    /// ```
    #[inline]
    #[must_use]
    pub const fn to_usize(self) -> usize {
        (self.0.get() - 1) as usize
    }

    /// The symbol's index as a `u32` (what it stores, minus one).
    ///
    /// ```
    /// use leanmem::intern::Symbol;
    ///
    /// assert_eq!(Symbol::from_usize(7).unwrap().to_u32(), 7);
    /// ```
    #[inline]
    #[must_use]
    pub const fn to_u32(self) -> u32 {
        self.0.get() - 1
    }

    /// The symbol whose stored value (index + 1) is `value`.
    #[inline]
    pub(crate) const fn from_value(value: NonZeroU32) -> Self {
        Self(value)
    }
}

impl fmt::Debug for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Symbol({})", self.to_usize())
    }
}

impl TryFrom<usize> for Symbol {
    type Error = crate::error::SymbolRangeError;

    /// As [`Symbol::from_usize`], with a typed error.
    ///
    /// ```
    /// use leanmem::intern::Symbol;
    ///
    /// assert_eq!(Symbol::try_from(3).unwrap().to_usize(), 3);
    /// assert!(Symbol::try_from(usize::MAX).is_err());
    /// ```
    fn try_from(index: usize) -> Result<Self, Self::Error> {
        Self::from_usize(index).ok_or(crate::error::SymbolRangeError { index })
    }
}

impl From<Symbol> for usize {
    /// The symbol's index.
    ///
    /// ```
    /// use leanmem::intern::Symbol;
    ///
    /// assert_eq!(usize::from(Symbol::from_usize(5).unwrap()), 5);
    /// ```
    #[inline]
    fn from(s: Symbol) -> usize {
        s.to_usize()
    }
}

impl HeapSize for Symbol {
    /// A symbol owns nothing on the heap.
    #[inline]
    fn heap_size_with(&self, _: &mut HeapContext) -> usize {
        0
    }
}
