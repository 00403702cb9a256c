//! Python's `collections.deque`: O(1) at both ends, an optional maxlen, and
//! memory that follows the live size.
//!
//! | Python | leanmem | note |
//! |---|---|---|
//! | `deque()` | [`Deque::new`] | unbounded |
//! | `deque(maxlen=n)` | [`Deque::with_maxlen`] | `n` slots allocated once, never again |
//! | — | [`InlineDeque<T, N>`](InlineDeque), [`Deque::inline`] | `N` slots inside the value, no heap |
//! | `d.append(x)`, `d.appendleft(x)` | [`push_back`](Deque::push_back), [`push_front`](Deque::push_front) | a full bounded deque evicts from the other end and returns what it evicted |
//! | `d.pop()`, `d.popleft()` | [`pop_back`](Deque::pop_back), [`pop_front`](Deque::pop_front) | `None` when empty instead of `IndexError` |
//! | `d.extend(it)`, `d.extendleft(it)` | [`Extend`], [`extend_front`](Deque::extend_front) | `extend_front` reverses, as `extendleft` does |
//! | `d.rotate(n)` | [`rotate`](Deque::rotate) | right for positive `n`, left for negative |
//! | `d.insert(i, x)` | [`insert`](Deque::insert) | an error on a full bounded deque |
//! | `d.index(x, start, stop)` | [`index_of`](Deque::index_of) | `None` instead of `ValueError` |
//! | `d.remove(x)` | [`remove_first`](Deque::remove_first) | `None` instead of `ValueError` |
//! | `d[i]`, `d[-i]` | [`get`](Deque::get), [`get_signed`](Deque::get_signed), [`Index`] | O(1) |
//! | `d.reverse()`, `d.clear()`, `len(d)`, `x in d` | [`reverse`](Deque::reverse), [`clear`](Deque::clear), [`len`](Deque::len), [`contains`](Deque::contains) | |
//! | `d.maxlen` | [`maxlen`](Deque::maxlen), [`set_maxlen`](Deque::set_maxlen) | Python cannot change a maxlen |
//! | `repr(d)` | [`Debug`](std::fmt::Debug) | `deque([1, 2], maxlen=4)` |
//! | `d == e`, `d < e` | [`PartialEq`], [`PartialOrd`] | equality ignores maxlen, order is element-wise |
//!
//! It also has most of the API of std's [`VecDeque`]
//! (`front`, `back`, `truncate`, `drain`, `as_slices`, `make_contiguous`,
//! `retain`, `swap`, `swap_remove_back`, `resize`, `split_off`,
//! `binary_search`, `partition_point`, `range`, ...) plus
//! `truncate_front`; not `rotate_left`/`rotate_right`
//! ([`rotate`](Deque::rotate) with a signed step instead). Where
//! `VecDeque` panics on a range past the end (`drain`, `range`,
//! `split_off`), a `Deque` clamps it.
//!
//! # Memory
//!
//! An unbounded `Deque` is a ring buffer that doubles when full, like
//! `VecDeque`, and also halves when it falls below a quarter full, so after a
//! burst and a drain it holds a few slots, not the peak. A bounded one owns
//! exactly `maxlen` slots from construction on and never allocates again; an
//! [`InlineDeque`] owns `N` slots inside itself.
//!
//! ```
//! use leanmem::deque::Deque;
//!
//! // A moving average over the last 3 readings.
//! let mut window = Deque::with_maxlen(3);
//! let mut sum = 0.0;
//! for x in [1.0, 2.0, 3.0, 4.0, 5.0] {
//!     sum += x;
//!     if let Some(old) = window.push_back(x) {
//!         sum -= old;
//!     }
//! }
//! assert_eq!(window, [3.0, 4.0, 5.0]);
//! assert_eq!(sum / window.len() as f64, 4.0);
//!
//! // A queue that gives its memory back.
//! let mut queue: Deque<u64> = (0..100_000).collect();
//! while queue.pop_front().is_some() {}
//! assert!(queue.capacity() <= 8);
//! ```

use std::cmp::Ordering;
use std::collections::{TryReserveError, VecDeque};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::ops::{Bound, Index, IndexMut, Range, RangeBounds};

use crate::measure::{HeapContext, HeapSize};

mod iter;
mod raw;
#[cfg(feature = "serde")]
mod serde_impl;
#[cfg(test)]
mod tests;

pub use self::iter::{IntoIter, Iter, IterMut};
pub use self::raw::{Drain, Heap, Inline, Storage};
pub use crate::error::DequeFullError;

/// A double-ended queue with Python's `collections.deque` semantics and
/// memory that follows its live size.
///
/// `Deque<T>` keeps its elements on the heap: unbounded by default
/// ([`new`](Self::new)), or bounded ([`with_maxlen`](Self::with_maxlen)),
/// in which case a push onto a full deque evicts from the other end and
/// returns the evicted element. [`InlineDeque<T, N>`](InlineDeque) is the
/// same type with `N` slots inside the value; every method below works on
/// both.
///
/// ```
/// use leanmem::deque::Deque;
///
/// let mut d = Deque::with_maxlen(3);
/// d.extend([1, 2, 3]);
/// assert_eq!(d.push_back(4), Some(1)); // evicts the front
/// assert_eq!(d.push_front(0), Some(4)); // evicts the back
/// assert_eq!(format!("{d:?}"), "deque([0, 2, 3], maxlen=3)");
/// ```
///
/// # Memory layout
///
/// A ring of slots: one heap block of `capacity()` slots of
/// `size_of::<T>()` bytes (no per-element header, no per-block links), plus
/// a 56-byte handle on 64-bit targets (the slot vector, the index of the
/// front slot, the length, and two words of shrink policy). The elements
/// run from the front slot to the end of the block and wrap around to its
/// start; [`as_slices`](Self::as_slices) shows the two runs.
///
/// * **Unbounded**: the capacity doubles when a push finds the ring full
///   (as `VecDeque`'s does) and halves when a removal leaves it less than a
///   quarter full, down to a floor of 4 slots (8 for 1-byte types, 2 for
///   elements of more than 1 KiB; the capacity asked of
///   [`with_capacity`](Self::with_capacity) if larger).
///   So it holds between 1× and 4× the live elements' bytes plus a few
///   slots, and every operation stays amortized **O(1)**. `VecDeque` never
///   shrinks on its own: after 1M `u64` and a drain it still holds 8 MiB.
/// * **Bounded**: exactly `maxlen` slots, allocated by the constructor;
///   pushes, pops, evictions and rotations never allocate or free.
/// * **Inline** ([`InlineDeque`]): `N` slots inside the value
///   (`N * size_of::<T>()` bytes and two `usize` counters, padded to the
///   larger of `T`'s and `usize`'s alignment: 24 bytes for
///   `InlineDeque<u8, 3>` on 64-bit targets), no heap at all.
///
/// A CPython-style list of fixed-size blocks was the other candidate: it
/// gives memory back one block at a time, but every push, pop and index
/// goes through a block table. The shrinking ring keeps `VecDeque`'s access
/// path and still ends a drain with a few slots; `benches/deque.rs`
/// measures it against `VecDeque` and the ring-buffer crates.
pub struct Deque<T, S: Storage<T> = Heap<T>> {
    buf: S,
    head: usize,
    len: usize,
    marker: PhantomData<T>,
}

/// A bounded [`Deque`] whose `N` slots live inside the value: no heap
/// allocation at all, maxlen `N`, the same semantics and methods.
///
/// ```
/// use leanmem::deque::{Deque, InlineDeque};
///
/// let mut last: InlineDeque<u32, 2> = Deque::inline();
/// last.extend([1, 2, 3]);
/// assert_eq!(last, [2, 3]);
/// assert_eq!(last.maxlen(), Some(2));
/// assert_eq!(std::mem::size_of_val(&last), 2 * 4 + 16);
/// ```
pub type InlineDeque<T, const N: usize> = Deque<T, Inline<T, N>>;

