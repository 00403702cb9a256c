//! Deep heap size: what `sys.getsizeof` misses and `pympler.asizeof` adds up.

use std::alloc::Layout;
use std::borrow::Cow;
use std::collections::{BinaryHeap, HashMap, HashSet, VecDeque};
use std::ffi::{CString, OsString};
use std::hash::{BuildHasher, Hash};
use std::marker::PhantomData;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

/// The deep heap size of a value: every byte it owns on the heap, counting
/// capacity and slack, not just length.
///
/// `heap_size` does not include the value itself (`size_of_val`), only what
/// it points to; [`total_size`](Self::total_size) adds both. Sizes are the
/// bytes requested from the allocator, the same bytes
/// [`TrackingAllocator`](super::TrackingAllocator) counts, and every
/// implementation in this crate is tested to equal its count.
///
/// # Sharing policy
///
/// A value reached through [`Rc`] or [`Arc`] is counted once per
/// measurement: the first handle reached counts the whole allocation
/// (reference counts, value and what the value owns), later handles to the
/// same allocation count nothing. That is what `pympler.asizeof` does, and
/// it makes the size of a collection of shared handles equal to the memory
/// freed if the collection were the last owner. A separate `heap_size()`
/// call starts a fresh [`HeapContext`], so it counts the shared allocation
/// again. [`Weak`](std::sync::Weak) handles count nothing (they do not keep
/// the value alive, though they keep its allocation).
///
/// # Implementing it
///
/// Implement [`heap_size_with`](Self::heap_size_with) by adding up the
/// fields, passing the context along:
///
/// ```
/// use leanmem::measure::{HeapContext, HeapSize};
///
/// struct User {
///     id: u64,
///     name: String,
///     tags: Vec<String>,
/// }
///
/// impl HeapSize for User {
///     fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
///         self.id.heap_size_with(cx) + self.name.heap_size_with(cx) + self.tags.heap_size_with(cx)
///     }
/// }
///
/// let user = User { id: 1, name: "ada".to_string(), tags: vec!["admin".to_string()] };
/// // "ada" (3) + one String slot in the Vec (24) + "admin" (5)
/// assert_eq!(user.heap_size(), 3 + 24 + 5);
/// assert_eq!(user.total_size(), std::mem::size_of::<User>() + 32);
/// ```
///
/// # Accuracy
///
/// Exact for every implementation here, with one documented exception: a
/// std [`HashMap`]/[`HashSet`] that has had entries removed since it last
/// grew may hold tombstones that hide part of its table from `capacity()`;
/// its size is then a lower bound. `hashbrown`'s maps report their
/// allocation exactly and have no such gap. `BTreeMap` is not implemented:
/// its node layout is private to std and cannot be read exactly.
pub trait HeapSize {
    /// Heap bytes owned by `self`, with shared allocations tracked in `cx`.
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize;

    /// Heap bytes owned by `self` (deep), in a fresh [`HeapContext`].
    ///
    /// ```
    /// use leanmem::measure::HeapSize;
    ///
    /// let mut s = String::with_capacity(100);
    /// s.push_str("hi");
    /// assert_eq!(s.heap_size(), 100); // capacity, not length
    /// ```
    fn heap_size(&self) -> usize {
        self.heap_size_with(&mut HeapContext::new())
    }

    /// `size_of_val(self)` plus [`heap_size`](Self::heap_size): what
    /// `pympler.asizeof` reports.
    ///
    /// ```
    /// use leanmem::measure::HeapSize;
    ///
    /// let v: Vec<u32> = Vec::with_capacity(10);
    /// assert_eq!(v.total_size(), 24 + 40);
    /// ```
    fn total_size(&self) -> usize {
        std::mem::size_of_val(self) + self.heap_size()
    }
}

/// The state of one deep-size measurement: which shared allocations have
/// been counted already. See the sharing policy on [`HeapSize`].
#[derive(Debug, Default, Clone)]
pub struct HeapContext {
    seen: HashSet<usize>,
}

