//! The tracking allocator and the counters it updates.
//!
//! This is the one file of `measure` that needs `unsafe`: implementing
//! [`GlobalAlloc`] is an `unsafe` trait by definition, and labelled mode
//! reads and writes a small header in front of each block.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};

use super::label::{LABELS, LabelId};

/// Process-wide counters. There is one global allocator per process, so one
/// set of counters is shared by every [`TrackingAllocator`] value.
pub(crate) struct Counters {
    pub(crate) current: AtomicUsize,
    pub(crate) peak: AtomicUsize,
    pub(crate) live_blocks: AtomicUsize,
    pub(crate) allocations: AtomicUsize,
    pub(crate) deallocations: AtomicUsize,
    pub(crate) reallocations: AtomicUsize,
    pub(crate) allocated_bytes: AtomicUsize,
    pub(crate) freed_bytes: AtomicUsize,
}

pub(crate) static GLOBAL: Counters = Counters {
    current: AtomicUsize::new(0),
    peak: AtomicUsize::new(0),
    live_blocks: AtomicUsize::new(0),
    allocations: AtomicUsize::new(0),
    deallocations: AtomicUsize::new(0),
    reallocations: AtomicUsize::new(0),
    allocated_bytes: AtomicUsize::new(0),
    freed_bytes: AtomicUsize::new(0),
};

/// Set by the first call into any [`TrackingAllocator`].
pub(crate) static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Whether the active tracking allocator keeps per-block labels.
pub(crate) static LABELLED: AtomicBool = AtomicBool::new(false);

/// Per-thread counters, for scoped measurement. Plain `Cell`s with a `const`
/// initialiser and no destructor: reading them never allocates, so the
/// allocator may use them.
pub(crate) struct ThreadCounters {
    /// Bytes allocated minus bytes freed by this thread (signed: a thread may
    /// free what another allocated).
    pub(crate) net: Cell<isize>,
    /// Highest `net` seen since the innermost active scope began.
    pub(crate) peak: Cell<isize>,
    pub(crate) allocations: Cell<usize>,
    pub(crate) deallocations: Cell<usize>,
    pub(crate) reallocations: Cell<usize>,
    pub(crate) allocated_bytes: Cell<usize>,
    pub(crate) freed_bytes: Cell<usize>,
    /// The label new blocks are attributed to (0: unlabelled).
    pub(crate) label: Cell<LabelId>,
}

thread_local! {
    pub(crate) static THREAD: ThreadCounters = const {
        ThreadCounters {
            net: Cell::new(0),
            peak: Cell::new(0),
            allocations: Cell::new(0),
            deallocations: Cell::new(0),
            reallocations: Cell::new(0),
            allocated_bytes: Cell::new(0),
            freed_bytes: Cell::new(0),
            label: Cell::new(0),
        }
    };
}