/// The parts of the clamped logical range `start..end` in the front run
/// (of length `front`) and in the wrapped run, as indices into each.
fn runs_of(front: usize, (start, end): (usize, usize)) -> (Range<usize>, Range<usize>) {
    (
        start.min(front)..end.min(front),
        start.saturating_sub(front)..end.saturating_sub(front),
    )
}

impl<T> Deque<T> {
    /// An empty, unbounded deque. Allocates nothing until the first push.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::new();
    /// d.push_back(1);
    /// assert_eq!(d.maxlen(), None);
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self {
            buf: Heap::new(),
            head: 0,
            len: 0,
            marker: PhantomData,
        }
    }

    /// An empty, unbounded deque with room for `capacity` elements, whose
    /// capacity never shrinks below that on its own (until
    /// [`shrink_to`](Self::shrink_to) or
    /// [`shrink_to_fit`](Self::shrink_to_fit)).
    ///
    /// # Panics
    ///
    /// If the capacity in bytes overflows `isize::MAX`, as
    /// `Vec::with_capacity` does.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d: Deque<u8> = Deque::with_capacity(1000);
    /// d.extend([1, 2, 3]);
    /// d.clear();
    /// assert_eq!(d.capacity(), 1000);
    /// ```
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            buf: Heap::with_capacity(capacity),
            head: 0,
            len: 0,
            marker: PhantomData,
        }
    }

    /// An empty deque bounded to `maxlen` elements, as Python's
    /// `deque(maxlen=n)`. Allocates its `maxlen` slots now, once: nothing it
    /// does later allocates. `maxlen == 0` keeps nothing.
    ///
    /// # Panics
    ///
    /// If `maxlen` slots overflow `isize::MAX` bytes, as `Vec::with_capacity`
    /// does; [`try_with_maxlen`](Self::try_with_maxlen) reports it instead.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::with_maxlen(2);
    /// d.extend(["a", "b", "c"]);
    /// assert_eq!(d, ["b", "c"]);
    /// assert_eq!(d.capacity(), 2);
    /// ```
    #[must_use]
    pub fn with_maxlen(maxlen: usize) -> Self {
        Self {
            buf: Heap::bounded(maxlen),
            head: 0,
            len: 0,
            marker: PhantomData,
        }
    }

    /// As [`with_maxlen`](Self::with_maxlen), reporting a capacity overflow
    /// or an allocation failure instead of panicking.
    ///
    /// # Errors
    ///
    /// [`TryReserveError`] when `maxlen` slots cannot be allocated.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// assert!(Deque::<u64>::try_with_maxlen(usize::MAX).is_err());
    /// let d = Deque::<u64>::try_with_maxlen(10).unwrap();
    /// assert_eq!(d.maxlen(), Some(10));
    /// ```
    pub fn try_with_maxlen(maxlen: usize) -> Result<Self, TryReserveError> {
        Ok(Self {
            buf: Heap::try_bounded(maxlen)?,
            head: 0,
            len: 0,
            marker: PhantomData,
        })
    }

    /// Changes the maximum length (Python's `maxlen` is read-only; this is
    /// what `deque(d, maxlen=n)` would build). `Some(n)` keeps the last `n`
    /// elements, dropping the ones before them, and reallocates to exactly
    /// `n` slots if the capacity differs; `None` makes the deque unbounded.
    /// To keep the elements that a smaller maxlen would drop, take them
    /// first with [`drain`](Self::drain).
    ///
    /// Computes in **O(n)** time when it reallocates, **O(1)** otherwise.
    ///
    /// # Panics
    ///
    /// If `n` slots overflow `isize::MAX` bytes.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d: Deque<i32> = (1..=5).collect();
    /// d.set_maxlen(Some(2));
    /// assert_eq!(d, [4, 5]);
    /// assert_eq!((d.maxlen(), d.capacity()), (Some(2), 2));
    /// d.set_maxlen(None);
    /// d.push_back(6);
    /// assert_eq!(d, [4, 5, 6]);
    /// ```
    pub fn set_maxlen(&mut self, maxlen: Option<usize>) {
        match maxlen {
            // Already unbounded: nothing changes (its capacity floor stays).
            None if self.maxlen().is_none() => {}
            None => {
                self.buf.set_bounded(false);
                self.after_removal();
            }
            Some(n) => {
                self.truncate_front_raw(n);
                let cap = self.cap();
                if n < cap {
                    self.shrink_to_cap(n);
                } else if n > cap {
                    self.grow_exact(n);
                }
                self.buf.set_bounded(true);
            }
        }
    }

    /// Reserves room for at least `additional` more elements (amortized:
    /// the capacity at least doubles when it grows). Does nothing on a
    /// bounded deque, whose capacity is its maxlen.
    ///
    /// # Panics
    ///
    /// If the new capacity overflows `isize::MAX` bytes.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d: Deque<u8> = Deque::new();
    /// d.reserve(100);
    /// assert!(d.capacity() >= 100);
    /// ```
    pub fn reserve(&mut self, additional: usize) {
        if self.maxlen().is_none() {
            self.grow_for(additional);
        }
    }

    /// As [`reserve`](Self::reserve), reporting failure instead of
    /// panicking.
    ///
    /// # Errors
    ///
    /// [`TryReserveError`] when the capacity overflows or the allocator
    /// fails; the deque is unchanged.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d: Deque<u64> = Deque::from(vec![1]);
    /// assert!(d.try_reserve(usize::MAX).is_err());
    /// assert!(d.try_reserve(10).is_ok());
    /// assert_eq!(d, [1]);
    /// ```
    pub fn try_reserve(&mut self, additional: usize) -> Result<(), TryReserveError> {
        if self.maxlen().is_none() {
            self.try_grow_for(additional)
        } else {
            Ok(())
        }
    }

    /// Shrinks the capacity of an unbounded deque to its length, and lets
    /// automatic shrinking go down to the minimum again. A bounded deque
    /// keeps its `maxlen` slots.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d: Deque<u32> = Deque::with_capacity(100);
    /// d.extend([1, 2, 3]);
    /// d.shrink_to_fit();
    /// assert_eq!(d.capacity(), 3);
    /// ```
    pub fn shrink_to_fit(&mut self) {
        self.shrink_to(0);
    }

    /// Shrinks the capacity of an unbounded deque to `min_capacity` or its
    /// length, whichever is larger, and makes `min_capacity` the floor of
    /// automatic shrinking. A bounded deque keeps its `maxlen` slots.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d: Deque<u32> = Deque::with_capacity(100);
    /// d.push_back(1);
    /// d.shrink_to(10);
    /// assert_eq!(d.capacity(), 10);
    /// ```
    pub fn shrink_to(&mut self, min_capacity: usize) {
        if self.maxlen().is_some() {
            return;
        }
        let target = min_capacity.max(self.len);
        if target < self.cap() {
            self.shrink_to_cap(target);
        }
        self.buf.set_floor(min_capacity);
    }

    /// Splits the deque in two at `at`: returns the elements from `at` on,
    /// in a deque of the same `maxlen` (or an unbounded one of just enough
    /// room), and keeps those before. An `at` past the end returns an
    /// empty deque. Computes in **O(len − at)** time; a bounded deque's
    /// half allocates its `maxlen` slots at once, as
    /// [`with_maxlen`](Self::with_maxlen) does, however few it holds
    /// (call [`set_maxlen`](Self::set_maxlen) on it to change that).
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::with_maxlen(4);
    /// d.extend([1, 2, 3, 4]);
    /// let back = d.split_off(1);
    /// assert_eq!((d, back.maxlen()), (Deque::from(vec![1]), Some(4)));
    /// assert_eq!(back, [2, 3, 4]);
    /// ```
    #[must_use = "use `truncate` to drop the elements from `at` on"]
    pub fn split_off(&mut self, at: usize) -> Self {
        let mut other = match self.maxlen() {
            Some(m) => Self::with_maxlen(m),
            None => {
                let mut d = Self::new();
                d.reserve(self.len.saturating_sub(at));
                d
            }
        };
        other.extend(self.drain(at..));
        other
    }
}

