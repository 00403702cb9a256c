//! Iterators over a [`Deque`]: by reference, by mutable reference, and by
//! value. The draining iterator is [`Drain`](super::Drain).

use std::fmt;
use std::iter::FusedIterator;
use std::mem;
use std::slice;

use super::{Deque, Heap, Storage};

/// An iterator over the elements of a [`Deque`], front to back: see
/// [`Deque::iter`].
///
/// ```
/// use leanmem::deque::Deque;
///
/// let d = Deque::from(vec![1, 2, 3]);
/// let mut it = d.iter();
/// assert_eq!(it.len(), 3);
/// assert_eq!(it.next_back(), Some(&3));
/// assert_eq!(it.collect::<Vec<_>>(), [&1, &2]);
/// ```
pub struct Iter<'a, T> {
    front: slice::Iter<'a, T>,
    back: slice::Iter<'a, T>,
}

impl<'a, T> Iter<'a, T> {
    pub(super) fn new(front: &'a [T], back: &'a [T]) -> Self {
        Self {
            front: front.iter(),
            back: back.iter(),
        }
    }
}

impl<T> Clone for Iter<'_, T> {
    fn clone(&self) -> Self {
        Self {
            front: self.front.clone(),
            back: self.back.clone(),
        }
    }
}

impl<T> Default for Iter<'_, T> {
    /// An empty iterator.
    ///
    /// ```
    /// assert_eq!(leanmem::deque::Iter::<u8>::default().next(), None);
    /// ```
    fn default() -> Self {
        Self::new(&[], &[])
    }
}

impl<T: fmt::Debug> fmt::Debug for Iter<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Iter")
            .field(&self.front.as_slice())
            .field(&self.back.as_slice())
            .finish()
    }
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    #[inline]
    fn next(&mut self) -> Option<&'a T> {
        match self.front.next() {
            Some(x) => Some(x),
            None => {
                mem::swap(&mut self.front, &mut self.back);
                self.front.next()
            }
        }
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.len();
        (n, Some(n))
    }

    fn fold<B, F: FnMut(B, Self::Item) -> B>(self, init: B, mut f: F) -> B {
        let acc = self.front.fold(init, &mut f);
        self.back.fold(acc, f)
    }

    #[inline]
    fn last(mut self) -> Option<&'a T> {
        self.next_back()
    }
}

impl<'a, T> DoubleEndedIterator for Iter<'a, T> {
    #[inline]
    fn next_back(&mut self) -> Option<&'a T> {
        match self.back.next_back() {
            Some(x) => Some(x),
            None => {
                mem::swap(&mut self.front, &mut self.back);
                self.back.next_back()
            }
        }
    }

    fn rfold<B, F: FnMut(B, Self::Item) -> B>(self, init: B, mut f: F) -> B {
        let acc = self.back.rfold(init, &mut f);
        self.front.rfold(acc, f)
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {
    #[inline]
    fn len(&self) -> usize {
        self.front.len() + self.back.len()
    }
}

impl<T> FusedIterator for Iter<'_, T> {}

/// A mutable iterator over the elements of a [`Deque`], front to back: see
/// [`Deque::iter_mut`].
///
/// ```
/// use leanmem::deque::Deque;
///
/// let mut d = Deque::from(vec![1, 2, 3]);
/// for x in d.iter_mut().rev().take(2) {
///     *x *= 10;
/// }
/// assert_eq!(d, [1, 20, 30]);
/// ```
pub struct IterMut<'a, T> {
    front: slice::IterMut<'a, T>,
    back: slice::IterMut<'a, T>,
}

impl<'a, T> IterMut<'a, T> {
    pub(super) fn new(front: &'a mut [T], back: &'a mut [T]) -> Self {
        Self {
            front: front.iter_mut(),
            back: back.iter_mut(),
        }
    }
}

impl<T> Default for IterMut<'_, T> {
    /// An empty iterator.
    ///
    /// ```
    /// assert_eq!(leanmem::deque::IterMut::<u8>::default().next(), None);
    /// ```
    fn default() -> Self {
        Self::new(&mut [], &mut [])
    }
}

impl<T: fmt::Debug> fmt::Debug for IterMut<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IterMut")
            .field(&self.front.as_slice())
            .field(&self.back.as_slice())
            .finish()
    }
}

impl<'a, T> Iterator for IterMut<'a, T> {
    type Item = &'a mut T;

    #[inline]
    fn next(&mut self) -> Option<&'a mut T> {
        match self.front.next() {
            Some(x) => Some(x),
            None => {
                mem::swap(&mut self.front, &mut self.back);
                self.front.next()
            }
        }
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.len();
        (n, Some(n))
    }

    fn fold<B, F: FnMut(B, Self::Item) -> B>(self, init: B, mut f: F) -> B {
        let acc = self.front.fold(init, &mut f);
        self.back.fold(acc, f)
    }

    #[inline]
    fn last(mut self) -> Option<&'a mut T> {
        self.next_back()
    }
}

impl<'a, T> DoubleEndedIterator for IterMut<'a, T> {
    #[inline]
    fn next_back(&mut self) -> Option<&'a mut T> {
        match self.back.next_back() {
            Some(x) => Some(x),
            None => {
                mem::swap(&mut self.front, &mut self.back);
                self.back.next_back()
            }
        }
    }

    fn rfold<B, F: FnMut(B, Self::Item) -> B>(self, init: B, mut f: F) -> B {
        let acc = self.back.rfold(init, &mut f);
        self.front.rfold(acc, f)
    }
}

impl<T> ExactSizeIterator for IterMut<'_, T> {
    #[inline]
    fn len(&self) -> usize {
        self.front.len() + self.back.len()
    }
}

impl<T> FusedIterator for IterMut<'_, T> {}

/// An owning iterator over the elements of a [`Deque`], front to back: see
/// its [`IntoIterator`] implementation. The storage is freed when the
/// iterator is dropped, not piecewise while it runs.
///
/// ```
/// use leanmem::deque::Deque;
///
/// let d = Deque::from(vec!["a".to_string(), "b".to_string()]);
/// let mut it = d.into_iter();
/// assert_eq!(it.next_back().as_deref(), Some("b"));
/// assert_eq!(it.len(), 1);
/// ```
pub struct IntoIter<T, S: Storage<T> = Heap<T>> {
    deque: Deque<T, S>,
}

impl<T, S: Storage<T>> IntoIter<T, S> {
    pub(super) fn new(deque: Deque<T, S>) -> Self {
        Self { deque }
    }
}

impl<T: Clone, S: Storage<T>> Clone for IntoIter<T, S>
where
    Deque<T, S>: Clone,
{
    fn clone(&self) -> Self {
        Self {
            deque: self.deque.clone(),
        }
    }
}

impl<T: fmt::Debug, S: Storage<T>> fmt::Debug for IntoIter<T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IntoIter").field(&self.deque).finish()
    }
}

impl<T, S: Storage<T>> Iterator for IntoIter<T, S> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        self.deque.pop_front_raw()
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.deque.len();
        (n, Some(n))
    }
}

impl<T, S: Storage<T>> DoubleEndedIterator for IntoIter<T, S> {
    #[inline]
    fn next_back(&mut self) -> Option<T> {
        self.deque.pop_back_raw()
    }
}

impl<T, S: Storage<T>> ExactSizeIterator for IntoIter<T, S> {}

impl<T, S: Storage<T>> FusedIterator for IntoIter<T, S> {}
