//! Measure memory: Rust's `tracemalloc`, `sys.getsizeof` and `pympler.asizeof`.
//!
//! | Python | leanmem | what it tells |
//! |---|---|---|
//! | `tracemalloc.start()` | `#[global_allocator] static A: TrackingAllocator = TrackingAllocator::system();` | turns counting on for the whole program |
//! | `tracemalloc.get_traced_memory()` | [`traced_memory`] | live and peak bytes, process-wide |
//! | `tracemalloc.reset_peak()` | [`reset_peak`] | starts a new peak window |
//! | `tracemalloc.is_tracing()` | [`is_tracking`] | whether the numbers are real |
//! | — | [`measure()`] | net, peak and allocation counts of one closure, on this thread |
//! | `take_snapshot()`, `statistics()`, `compare_to()` | [`label`], [`Snapshot`] | live bytes by label, and what changed |
//! | `sys.getsizeof`, `pympler.asizeof` | [`HeapSize`] | deep heap size of a value, capacity and slack included |
//!
//! # Installing the allocator
//!
//! Counting needs a [`TrackingAllocator`] as the program's global allocator.
//! Put it in the binary (or in a test or bench target), not in a library:
//!
//! ```
//! use leanmem::measure::{self, TrackingAllocator};
//!
//! #[global_allocator]
//! static ALLOC: TrackingAllocator = TrackingAllocator::system();
//!
//! fn main() {
//!     measure::reset_peak();
//!     let big: Vec<u64> = (0..10_000).collect();
//!     let (current, peak) = measure::traced_memory().expect("tracking");
//!     assert!(peak >= 80_000 && current >= 80_000);
//!     # drop(big);
//! }
//! ```
//!
//! Without one, every query says so rather than reporting zeros:
//! [`traced_memory`] and [`stats`] return `None`, [`measure()`] returns no
//! [`Measurement`], and [`Snapshot::take`] returns
//! [`MeasureError::NotTracking`].
//!
//! # Which count to use
//!
//! * [`measure()`] for "how much does building this cost": per thread, so
//!   tests using it can run in parallel, and it nests.
//! * [`traced_memory`] / [`stats`] for the whole process, all threads.
//! * [`Snapshot`] with [`label`] for "which phase holds the memory".
//! * [`HeapSize`] for the size of one value without running anything.
//!
//! All counts are requested bytes (`Layout::size`), so they are exact and
//! deterministic; the allocator's own per-block overhead is not included.

mod alloc;
mod heap_size;
mod label;
mod scope;

use std::sync::atomic::Ordering::Relaxed;

pub use self::alloc::TrackingAllocator;
pub use self::heap_size::{HeapContext, HeapSize};
pub use self::label::{
    LabelDiff, LabelStat, MAX_LABELS, OTHER_LABELS, Snapshot, UNLABELLED, label,
};
pub use self::scope::{Measurement, measure};
pub use crate::error::MeasureError;

use self::alloc::{ACTIVE, GLOBAL};

/// Whether a [`TrackingAllocator`] is the global allocator, so that counts
/// are real.
///
/// Makes one small allocation to find out, every time it is asked while no
/// tracking allocator has been seen.
///
/// ```
/// // This doctest installs no tracking allocator.
/// assert!(!leanmem::measure::is_tracking());
/// ```
#[must_use]
pub fn is_tracking() -> bool {
    if ACTIVE.load(Relaxed) {
        return true;
    }
    // The tracking allocator marks itself active on its first call; a
    // program may not have allocated yet, so allocate once and look again.
    drop(std::hint::black_box(Box::new(0u8)));
    ACTIVE.load(Relaxed)
}

/// Live and peak bytes of the whole process, as tracemalloc's
/// `get_traced_memory()`; `None` when no [`TrackingAllocator`] is installed.
///
/// The peak is the highest live-byte count since the program started or
/// since the last [`reset_peak`].
///
/// ```
/// // This doctest installs no tracking allocator.
/// assert_eq!(leanmem::measure::traced_memory(), None);
/// ```
#[must_use]
pub fn traced_memory() -> Option<(usize, usize)> {
    stats().map(|s| (s.current, s.peak))
}

/// Sets the process-wide peak to the current live bytes, as tracemalloc's
/// `reset_peak()`, so the next [`traced_memory`] reports the peak of what
/// runs from now on. Does nothing without a [`TrackingAllocator`].
pub fn reset_peak() {
    GLOBAL.peak.store(GLOBAL.current.load(Relaxed), Relaxed);
    // An allocation on another thread between that load and that store saw
    // the old, higher peak and skipped raising it: raise it to what is live
    // now (and `stats` never reports a peak below the live bytes).
    GLOBAL.peak.fetch_max(GLOBAL.current.load(Relaxed), Relaxed);
}

/// Process-wide allocation statistics; see [`stats`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct AllocStats {
    /// Live bytes (requested sizes).
    pub current: usize,
    /// Highest `current` since start or the last [`reset_peak`].
    pub peak: usize,
    /// Live blocks.
    pub live_blocks: usize,
    /// Blocks allocated since start.
    pub allocations: usize,
    /// Blocks freed since start.
    pub deallocations: usize,
    /// Blocks resized (`realloc`) since start.
    pub reallocations: usize,
    /// Bytes allocated since start, including growth by `realloc`.
    pub allocated_bytes: usize,
    /// Bytes freed since start, including shrinkage by `realloc`.
    pub freed_bytes: usize,
}

/// Process-wide counters of the [`TrackingAllocator`]; `None` when none is
/// installed.
///
/// Each field is read separately (relaxed), so while other threads allocate
/// the fields may be from slightly different moments.
///
/// ```
/// use leanmem::measure::{self, TrackingAllocator};
///
/// #[global_allocator]
/// static ALLOC: TrackingAllocator = TrackingAllocator::system();
///
/// fn main() {
///     let before = measure::stats().unwrap();
///     let b = Box::new([0u8; 100]);
///     let after = measure::stats().unwrap();
///     assert_eq!(after.allocations - before.allocations, 1);
///     assert_eq!(after.current - before.current, 100);
///     # drop(b);
/// }
/// ```
#[must_use]
pub fn stats() -> Option<AllocStats> {
    if !is_tracking() {
        return None;
    }
    let current = GLOBAL.current.load(Relaxed);
    Some(AllocStats {
        current,
        // At least `current`, even read while `reset_peak` races an
        // allocation on another thread.
        peak: GLOBAL.peak.load(Relaxed).max(current),
        live_blocks: GLOBAL.live_blocks.load(Relaxed),
        allocations: GLOBAL.allocations.load(Relaxed),
        deallocations: GLOBAL.deallocations.load(Relaxed),
        reallocations: GLOBAL.reallocations.load(Relaxed),
        allocated_bytes: GLOBAL.allocated_bytes.load(Relaxed),
        freed_bytes: GLOBAL.freed_bytes.load(Relaxed),
    })
}

/// Formats a byte count for people: `512 B`, `1.5 KiB`, `12.0 MiB`.
///
/// ```
/// use leanmem::measure::format_bytes;
///
/// assert_eq!(format_bytes(512), "512 B");
/// assert_eq!(format_bytes(1536), "1.5 KiB");
/// assert_eq!(format_bytes(3 << 30), "3.0 GiB");
/// ```
#[must_use]
pub fn format_bytes(bytes: usize) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests;