/// A [`GlobalAlloc`] that forwards to another allocator and counts what
/// passes through: live bytes, peak, live blocks, and totals, process-wide and
/// per thread.
///
/// Install it as the global allocator, then read the counters with
/// [`traced_memory`](super::traced_memory), [`stats`](super::stats),
/// [`measure`](super::measure()) and [`Snapshot`](super::Snapshot):
///
/// ```
/// use leanmem::measure::{self, TrackingAllocator};
///
/// #[global_allocator]
/// static ALLOC: TrackingAllocator = TrackingAllocator::system();
///
/// fn main() {
///     let (v, m) = measure::measure(|| vec![0u64; 1000]);
///     assert_eq!(m.unwrap().net_bytes, 8000);
///     # drop(v);
/// }
/// ```
///
/// # What is counted
///
/// Bytes are the sizes *requested* by the program (`Layout::size`), so the
/// counts are exact and identical on every allocator. What the underlying
/// allocator adds per block (malloc headers, size-class rounding) is not
/// included; [`AllocStats::live_blocks`](super::AllocStats::live_blocks)
/// tells how many blocks that overhead applies to.
///
/// A `realloc` counts as growth or shrinkage of one block. When it *moves*
/// the block, the old and new blocks were both live while the bytes were
/// copied, and the peak includes that moment — the transient that makes a
/// doubling `Vec` briefly hold three times its old size.
///
/// All counters are relaxed atomics (process-wide) and thread-local cells
/// (per thread). Every `TrackingAllocator` in a process updates the same
/// process-wide counters.
///
/// # Labels
///
/// [`with_labels`](Self::with_labels) turns on per-label attribution for
/// [`label`](super::label) and [`Snapshot`](super::Snapshot). Each block then
/// carries a header of `max(8, align)` bytes in front of it, which records the
/// label it was allocated under so that freeing it on any thread credits the
/// right label. The header is not counted in the byte counts. Without labels
/// there is no header and no per-block cost beyond a few counter updates.
///
/// # Overhead
///
/// The `measure/overhead` benchmark builds 1M small `String`s under `System`
/// and under this allocator; see `benches/README.md` for the measured ratio.
///
/// # Only as the global allocator
///
/// The counts are process-wide statics, and the first call of any instance
/// turns tracking on: an instance called directly (not installed with
/// `#[global_allocator]`) would make [`is_tracking`](super::is_tracking)
/// true with counts of only what went through it. Install one, and do not
/// swap it for another while the program runs (a labelled one reads the
/// header of every block it frees).
#[derive(Debug, Clone, Copy, Default)]
pub struct TrackingAllocator<A = System> {
    inner: A,
    labels: bool,
}

impl TrackingAllocator<System> {
    /// A tracking allocator over the system allocator, without labels.
    ///
    /// ```
    /// use leanmem::measure::TrackingAllocator;
    ///
    /// #[global_allocator]
    /// static ALLOC: TrackingAllocator = TrackingAllocator::system();
    /// # fn main() {}
    /// ```
    #[must_use]
    pub const fn system() -> Self {
        Self::new(System)
    }
}

impl<A> TrackingAllocator<A> {
    /// A tracking allocator over `inner`, without labels.
    ///
    /// ```
    /// use std::alloc::System;
    /// use leanmem::measure::TrackingAllocator;
    ///
    /// #[global_allocator]
    /// static ALLOC: TrackingAllocator<System> = TrackingAllocator::new(System);
    /// # fn main() {}
    /// ```
    #[must_use]
    pub const fn new(inner: A) -> Self {
        Self {
            inner,
            labels: false,
        }
    }

    /// A tracking allocator over `inner`, with per-block labels (see
    /// [`with_labels`](Self::with_labels)).
    ///
    /// ```
    /// use std::alloc::System;
    /// use leanmem::measure::TrackingAllocator;
    ///
    /// #[global_allocator]
    /// static ALLOC: TrackingAllocator = TrackingAllocator::new_labelled(System);
    /// # fn main() {}
    /// ```
    #[must_use]
    pub const fn new_labelled(inner: A) -> Self {
        Self {
            inner,
            labels: true,
        }
    }

    /// Whether this allocator keeps per-block labels.
    #[must_use]
    pub const fn labels(&self) -> bool {
        self.labels
    }

    /// The allocator this one forwards to.
    #[must_use]
    pub const fn inner(&self) -> &A {
        &self.inner
    }

    #[inline]
    fn activate(&self) {
        if !ACTIVE.load(Relaxed) {
            LABELLED.store(self.labels, Relaxed);
            ACTIVE.store(true, Relaxed);
        }
    }
}

impl<A: Copy> TrackingAllocator<A> {
    /// The same allocator with per-block labels, for [`label`](super::label)
    /// and [`Snapshot`](super::Snapshot). Costs a header of `max(8, align)`
    /// bytes per block in the underlying allocator (not in the counts).
    ///
    /// ```
    /// use leanmem::measure::TrackingAllocator;
    ///
    /// #[global_allocator]
    /// static ALLOC: TrackingAllocator = TrackingAllocator::system().with_labels();
    /// # fn main() {}
    /// ```
    #[must_use]
    pub const fn with_labels(self) -> Self {
        Self {
            inner: self.inner,
            labels: true,
        }
    }
}