impl<T, const N: usize> Deque<T, Inline<T, N>> {
    /// An empty [`InlineDeque`] of `N` slots: no allocation, usable in a
    /// `const` or `static`.
    ///
    /// ```
    /// use leanmem::deque::{Deque, InlineDeque};
    ///
    /// let mut d: InlineDeque<char, 3> = Deque::inline();
    /// d.extend("hello".chars());
    /// assert_eq!(d.iter().collect::<String>(), "llo");
    /// ```
    #[must_use]
    pub const fn inline() -> Self {
        Self {
            buf: Inline::new(),
            head: 0,
            len: 0,
            marker: PhantomData,
        }
    }

    /// Splits the deque in two at `at`: returns the elements from `at` on,
    /// in another inline deque, and keeps those before. An `at` past the
    /// end returns an empty deque. Computes in **O(len − at)** time.
    ///
    /// ```
    /// use leanmem::deque::InlineDeque;
    ///
    /// let mut d: InlineDeque<i32, 3> = [1, 2, 3].into_iter().collect();
    /// let back = d.split_off(2);
    /// assert_eq!((d.len(), back.len()), (2, 1));
    /// assert_eq!(back, [3]);
    /// ```
    #[must_use = "use `truncate` to drop the elements from `at` on"]
    pub fn split_off(&mut self, at: usize) -> Self {
        let mut other = Self::inline();
        other.extend(self.drain(at..));
        other
    }
}

impl<T, S: Storage<T>> Deque<T, S> {
    /// The maximum length, or `None` when unbounded, as Python's
    /// `d.maxlen`. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::deque::{Deque, InlineDeque};
    ///
    /// assert_eq!(Deque::<u8>::new().maxlen(), None);
    /// assert_eq!(Deque::<u8>::with_maxlen(5).maxlen(), Some(5));
    /// assert_eq!(InlineDeque::<u8, 7>::inline().maxlen(), Some(7));
    /// ```
    #[inline]
    #[must_use]
    pub fn maxlen(&self) -> Option<usize> {
        self.buf.maxlen()
    }