impl HeapContext {
    /// A context that has seen nothing.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a visit to the shared allocation at `ptr`; `true` the first
    /// time, `false` after. For implementing [`HeapSize`] on a shared handle
    /// type of your own.
    ///
    /// ```
    /// use leanmem::measure::HeapContext;
    ///
    /// let shared = std::sync::Arc::new(5u32);
    /// let mut cx = HeapContext::new();
    /// assert!(cx.first_visit(std::sync::Arc::as_ptr(&shared)));
    /// assert!(!cx.first_visit(std::sync::Arc::as_ptr(&shared)));
    /// ```
    pub fn first_visit<T: ?Sized>(&mut self, ptr: *const T) -> bool {
        self.seen.insert(ptr.cast::<()>() as usize)
    }
}

macro_rules! no_heap {
    ($($t:ty),* $(,)?) => {$(
        impl HeapSize for $t {
            #[inline]
            fn heap_size_with(&self, _: &mut HeapContext) -> usize {
                0
            }
        }
    )*};
}

no_heap!(
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    f32,
    f64,
    bool,
    char,
    (),
    str,
    Duration,
    std::num::NonZeroU8,
    std::num::NonZeroU16,
    std::num::NonZeroU32,
    std::num::NonZeroU64,
    std::num::NonZeroU128,
    std::num::NonZeroUsize,
    std::num::NonZeroI8,
    std::num::NonZeroI16,
    std::num::NonZeroI32,
    std::num::NonZeroI64,
    std::num::NonZeroI128,
    std::num::NonZeroIsize,
    std::sync::atomic::AtomicU8,
    std::sync::atomic::AtomicU16,
    std::sync::atomic::AtomicU32,
    std::sync::atomic::AtomicU64,
    std::sync::atomic::AtomicUsize,
    std::sync::atomic::AtomicI8,
    std::sync::atomic::AtomicI16,
    std::sync::atomic::AtomicI32,
    std::sync::atomic::AtomicI64,
    std::sync::atomic::AtomicIsize,
    std::sync::atomic::AtomicBool,
);

impl<T: ?Sized> HeapSize for PhantomData<T> {
    #[inline]
    fn heap_size_with(&self, _: &mut HeapContext) -> usize {
        0
    }
}

/// A borrow owns nothing: what it points to belongs to someone else.
impl<T: ?Sized> HeapSize for &T {
    #[inline]
    fn heap_size_with(&self, _: &mut HeapContext) -> usize {
        0
    }
}

/// A borrow owns nothing: what it points to belongs to someone else.
impl<T: ?Sized> HeapSize for &mut T {
    #[inline]
    fn heap_size_with(&self, _: &mut HeapContext) -> usize {
        0
    }
}

/// Bytes of `n` values of `T` in one allocation (zero for zero-sized types).
#[inline]
fn array_bytes<T>(n: usize) -> usize {
    std::mem::size_of::<T>().saturating_mul(n)
}

/// The deep part of a sequence: what its elements own.
#[inline]
fn elements<'a, T: HeapSize + 'a>(
    items: impl IntoIterator<Item = &'a T>,
    cx: &mut HeapContext,
) -> usize {
    items.into_iter().map(|x| x.heap_size_with(cx)).sum()
}

impl<T: HeapSize> HeapSize for [T] {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        elements(self, cx)
    }
}

impl<T: HeapSize, const N: usize> HeapSize for [T; N] {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        elements(self, cx)
    }
}

impl HeapSize for String {
    #[inline]
    fn heap_size_with(&self, _: &mut HeapContext) -> usize {
        self.capacity()
    }
}

impl HeapSize for OsString {
    #[inline]
    fn heap_size_with(&self, _: &mut HeapContext) -> usize {
        self.capacity()
    }
}