/// Bytes of label header in front of a labelled block of alignment `align`.
#[inline]
fn header_size(align: usize) -> usize {
    align.max(HEADER_MIN)
}

const HEADER_MIN: usize = 8;

/// The layout asked of the inner allocator for a labelled block.
#[inline]
fn outer_layout(layout: Layout) -> Option<Layout> {
    let header = header_size(layout.align());
    let size = layout.size().checked_add(header)?;
    Layout::from_size_align(size, layout.align().max(HEADER_MIN)).ok()
}

#[inline]
fn on_alloc(size: usize, label: Option<LabelId>) {
    let now = GLOBAL.current.fetch_add(size, Relaxed).wrapping_add(size);
    if now > GLOBAL.peak.load(Relaxed) {
        GLOBAL.peak.fetch_max(now, Relaxed);
    }
    GLOBAL.live_blocks.fetch_add(1, Relaxed);
    GLOBAL.allocations.fetch_add(1, Relaxed);
    GLOBAL.allocated_bytes.fetch_add(size, Relaxed);
    let _ = THREAD.try_with(|t| {
        let net = t.net.get().wrapping_add_unsigned(size);
        t.net.set(net);
        if net > t.peak.get() {
            t.peak.set(net);
        }
        t.allocations.set(t.allocations.get().wrapping_add(1));
        t.allocated_bytes
            .set(t.allocated_bytes.get().wrapping_add(size));
    });
    if let Some(id) = label {
        LABELS[usize::from(id)].on_alloc(size);
    }
}

#[inline]
fn on_dealloc(size: usize, label: Option<LabelId>) {
    GLOBAL.current.fetch_sub(size, Relaxed);
    GLOBAL.live_blocks.fetch_sub(1, Relaxed);
    GLOBAL.deallocations.fetch_add(1, Relaxed);
    GLOBAL.freed_bytes.fetch_add(size, Relaxed);
    let _ = THREAD.try_with(|t| {
        t.net.set(t.net.get().wrapping_sub_unsigned(size));
        t.deallocations.set(t.deallocations.get().wrapping_add(1));
        t.freed_bytes.set(t.freed_bytes.get().wrapping_add(size));
    });
    if let Some(id) = label {
        LABELS[usize::from(id)].on_dealloc(size);
    }
}

/// A successful reallocation from `old` to `new` bytes: counted as growth or
/// shrinkage of one live block. When the block `moved`, the old and the new
/// block were both live while the bytes were copied, and the peak counts
/// that moment (`current + old`). With labels, the block moves from
/// `old_label` to `new_label`.
#[inline]
fn on_realloc(old: usize, new: usize, moved: bool, labels: Option<(LabelId, LabelId)>) {
    let transient = if moved { old } else { 0 };
    let now = if new >= old {
        let grow = new - old;
        GLOBAL.allocated_bytes.fetch_add(grow, Relaxed);
        GLOBAL.current.fetch_add(grow, Relaxed).wrapping_add(grow)
    } else {
        let shrink = old - new;
        GLOBAL.freed_bytes.fetch_add(shrink, Relaxed);
        GLOBAL
            .current
            .fetch_sub(shrink, Relaxed)
            .wrapping_sub(shrink)
    };
    let high = now.wrapping_add(transient);
    if high > GLOBAL.peak.load(Relaxed) {
        GLOBAL.peak.fetch_max(high, Relaxed);
    }
    GLOBAL.reallocations.fetch_add(1, Relaxed);
    let _ = THREAD.try_with(|t| {
        let net = if new >= old {
            let grow = new - old;
            t.allocated_bytes
                .set(t.allocated_bytes.get().wrapping_add(grow));
            t.net.get().wrapping_add_unsigned(grow)
        } else {
            let shrink = old - new;
            t.freed_bytes.set(t.freed_bytes.get().wrapping_add(shrink));
            t.net.get().wrapping_sub_unsigned(shrink)
        };
        t.net.set(net);
        let high = net.wrapping_add_unsigned(transient);
        if high > t.peak.get() {
            t.peak.set(high);
        }
        t.reallocations.set(t.reallocations.get().wrapping_add(1));
    });
    match labels {
        // A reallocation within one label allocates no block there.
        Some((from, to)) if from == to => LABELS[usize::from(to)].on_resize(old, new),
        // Moved to the current label: it arrives there as a new block.
        Some((from, to)) => {
            LABELS[usize::from(from)].on_dealloc(old);
            LABELS[usize::from(to)].on_alloc(new);
        }
        None => {}
    }
}