    /// The number of slots: elements it can hold before it grows (or, when
    /// bounded, evicts). Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let d: Deque<u8> = Deque::with_maxlen(4);
    /// assert_eq!(d.capacity(), 4);
    /// ```
    #[inline]
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.cap()
    }

    /// The number of elements. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let d = Deque::from(vec![1, 2]);
    /// assert_eq!(d.len(), 2);
    /// ```
    #[inline]
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the deque has no elements. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// assert!(Deque::<u8>::new().is_empty());
    /// ```
    #[inline]
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether the deque is bounded and holds `maxlen` elements, so that
    /// the next push evicts. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::with_maxlen(1);
    /// assert!(!d.is_full());
    /// d.push_back(1);
    /// assert!(d.is_full());
    /// assert!(!Deque::from(vec![1]).is_full());
    /// ```
    #[inline]
    #[must_use]
    pub fn is_full(&self) -> bool {
        self.maxlen() == Some(self.len)
    }

    /// Appends an element at the back, as Python's `append`. On a full
    /// bounded deque the front element is evicted and returned (with
    /// `maxlen == 0`, `value` itself comes back); otherwise returns `None`.
    ///
    /// Computes in amortized **O(1)** time; bounded deques never allocate.
    ///
    /// # Panics
    ///
    /// If an unbounded deque's capacity would overflow `isize::MAX` bytes.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::with_maxlen(2);
    /// assert_eq!(d.push_back(1), None);
    /// assert_eq!(d.push_back(2), None);
    /// assert_eq!(d.push_back(3), Some(1));
    /// assert_eq!(d, [2, 3]);
    /// ```
    #[inline]
    pub fn push_back(&mut self, value: T) -> Option<T> {
        self.push_back_raw(value)
    }

    /// Prepends an element at the front, as Python's `appendleft`. On a
    /// full bounded deque the back element is evicted and returned;
    /// otherwise returns `None`.
    ///
    /// Computes in amortized **O(1)** time; bounded deques never allocate.
    ///
    /// # Panics
    ///
    /// If an unbounded deque's capacity would overflow `isize::MAX` bytes.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::with_maxlen(2);
    /// d.extend([1, 2]);
    /// assert_eq!(d.push_front(0), Some(2));
    /// assert_eq!(d, [0, 1]);
    /// ```
    #[inline]
    pub fn push_front(&mut self, value: T) -> Option<T> {
        self.push_front_raw(value)
    }

    /// Appends at the back unless the deque is bounded and full, in which
    /// case nothing is evicted and the value is handed back. Computes in
    /// amortized **O(1)** time.
    ///
    /// # Errors
    ///
    /// [`DequeFullError`] holding `value` when the deque is full.
    ///
    /// # Panics
    ///
    /// If an unbounded deque's capacity would overflow `isize::MAX` bytes.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::with_maxlen(1);
    /// assert!(d.try_push_back('a').is_ok());
    /// assert_eq!(d.try_push_back('b').unwrap_err().into_inner(), 'b');
    /// assert_eq!(d, ['a']);
    /// ```
    pub fn try_push_back(&mut self, value: T) -> Result<(), DequeFullError<T>> {
        match self.maxlen() {
            Some(m) if self.len == m => Err(DequeFullError::new(value, m)),
            _ => {
                self.push_back_raw(value);
                Ok(())
            }
        }
    }

    /// Prepends at the front unless the deque is bounded and full, in
    /// which case nothing is evicted and the value is handed back. Computes
    /// in amortized **O(1)** time.
    ///
    /// # Errors
    ///
    /// [`DequeFullError`] holding `value` when the deque is full.
    ///
    /// # Panics
    ///
    /// If an unbounded deque's capacity would overflow `isize::MAX` bytes.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::with_maxlen(1);
    /// assert!(d.try_push_front('a').is_ok());
    /// assert!(d.try_push_front('b').is_err());
    /// ```
    pub fn try_push_front(&mut self, value: T) -> Result<(), DequeFullError<T>> {
        match self.maxlen() {
            Some(m) if self.len == m => Err(DequeFullError::new(value, m)),
            _ => {
                self.push_front_raw(value);
                Ok(())
            }
        }
    }

    /// Removes and returns the front element, as Python's `popleft`
    /// (`None` when empty). An unbounded deque halves its capacity when it
    /// falls below a quarter full. Computes in amortized **O(1)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::from(vec![1, 2]);
    /// assert_eq!(d.pop_front(), Some(1));
    /// assert_eq!(d.pop_front(), Some(2));
    /// assert_eq!(d.pop_front(), None);
    /// ```
    #[inline]
    pub fn pop_front(&mut self) -> Option<T> {
        let value = self.pop_front_raw();
        self.after_removal();
        value
    }

    /// Removes and returns the back element, as Python's `pop` (`None` when
    /// empty). An unbounded deque halves its capacity when it falls below a
    /// quarter full. Computes in amortized **O(1)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::from(vec![1, 2]);
    /// assert_eq!(d.pop_back(), Some(2));
    /// ```
    #[inline]
    pub fn pop_back(&mut self) -> Option<T> {
        let value = self.pop_back_raw();
        self.after_removal();
        value
    }

    /// Gives memory back if the length fell below the shrink threshold.
    #[inline]
    fn after_removal(&mut self) {
        if self.len < self.buf.shrink_below() {
            self.shrink_auto();
        }
    }

    /// The front element. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// assert_eq!(Deque::from(vec![1, 2]).front(), Some(&1));
    /// ```
    #[inline]
    #[must_use]
    pub fn front(&self) -> Option<&T> {
        self.get_ref(0)
    }

    /// The back element. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// assert_eq!(Deque::from(vec![1, 2]).back(), Some(&2));
    /// ```
    #[inline]
    #[must_use]
    pub fn back(&self) -> Option<&T> {
        self.len.checked_sub(1).and_then(|i| self.get_ref(i))
    }

    /// The front element, mutably. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::from(vec![1, 2]);
    /// *d.front_mut().unwrap() = 9;
    /// assert_eq!(d, [9, 2]);
    /// ```
    #[inline]
    pub fn front_mut(&mut self) -> Option<&mut T> {
        self.get_mut_ref(0)
    }

    /// The back element, mutably. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::from(vec![1, 2]);
    /// *d.back_mut().unwrap() = 9;
    /// assert_eq!(d, [1, 9]);
    /// ```
    #[inline]
    pub fn back_mut(&mut self) -> Option<&mut T> {
        match self.len.checked_sub(1) {
            Some(i) => self.get_mut_ref(i),
            None => None,
        }
    }

    /// The element at `index` from the front (`None` past the end).
    /// Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::from(vec![2, 3]);
    /// d.push_front(1);
    /// assert_eq!(d.get(0), Some(&1));
    /// assert_eq!(d.get(2), Some(&3));
    /// assert_eq!(d.get(3), None);
    /// ```
    #[inline]
    #[must_use]
    pub fn get(&self, index: usize) -> Option<&T> {
        self.get_ref(index)
    }

    /// The element at `index` from the front, mutably. Computes in **O(1)**
    /// time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::from(vec![1, 2]);
    /// *d.get_mut(1).unwrap() += 10;
    /// assert_eq!(d, [1, 12]);
    /// ```
    #[inline]
    pub fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        self.get_mut_ref(index)
    }

    /// Python indexing: `index >= 0` counts from the front, `-1` is the
    /// back element, `-len` the front one. `None` out of range. Computes in
    /// **O(1)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let d = Deque::from(vec![1, 2, 3]);
    /// assert_eq!(d.get_signed(-1), Some(&3));
    /// assert_eq!(d.get_signed(-3), Some(&1));
    /// assert_eq!(d.get_signed(-4), None);
    /// assert_eq!(d.get_signed(1), Some(&2));
    /// ```
    #[inline]
    #[must_use]
    pub fn get_signed(&self, index: isize) -> Option<&T> {
        self.signed_index(index).and_then(|i| self.get_ref(i))
    }

    /// Python indexing, mutably: see [`get_signed`](Self::get_signed).
    /// Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::from(vec![1, 2, 3]);
    /// *d.get_signed_mut(-1).unwrap() = 30;
    /// assert_eq!(d, [1, 2, 30]);
    /// ```
    #[inline]
    pub fn get_signed_mut(&mut self, index: isize) -> Option<&mut T> {
        match self.signed_index(index) {
            Some(i) => self.get_mut_ref(i),
            None => None,
        }
    }

    /// The position that a Python index denotes, if any.
    #[inline]
    fn signed_index(&self, index: isize) -> Option<usize> {
        if index >= 0 {
            Some(index.unsigned_abs())
        } else {
            self.len.checked_sub(index.unsigned_abs())
        }
    }

    /// Inserts `value` before position `index`, with Python's rules:
    /// `index >= len` appends, a negative `index` counts from the back, and
    /// a position before the front prepends. Moves the elements on the
    /// shorter side: **O(min(index, len - index))** time.
    ///
    /// # Errors
    ///
    /// [`DequeFullError`] holding `value` when the deque is bounded and full
    /// (Python raises `IndexError`: an insert never evicts).
    ///
    /// # Panics
    ///
    /// If an unbounded deque's capacity would overflow `isize::MAX` bytes.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::with_maxlen(5);
    /// d.extend([1, 2, 3]);
    /// d.insert(-1, 9).unwrap(); // before the last element
    /// d.insert(100, 4).unwrap(); // appends
    /// assert_eq!(d, [1, 2, 9, 3, 4]);
    /// assert_eq!(d.insert(0, 0).unwrap_err().into_inner(), 0); // full
    /// ```
    pub fn insert(&mut self, index: isize, value: T) -> Result<(), DequeFullError<T>> {
        if let Some(m) = self.maxlen() {
            if self.len == m {
                return Err(DequeFullError::new(value, m));
            }
        }
        let pos = if index >= 0 {
            index.unsigned_abs().min(self.len)
        } else {
            self.len.saturating_sub(index.unsigned_abs())
        };
        self.insert_live(pos, value);
        Ok(())
    }

    /// Removes and returns the element at `index` (`None` past the end),
    /// moving the elements on the shorter side: **O(min(index, len -
    /// index))** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::from(vec![1, 2, 3]);
    /// assert_eq!(d.remove(1), Some(2));
    /// assert_eq!(d.remove(5), None);
    /// assert_eq!(d, [1, 3]);
    /// ```
    pub fn remove(&mut self, index: usize) -> Option<T> {
        if index >= self.len {
            return None;
        }
        let value = self.remove_live(index);
        self.after_removal();
        Some(value)
    }

    /// Swaps the elements at `i` and `j` (`i == j` leaves the deque as it
    /// is). Computes in **O(1)** time.
    ///
    /// # Panics
    ///
    /// If `i` or `j` is not below [`len`](Self::len), as
    /// [`VecDeque::swap`] does.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::with_maxlen(3);
    /// d.extend([1, 2, 3, 4]); // the ring wraps: [2, 3] then [4]
    /// d.swap(0, 2);
    /// assert_eq!(d, [4, 3, 2]);
    /// ```
    pub fn swap(&mut self, i: usize, j: usize) {
        let len = self.len;
        assert!(
            i < len && j < len,
            "swap of {i} and {j} in a deque of {len} elements"
        );
        self.swap_live(i, j);
    }

    /// Removes and returns the element at `index` (`None` past the end),
    /// putting the back element in its place: **O(1)** time, but the order
    /// changes.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::from(vec![1, 2, 3, 4]);
    /// assert_eq!(d.swap_remove_back(0), Some(1));
    /// assert_eq!(d, [4, 2, 3]);
    /// assert_eq!(d.swap_remove_back(3), None);
    /// ```
    pub fn swap_remove_back(&mut self, index: usize) -> Option<T> {
        let last = self.len.checked_sub(1)?;
        if index > last {
            return None;
        }
        self.swap(index, last);
        self.pop_back()
    }

    /// Removes and returns the element at `index` (`None` past the end),
    /// putting the front element in its place: **O(1)** time, but the
    /// order changes.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::from(vec![1, 2, 3, 4]);
    /// assert_eq!(d.swap_remove_front(3), Some(4));
    /// assert_eq!(d, [2, 3, 1]);
    /// assert_eq!(d.swap_remove_front(3), None);
    /// ```
    pub fn swap_remove_front(&mut self, index: usize) -> Option<T> {
        if index >= self.len {
            return None;
        }
        self.swap(index, 0);
        self.pop_front()
    }

    /// Removes and returns the first element equal to `value`, as Python's
    /// `d.remove(x)` (`None` when there is none, instead of `ValueError`).
    /// Computes in **O(n)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::from(vec![1, 2, 3, 2]);
    /// assert_eq!(d.remove_first(&2), Some(2));
    /// assert_eq!(d, [1, 3, 2]);
    /// assert_eq!(d.remove_first(&7), None);
    /// ```
    pub fn remove_first(&mut self, value: &T) -> Option<T>
    where
        T: PartialEq,
    {
        let index = self.iter().position(|x| x == value)?;
        self.remove(index)
    }

    /// The position of the first element equal to `value` within `range`,
    /// as Python's `d.index(x, start, stop)`: bounds may be negative
    /// (counted from the back) and are clamped to the deque, so no range is
    /// out of bounds. `None` when not found (Python raises `ValueError`).
    /// Computes in **O(n)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let d = Deque::from(vec![1, 2, 3, 2, 1]);
    /// assert_eq!(d.index_of(&2, ..), Some(1));
    /// assert_eq!(d.index_of(&2, 2..), Some(3));
    /// assert_eq!(d.index_of(&1, -2..), Some(4));
    /// assert_eq!(d.index_of(&3, -3..-2), Some(2));
    /// assert_eq!(d.index_of(&2, -100..100), Some(1));
    /// assert_eq!(d.index_of(&3, 3..), None);
    /// ```
    #[must_use]
    pub fn index_of<R>(&self, value: &T, range: R) -> Option<usize>
    where
        T: PartialEq,
        R: RangeBounds<isize>,
    {
        let len = self.len;
        let resolve = |i: isize| {
            if i >= 0 {
                i.unsigned_abs().min(len)
            } else {
                len.saturating_sub(i.unsigned_abs())
            }
        };
        let start = match range.start_bound() {
            Bound::Included(&s) => resolve(s),
            // A position before the front: the range starts at the front
            // (clamping first would skip the front element).
            Bound::Excluded(&s) if s < 0 && s.unsigned_abs() > len => 0,
            Bound::Excluded(&s) => (resolve(s) + 1).min(len),
            Bound::Unbounded => 0,
        };
        let stop = match range.end_bound() {
            Bound::Excluded(&e) => resolve(e),
            Bound::Included(&e) if e < 0 && e.unsigned_abs() > len => 0,
            Bound::Included(&e) => (resolve(e) + 1).min(len),
            Bound::Unbounded => len,
        };
        if start >= stop {
            return None;
        }
        self.iter()
            .skip(start)
            .take(stop - start)
            .position(|x| x == value)
            .map(|i| i + start)
    }

    /// Whether an element equals `value`, as Python's `x in d`. Computes in
    /// **O(n)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let d = Deque::from(vec!["a", "b"]);
    /// assert!(d.contains(&"b"));
    /// assert!(!d.contains(&"c"));
    /// ```
    #[must_use]
    pub fn contains(&self, value: &T) -> bool
    where
        T: PartialEq,
    {
        let (a, b) = self.as_slices();
        a.contains(value) || b.contains(value)
    }

    /// Binary search of a deque sorted in ascending order, as
    /// [`slice::binary_search`]: `Ok` with the index of an element equal
    /// to `value` (any one of several equal), or `Err` with the index where
    /// `value` would go to keep the order. On an unsorted deque the result
    /// is unspecified (but no panic). Computes in **O(log n)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::with_maxlen(5);
    /// d.extend([0, 1, 3, 5, 8, 13]); // the ring wraps
    /// assert_eq!(d.binary_search(&5), Ok(2));
    /// assert_eq!(d.binary_search(&4), Err(2));
    /// assert_eq!(d.binary_search(&99), Err(5));
    /// ```
    pub fn binary_search(&self, value: &T) -> Result<usize, usize>
    where
        T: Ord,
    {
        self.binary_search_by(|x| x.cmp(value))
    }

    /// Binary search with a comparator, as [`slice::binary_search_by`]:
    /// `f` says whether an element is less than, equal to or greater than
    /// the target. Computes in **O(log n)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let d = Deque::from(vec![1.0, 2.5, 4.0]);
    /// assert_eq!(d.binary_search_by(|x: &f64| x.total_cmp(&2.5)), Ok(1));
    /// ```
    pub fn binary_search_by<F>(&self, mut f: F) -> Result<usize, usize>
    where
        F: FnMut(&T) -> Ordering,
    {
        let (a, b) = self.as_slices();
        let n = a.len();
        match b.first().map(&mut f) {
            Some(Ordering::Equal) => Ok(n),
            // The target lies after the wrapped run's first element.
            Some(Ordering::Less) => b.binary_search_by(f).map(|i| i + n).map_err(|i| i + n),
            _ => a.binary_search_by(f),
        }
    }

    /// Binary search by a key, as [`slice::binary_search_by_key`], on a
    /// deque sorted by that key. Computes in **O(log n)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let d = Deque::from(vec![(1, 'a'), (3, 'b'), (7, 'c')]);
    /// assert_eq!(d.binary_search_by_key(&3, |&(k, _)| k), Ok(1));
    /// assert_eq!(d.binary_search_by_key(&4, |&(k, _)| k), Err(2));
    /// ```
    pub fn binary_search_by_key<K: Ord, F>(&self, key: &K, mut f: F) -> Result<usize, usize>
    where
        F: FnMut(&T) -> K,
    {
        self.binary_search_by(|x| f(x).cmp(key))
    }

    /// The index of the first element for which `pred` is false, in a deque
    /// where it is true of a prefix and false of the rest, as
    /// [`slice::partition_point`]. Computes in **O(log n)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::with_maxlen(4);
    /// d.extend([1, 2, 3, 5, 8]); // the ring wraps
    /// assert_eq!(d.partition_point(|&x| x < 4), 2);
    /// ```
    pub fn partition_point<P>(&self, mut pred: P) -> usize
    where
        P: FnMut(&T) -> bool,
    {
        self.binary_search_by(|x| {
            if pred(x) {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        })
        .unwrap_or_else(|i| i)
    }

    /// Rotates `n` steps to the right (the back elements come to the front)
    /// for positive `n`, to the left for negative `n`, as Python's
    /// `d.rotate(n)`. `n` is taken modulo the length; an empty deque is left
    /// alone. A full deque only moves its front index: **O(1)**; otherwise
    /// **O(min(k, len - k))** for the effective step `k`. Never allocates.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d: Deque<i32> = (0..5).collect();
    /// d.rotate(2);
    /// assert_eq!(d, [3, 4, 0, 1, 2]);
    /// d.rotate(-7);
    /// assert_eq!(d, [0, 1, 2, 3, 4]);
    /// ```
    pub fn rotate(&mut self, n: isize) {
        let len = self.len;
        if len <= 1 {
            return;
        }
        let k = if n >= 0 {
            n.unsigned_abs() % len
        } else {
            (len - n.unsigned_abs() % len) % len
        };
        if k == 0 {
            return;
        }
        if len == self.cap() {
            // Every slot is live: moving the front index is the rotation.
            self.head = self.phys(len - k);
        } else if k <= len - k {
            for _ in 0..k {
                if let Some(x) = self.pop_back_raw() {
                    self.push_front_raw(x);
                }
            }
        } else {
            for _ in 0..len - k {
                if let Some(x) = self.pop_front_raw() {
                    self.push_back_raw(x);
                }
            }
        }
    }

    /// Reverses the order of the elements in place, as Python's
    /// `d.reverse()`. Computes in **O(n)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::from(vec![1, 2, 3]);
    /// d.reverse();
    /// assert_eq!(d, [3, 2, 1]);
    /// ```
    pub fn reverse(&mut self) {
        let len = self.len;
        for i in 0..len / 2 {
            self.swap_live(i, len - 1 - i);
        }
    }

    /// Prepends the items one at a time, as Python's `extendleft`: they end
    /// up in reverse order, and a full bounded deque drops from the back.
    /// Computes in amortized **O(1)** time per item.
    ///
    /// # Panics
    ///
    /// If an unbounded deque's capacity would overflow `isize::MAX` bytes.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::with_maxlen(4);
    /// d.extend([1, 2, 3]);
    /// d.extend_front([4, 5, 6]);
    /// assert_eq!(d, [6, 5, 4, 1]);
    /// ```
    pub fn extend_front<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        if self.maxlen().is_none() {
            self.grow_for(iter.size_hint().0);
        }
        for x in iter {
            self.push_front_raw(x);
        }
    }

    /// Moves every element of `other` to the back of `self`, leaving
    /// `other` empty; a bounded `self` keeps the last `maxlen`, as
    /// [`extend`](Extend::extend) does. Computes in **O(other.len())**
    /// time.
    ///
    /// # Panics
    ///
    /// If an unbounded deque's capacity would overflow `isize::MAX` bytes.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut a = Deque::from(vec![1, 2]);
    /// let mut b = Deque::from(vec![3, 4]);
    /// a.append(&mut b);
    /// assert_eq!((a.len(), b.len()), (4, 0));
    /// ```
    pub fn append<S2: Storage<T>>(&mut self, other: &mut Deque<T, S2>) {
        self.extend(other.drain(..));
    }

    /// Keeps the first `len` elements and drops the rest (nothing happens
    /// if `len >= self.len()`). Computes in **O(removed)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::from(vec![1, 2, 3]);
    /// d.truncate(1);
    /// assert_eq!(d, [1]);
    /// ```
    pub fn truncate(&mut self, len: usize) {
        self.truncate_back(len);
        self.after_removal();
    }

    /// Keeps the last `len` elements and drops the ones before them
    /// (nothing happens if `len >= self.len()`). Computes in
    /// **O(removed)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::from(vec![1, 2, 3]);
    /// d.truncate_front(1);
    /// assert_eq!(d, [3]);
    /// ```
    pub fn truncate_front(&mut self, len: usize) {
        self.truncate_front_raw(len);
        self.after_removal();
    }

    /// Makes the deque `new_len` long: drops elements from the back, or
    /// appends clones of `value`. A bounded deque keeps the last `maxlen`,
    /// as [`extend`](Extend::extend) does: growing it past `maxlen` evicts
    /// from the front. Computes in **O(|new_len − len|)** time, and
    /// **O(maxlen)** at most when bounded.
    ///
    /// # Panics
    ///
    /// If an unbounded deque's capacity would overflow `isize::MAX` bytes.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::from(vec![1, 2]);
    /// d.resize(4, 0);
    /// assert_eq!(d, [1, 2, 0, 0]);
    /// d.resize(1, 0);
    /// assert_eq!(d, [1]);
    ///
    /// let mut w = Deque::with_maxlen(3);
    /// w.extend([1, 2]);
    /// w.resize(5, 9);
    /// assert_eq!(w, [9, 9, 9]);
    /// ```
    pub fn resize(&mut self, new_len: usize, value: T)
    where
        T: Clone,
    {
        self.resize_with(new_len, || value.clone());
    }

    /// Makes the deque `new_len` long: drops elements from the back, or
    /// appends values made by `f`. A bounded deque keeps the last
    /// `maxlen`, as [`extend`](Extend::extend) does, and `f` is called
    /// only for values that stay (at most `maxlen` times). Computes in
    /// **O(|new_len − len|)** time, and **O(maxlen)** at most when bounded.
    ///
    /// # Panics
    ///
    /// If an unbounded deque's capacity would overflow `isize::MAX` bytes.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut n = 0;
    /// let mut d = Deque::new();
    /// d.resize_with(3, || {
    ///     n += 1;
    ///     n
    /// });
    /// assert_eq!(d, [1, 2, 3]);
    /// ```
    pub fn resize_with(&mut self, new_len: usize, mut f: impl FnMut() -> T) {
        let Some(more) = new_len.checked_sub(self.len) else {
            self.truncate(new_len);
            return;
        };
        // Values pushed past `maxlen` would only evict the ones made
        // before them: make just those that stay.
        let more = self.maxlen().map_or(more, |m| more.min(m));
        self.extend(std::iter::repeat_with(&mut f).take(more));
    }

    /// Drops every element. An unbounded deque gives its memory back down
    /// to its floor (a few slots, or its
    /// [`with_capacity`](Deque::with_capacity)). Computes in **O(n)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d: Deque<u64> = (0..1000).collect();
    /// d.clear();
    /// assert!(d.is_empty() && d.capacity() <= 8);
    /// ```
    pub fn clear(&mut self) {
        self.truncate(0);
        self.head = 0;
    }

    /// An iterator over the elements, front to back.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let d = Deque::from(vec![1, 2, 3]);
    /// assert_eq!(d.iter().sum::<i32>(), 6);
    /// ```
    #[must_use]
    pub fn iter(&self) -> Iter<'_, T> {
        let (a, b) = self.slices();
        Iter::new(a, b)
    }

    /// A mutable iterator over the elements, front to back.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::from(vec![1, 2, 3]);
    /// d.iter_mut().for_each(|x| *x *= 2);
    /// assert_eq!(d, [2, 4, 6]);
    /// ```
    pub fn iter_mut(&mut self) -> IterMut<'_, T> {
        let (a, b) = self.slices_mut();
        IterMut::new(a, b)
    }

    /// Removes the elements in `range` and returns them as an iterator.
    /// Bounds are clamped to the deque, as a Python slice's are, so no
    /// range panics (`d.drain(5..)` on 3 elements drains nothing).
    ///
    /// Dropping the iterator removes the rest of the range; leaking it
    /// leaves the deque with the elements before the range only. Computes
    /// in **O(removed + min(before, after))** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d: Deque<i32> = (1..=5).collect();
    /// let taken: Vec<i32> = d.drain(1..3).collect();
    /// assert_eq!(taken, [2, 3]);
    /// assert_eq!(d, [1, 4, 5]);
    /// assert_eq!(d.drain(2..99).collect::<Vec<_>>(), [5]);
    /// ```
    pub fn drain<R: RangeBounds<usize>>(&mut self, range: R) -> Drain<'_, T, S> {
        let (start, end) = self.clamp(&range);
        self.drain_range(start, end)
    }

    /// `range` clamped to the deque: `start <= end <= len`.
    fn clamp(&self, range: &impl RangeBounds<usize>) -> (usize, usize) {
        let len = self.len;
        let start = match range.start_bound() {
            Bound::Included(&s) => s.min(len),
            Bound::Excluded(&s) => s.saturating_add(1).min(len),
            Bound::Unbounded => 0,
        };
        let end = match range.end_bound() {
            Bound::Included(&e) => e.saturating_add(1).min(len),
            Bound::Excluded(&e) => e.min(len),
            Bound::Unbounded => len,
        }
        .max(start);
        (start, end)
    }

    /// An iterator over the elements in `range`, front to back. Bounds are
    /// clamped to the deque, as for [`drain`](Self::drain) (where
    /// `VecDeque::range` panics). Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::with_maxlen(4);
    /// d.extend([1, 2, 3, 4, 5]); // the ring wraps
    /// assert_eq!(d.range(1..3).collect::<Vec<_>>(), [&3, &4]);
    /// assert_eq!(d.range(2..).rev().collect::<Vec<_>>(), [&5, &4]);
    /// assert_eq!(d.range(9..).count(), 0);
    /// ```
    pub fn range<R: RangeBounds<usize>>(&self, range: R) -> Iter<'_, T> {
        let (a, b) = self.slices();
        let (ra, rb) = runs_of(a.len(), self.clamp(&range));
        Iter::new(&a[ra], &b[rb])
    }

    /// A mutable iterator over the elements in `range`, front to back,
    /// clamped as [`range`](Self::range) is. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::with_maxlen(3);
    /// d.extend([1, 2, 3, 4]); // the ring wraps
    /// d.range_mut(1..).for_each(|x| *x *= 10);
    /// assert_eq!(d, [2, 30, 40]);
    /// ```
    pub fn range_mut<R: RangeBounds<usize>>(&mut self, range: R) -> IterMut<'_, T> {
        let bounds = self.clamp(&range);
        let (a, b) = self.slices_mut();
        let (ra, rb) = runs_of(a.len(), bounds);
        IterMut::new(&mut a[ra], &mut b[rb])
    }

    /// The elements, front to back, as two slices: the run from the front
    /// slot to the end of the ring, then the run that wrapped around.
    /// Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::with_maxlen(3);
    /// d.extend([1, 2, 3, 4]);
    /// assert_eq!(d.as_slices(), (&[2, 3][..], &[4][..]));
    /// ```
    #[must_use]
    pub fn as_slices(&self) -> (&[T], &[T]) {
        self.slices()
    }

    /// The elements as two mutable slices: see
    /// [`as_slices`](Self::as_slices). Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::from(vec![1, 2]);
    /// d.as_mut_slices().0[0] = 5;
    /// assert_eq!(d, [5, 2]);
    /// ```
    pub fn as_mut_slices(&mut self) -> (&mut [T], &mut [T]) {
        self.slices_mut()
    }

    /// Moves the elements so that they are one slice, and returns it: a
    /// contiguous view of the window, for slice APIs (sorting, `windows`,
    /// SIMD sums). Never allocates. Computes in **O(n)** time when the
    /// elements wrap around the ring, **O(1)** otherwise.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::with_maxlen(3);
    /// d.extend([5, 1, 4, 2]);
    /// let window = d.make_contiguous();
    /// window.sort();
    /// assert_eq!(window, [1, 2, 4]);
    /// assert_eq!(d.as_slices().1, &[] as &[i32]);
    /// ```
    pub fn make_contiguous(&mut self) -> &mut [T] {
        self.contiguous()
    }

    /// Keeps only the elements for which `keep` returns `true`, in order.
    /// Computes in **O(n)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d: Deque<i32> = (1..=6).collect();
    /// d.retain(|x| x % 2 == 0);
    /// assert_eq!(d, [2, 4, 6]);
    /// ```
    pub fn retain<F: FnMut(&T) -> bool>(&mut self, mut keep: F) {
        self.retain_mut(|x| keep(x));
    }

    /// Keeps only the elements for which `keep` returns `true`, in order,
    /// letting it modify them. If `keep` panics, every element is still in
    /// the deque (in some order) and none is dropped twice. Computes in
    /// **O(n)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d: Deque<i32> = (1..=4).collect();
    /// d.retain_mut(|x| {
    ///     *x *= 10;
    ///     *x > 20
    /// });
    /// assert_eq!(d, [30, 40]);
    /// ```
    pub fn retain_mut<F: FnMut(&mut T) -> bool>(&mut self, mut keep: F) {
        let len = self.len;
        let mut kept = 0;
        for i in 0..len {
            let Some(x) = self.get_mut_ref(i) else { break };
            if keep(x) {
                if kept != i {
                    self.swap_live(kept, i);
                }
                kept += 1;
            }
        }
        self.truncate(kept);
    }
}

