//! Ring storage, and every `unsafe` operation of the deque module.
//!
//! A deque is a ring of `MaybeUninit<T>` slots: `len` live elements that
//! start at slot `head` and wrap around the end of the slots. Every
//! `SAFETY` comment in this file relies on these invariants, which every
//! function here keeps:
//!
//! 1. `len <= cap`, where `cap` is the number of slots; `head < cap`, or
//!    `head == 0` when `cap == 0`.
//! 2. The slots at logical indices `0..len` (physical `wrap(head, cap, i)`)
//!    hold initialized elements, in order; no other slot does (a slot whose
//!    element was read out is treated as uninitialized).
//! 3. A bounded deque has exactly `maxlen` slots.
//!
//! Nothing outside this file reads or writes a slot except through the safe
//! functions below. `len` changes only here; `head` changes here and in two
//! places of `mod.rs` that keep invariant 2 themselves: `rotate` (which
//! moves `head` around a full ring) and `clear` (which resets it to 0 once
//! `len` is 0).
#![allow(unsafe_code)]

use std::alloc::{Layout, handle_alloc_error};
use std::collections::TryReserveError;
use std::fmt;
use std::iter::FusedIterator;
use std::marker::PhantomData;
use std::mem::{self, ManuallyDrop, MaybeUninit};
use std::ptr;

use super::Deque;

/// Where a [`Deque`] keeps its slots: [`Heap`] (the default: growable, or
/// bounded by a maxlen chosen at run time) or [`Inline`] (`N` slots inside
/// the deque value itself, no heap).
///
/// The trait is sealed: its methods are private to this crate, and only
/// these two types implement it.
///
/// ```
/// use leanmem::deque::{Deque, Heap, Inline, Storage};
///
/// fn oldest<T, S: Storage<T>>(d: &Deque<T, S>) -> Option<&T> {
///     d.front()
/// }
///
/// let heap: Deque<u8, Heap<u8>> = Deque::from(vec![1, 2]);
/// let inline: Deque<u8, Inline<u8, 4>> = [3, 4].into_iter().collect();
/// assert_eq!(oldest(&heap), Some(&1));
/// assert_eq!(oldest(&inline), Some(&3));
/// ```
pub trait Storage<T>: sealed::Sealed<T> {}

mod sealed {
    use std::collections::TryReserveError;
    use std::mem::MaybeUninit;

    /// The storage operations, private to the crate (the module is not
    /// reachable from outside, so the trait can be neither named nor
    /// implemented there; nor can a storage value be obtained to call them).
    #[allow(unreachable_pub)] // sealed-trait pattern
    pub trait Sealed<T> {
        /// All slots; the ring's capacity is their number.
        fn slots(&self) -> &[MaybeUninit<T>];
        /// All slots, mutably.
        fn slots_mut(&mut self) -> &mut [MaybeUninit<T>];
        /// `Some(capacity)` when bounded: a full deque evicts, never grows.
        fn maxlen(&self) -> Option<usize>;
        /// A length below which the deque gives memory back (0: never).
        fn shrink_below(&self) -> usize;
        /// The capacity to shrink to for `len` live elements, if smaller.
        fn shrink_target(&self, len: usize) -> Option<usize>;
        /// The capacity to grow to so that `needed` elements fit.
        fn grow_target(&self, needed: usize) -> usize;
        /// Grows to exactly `new_cap` slots (a `realloc`) if that is more,
        /// keeping the ring that `(head, front, back)` describes (see
        /// `Deque::runs`) in order: a wrapped run moves. Returns the new
        /// head. Panics or aborts as `Vec` does when memory cannot be had,
        /// the storage then unchanged.
        fn grow_ring(&mut self, new_cap: usize, runs: (usize, usize, usize)) -> usize;
        /// As `grow_ring`, reporting failure instead.
        fn try_grow_ring(
            &mut self,
            new_cap: usize,
            runs: (usize, usize, usize),
        ) -> Result<usize, TryReserveError>;
        /// Moves the live elements, described by `(head, front, back)` (see
        /// `Deque::runs`), into a fresh allocation of `new_cap >= front +
        /// back` slots, starting at slot 0, and frees the old one.
        fn shrink_into(&mut self, new_cap: usize, runs: (usize, usize, usize));
        /// Bytes of the slots' heap allocation.
        fn heap_bytes(&self) -> usize;
    }
}

use sealed::Sealed;

/// `floor` of a bounded [`Heap`]: it never shrinks nor grows.
const BOUNDED: usize = usize::MAX;

/// Heap storage of a [`Deque`]: one allocation of slots that grows by
/// doubling and gives memory back as the deque empties, or, when bounded,
/// exactly `maxlen` slots allocated once.
///
/// Obtained only inside a deque: see [`Deque::new`], [`Deque::with_maxlen`].
///
/// ```
/// use leanmem::deque::{Deque, Heap};
///
/// let d: Deque<u32, Heap<u32>> = Deque::with_maxlen(3);
/// assert_eq!(d.capacity(), 3);
/// ```
pub struct Heap<T> {
    /// The slots; `buf.len()` is the ring's capacity.
    buf: Vec<MaybeUninit<T>>,
    /// The capacity automatic shrinking keeps at least; [`BOUNDED`] for a
    /// bounded deque.
    floor: usize,
    /// Cached `shrink_below` (see [`Sealed::shrink_below`]).
    shrink_below: usize,
}