/// The label new blocks on this thread are attributed to.
#[inline]
fn current_label() -> LabelId {
    THREAD.try_with(|t| t.label.get()).unwrap_or(0)
}

// SAFETY: every method forwards to `inner` with a layout that `inner`
// accepts, and returns either its null result or a pointer to at least
// `layout.size()` bytes aligned to `layout.align()`:
// 1. Without labels, the layout and pointer are passed through unchanged.
// 2. With labels, the inner block is `header + size` bytes aligned to
//    `max(align, 8)`, and `header` is a multiple of `align`, so the pointer
//    returned, `base + header`, is aligned to `align` and followed by `size`
//    bytes of the inner block. `dealloc`/`realloc` receive the same layout
//    the block was allocated with (the `GlobalAlloc` contract), so they
//    recompute the same header size and hand `inner` back the exact pointer
//    and layout it returned.
//
// The labelled paths live in separate functions that are never inlined.
// Since rust-lang/rust#146766 the functions `#[global_allocator]` generates
// carry LLVM's allocator attributes, and within the crate that defines the
// allocator they can be inlined: the optimiser then treats each result as a
// fresh object of exactly `size` bytes, and reading `ptr - header` next to
// such a call looks like an access outside that object (an optimised build
// was seen to mis-read headers). `#[inline(never)]` is what keeps the header
// arithmetic out of the caller's sight; passing the pointers through
// `black_box` is a second, best-effort barrier. The cost is one call per
// labelled allocation. (A header in front of the block remains outside what
// the language guarantees for `GlobalAlloc`; labels kept out of band, keyed
// by address, would not depend on this.)
unsafe impl<A: GlobalAlloc> GlobalAlloc for TrackingAllocator<A> {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.activate();
        if self.labels {
            // SAFETY: the caller's contract for `alloc` is passed on.
            return unsafe { self.labelled_alloc(layout, false) };
        }
        // SAFETY: forwarded with the caller's (non-zero-size) layout.
        let ptr = unsafe { self.inner.alloc(layout) };
        if !ptr.is_null() {
            on_alloc(layout.size(), None);
        }
        ptr
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.activate();
        if self.labels {
            // SAFETY: the caller's contract for `alloc_zeroed` is passed on.
            return unsafe { self.labelled_alloc(layout, true) };
        }
        // SAFETY: forwarded with the caller's (non-zero-size) layout.
        let ptr = unsafe { self.inner.alloc_zeroed(layout) };
        if !ptr.is_null() {
            on_alloc(layout.size(), None);
        }
        ptr
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if self.labels {
            // SAFETY: the caller's contract for `dealloc` is passed on.
            unsafe { self.labelled_dealloc(ptr, layout) };
            return;
        }
        // SAFETY: `ptr` came from `inner.alloc(layout)` (point 1 above).
        unsafe { self.inner.dealloc(ptr, layout) };
        on_dealloc(layout.size(), None);
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if self.labels {
            // SAFETY: the caller's contract for `realloc` is passed on.
            return unsafe { self.labelled_realloc(ptr, layout, new_size) };
        }
        // SAFETY: `ptr` and `layout` are as `inner` returned and was
        // given; `new_size` satisfies the caller's contract.
        let new = unsafe { self.inner.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            on_realloc(layout.size(), new_size, new != ptr, None);
        }
        new
    }
}