impl<T> Default for Deque<T> {
    /// An empty, unbounded deque: [`Deque::new`].
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let d: Deque<u8> = Deque::default();
    /// assert!(d.is_empty());
    /// ```
    fn default() -> Self {
        Self::new()
    }
}

impl<T, const N: usize> Default for Deque<T, Inline<T, N>> {
    /// An empty inline deque: [`Deque::inline`].
    ///
    /// ```
    /// use leanmem::deque::InlineDeque;
    ///
    /// let d: InlineDeque<u8, 4> = InlineDeque::default();
    /// assert_eq!(d.maxlen(), Some(4));
    /// ```
    fn default() -> Self {
        Self::inline()
    }
}

impl<T: Clone> Clone for Deque<T> {
    /// A deque with the same elements and maxlen. A bounded clone owns
    /// `maxlen` slots; an unbounded one room for its elements (at least the
    /// minimum capacity), without the original's capacity floor. If cloning
    /// an element panics, the clones made so far are dropped.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::with_maxlen(4);
    /// d.extend([1, 2]);
    /// let c = d.clone();
    /// assert_eq!((c.maxlen(), c.len()), (Some(4), 2));
    /// ```
    fn clone(&self) -> Self {
        let mut clone = match self.maxlen() {
            Some(m) => Self::with_maxlen(m),
            None => {
                let mut d = Self::new();
                d.reserve(self.len);
                d
            }
        };
        clone.extend(self.iter().cloned());
        clone
    }
}