impl<T> Heap<T> {
    /// The smallest non-zero capacity, as `Vec` chooses it.
    pub(super) const MIN_CAP: usize = if mem::size_of::<T>() == 1 {
        8
    } else if mem::size_of::<T>() <= 1024 {
        4
    } else {
        1
    };

    pub(super) const fn new() -> Self {
        Self {
            buf: Vec::new(),
            floor: Self::MIN_CAP,
            shrink_below: 0,
        }
    }

    /// Unbounded, with `capacity` slots, never shrinking below them.
    pub(super) fn with_capacity(capacity: usize) -> Self {
        let mut heap = Self {
            buf: Vec::new(),
            // Below `BOUNDED`, which would make the storage bounded.
            floor: capacity.clamp(Self::MIN_CAP, BOUNDED - 1),
            shrink_below: 0,
        };
        heap.grow_ring(capacity, (0, 0, 0));
        heap
    }

    /// Bounded: exactly `maxlen` slots, allocated now.
    pub(super) fn try_bounded(maxlen: usize) -> Result<Self, TryReserveError> {
        let mut heap = Self {
            buf: Vec::new(),
            floor: BOUNDED,
            shrink_below: 0,
        };
        heap.try_grow_ring(maxlen, (0, 0, 0))?;
        Ok(heap)
    }

    /// Bounded: exactly `maxlen` slots, allocated now. Inline, so that
    /// where `maxlen` is a constant the compiler knows the capacity in the
    /// code that uses the deque.
    #[inline]
    pub(super) fn bounded(maxlen: usize) -> Self {
        let mut buf = Vec::with_capacity(maxlen);
        // SAFETY: `with_capacity` made the capacity at least `maxlen`, and
        // `MaybeUninit` slots need no initialization.
        unsafe { buf.set_len(maxlen) };
        // `shrink_below` is 0: a bounded deque never shrinks.
        Self {
            buf,
            floor: BOUNDED,
            shrink_below: 0,
        }
    }

    /// Makes the storage bounded (its capacity must already be the maxlen)
    /// or unbounded.
    pub(super) fn set_bounded(&mut self, bounded: bool) {
        self.floor = if bounded { BOUNDED } else { Self::MIN_CAP };
        self.update_threshold();
    }

    /// Sets the capacity automatic shrinking keeps (unbounded only).
    pub(super) fn set_floor(&mut self, floor: usize) {
        if self.floor != BOUNDED {
            // Below `BOUNDED`: a floor of `usize::MAX` must not read as
            // "bounded" (`shrink_to(usize::MAX)` once made the deque a
            // bounded one).
            self.floor = floor.clamp(Self::MIN_CAP, BOUNDED - 1);
            self.update_threshold();
        }
    }

    fn update_threshold(&mut self) {
        let cap = self.buf.len();
        self.shrink_below =
            if self.floor == BOUNDED || mem::size_of::<T>() == 0 || cap <= self.floor {
                0
            } else {
                cap / 4
            };
    }
}

impl<T> fmt::Debug for Heap<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Heap")
            .field("capacity", &self.buf.len())
            .field("bounded", &(self.floor == BOUNDED))
            .finish()
    }
}

impl<T> Storage<T> for Heap<T> {}

impl<T> Sealed<T> for Heap<T> {
    #[inline]
    fn slots(&self) -> &[MaybeUninit<T>] {
        &self.buf
    }

    #[inline]
    fn slots_mut(&mut self) -> &mut [MaybeUninit<T>] {
        &mut self.buf
    }

    #[inline]
    fn maxlen(&self) -> Option<usize> {
        (self.floor == BOUNDED).then_some(self.buf.len())
    }

    #[inline]
    fn shrink_below(&self) -> usize {
        self.shrink_below
    }

    #[inline]
    fn shrink_target(&self, len: usize) -> Option<usize> {
        if self.shrink_below == 0 || len >= self.shrink_below {
            return None;
        }
        // Halve (not below the floor) while the deque would still be under a
        // quarter full, so the result is at most half full: the next shrink
        // needs as many removals again as the halving saved (amortized O(1)
        // per operation).
        let mut cap = self.buf.len();
        loop {
            let next = (cap / 2).max(self.floor);
            if len >= cap / 4 || next >= cap {
                return Some(cap);
            }
            cap = next;
        }
    }

    #[inline]
    fn grow_target(&self, needed: usize) -> usize {
        needed
            .max(self.buf.len().saturating_mul(2))
            .max(Self::MIN_CAP)
    }

    #[inline]
    fn grow_ring(&mut self, new_cap: usize, runs: (usize, usize, usize)) -> usize {
        match self.try_grow_ring(new_cap, runs) {
            Ok(head) => head,
            Err(_) => grow_failed::<T>(new_cap),
        }
    }

    #[inline]
    fn try_grow_ring(
        &mut self,
        new_cap: usize,
        runs: (usize, usize, usize),
    ) -> Result<usize, TryReserveError> {
        if new_cap <= self.buf.len() {
            return Ok(runs.0);
        }
        // The vector moves out and back by value, and the whole slow path
        // is one call, so that the deque's own fields never have their
        // address taken on a push: the compiler can then keep them in
        // registers across a loop. The vector comes back grown or, on
        // failure, unchanged.
        let (slots, grown) = grow_slots(mem::take(&mut self.buf), new_cap, runs);
        self.buf = slots;
        let head = grown?;
        self.update_threshold();
        Ok(head)
    }

    #[inline]
    fn shrink_into(&mut self, new_cap: usize, runs: (usize, usize, usize)) {
        // By value, as in `grow_ring`: a loop of pops keeps the deque's
        // fields in registers.
        self.buf = shrink_slots(mem::take(&mut self.buf), new_cap, runs);
        self.update_threshold();
    }

