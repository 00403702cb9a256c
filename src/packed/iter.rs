//! Iterators over packed structures. They decode 64 values at a time with
//! the width-specialised kernels and hand them out one by one; `fold` (and
//! so `sum`, `for_each`, `max`…) runs over each decoded group in a tight
//! loop.

use std::fmt;
use std::iter::FusedIterator;

use super::bits::GROUP;
use super::int::PackedInt;
use super::{BlockPackedSlice, BlockPackedVec, PackedSlice, PackedVec};

/// A packed sequence read group by group: what the iterators walk.
pub(crate) trait GroupSource<T: PackedInt> {
    /// Decodes the offsets of group `g` (values `64*g ..`) into `buf`;
    /// returns the base to add to them.
    fn fill(&self, g: usize, buf: &mut [u64; GROUP]) -> T;
    /// Value `i` (below the length), read on its own.
    fn value(&self, i: usize) -> T;
    /// Folds the values of the full groups `g0..g1` with `f`, decoding
    /// each group with [`fill`](Self::fill).
    #[inline]
    fn fold_groups<B, F: FnMut(B, T) -> B>(&self, g0: usize, g1: usize, init: B, f: &mut F) -> B {
        let mut acc = init;
        let mut buf = [0u64; GROUP];
        for g in g0..g1 {
            let base = self.fill(g, &mut buf);
            for &off in &buf {
                acc = f(acc, base.add_offset(off));
            }
        }
        acc
    }
}

/// The position of an iterator and its decoded group.
#[derive(Clone)]
pub(crate) struct Cursor<T> {
    front: usize,
    back: usize,
    /// The group held in `buf`, or `usize::MAX`.
    group: usize,
    base: T,
    buf: [u64; GROUP],
}

impl<T: PackedInt> Cursor<T> {
    pub(crate) fn new(len: usize) -> Self {
        Self {
            front: 0,
            back: len,
            group: usize::MAX,
            base: T::default(),
            buf: [0; GROUP],
        }
    }

    #[inline]
    fn load<S: GroupSource<T>>(&mut self, src: &S, g: usize) {
        if self.group != g {
            self.base = src.fill(g, &mut self.buf);
            self.group = g;
        }
    }

    #[inline]
    fn next<S: GroupSource<T>>(&mut self, src: &S) -> Option<T> {
        if self.front >= self.back {
            return None;
        }
        let i = self.front;
        self.load(src, i / GROUP);
        self.front += 1;
        Some(self.base.add_offset(self.buf[i % GROUP]))
    }

    #[inline]
    fn next_back<S: GroupSource<T>>(&mut self, src: &S) -> Option<T> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        let i = self.back;
        if i / GROUP == self.group {
            Some(self.base.add_offset(self.buf[i % GROUP]))
        } else {
            Some(src.value(i))
        }
    }

    #[inline]
    fn remaining(&self) -> usize {
        self.back.saturating_sub(self.front)
    }

    #[inline]
    fn nth<S: GroupSource<T>>(&mut self, src: &S, n: usize) -> Option<T> {
        self.front = self.front.saturating_add(n).min(self.back);
        self.next(src)
    }

    #[inline]
    fn nth_back<S: GroupSource<T>>(&mut self, src: &S, n: usize) -> Option<T> {
        self.back = self.back.saturating_sub(n).max(self.front);
        self.next_back(src)
    }

    #[inline]
    fn fold<S: GroupSource<T>, B, F: FnMut(B, T) -> B>(&mut self, src: &S, init: B, mut f: F) -> B {
        let mut acc = init;
        while self.front < self.back {
            if self.front % GROUP == 0 && self.back - self.front >= GROUP {
                // Whole groups, in one loop of the source's.
                let (g0, g1) = (self.front / GROUP, self.back / GROUP);
                acc = src.fold_groups(g0, g1, acc, &mut f);
                self.front = g1 * GROUP;
                continue;
            }
            let g = self.front / GROUP;
            self.load(src, g);
            let start = g * GROUP;
            let end = (start + GROUP).min(self.back);
            let base = self.base;
            for &off in &self.buf[self.front - start..end - start] {
                acc = f(acc, base.add_offset(off));
            }
            self.front = end;
        }
        acc
    }
}