impl<T: Clone, const N: usize> Clone for Deque<T, Inline<T, N>> {
    /// An inline deque with the same elements.
    ///
    /// ```
    /// use leanmem::deque::InlineDeque;
    ///
    /// let d: InlineDeque<i32, 2> = [1, 2].into_iter().collect();
    /// assert_eq!(d.clone(), [1, 2]);
    /// ```
    fn clone(&self) -> Self {
        let mut clone = Self::inline();
        clone.extend(self.iter().cloned());
        clone
    }
}

impl<T: fmt::Debug, S: Storage<T>> fmt::Debug for Deque<T, S> {
    /// Python's `repr`: `deque([1, 2])`, or `deque([1, 2], maxlen=4)`.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::with_maxlen(4);
    /// d.extend([1, 2]);
    /// assert_eq!(format!("{d:?}"), "deque([1, 2], maxlen=4)");
    /// assert_eq!(format!("{:?}", Deque::<u8>::new()), "deque([])");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("deque(")?;
        f.debug_list().entries(self.iter()).finish()?;
        if let Some(m) = self.maxlen() {
            write!(f, ", maxlen={m}")?;
        }
        f.write_str(")")
    }
}

impl<T, U, S, S2> PartialEq<Deque<U, S2>> for Deque<T, S>
where
    T: PartialEq<U>,
    S: Storage<T>,
    S2: Storage<U>,
{
    /// Element-wise equality; the maxlen and the storage do not matter, as
    /// in Python.
    ///
    /// ```
    /// use leanmem::deque::{Deque, InlineDeque};
    ///
    /// let mut bounded = Deque::with_maxlen(2);
    /// bounded.push_back(1);
    /// let mut inline: InlineDeque<i32, 8> = Deque::inline();
    /// inline.push_back(1);
    /// assert_eq!(bounded, Deque::from(vec![1]));
    /// assert_eq!(bounded, inline);
    /// ```
    fn eq(&self, other: &Deque<U, S2>) -> bool {
        self.len == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl<T: Eq, S: Storage<T>> Eq for Deque<T, S> {}

impl<T, U, S, const N: usize> PartialEq<[U; N]> for Deque<T, S>
where
    T: PartialEq<U>,
    S: Storage<T>,
{
    /// Compares with an array, element-wise.
    ///
    /// ```
    /// assert_eq!(leanmem::deque::Deque::from(vec![1, 2]), [1, 2]);
    /// ```
    fn eq(&self, other: &[U; N]) -> bool {
        *self == other[..]
    }
}

impl<T, U, S> PartialEq<[U]> for Deque<T, S>
where
    T: PartialEq<U>,
    S: Storage<T>,
{
    /// Compares with a slice, element-wise.
    ///
    /// ```
    /// assert!(leanmem::deque::Deque::from(vec![1, 2]) == [1, 2][..]);
    /// ```
    fn eq(&self, other: &[U]) -> bool {
        let (a, b) = self.as_slices();
        self.len == other.len() && {
            let (x, y) = other.split_at(a.len());
            a == x && b == y
        }
    }
}

impl<T, U, S> PartialEq<&[U]> for Deque<T, S>
where
    T: PartialEq<U>,
    S: Storage<T>,
{
    /// Compares with a slice, element-wise.
    ///
    /// ```
    /// assert_eq!(leanmem::deque::Deque::from(vec![1, 2]), &[1, 2][..]);
    /// ```
    fn eq(&self, other: &&[U]) -> bool {
        *self == **other
    }
}

impl<T, U, S> PartialEq<Vec<U>> for Deque<T, S>
where
    T: PartialEq<U>,
    S: Storage<T>,
{
    /// Compares with a vector, element-wise.
    ///
    /// ```
    /// assert_eq!(leanmem::deque::Deque::from(vec![1, 2]), vec![1, 2]);
    /// ```
    fn eq(&self, other: &Vec<U>) -> bool {
        *self == other[..]
    }
}

impl<T: PartialOrd, S: Storage<T>, S2: Storage<T>> PartialOrd<Deque<T, S2>> for Deque<T, S> {
    /// Lexicographic, element by element, as Python compares deques.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// assert!(Deque::from(vec![1, 2]) < Deque::from(vec![1, 3]));
    /// assert!(Deque::from(vec![1, 2]) < Deque::from(vec![1, 2, 0]));
    /// ```
    fn partial_cmp(&self, other: &Deque<T, S2>) -> Option<Ordering> {
        self.iter().partial_cmp(other.iter())
    }
}

impl<T: Ord, S: Storage<T>> Ord for Deque<T, S> {
    /// Lexicographic, element by element.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    /// use std::cmp::Ordering;
    ///
    /// assert_eq!(Deque::from(vec![2]).cmp(&Deque::from(vec![1, 5])), Ordering::Greater);
    /// ```
    fn cmp(&self, other: &Self) -> Ordering {
        self.iter().cmp(other.iter())
    }
}

impl<T: Hash, S: Storage<T>> Hash for Deque<T, S> {
    /// The length, then the elements: the maxlen is not hashed, so equal
    /// deques hash alike.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    /// use std::hash::BuildHasher;
    ///
    /// let s = std::hash::RandomState::new();
    /// let mut bounded = Deque::with_maxlen(3);
    /// bounded.extend([1, 2]);
    /// assert_eq!(s.hash_one(&bounded), s.hash_one(&Deque::from(vec![1, 2])));
    /// ```
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.len);
        self.iter().for_each(|x| x.hash(state));
    }
}