    #[inline]
    fn heap_bytes(&self) -> usize {
        self.buf.capacity() * mem::size_of::<T>()
    }
}

/// `slots` grown to exactly `new_cap > slots.len()` slots (a `realloc`),
/// with the ring that `(head, front, back)` describes (see `Deque::runs`)
/// kept in order, and its new head; or `slots` unchanged and the error if
/// the memory cannot be had.
#[cold]
#[inline(never)]
fn grow_slots<T>(
    mut slots: Vec<MaybeUninit<T>>,
    new_cap: usize,
    (head, front, back): (usize, usize, usize),
) -> (Vec<MaybeUninit<T>>, Result<usize, TryReserveError>) {
    let old_cap = slots.len();
    if let Err(e) = slots.try_reserve_exact(new_cap - old_cap) {
        return (slots, Err(e));
    }
    // SAFETY: `try_reserve_exact` made the capacity at least `new_cap`, and
    // `MaybeUninit` slots need no initialization.
    unsafe { slots.set_len(new_cap) };
    if back == 0 {
        return (slots, Ok(head));
    }
    // The ring wrapped: its front run ends at the old capacity
    // (`head + front == old_cap`) and its back run starts at slot 0. The
    // shorter one that fits moves, so that the elements run in order
    // through the grown slots.
    let base = slots.as_mut_ptr();
    if back <= front && back <= new_cap - old_cap {
        // SAFETY: `0..back` and `old_cap..old_cap+back` are within the
        // `new_cap` slots and disjoint (`back <= front <= old_cap`); the
        // moved slots leave the live range.
        unsafe { ptr::copy_nonoverlapping(base, base.wrapping_add(old_cap), back) };
        (slots, Ok(head))
    } else {
        let new_head = new_cap - front;
        // SAFETY: `head..old_cap` and `new_head..new_cap` are within the
        // slots (`ptr::copy` allows them to overlap); `back <= new_head`
        // since `front + back <= old_cap < new_cap`, so the back run is
        // untouched.
        unsafe { ptr::copy(base.wrapping_add(head), base.wrapping_add(new_head), front) };
        (slots, Ok(new_head))
    }
}

/// The live elements of `slots`, described by `(head, front, back)` (see
/// `Deque::runs`), moved to the start of a fresh block of `new_cap >= front
/// + back` slots; the old block is freed.
#[cold]
#[inline(never)]
fn shrink_slots<T>(
    slots: Vec<MaybeUninit<T>>,
    new_cap: usize,
    (head, front, back): (usize, usize, usize),
) -> Vec<MaybeUninit<T>> {
    // A fresh block and a `free` of the old one, rather than a `realloc`
    // in place: the allocator then sees the big block freed, which is
    // what lets it reuse that memory for the next burst. `new_cap` is
    // below the old capacity, so its size cannot overflow: nothing here
    // unwinds while the elements are out of the deque (an allocation
    // failure goes to the allocation error handler).
    let mut fresh: Vec<MaybeUninit<T>> = Vec::with_capacity(new_cap);
    let src = slots.as_ptr();
    let dst = fresh.as_mut_ptr();
    debug_assert!(front + back <= new_cap && head + front <= slots.len());
    // SAFETY: the front run `head..head+front` is within the old slots,
    // `0..front` within the fresh ones (`front + back <= new_cap`), and
    // the two blocks are distinct.
    unsafe { ptr::copy_nonoverlapping(src.wrapping_add(head), dst, front) };
    // SAFETY: the back run `0..back` is within the old slots,
    // `front..front+back` within the fresh ones.
    unsafe { ptr::copy_nonoverlapping(src, dst.wrapping_add(front), back) };
    // SAFETY: the capacity is at least `new_cap`, and `MaybeUninit`
    // slots need no initialization.
    unsafe { fresh.set_len(new_cap) };
    // The old slots are freed on return, without dropping anything
    // (`MaybeUninit`); their elements now live in `fresh`.
    fresh
}

/// Reports that `new_cap` slots cannot be had, as `Vec` does: a panic when
/// their size overflows `isize::MAX` bytes, else the allocation error
/// handler.
#[cold]
#[inline(never)]
fn grow_failed<T>(new_cap: usize) -> ! {
    match Layout::array::<T>(new_cap) {
        Ok(layout) => handle_alloc_error(layout),
        Err(_) => panic!("capacity overflow"),
    }
}

/// Inline storage of a [`Deque`]: `N` slots inside the deque value, no heap.
/// Always bounded, with maxlen `N`. See [`InlineDeque`](super::InlineDeque).
///
/// ```
/// use leanmem::deque::{Deque, Inline};
///
/// let d: Deque<u32, Inline<u32, 8>> = Deque::inline();
/// assert_eq!(d.maxlen(), Some(8));
/// ```
pub struct Inline<T, const N: usize> {
    slots: [MaybeUninit<T>; N],
}

impl<T, const N: usize> Inline<T, N> {
    pub(super) const fn new() -> Self {
        Self {
            slots: [const { MaybeUninit::uninit() }; N],
        }
    }
}

impl<T, const N: usize> fmt::Debug for Inline<T, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inline").field("capacity", &N).finish()
    }
}

impl<T, const N: usize> Storage<T> for Inline<T, N> {}

impl<T, const N: usize> Sealed<T> for Inline<T, N> {
    #[inline]
    fn slots(&self) -> &[MaybeUninit<T>] {
        &self.slots
    }

