//! Iteration over interned strings in symbol order.

use std::fmt;
use std::iter::FusedIterator;
use std::num::NonZeroU32;

use super::Symbol;
use super::storage::View;

/// The symbol of index `i` (which is below `u32::MAX`, as every index an
/// interner holds).
#[inline]
pub(crate) fn symbol_at(i: usize) -> Symbol {
    let value = NonZeroU32::new(i as u32 + 1).expect("an interner holds at most u32::MAX strings");
    Symbol::from_value(value)
}

/// The symbol of a table value (index + 1, never zero).
#[inline(always)]
pub(crate) fn symbol_of_value(value: u32) -> Symbol {
    Symbol::from_value(NonZeroU32::new(value).expect("table values are not zero"))
}

/// An iterator over `(Symbol, &str)` in symbol order, from
/// [`Interner::iter`](super::Interner::iter) or
/// [`FrozenInterner::iter`](super::FrozenInterner::iter).
///
/// Double-ended and exact-size.
///
/// ```
/// use leanmem::intern::Interner;
///
/// let i: Interner = ["a", "b", "c"].into_iter().collect();
/// let mut it = i.iter();
/// assert_eq!(it.len(), 3);
/// assert_eq!(it.next_back().map(|(_, s)| s), Some("c"));
/// assert_eq!(it.map(|(_, s)| s).collect::<Vec<_>>(), ["a", "b"]);
/// ```
#[derive(Clone)]
pub struct Iter<'a> {
    strings: View<'a>,
    front: usize,
    back: usize,
}

impl<'a> Iter<'a> {
    pub(crate) fn new(strings: View<'a>) -> Self {
        Self {
            strings,
            front: 0,
            back: strings.len(),
        }
    }

    #[inline]
    fn item(&self, i: usize) -> (Symbol, &'a str) {
        (symbol_at(i), self.strings.get(i).unwrap_or_default())
    }
}

impl fmt::Debug for Iter<'_> {
    /// The `(Symbol, &str)` pairs still to come (not the whole buffer and
    /// its offsets, which a derived `Debug` would print).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

impl<'a> Iterator for Iter<'a> {
    type Item = (Symbol, &'a str);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.front == self.back {
            return None;
        }
        let item = self.item(self.front);
        self.front += 1;
        Some(item)
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }

    #[inline]
    fn nth(&mut self, n: usize) -> Option<Self::Item> {
        self.front = self.front.saturating_add(n).min(self.back);
        self.next()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    #[inline]
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front == self.back {
            return None;
        }
        self.back -= 1;
        Some(self.item(self.back))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl FusedIterator for Iter<'_> {}