impl<T, S: Storage<T>> Index<usize> for Deque<T, S> {
    type Output = T;

    /// The element at `index`, as [`get`](Deque::get).
    ///
    /// # Panics
    ///
    /// If `index >= len()`: this is a convenience; [`get`](Deque::get)
    /// returns `None` instead.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let d = Deque::from(vec![1, 2]);
    /// assert_eq!(d[1], 2);
    /// ```
    #[track_caller]
    fn index(&self, index: usize) -> &T {
        match self.get_ref(index) {
            Some(x) => x,
            None => index_out_of_bounds(index, self.len),
        }
    }
}

impl<T, S: Storage<T>> IndexMut<usize> for Deque<T, S> {
    /// The element at `index`, mutably, as [`get_mut`](Deque::get_mut).
    ///
    /// # Panics
    ///
    /// If `index >= len()`.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::from(vec![1, 2]);
    /// d[0] = 7;
    /// assert_eq!(d, [7, 2]);
    /// ```
    #[track_caller]
    fn index_mut(&mut self, index: usize) -> &mut T {
        let len = self.len;
        match self.get_mut_ref(index) {
            Some(x) => x,
            None => index_out_of_bounds(index, len),
        }
    }
}

#[cold]
#[track_caller]
fn index_out_of_bounds(index: usize, len: usize) -> ! {
    panic!("deque index out of range: the len is {len} but the index is {index}")
}