    #[inline]
    fn slots_mut(&mut self) -> &mut [MaybeUninit<T>] {
        &mut self.slots
    }

    #[inline]
    fn maxlen(&self) -> Option<usize> {
        Some(N)
    }

    #[inline]
    fn shrink_below(&self) -> usize {
        0
    }

    #[inline]
    fn shrink_target(&self, _len: usize) -> Option<usize> {
        None
    }

    fn grow_target(&self, _needed: usize) -> usize {
        N
    }

    fn grow_ring(&mut self, new_cap: usize, runs: (usize, usize, usize)) -> usize {
        // Bounded storage is never resized: callers check `maxlen` first.
        // Checked in release builds too: a push's unchecked slot write
        // relies on an inline deque never being asked to grow.
        assert_eq!(new_cap, N, "an inline deque has a fixed capacity");
        runs.0
    }

    fn try_grow_ring(
        &mut self,
        new_cap: usize,
        runs: (usize, usize, usize),
    ) -> Result<usize, TryReserveError> {
        // Checked in release builds too: a push's unchecked slot write
        // relies on an inline deque never being asked to grow.
        assert_eq!(new_cap, N, "an inline deque has a fixed capacity");
        Ok(runs.0)
    }

    fn shrink_into(&mut self, new_cap: usize, _runs: (usize, usize, usize)) {
        // Checked in release builds too: a push's unchecked slot write
        // relies on an inline deque never being asked to grow.
        assert_eq!(new_cap, N, "an inline deque has a fixed capacity");
    }

    #[inline]
    fn heap_bytes(&self) -> usize {
        0
    }
}

/// Physical slot of logical index `i` in a ring of `cap` slots starting at
/// `head`, for `i <= cap` (no overflow for any `cap`).
#[inline]
pub(super) const fn wrap(head: usize, cap: usize, i: usize) -> usize {
    let room = cap - head;
    if i < room { head + i } else { i - room }
}

/// The slot after `slot < cap` in a ring of `cap` slots.
///
/// The wrap back to slot 0 goes through a cold call, so that the compiler
/// emits a branch, predicted not taken, rather than a conditional move:
/// the next slot's address then waits only on the increment, not on the
/// comparison with `cap` too, which shortens a loop of evicting pushes.
#[inline]
pub(super) fn next_slot(slot: usize, cap: usize) -> usize {
    let next = slot + 1;
    if next == cap {
        wrapped(next, cap)
    } else {
        next
    }
}

/// `next - cap`: the rare wrap of [`next_slot`], out of line.
#[cold]
#[inline(never)]
const fn wrapped(next: usize, cap: usize) -> usize {
    next - cap
}

/// Views initialized slots as elements.
///
/// # Safety
///
/// Every slot in `slots` holds an initialized `T`.
#[inline]
unsafe fn assume_init_slice<T>(slots: &[MaybeUninit<T>]) -> &[T] {
    // SAFETY: `MaybeUninit<T>` has the layout of `T`, and the caller
    // guarantees that every slot is initialized.
    unsafe { &*(ptr::from_ref(slots) as *const [T]) }
}

/// Views initialized slots as elements, mutably.
///
/// # Safety
///
/// Every slot in `slots` holds an initialized `T`.
#[inline]
unsafe fn assume_init_slice_mut<T>(slots: &mut [MaybeUninit<T>]) -> &mut [T] {
    // SAFETY: as in `assume_init_slice`; the borrow is unique.
    unsafe { &mut *(ptr::from_mut(slots) as *mut [T]) }
}

/// Drops the elements of a raw slice when dropped, so that a second slice
/// is dropped even if dropping the first one panics.
struct DropOnExit<T>(*mut [T]);

impl<T> Drop for DropOnExit<T> {
    fn drop(&mut self) {
        // SAFETY: built only from elements just removed from a deque (so
        // nothing else reaches them) and dropped only here, once.
        unsafe { ptr::drop_in_place(self.0) }
    }
}

impl<T, S: Storage<T>> Deque<T, S> {
    /// Number of slots.
    #[inline]
    pub(super) fn cap(&self) -> usize {
        self.buf.slots().len()
    }

    /// Physical slot of logical index `i <= cap`.
    #[inline]
    pub(super) fn phys(&self, i: usize) -> usize {
        wrap(self.head, self.cap(), i)
    }

    /// The live elements as two runs of physical slots:
    /// `(head, front_len, back_len)`, the front run `head..head+front_len`
    /// and the back run `0..back_len`.
    #[inline]
    fn runs(&self) -> (usize, usize, usize) {
        let room = self.cap() - self.head;
        if self.len <= room {
            (self.head, self.len, 0)
        } else {
            (self.head, room, self.len - room)
        }
    }

    /// Logical `from..to` (`to <= cap`) as up to two raw slices of physical
    /// slots, in order.
    fn raw_runs(&mut self, from: usize, to: usize) -> (*mut [T], *mut [T]) {
        let (head, cap) = (self.head, self.cap());
        let base = self.buf.slots_mut().as_mut_ptr().cast::<T>();
        let count = to - from;
        let start = wrap(head, cap, from);
        let first = count.min(cap - start);
        (
            ptr::slice_from_raw_parts_mut(base.wrapping_add(start), first),
            ptr::slice_from_raw_parts_mut(base, count - first),
        )
    }