impl HeapSize for PathBuf {
    #[inline]
    fn heap_size_with(&self, _: &mut HeapContext) -> usize {
        self.capacity()
    }
}

impl HeapSize for CString {
    /// A `CString` is a boxed slice: its bytes and the NUL, no slack.
    #[inline]
    fn heap_size_with(&self, _: &mut HeapContext) -> usize {
        self.as_bytes_with_nul().len()
    }
}

impl<T: HeapSize> HeapSize for Vec<T> {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        array_bytes::<T>(self.capacity()) + elements(self, cx)
    }
}

impl<T: HeapSize> HeapSize for VecDeque<T> {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        array_bytes::<T>(self.capacity()) + elements(self, cx)
    }
}

impl<T: HeapSize> HeapSize for BinaryHeap<T> {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        array_bytes::<T>(self.capacity()) + elements(self, cx)
    }
}

impl<T: ?Sized + HeapSize> HeapSize for Box<T> {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        std::mem::size_of_val::<T>(self) + T::heap_size_with(self, cx)
    }
}

impl<T: HeapSize> HeapSize for Option<T> {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.as_ref().map_or(0, |x| x.heap_size_with(cx))
    }
}

impl<T: HeapSize, E: HeapSize> HeapSize for Result<T, E> {
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        match self {
            Ok(x) => x.heap_size_with(cx),
            Err(e) => e.heap_size_with(cx),
        }
    }
}

impl<B> HeapSize for Cow<'_, B>
where
    B: ?Sized + ToOwned,
    B::Owned: HeapSize,
{
    /// A borrowed `Cow` owns nothing; an owned one owns its value's heap.
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        match self {
            Cow::Borrowed(_) => 0,
            Cow::Owned(o) => o.heap_size_with(cx),
        }
    }
}

/// Whether `arc` is an empty value in the static block std's `Default`
/// for `Arc<[T]>` and `Arc<str>` hands out instead of allocating.
fn is_static_empty<T: ?Sized>(arc: &Arc<T>) -> bool {
    size_of_val::<T>(arc) == 0
        && std::ptr::addr_eq(Arc::as_ptr(arc), Arc::as_ptr(&Arc::<[u8]>::default()))
}

/// Size of the reference-counted block holding `value`: two counters, then
/// the value, padded to the block's alignment. `Rc` and `Arc` share this
/// layout (`RcInner`/`ArcInner`).
fn counted_block<T: ?Sized>(value: &T) -> usize {
    Layout::new::<[usize; 2]>()
        .extend(Layout::for_value(value))
        .map_or(0, |(l, _)| l.pad_to_align().size())
}

impl<T: ?Sized + HeapSize> HeapSize for Rc<T> {
    /// The whole block the first time this allocation is reached in `cx`,
    /// zero after (see the sharing policy on [`HeapSize`]).
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        if cx.first_visit(Rc::as_ptr(self)) {
            counted_block::<T>(self) + T::heap_size_with(self, cx)
        } else {
            0
        }
    }
}

impl<T: ?Sized + HeapSize> HeapSize for Arc<T> {
    /// The whole block the first time this allocation is reached in `cx`,
    /// zero after (see the sharing policy on [`HeapSize`]). An empty
    /// `Arc<str>` or `Arc<[T]>` made by `Default` shares one static block
    /// and counts nothing.
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        if is_static_empty(self) {
            return 0;
        }
        if cx.first_visit(Arc::as_ptr(self)) {
            counted_block::<T>(self) + T::heap_size_with(self, cx)
        } else {
            0
        }
    }
}

impl<T: ?Sized> HeapSize for std::rc::Weak<T> {
    /// A weak handle does not own the value: zero.
    #[inline]
    fn heap_size_with(&self, _: &mut HeapContext) -> usize {
        0
    }
}

impl<T: ?Sized> HeapSize for std::sync::Weak<T> {
    /// A weak handle does not own the value: zero.
    #[inline]
    fn heap_size_with(&self, _: &mut HeapContext) -> usize {
        0
    }
}