impl<T, S: Storage<T>> Extend<T> for Deque<T, S> {
    /// Appends each item, as Python's `extend`: a bounded deque keeps the
    /// last `maxlen`.
    ///
    /// # Panics
    ///
    /// If an unbounded deque's capacity would overflow `isize::MAX` bytes
    /// (room for the iterator's `size_hint` lower bound is reserved first).
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::with_maxlen(4);
    /// d.extend([1, 2, 3]);
    /// d.extend([4, 5, 6]);
    /// assert_eq!(d, [3, 4, 5, 6]);
    /// ```
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        if self.maxlen().is_none() {
            self.grow_for(iter.size_hint().0);
        }
        for x in iter {
            self.push_back_raw(x);
        }
    }
}

impl<'a, T: Copy + 'a, S: Storage<T>> Extend<&'a T> for Deque<T, S> {
    /// Appends a copy of each item.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d: Deque<i32> = Deque::new();
    /// d.extend(&[1, 2]);
    /// assert_eq!(d, [1, 2]);
    /// ```
    fn extend<I: IntoIterator<Item = &'a T>>(&mut self, iter: I) {
        self.extend(iter.into_iter().copied());
    }
}

impl<T> FromIterator<T> for Deque<T> {
    /// An unbounded deque of the items, collected through a `Vec` whose
    /// allocation it takes over.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let d: Deque<i32> = (1..=3).collect();
    /// assert_eq!(d, [1, 2, 3]);
    /// ```
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Self::from(iter.into_iter().collect::<Vec<T>>())
    }
}

impl<T, const N: usize> FromIterator<T> for Deque<T, Inline<T, N>> {
    /// An inline deque of the last `N` items, as Python's
    /// `deque(iterable, maxlen=N)`.
    ///
    /// ```
    /// use leanmem::deque::InlineDeque;
    ///
    /// let d: InlineDeque<i32, 2> = (1..=5).collect();
    /// assert_eq!(d, [4, 5]);
    /// ```
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut d = Self::inline();
        d.extend(iter);
        d
    }
}

impl<T, S: Storage<T>> IntoIterator for Deque<T, S> {
    type Item = T;
    type IntoIter = IntoIter<T, S>;

    /// Consumes the deque, yielding its elements front to back.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let d = Deque::from(vec![1, 2]);
    /// assert_eq!(d.into_iter().rev().collect::<Vec<_>>(), [2, 1]);
    /// ```
    fn into_iter(self) -> IntoIter<T, S> {
        IntoIter::new(self)
    }
}

impl<'a, T, S: Storage<T>> IntoIterator for &'a Deque<T, S> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;

    /// Iterates by reference, as [`Deque::iter`].
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let d = Deque::from(vec![1, 2]);
    /// let mut total = 0;
    /// for x in &d {
    ///     total += x;
    /// }
    /// assert_eq!(total, 3);
    /// ```
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<'a, T, S: Storage<T>> IntoIterator for &'a mut Deque<T, S> {
    type Item = &'a mut T;
    type IntoIter = IterMut<'a, T>;

    /// Iterates by mutable reference, as [`Deque::iter_mut`].
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::from(vec![1, 2]);
    /// for x in &mut d {
    ///     *x += 1;
    /// }
    /// assert_eq!(d, [2, 3]);
    /// ```
    fn into_iter(self) -> IterMut<'a, T> {
        self.iter_mut()
    }
}

impl<T, const N: usize> From<[T; N]> for Deque<T> {
    /// An unbounded deque of the array's elements.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// assert_eq!(Deque::from([1, 2]), [1, 2]);
    /// ```
    fn from(array: [T; N]) -> Self {
        Self::from(Vec::from(array))
    }
}

impl<T> From<VecDeque<T>> for Deque<T> {
    /// An unbounded deque of the same elements, reusing the allocation.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    /// use std::collections::VecDeque;
    ///
    /// let v: VecDeque<i32> = (1..=3).collect();
    /// assert_eq!(Deque::from(v), [1, 2, 3]);
    /// ```
    fn from(deque: VecDeque<T>) -> Self {
        Self::from(Vec::from(deque))
    }
}

impl<T> From<Deque<T>> for VecDeque<T> {
    /// A `VecDeque` of the same elements, reusing the allocation.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    /// use std::collections::VecDeque;
    ///
    /// let v = VecDeque::from(Deque::from(vec![1, 2]));
    /// assert_eq!(v, [1, 2]);
    /// ```
    fn from(deque: Deque<T>) -> Self {
        VecDeque::from(Vec::from(deque))
    }
}

impl<T: HeapSize, S: Storage<T>> HeapSize for Deque<T, S> {
    /// The slots (capacity × `size_of::<T>()`, zero for an inline deque)
    /// plus what the elements own.
    ///
    /// ```
    /// use leanmem::deque::{Deque, InlineDeque};
    /// use leanmem::measure::HeapSize;
    ///
    /// let d: Deque<u64> = Deque::with_maxlen(100);
    /// assert_eq!(d.heap_size(), 800);
    /// let s: InlineDeque<String, 4> = ["ab".to_string()].into_iter().collect();
    /// assert_eq!(s.heap_size(), 2);
    /// ```
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.buf.heap_bytes() + self.iter().map(|x| x.heap_size_with(cx)).sum::<usize>()
    }
}
