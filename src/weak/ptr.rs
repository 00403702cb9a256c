//! The two shared-pointer flavours the weak structures accept: [`Arc`] for
//! values shared across threads, [`Rc`] for single-threaded code.

use std::alloc::Layout;
use std::rc::Rc;
use std::sync::Arc;

mod sealed {
    pub trait Sealed {}
    impl<T: ?Sized> Sealed for std::sync::Arc<T> {}
    impl<T: ?Sized> Sealed for std::rc::Rc<T> {}
}

/// A strong shared pointer that has a weak counterpart: [`Arc<T>`] or
/// [`Rc<T>`]. The weak structures of this module store `Self::WeakRef` and
/// hand back `Self`.
///
/// The trait is sealed: it is implemented for `Arc<T>` and `Rc<T>` (any
/// `T`, sized or not) and cannot be implemented elsewhere.
///
/// ```
/// use std::sync::Arc;
/// use leanmem::weak::StrongRef;
///
/// let strong = Arc::new(5);
/// let weak = StrongRef::downgrade(&strong);
/// assert!(!<Arc<i32> as StrongRef>::is_dead(&weak));
/// drop(strong);
/// assert!(<Arc<i32> as StrongRef>::is_dead(&weak));
/// ```
pub trait StrongRef: Clone + sealed::Sealed {
    /// What the pointer points to.
    type Target: ?Sized;
    /// The weak handle: [`std::sync::Weak`] or [`std::rc::Weak`].
    type WeakRef: Clone;

    /// A weak handle to the same value (`Arc::downgrade`).
    fn downgrade(this: &Self) -> Self::WeakRef;
    /// A strong handle if the value is still alive (`Weak::upgrade`).
    fn upgrade(weak: &Self::WeakRef) -> Option<Self>;
    /// Whether the value has been dropped (no strong handle is left).
    fn is_dead(weak: &Self::WeakRef) -> bool;
    /// The address of the value: its identity.
    fn addr(this: &Self) -> usize;
    /// The address the weak handle points to: equal to [`addr`](Self::addr)
    /// of its strong handles, and unique among live allocations for as long
    /// as the weak handle exists.
    fn weak_addr(weak: &Self::WeakRef) -> usize;

    /// Bytes of the reference-counted block of a sized `Target`: two
    /// counters and the value, padded. A weak handle keeps this whole block
    /// allocated after the value is dropped.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::StrongRef;
    ///
    /// assert_eq!(<Arc<[u8; 1024]> as StrongRef>::block_size(), 1040);
    /// ```
    fn block_size() -> usize
    where
        Self::Target: Sized,
    {
        Layout::new::<[usize; 2]>()
            .extend(Layout::new::<Self::Target>())
            .map_or(0, |(l, _)| l.pad_to_align().size())
    }
}

impl<T: ?Sized> StrongRef for Arc<T> {
    type Target = T;
    type WeakRef = std::sync::Weak<T>;

    #[inline]
    fn downgrade(this: &Self) -> Self::WeakRef {
        Arc::downgrade(this)
    }
    #[inline]
    fn upgrade(weak: &Self::WeakRef) -> Option<Self> {
        weak.upgrade()
    }
    #[inline]
    fn is_dead(weak: &Self::WeakRef) -> bool {
        weak.strong_count() == 0
    }
    #[inline]
    fn addr(this: &Self) -> usize {
        Arc::as_ptr(this).cast::<()>() as usize
    }
    #[inline]
    fn weak_addr(weak: &Self::WeakRef) -> usize {
        weak.as_ptr().cast::<()>() as usize
    }
}

impl<T: ?Sized> StrongRef for Rc<T> {
    type Target = T;
    type WeakRef = std::rc::Weak<T>;

    #[inline]
    fn downgrade(this: &Self) -> Self::WeakRef {
        Rc::downgrade(this)
    }
    #[inline]
    fn upgrade(weak: &Self::WeakRef) -> Option<Self> {
        weak.upgrade()
    }
    #[inline]
    fn is_dead(weak: &Self::WeakRef) -> bool {
        weak.strong_count() == 0
    }
    #[inline]
    fn addr(this: &Self) -> usize {
        Rc::as_ptr(this).cast::<()>() as usize
    }
    #[inline]
    fn weak_addr(weak: &Self::WeakRef) -> usize {
        weak.as_ptr().cast::<()>() as usize
    }
}