macro_rules! iterator_impls {
    ($name:ident < $($lt:lifetime,)? $t:ident >, $src:ident => $get:expr) => {
        impl<$($lt,)? $t: PackedInt> Iterator for $name<$($lt,)? $t> {
            type Item = $t;

            #[inline]
            fn next(&mut self) -> Option<$t> {
                let $src = &self.src;
                self.cur.next($get)
            }

            #[inline]
            fn size_hint(&self) -> (usize, Option<usize>) {
                let n = self.cur.remaining();
                (n, Some(n))
            }

            #[inline]
            fn count(self) -> usize {
                self.cur.remaining()
            }

            #[inline]
            fn nth(&mut self, n: usize) -> Option<$t> {
                let $src = &self.src;
                self.cur.nth($get, n)
            }

            #[inline]
            fn last(mut self) -> Option<$t> {
                self.next_back()
            }

            #[inline]
            fn fold<B, F: FnMut(B, $t) -> B>(mut self, init: B, f: F) -> B {
                let $src = &self.src;
                self.cur.fold($get, init, f)
            }
        }

        impl<$($lt,)? $t: PackedInt> DoubleEndedIterator for $name<$($lt,)? $t> {
            #[inline]
            fn next_back(&mut self) -> Option<$t> {
                let $src = &self.src;
                self.cur.next_back($get)
            }

            #[inline]
            fn nth_back(&mut self, n: usize) -> Option<$t> {
                let $src = &self.src;
                self.cur.nth_back($get, n)
            }
        }

        impl<$($lt,)? $t: PackedInt> ExactSizeIterator for $name<$($lt,)? $t> {}
        impl<$($lt,)? $t: PackedInt> FusedIterator for $name<$($lt,)? $t> {}

        impl<$($lt,)? $t: PackedInt> fmt::Debug for $name<$($lt,)? $t> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("remaining", &self.cur.remaining())
                    .finish()
            }
        }
    };
}

/// Iterator over the values of a [`PackedVec`] or [`PackedSlice`], by
/// value (packed values have no address to borrow).
///
/// Double-ended and exact-size. Forward iteration decodes 64 values at a
/// time; `sum`, `fold` and `for_each` run over each decoded group.
///
/// ```
/// use leanmem::packed::PackedVec;
///
/// let v: PackedVec<i32> = (-5..5).collect();
/// let mut it = v.iter();
/// assert_eq!(it.len(), 10);
/// assert_eq!(it.next(), Some(-5));
/// assert_eq!(it.next_back(), Some(4));
/// assert_eq!(it.sum::<i32>(), -4);
/// ```
#[derive(Clone)]
pub struct Iter<'a, T: PackedInt> {
    src: PackedSlice<'a, T>,
    cur: Cursor<T>,
}

impl<'a, T: PackedInt> Iter<'a, T> {
    pub(crate) fn new(src: PackedSlice<'a, T>) -> Self {
        Self {
            cur: Cursor::new(src.len()),
            src,
        }
    }
}

iterator_impls!(Iter<'a, T>, s => s);

/// Owning iterator over the values of a [`PackedVec`].
///
/// ```
/// use leanmem::packed::PackedVec;
///
/// let v = PackedVec::from_slice(&[3u8, 1, 2]);
/// let back: Vec<u8> = v.into_iter().rev().collect();
/// assert_eq!(back, [2, 1, 3]);
/// ```
#[derive(Clone)]
pub struct IntoIter<T: PackedInt> {
    src: PackedVec<T>,
    cur: Cursor<T>,
}

impl<T: PackedInt> IntoIter<T> {
    pub(crate) fn new(src: PackedVec<T>) -> Self {
        Self {
            cur: Cursor::new(src.len()),
            src,
        }
    }
}

iterator_impls!(IntoIter<T>, s => &s.as_slice());

/// Iterator over the values of a [`BlockPackedVec`] or
/// [`BlockPackedSlice`], by value.
///
/// ```
/// use leanmem::packed::BlockPackedVec;
///
/// let v: BlockPackedVec<u64> = (1000..1300).collect();
/// assert_eq!(v.iter().rev().next(), Some(1299));
/// assert_eq!(v.iter().sum::<u64>(), (1000..1300).sum::<u64>());
/// ```
#[derive(Clone)]
pub struct BlockIter<'a, T: PackedInt> {
    src: BlockPackedSlice<'a, T>,
    cur: Cursor<T>,
}

impl<'a, T: PackedInt> BlockIter<'a, T> {
    pub(crate) fn new(src: BlockPackedSlice<'a, T>) -> Self {
        Self {
            cur: Cursor::new(src.len()),
            src,
        }
    }
}

iterator_impls!(BlockIter<'a, T>, s => s);

/// Owning iterator over the values of a [`BlockPackedVec`].
///
/// ```
/// use leanmem::packed::BlockPackedVec;
///
/// let v = BlockPackedVec::from_slice(&[-1i16, 0, 1]);
/// assert_eq!(v.into_iter().collect::<Vec<_>>(), [-1, 0, 1]);
/// ```
#[derive(Clone)]
pub struct BlockIntoIter<T: PackedInt> {
    src: BlockPackedVec<T>,
    cur: Cursor<T>,
}

impl<T: PackedInt> BlockIntoIter<T> {
    pub(crate) fn new(src: BlockPackedVec<T>) -> Self {
        Self {
            cur: Cursor::new(src.len()),
            src,
        }
    }
}

iterator_impls!(BlockIntoIter<T>, s => &s.as_slice());