impl<A: GlobalAlloc> TrackingAllocator<A> {
    /// `alloc` (or `alloc_zeroed`) with a label header (point 2 above).
    ///
    /// # Safety
    /// As for [`GlobalAlloc::alloc`].
    #[inline(never)]
    unsafe fn labelled_alloc(&self, layout: Layout, zeroed: bool) -> *mut u8 {
        let Some(outer) = outer_layout(layout) else {
            return std::ptr::null_mut();
        };
        let base = if zeroed {
            // SAFETY: `outer` is larger than `layout`, so its size is non-zero.
            unsafe { self.inner.alloc_zeroed(outer) }
        } else {
            // SAFETY: as above.
            unsafe { self.inner.alloc(outer) }
        };
        if base.is_null() {
            return base;
        }
        let label = current_label();
        // SAFETY: `base` points to `outer.size() >= header + size` bytes.
        unsafe { write_header(base, label) };
        on_alloc(layout.size(), Some(label));
        // SAFETY: `header <= outer.size()`, so the result stays in the block.
        std::hint::black_box(unsafe { base.add(header_size(layout.align())) })
    }

    /// `dealloc` of a block made by [`labelled_alloc`](Self::labelled_alloc).
    ///
    /// # Safety
    /// As for [`GlobalAlloc::dealloc`].
    #[inline(never)]
    unsafe fn labelled_dealloc(&self, ptr: *mut u8, layout: Layout) {
        let ptr = std::hint::black_box(ptr);
        let header = header_size(layout.align());
        // SAFETY: `ptr` was returned by `labelled_alloc` as `base + header`
        // for this layout, so `base` is the start of the inner block.
        let base = unsafe { ptr.sub(header) };
        // SAFETY: `base` holds the header written when the block was made.
        let label = unsafe { read_header(base) };
        // `outer_layout` succeeded when this block was allocated with the
        // same layout, so it succeeds again.
        if let Some(outer) = outer_layout(layout) {
            // SAFETY: `base` and `outer` are what `inner` returned and was given.
            unsafe { self.inner.dealloc(base, outer) };
        }
        on_dealloc(layout.size(), Some(label));
    }

    /// `realloc` of a block made by [`labelled_alloc`](Self::labelled_alloc).
    ///
    /// # Safety
    /// As for [`GlobalAlloc::realloc`].
    #[inline(never)]
    unsafe fn labelled_realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let ptr = std::hint::black_box(ptr);
        let header = header_size(layout.align());
        let Some(outer) = outer_layout(layout) else {
            return std::ptr::null_mut();
        };
        let Some(new_outer_size) = new_size.checked_add(header) else {
            return std::ptr::null_mut();
        };
        if Layout::from_size_align(new_outer_size, outer.align()).is_err() {
            return std::ptr::null_mut();
        }
        // SAFETY: as in `labelled_dealloc`, `base` is the start of the inner
        // block.
        let base = unsafe { ptr.sub(header) };
        // SAFETY: `base` holds the header written when the block was made.
        let old_label = unsafe { read_header(base) };
        // SAFETY: `base`/`outer` are what `inner` returned and was given, and
        // `new_outer_size` is non-zero and forms a valid layout (checked).
        let new_base = unsafe { self.inner.realloc(base, outer, new_outer_size) };
        if new_base.is_null() {
            return new_base;
        }
        let new_label = current_label();
        // SAFETY: `new_base` points to `new_outer_size >= header` bytes.
        unsafe { write_header(new_base, new_label) };
        on_realloc(
            layout.size(),
            new_size,
            new_base != base,
            Some((old_label, new_label)),
        );
        // SAFETY: `header <= new_outer_size`, so the result stays in the block.
        std::hint::black_box(unsafe { new_base.add(header) })
    }
}

/// # Safety
/// `base` must be valid for writes of `HEADER_MIN` bytes and 8-aligned.
#[inline]
unsafe fn write_header(base: *mut u8, label: LabelId) {
    // SAFETY: the caller guarantees an 8-aligned block of at least 8 bytes,
    // which holds a `u64`.
    unsafe { base.cast::<u64>().write(u64::from(label)) };
}

/// # Safety
/// `base` must point to a header written by `write_header`.
#[inline]
unsafe fn read_header(base: *mut u8) -> LabelId {
    // SAFETY: the caller guarantees the header was written, so the `u64` is
    // initialised and aligned.
    let raw = unsafe { base.cast::<u64>().read() };
    LabelId::try_from(raw).unwrap_or(0)
}
