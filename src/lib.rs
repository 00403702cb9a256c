//! Memory-efficient data structures, measured.
//!
//! leanmem is the Python memory playbook — `__slots__`, `sys.intern`,
//! `array.array`, `collections.deque`, `weakref`, `tracemalloc` — as Rust
//! data structures, one module per technique, each measured against its naive
//! Rust twin and the best crate that does the same job.
//!
//! # Which module do I need?
//!
//! | Python technique | module | what it gives | measured |
//! |---|---|---|---|
//! | `tracemalloc`, `sys.getsizeof`, `pympler.asizeof` | [`measure`] | a counting global allocator (live, peak, per thread, by label) and [`HeapSize`](measure::HeapSize), a deep size that counts capacity and slack | deep sizes equal the allocator's byte counts in every test; tracking costs ≈ 1.1× the time of the system allocator on a 1M-`String` build |
//!
//! Every number in this table is reproduced by
//! `cargo run --release --example memory_report` (sizes) and `cargo bench`
//! (speed); `benches/README.md` records the last run.
//!
//! # Example
//!
//! ```
//! use leanmem::measure::{self, HeapSize, TrackingAllocator};
//!
//! #[global_allocator]
//! static ALLOC: TrackingAllocator = TrackingAllocator::system();
//!
//! fn main() {
//!     // A "list of ints": one heap block per number.
//!     let (boxed, m) = measure::measure(|| (0..1000).map(Box::new).collect::<Vec<Box<i64>>>());
//!     let m = m.expect("the tracking allocator is installed");
//!     assert_eq!(m.net_bytes, 1000 * 8 + 1000 * 8);
//!     assert_eq!(m.net_blocks(), 1001);
//!     // HeapSize agrees with the allocator without running anything.
//!     assert_eq!(boxed.heap_size() as isize, m.net_bytes);
//! }
//! ```
#![doc(test(attr(deny(warnings))))]

pub mod error;
pub mod measure;
pub mod packed;

pub use crate::error::MeasureError;
pub use crate::measure::{HeapSize, TrackingAllocator};
pub use crate::packed::{BlockPackedVec, PackedVec};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

#[cfg(test)]
#[global_allocator]
static TEST_ALLOC: measure::TrackingAllocator = measure::TrackingAllocator::system().with_labels();