/// Width of a control group in std's and hashbrown's SwissTable: SSE2 groups
/// of 16 on x86, otherwise one machine word (NEON and the generic fallback).
const GROUP_WIDTH: usize = if cfg!(all(
    any(target_arch = "x86", target_arch = "x86_64"),
    target_feature = "sse2"
)) {
    16
} else {
    std::mem::size_of::<usize>()
};

/// Bytes of a SwissTable allocation whose `capacity()` is `capacity` and
/// whose buckets hold `elem`: the buckets, padded to the control alignment,
/// then one control byte per bucket plus a trailing group.
fn swiss_table_bytes(capacity: usize, elem: Layout) -> usize {
    if capacity == 0 {
        return 0;
    }
    // `capacity()` is 7/8 of the buckets, or buckets − 1 below 8 buckets.
    let buckets = if capacity < 8 {
        (capacity + 1).next_power_of_two()
    } else {
        (capacity / 7 * 8).next_power_of_two()
    };
    let ctrl_align = elem.align().max(GROUP_WIDTH);
    let ctrl_offset = elem
        .size()
        .saturating_mul(buckets)
        .next_multiple_of(ctrl_align);
    ctrl_offset + buckets + GROUP_WIDTH
}

impl<K: HeapSize, V: HeapSize, S> HeapSize for HashMap<K, V, S> {
    /// The table (buckets of `(K, V)` and control bytes) plus what keys and
    /// values own. Exact unless entries were removed since the table last
    /// grew (then a lower bound; see [`HeapSize`]). The hasher is not
    /// counted.
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        swiss_table_bytes(self.capacity(), Layout::new::<(K, V)>())
            + self
                .iter()
                .map(|(k, v)| k.heap_size_with(cx) + v.heap_size_with(cx))
                .sum::<usize>()
    }
}

impl<T: HeapSize, S> HeapSize for HashSet<T, S> {
    /// As for [`HashMap`]: exact unless entries were removed since the
    /// table last grew.
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        swiss_table_bytes(self.capacity(), Layout::new::<T>()) + elements(self, cx)
    }
}

impl<K, V, S> HeapSize for hashbrown::HashMap<K, V, S>
where
    K: HeapSize + Eq + Hash,
    V: HeapSize,
    S: BuildHasher,
{
    /// hashbrown's own `allocation_size`, plus what keys and values own.
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.allocation_size()
            + self
                .iter()
                .map(|(k, v)| k.heap_size_with(cx) + v.heap_size_with(cx))
                .sum::<usize>()
    }
}

impl<T, S> HeapSize for hashbrown::HashSet<T, S>
where
    T: HeapSize + Eq + Hash,
    S: BuildHasher,
{
    /// hashbrown's own `allocation_size`, plus what the elements own.
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.allocation_size() + elements(self, cx)
    }
}

impl<T: HeapSize> HeapSize for hashbrown::HashTable<T> {
    /// hashbrown's own `allocation_size`, plus what the elements own.
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.allocation_size() + elements(self, cx)
    }
}

macro_rules! tuple_heap {
    ($($name:ident)+) => {
        impl<$($name: HeapSize),+> HeapSize for ($($name,)+) {
            #[allow(non_snake_case)]
            fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
                let ($($name,)+) = self;
                0 $(+ $name.heap_size_with(cx))+
            }
        }
    };
}

tuple_heap!(A);
tuple_heap!(A B);
tuple_heap!(A B C);
tuple_heap!(A B C D);
tuple_heap!(A B C D E);
tuple_heap!(A B C D E F);
tuple_heap!(A B C D E F G);
tuple_heap!(A B C D E F G H);
tuple_heap!(A B C D E F G H I);
tuple_heap!(A B C D E F G H I J);
tuple_heap!(A B C D E F G H I J K);
tuple_heap!(A B C D E F G H I J K L);