    /// Moves physical slots `src..src+count` to `dst..dst+count` (the
    /// ranges may overlap).
    ///
    /// # Safety
    ///
    /// Both ranges are within the slots. Afterwards the caller treats the
    /// source slots outside the destination as uninitialized.
    #[inline]
    unsafe fn copy_slots(&mut self, src: usize, dst: usize, count: usize) {
        let base = self.buf.slots_mut().as_mut_ptr();
        // SAFETY: both ranges are in bounds of one allocation (caller);
        // `ptr::copy` allows overlap.
        unsafe { ptr::copy(base.wrapping_add(src), base.wrapping_add(dst), count) }
    }

    /// Moves the elements at logical `src..src+count` to logical
    /// `dst..dst+count`, slot by slot through the ring.
    ///
    /// # Safety
    ///
    /// Both ranges end at or below `cap`. Afterwards the caller treats the
    /// source slots outside the destination as uninitialized and makes
    /// `head`/`len` describe the result.
    unsafe fn move_within(&mut self, src: usize, dst: usize, count: usize) {
        let (head, cap) = (self.head, self.cap());
        let base = self.buf.slots_mut().as_mut_ptr();
        let mut step = |k: usize| {
            let from = base.wrapping_add(wrap(head, cap, src + k));
            let to = base.wrapping_add(wrap(head, cap, dst + k));
            // SAFETY: both logical indices are below `cap`, so both slots
            // are in bounds (caller); one slot each, `ptr::copy` allows them
            // to be the same.
            unsafe { ptr::copy(from, to, 1) }
        };
        if dst < src {
            (0..count).for_each(&mut step);
        } else {
            (0..count).rev().for_each(&mut step);
        }
    }

    /// The live elements, in order, as two slices.
    pub(super) fn slices(&self) -> (&[T], &[T]) {
        let (head, front, back) = self.runs();
        let slots = self.buf.slots();
        // SAFETY: the front run holds initialized elements (invariant 2).
        let a = unsafe { assume_init_slice(&slots[head..head + front]) };
        // SAFETY: so does the back run.
        let b = unsafe { assume_init_slice(&slots[..back]) };
        (a, b)
    }

    /// The live elements, in order, as two mutable slices.
    pub(super) fn slices_mut(&mut self) -> (&mut [T], &mut [T]) {
        let (head, front, back) = self.runs();
        let (low, high) = self.buf.slots_mut().split_at_mut(head);
        // SAFETY: the front run holds initialized elements (invariant 2).
        let a = unsafe { assume_init_slice_mut(&mut high[..front]) };
        // SAFETY: so does the back run, disjoint from the front one.
        let b = unsafe { assume_init_slice_mut(&mut low[..back]) };
        (a, b)
    }

    /// The element at logical `i`, if `i < len`.
    #[inline]
    pub(super) fn get_ref(&self, i: usize) -> Option<&T> {
        if i < self.len {
            let slot = &self.buf.slots()[self.phys(i)];
            // SAFETY: logical `i < len` is live (invariant 2).
            Some(unsafe { slot.assume_init_ref() })
        } else {
            None
        }
    }

    /// The element at logical `i`, mutably, if `i < len`.
    #[inline]
    pub(super) fn get_mut_ref(&mut self, i: usize) -> Option<&mut T> {
        if i < self.len {
            let p = self.phys(i);
            let slot = &mut self.buf.slots_mut()[p];
            // SAFETY: logical `i < len` is live (invariant 2).
            Some(unsafe { slot.assume_init_mut() })
        } else {
            None
        }
    }

    /// Swaps the elements at logical `i` and `j` (both below `len`).
    #[inline]
    pub(super) fn swap_live(&mut self, i: usize, j: usize) {
        debug_assert!(i < self.len && j < self.len);
        let (p, q) = (self.phys(i), self.phys(j));
        self.buf.slots_mut().swap(p, q);
    }

    /// Appends at the back: into a free slot, else by evicting the front
    /// (bounded), else by growing. Returns the evicted element.
    ///
    /// `head` and `len` are written back after the slot, on every path:
    /// when the deque sits behind a pointer (boxed, or inline storage), a
    /// loop of pushes then carries both in registers, since no slot write
    /// comes between their last store and the next push's read of them.
    #[inline]
    pub(super) fn push_back_raw(&mut self, value: T) -> Option<T> {
        if self.len == self.cap() {
            // Bounded storage has exactly `maxlen` slots (invariant 3), so
            // a full ring is a full bounded deque: evict.
            if self.buf.maxlen().is_some() {
                return self.replace_front(value);
            }
            self.grow_for(1);
        }
        let (head, len) = (self.head, self.len);
        let p = wrap(head, self.cap(), len);
        // SAFETY: `len < cap` here, so `p < cap`.
        let slot = unsafe { self.buf.slots_mut().get_unchecked_mut(p) };
        slot.write(value);
        self.head = head;
        self.len = len + 1;
        None
    }

    /// A full bounded deque's push at the back: the front slot becomes the
    /// back one, holding `value`; its element is returned.
    #[inline]
    fn replace_front(&mut self, value: T) -> Option<T> {
        let (head, cap) = (self.head, self.cap());
        if cap == 0 {
            return Some(value);
        }
        // SAFETY: `head < cap` (invariant 1, `cap > 0`).
        let slot = unsafe { self.buf.slots_mut().get_unchecked_mut(head) };
        // SAFETY: the deque is full, so every slot is live (invariant 2).
        let old = mem::replace(unsafe { slot.assume_init_mut() }, value);
        self.head = next_slot(head, cap);
        Some(old)
    }

