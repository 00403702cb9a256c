//! Scoped, per-thread measurement.

use std::fmt;

use super::alloc::THREAD;
use super::is_tracking;

/// What a closure run by [`measure()`] did to the heap, on the calling thread.
///
/// Byte counts are requested sizes, as everywhere in [`measure`](super).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Measurement {
    /// Bytes allocated minus bytes freed: what the closure left live (for
    /// example in its return value). Negative when it freed more than it
    /// allocated.
    pub net_bytes: isize,
    /// The highest the thread's live bytes rose above their level at the
    /// start: the closure's peak working memory.
    pub peak_bytes: usize,
    /// Blocks allocated.
    pub allocations: usize,
    /// Blocks freed.
    pub deallocations: usize,
    /// Blocks resized in place or moved (`realloc`).
    pub reallocations: usize,
    /// Bytes allocated, including growth by `realloc`.
    pub allocated_bytes: usize,
    /// Bytes freed, including shrinkage by `realloc`.
    pub freed_bytes: usize,
}

impl Measurement {
    /// Blocks allocated minus blocks freed.
    #[must_use]
    pub fn net_blocks(&self) -> isize {
        (self.allocations as isize).wrapping_sub(self.deallocations as isize)
    }
}

impl fmt::Display for Measurement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.net_bytes < 0 { "-" } else { "" };
        write!(
            f,
            "net {sign}{}, peak {}, {} allocations, {} frees, {} reallocations",
            super::format_bytes(self.net_bytes.unsigned_abs()),
            super::format_bytes(self.peak_bytes),
            self.allocations,
            self.deallocations,
            self.reallocations
        )
    }
}

#[derive(Clone, Copy)]
struct Reading {
    net: isize,
    allocations: usize,
    deallocations: usize,
    reallocations: usize,
    allocated_bytes: usize,
    freed_bytes: usize,
}

fn read() -> Reading {
    THREAD.with(|t| Reading {
        net: t.net.get(),
        allocations: t.allocations.get(),
        deallocations: t.deallocations.get(),
        reallocations: t.reallocations.get(),
        allocated_bytes: t.allocated_bytes.get(),
        freed_bytes: t.freed_bytes.get(),
    })
}

/// Runs `f` and reports what it allocated on the calling thread, with its
/// result: the scoped form of tracemalloc's `get_traced_memory`.
///
/// Returns `None` for the measurement when no
/// [`TrackingAllocator`](super::TrackingAllocator) is installed: it never
/// reports zeros that were not measured.
///
/// Counters are per thread, so measurements in parallel tests do not see
/// each other. Measurements nest: an inner one does not disturb the outer
/// one's peak. Two things to know:
///
/// * Allocations made by threads that `f` spawns are not counted (use
///   [`traced_memory`](super::traced_memory) for the whole process).
/// * Memory freed by `f` counts against it even if another thread allocated
///   it, so `net_bytes` can be negative; memory `f` allocates and another
///   thread frees still counts as `f`'s.
///
/// Computes in **O(1)** time beyond running `f`.
///
/// ```
/// use leanmem::measure::{self, TrackingAllocator};
///
/// #[global_allocator]
/// static ALLOC: TrackingAllocator = TrackingAllocator::system();
///
/// fn main() {
///     let (words, m) = measure::measure(|| {
///         let scratch = vec![0u8; 1 << 20]; // 1 MiB, freed before returning
///         drop(scratch);
///         let mut words = Vec::with_capacity(4);
///         words.push(String::from("hello"));
///         words
///     });
///     let m = m.expect("a tracking allocator is installed");
///     assert_eq!(m.net_bytes, 4 * 24 + 5);
///     assert_eq!(m.peak_bytes, 1 << 20);
///     assert_eq!(words.len(), 1);
/// }
/// ```
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, Option<super::Measurement>) {
    if !is_tracking() {
        return (f(), None);
    }
    /// Restores the outer scope's peak, also when `f` unwinds.
    struct PeakScope {
        outer_peak: isize,
    }
    impl Drop for PeakScope {
        fn drop(&mut self) {
            let _ = THREAD.try_with(|t| t.peak.set(t.peak.get().max(self.outer_peak)));
        }
    }
    let start = read();
    let outer_peak = THREAD.with(|t| t.peak.replace(start.net));
    let scope = PeakScope { outer_peak };
    let result = f();
    let end = read();
    let peak = THREAD.with(|t| t.peak.get());
    drop(scope);
    let m = Measurement {
        net_bytes: end.net.wrapping_sub(start.net),
        peak_bytes: peak.wrapping_sub(start.net).max(0).unsigned_abs(),
        allocations: end.allocations.wrapping_sub(start.allocations),
        deallocations: end.deallocations.wrapping_sub(start.deallocations),
        reallocations: end.reallocations.wrapping_sub(start.reallocations),
        allocated_bytes: end.allocated_bytes.wrapping_sub(start.allocated_bytes),
        freed_bytes: end.freed_bytes.wrapping_sub(start.freed_bytes),
    };
    (result, Some(m))
}