    /// Prepends at the front: into a free slot, else by evicting the back
    /// (bounded), else by growing. Returns the evicted element.
    #[inline]
    pub(super) fn push_front_raw(&mut self, value: T) -> Option<T> {
        let cap = self.cap();
        if self.len == cap {
            if self.buf.maxlen().is_some() {
                return self.replace_back(value);
            }
            self.grow_for(1);
        }
        let cap = self.cap();
        let head = if self.head == 0 {
            cap - 1
        } else {
            self.head - 1
        };
        // SAFETY: `head < cap` (`cap > len >= 0` here).
        let slot = unsafe { self.buf.slots_mut().get_unchecked_mut(head) };
        slot.write(value);
        self.head = head;
        self.len += 1;
        None
    }

    /// A full bounded deque's push at the front: the back slot becomes the
    /// front one, holding `value`; its element is returned.
    #[inline]
    fn replace_back(&mut self, value: T) -> Option<T> {
        let cap = self.cap();
        if cap == 0 {
            return Some(value);
        }
        let head = if self.head == 0 {
            cap - 1
        } else {
            self.head - 1
        };
        // SAFETY: `head < cap`.
        let slot = unsafe { self.buf.slots_mut().get_unchecked_mut(head) };
        // SAFETY: the deque is full, so every slot is live (invariant 2).
        let old = mem::replace(unsafe { slot.assume_init_mut() }, value);
        self.head = head;
        Some(old)
    }

    /// Removes the front element, keeping the capacity.
    #[inline]
    pub(super) fn pop_front_raw(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        let (head, cap) = (self.head, self.cap());
        self.head = if head + 1 == cap { 0 } else { head + 1 };
        self.len -= 1;
        // SAFETY: `head < cap` (invariant 1, `cap >= len > 0`).
        let slot = unsafe { self.buf.slots().get_unchecked(head) };
        // SAFETY: it held the front element (invariant 2), now out of the
        // live range, so it is read exactly once.
        Some(unsafe { slot.assume_init_read() })
    }

    /// Removes the back element, keeping the capacity.
    #[inline]
    pub(super) fn pop_back_raw(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        let p = self.phys(self.len);
        // SAFETY: `p < cap`.
        let slot = unsafe { self.buf.slots().get_unchecked(p) };
        // SAFETY: it held the back element (invariant 2), now out of the
        // live range, so it is read exactly once.
        Some(unsafe { slot.assume_init_read() })
    }

    /// Removes and returns the element at logical `index < len`, closing
    /// the gap from the nearer end. Keeps the capacity.
    pub(super) fn remove_live(&mut self, index: usize) -> T {
        assert!(index < self.len, "remove_live: index out of bounds");
        let slot = &self.buf.slots()[self.phys(index)];
        // SAFETY: logical `index < len` is live; its slot is refilled or
        // left out of the live range below, so the element is read once.
        let value = unsafe { slot.assume_init_read() };
        let after = self.len - 1 - index;
        if index < after {
            // SAFETY: logical `0..index` to `1..index+1`, all below `len`;
            // the old front slot leaves the live range below.
            unsafe { self.move_within(0, 1, index) };
            self.head = self.phys(1);
        } else {
            // SAFETY: logical `index+1..len` to `index..len-1`; the old
            // back slot leaves the live range below.
            unsafe { self.move_within(index + 1, index, after) };
        }
        self.len -= 1;
        value
    }

    /// Inserts `value` at logical `index <= len`, moving the nearer end.
    /// Grows an unbounded deque that is full.
    ///
    /// The caller checks that a bounded deque is not full.
    pub(super) fn insert_live(&mut self, index: usize, value: T) {
        assert!(index <= self.len, "insert_live: index out of bounds");
        if self.len == self.cap() {
            assert!(self.buf.maxlen().is_none(), "insert_live: full");
            self.grow_for(1);
        }
        let cap = self.cap();
        if index < self.len - index {
            self.head = if self.head == 0 {
                cap - 1
            } else {
                self.head - 1
            };
            // SAFETY: the new front slot was free; logical `1..index+1` to
            // `0..index`, all below `len + 1 <= cap`. The slot at `index`
            // is written next.
            unsafe { self.move_within(1, 0, index) };
        } else {
            // SAFETY: logical `index..len` to `index+1..len+1 <= cap`; the
            // slot at `len` was free. The slot at `index` is written next.
            unsafe { self.move_within(index, index + 1, self.len - index) };
        }
        let p = self.phys(index);
        self.buf.slots_mut()[p].write(value);
        self.len += 1;
    }

    /// Keeps the first `new_len` elements and drops the rest (back first
    /// out of the live range, then dropped, so a panicking `Drop` leaves the
    /// deque valid).
    pub(super) fn truncate_back(&mut self, new_len: usize) {
        if new_len >= self.len {
            return;
        }
        let (a, b) = self.raw_runs(new_len, self.len);
        self.len = new_len;
        let _second = DropOnExit(b);
        // SAFETY: these elements just left the live range: dropped once.
        unsafe { ptr::drop_in_place(a) };
    }

    /// Keeps the last `keep` elements and drops the rest.
    pub(super) fn truncate_front_raw(&mut self, keep: usize) {
        if keep >= self.len {
            return;
        }
        let gone = self.len - keep;
        let (a, b) = self.raw_runs(0, gone);
        self.head = self.phys(gone);
        self.len = keep;
        let _second = DropOnExit(b);
        // SAFETY: these elements just left the live range: dropped once.
        unsafe { ptr::drop_in_place(a) };
    }

    /// Grows an unbounded deque so that `additional` more elements fit.
    ///
    /// # Panics
    ///
    /// On capacity overflow, as `Vec` does.
    #[inline(always)]
    pub(super) fn grow_for(&mut self, additional: usize) {
        let needed = self.len.checked_add(additional).expect("capacity overflow");
        if needed > self.cap() {
            let new_cap = self.buf.grow_target(needed);
            let runs = self.runs();
            self.head = self.buf.grow_ring(new_cap, runs);
        }
    }

    /// As [`grow_for`](Self::grow_for), reporting failure.
    pub(super) fn try_grow_for(&mut self, additional: usize) -> Result<(), TryReserveError> {
        let Some(needed) = self.len.checked_add(additional) else {
            // Report the overflow as the allocator API does.
            return Vec::<u8>::new().try_reserve(usize::MAX);
        };
        if needed > self.cap() {
            let new_cap = self.buf.grow_target(needed);
            let runs = self.runs();
            self.head = self.buf.try_grow_ring(new_cap, runs)?;
        }
        Ok(())
    }

    /// Grows to exactly `new_cap >= cap` slots (for a new maxlen).
    pub(super) fn grow_exact(&mut self, new_cap: usize) {
        let runs = self.runs();
        self.head = self.buf.grow_ring(new_cap, runs);
    }

    /// Shrinks to `new_cap` slots (`len <= new_cap <= cap`): the elements
    /// move, in order, to the start of a fresh, smaller block.
    #[inline]
    pub(super) fn shrink_to_cap(&mut self, new_cap: usize) {
        debug_assert!(self.len <= new_cap && new_cap <= self.cap());
        if new_cap >= self.cap() {
            return;
        }
        let runs = self.runs();
        self.buf.shrink_into(new_cap, runs);
        self.head = 0;
    }

    /// Gives memory back after the length dropped below the storage's
    /// threshold (unbounded heap deques only; others never shrink).
    #[inline(always)]
    pub(super) fn shrink_auto(&mut self) {
        if let Some(new_cap) = self.buf.shrink_target(self.len) {
            self.shrink_to_cap(new_cap);
        }
    }

    /// Rearranges the slots so that the live elements are one run.
    pub(super) fn contiguous(&mut self) -> &mut [T] {
        let (head, front, back) = self.runs();
        if back > 0 {
            let cap = self.cap();
            let free = cap - self.len;
            if free >= front {
                // SAFETY: back run `0..back` to `front..len`, in bounds
                // (overlap allowed); then the front run `head..cap` to
                // `0..front`, disjoint since `head - back = free >= front`.
                unsafe { self.copy_slots(0, front, back) };
                // SAFETY: see above.
                unsafe { self.copy_slots(head, 0, front) };
                self.head = 0;
            } else if free >= back {
                // SAFETY: front run `head..cap` to `head-back..cap-back`
                // (overlap allowed); then the back run `0..back` to
                // `cap-back..cap`, disjoint since `head - back >= back`.
                unsafe { self.copy_slots(head, head - back, front) };
                // SAFETY: see above.
                unsafe { self.copy_slots(0, cap - back, back) };
                self.head = head - back;
            } else {
                // Neither gap holds a run: rotate all slots (safe, O(cap),
                // and here `cap < len + min(front, back) <= 2 len`).
                self.buf.slots_mut().rotate_left(head);
                self.head = 0;
            }
        }
        self.slices_mut().0
    }

    /// Removes logical `start..end` (`start <= end <= len`) as a [`Drain`].
    pub(super) fn drain_range(&mut self, start: usize, end: usize) -> Drain<'_, T, S> {
        let orig_len = self.len;
        // Until the drain is dropped the deque holds only `0..start`: if the
        // drain is leaked, the rest is leaked too, never dropped twice.
        self.len = start;
        Drain {
            deque: self,
            start,
            front: start,
            back: end,
            end,
            orig_len,
        }
    }
}

impl<T, S: Storage<T>> Drop for Deque<T, S> {
    fn drop(&mut self) {
        self.truncate_back(0);
    }
}

impl<T> From<Vec<T>> for Deque<T> {
    /// Takes over the vector's allocation: no copy, no allocation.
    /// Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let v = Vec::with_capacity(10);
    /// let mut d: Deque<i32> = Deque::from(v);
    /// assert_eq!(d.capacity(), 10);
    /// d.push_front(1);
    /// assert_eq!(d, [1]);
    /// ```
    fn from(vec: Vec<T>) -> Self {
        let mut vec = ManuallyDrop::new(vec);
        let (ptr, len, cap) = (vec.as_mut_ptr(), vec.len(), vec.capacity());
        // SAFETY: the allocation came from a `Vec<T>` of capacity `cap`, and
        // `MaybeUninit<T>` has the size and alignment of `T`; all `cap`
        // slots are valid `MaybeUninit` values, the first `len` initialized.
        // `vec` is never used or dropped again.
        let slots = unsafe { Vec::from_raw_parts(ptr.cast::<MaybeUninit<T>>(), cap, cap) };
        let mut buf = Heap::new();
        buf.buf = slots;
        buf.update_threshold();
        Self {
            buf,
            head: 0,
            len,
            marker: PhantomData,
        }
    }
}

impl<T> From<Deque<T>> for Vec<T> {
    /// Reuses the deque's allocation: the elements are rotated into order
    /// in place, with no allocation. Computes in **O(n)** time.
    ///
    /// ```
    /// use leanmem::deque::Deque;
    ///
    /// let mut d = Deque::from(vec![2, 3]);
    /// d.push_front(1);
    /// assert_eq!(Vec::from(d), [1, 2, 3]);
    /// ```
    fn from(mut deque: Deque<T>) -> Self {
        deque.contiguous();
        let (head, len) = (deque.head, deque.len);
        if head != 0 {
            // SAFETY: `head..head+len` and `0..len` are in bounds (the live
            // range is one run); the live range becomes `0..len`.
            unsafe { deque.copy_slots(head, 0, len) };
        }
        // The elements move to the vector: the deque must not drop them.
        let mut deque = ManuallyDrop::new(deque);
        let mut slots = ManuallyDrop::new(mem::take(&mut deque.buf.buf));
        let (ptr, cap) = (slots.as_mut_ptr(), slots.capacity());
        // SAFETY: the allocation came from a `Vec<MaybeUninit<T>>` of
        // capacity `cap`, with `T`'s size and alignment; its first `len`
        // slots are initialized (moved above). `slots` is not used again,
        // and the deque, now holding an empty vector, is forgotten.
        unsafe { Vec::from_raw_parts(ptr.cast::<T>(), len, cap) }
    }
}

/// A draining iterator over a range of a [`Deque`]: see
/// [`Deque::drain`](super::Deque::drain).
///
/// Dropping it removes the rest of the range; leaking it (`mem::forget`)
/// leaves the deque holding only the elements before the range (the others
/// are leaked, never dropped twice).
///
/// ```
/// use leanmem::deque::Deque;
///
/// let mut d: Deque<i32> = (1..=5).collect();
/// let mut drain = d.drain(1..4);
/// assert_eq!(drain.next(), Some(2));
/// assert_eq!(drain.next_back(), Some(4));
/// drop(drain); // removes 3 as well
/// assert_eq!(d, [1, 5]);
/// ```
pub struct Drain<'a, T, S: Storage<T> = Heap<T>> {
    deque: &'a mut Deque<T, S>,
    /// Start of the drained range (the deque's length while draining).
    start: usize,
    /// Next logical index to yield from the front.
    front: usize,
    /// One past the next logical index to yield from the back.
    back: usize,
    /// End of the drained range.
    end: usize,
    /// The deque's length before draining.
    orig_len: usize,
}

impl<T, S: Storage<T>> Drain<'_, T, S> {
    /// Reads out the element at logical `i`, which the drain owns.
    fn take(&mut self, i: usize) -> T {
        let slot = &self.deque.buf.slots()[self.deque.phys(i)];
        // SAFETY: `start <= i < end <= orig_len <= cap`: a slot that was
        // live when the drain began and that the drain owns; `front`/`back`
        // move past it, so it is read once.
        unsafe { slot.assume_init_read() }
    }

    /// Closes the gap left by the range and restores the deque's length.
    fn close_gap(&mut self) {
        let deque = &mut *self.deque;
        let gap = self.end - self.start;
        let tail = self.orig_len - self.end;
        if gap > 0 {
            if self.start <= tail {
                // SAFETY: logical `0..start` to `gap..end`, below `orig_len
                // <= cap`; the head moves past the vacated slots.
                unsafe { deque.move_within(0, gap, self.start) };
                deque.head = deque.phys(gap);
            } else {
                // SAFETY: logical `end..orig_len` to `start..orig_len-gap`.
                unsafe { deque.move_within(self.end, self.start, tail) };
            }
        }
        deque.len = self.orig_len - gap;
        if deque.len < deque.buf.shrink_below() {
            deque.shrink_auto();
        }
    }
}

impl<T, S: Storage<T>> Iterator for Drain<'_, T, S> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        if self.front == self.back {
            return None;
        }
        let value = self.take(self.front);
        self.front += 1;
        Some(value)
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl<T, S: Storage<T>> DoubleEndedIterator for Drain<'_, T, S> {
    #[inline]
    fn next_back(&mut self) -> Option<T> {
        if self.front == self.back {
            return None;
        }
        self.back -= 1;
        Some(self.take(self.back))
    }
}

impl<T, S: Storage<T>> ExactSizeIterator for Drain<'_, T, S> {}

impl<T, S: Storage<T>> FusedIterator for Drain<'_, T, S> {}

impl<T, S: Storage<T>> Drop for Drain<'_, T, S> {
    fn drop(&mut self) {
        /// Closes the gap even if dropping an element panics.
        struct CloseOnExit<'r, 'a, T, S: Storage<T>>(&'r mut Drain<'a, T, S>);

        impl<T, S: Storage<T>> Drop for CloseOnExit<'_, '_, T, S> {
            fn drop(&mut self) {
                self.0.close_gap();
            }
        }

        let (front, back) = (self.front, self.back);
        self.front = back;
        let guard = CloseOnExit(self);
        let (a, b) = guard.0.deque.raw_runs(front, back);
        let _second = DropOnExit(b);
        // SAFETY: the undrained rest of the range, owned by the drain and
        // marked taken above: dropped once.
        unsafe { ptr::drop_in_place(a) };
    }
}

impl<T: fmt::Debug, S: Storage<T>> fmt::Debug for Drain<'_, T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let items: Vec<&T> = (self.front..self.back)
            .map(|i| {
                let slot = &self.deque.buf.slots()[self.deque.phys(i)];
                // SAFETY: owned by the drain and not yet yielded, so still
                // initialized.
                unsafe { slot.assume_init_ref() }
            })
            .collect();
        f.debug_tuple("Drain").field(&items).finish()
    }
}
