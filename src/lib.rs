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
//! | `tracemalloc`, `sys.getsizeof`, `pympler.asizeof` | [`measure`] | a counting global allocator (live, peak, per thread, by label) and [`HeapSize`], a deep size that counts capacity and slack | deep sizes equal the allocator's byte counts on every implementation tested; tracking costs 1.08–1.14× the time of the system allocator building and freeing 1M small `String`s (dhat: 33–40×) |
//! | `sys.intern` | [`intern`] | one copy of each distinct string and a 4-byte [`Symbol`]; [`FrozenInterner`] (exact-size, `Sync`) and [`ConcurrentInterner`] (lock-free lookups and resolves) | 1M identifiers, 25k distinct: 8.6 B per string beyond its bytes frozen, ≤ 12 while growing (string-interner 16.9, lasso 32.9); intern and `get` at parity with string-interner's (intern 0.70–1.03×, `get` 0.93–1.23× the fastest peer's, medians near 1.0), resolve 0.67–0.96×; the concurrent form interns with 2 threads in 0.74–0.95× one thread's time |
//! | `array.array` instead of a list of ints | [`packed`] | [`PackedVec`]: integers in exactly the bits their range needs, counted from the minimum, with one-load `get` and width-specialised decoding; [`BlockPackedVec`]: a frame of reference per 128 values for series; zero-copy views over `&[u64]` | 10M timestamps: 24 bits per value where sucds and sux store 31, 9.0 in blocks; `sum` 0.38–0.63× the time of summing a `Vec<u64>`; build 0.41–0.61× sux's; random `get` of uniform 20-bit values 1.01–1.39× `Vec<u64>`'s (sux 1.35–1.67×) |
//! | `collections.deque`, `deque(maxlen=n)` | [`deque`] | [`Deque`]: O(1) at both ends, Python's maxlen eviction that hands back the evicted item, memory that follows the live size; [`InlineDeque`]: a fixed window with no heap | after 1M `u64` pushed and popped: 88 B held where `VecDeque` holds 8 MiB; FIFO fill-and-drain and steady state ≤ 1× `VecDeque`; last-1024 window of 10M pushes 0.30–0.45× `VecDeque` + `pop_front` and 0.69–0.92× circular-buffer ([`InlineDeque`] 0.74–0.94×) |
//! | `weakref.WeakValueDictionary`, `WeakKeyDictionary`, `WeakSet`, `WeakMethod` | [`weak`] | weak maps and sets that reclaim dead entries without being asked, weak observer lists, a cache with a strong core and a weak tier | 100k × 1 KiB values, 90% dropped elsewhere: [`NotifyingMap`](weak::NotifyingMap) frees each value with its last handle and holds 14.9% of a strong `HashMap` after the next call, worst insert 0.14–0.44 ms CPU; [`WeakValueMap`](weak::WeakValueMap) 11.9–13.6% after one sweep (`buckets/8` calls) with a worst insert of 0.09–0.31 ms CPU (weak-table: 100%, 30–48 ms); 30–38 B per entry |
//! | `__slots__`, `namedtuple`, `dataclass(slots=True)`, key-sharing dicts | [`slots`](mod@slots) | [`Shape`](slots::Shape) + [`Record`](slots::Record): run-time fields stored in slots, names shared; [`Table`](slots::Table): one column per field, integers and offsets bit-packed per chunk, repetitive strings interned; [`slots!`]: a struct with access by field name and a columnar companion table | 1M users `{id, name, email}`: `Table` 39.5 B per record (8.2× smaller than a dict per record, 2.76× than `Vec<struct>`), `Record` 97.8 B; a column scan 0.53–0.81× the time of `Vec<struct>`'s; build peak = final size; the `AttributeError` of `__slots__` as [`SlotsError`](slots::SlotsError) |
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
//!
//! # Features
//!
//! `serde` (off by default) serializes the structures that own their data:
//! deques, interners and symbols, packed vectors, shapes, records and
//! tables, cache counters. Every form reads back with its checks, from JSON
//! and from formats that are not self-describing (postcard, bincode); a
//! record reads back against its shape with `slots::RecordSeed`.
#![doc(test(attr(deny(warnings))))]

pub mod deque;
pub mod error;
pub mod hash;
pub mod intern;
pub mod measure;
pub mod packed;
pub mod slots;
pub mod weak;

pub use crate::deque::{Deque, InlineDeque};
pub use crate::error::{InternError, MeasureError, OccupiedError};
pub use crate::intern::{ConcurrentInterner, FrozenInterner, Interner, Symbol};
pub use crate::measure::{HeapSize, TrackingAllocator};
pub use crate::packed::{BlockPackedVec, PackedVec};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

#[cfg(test)]
#[global_allocator]
static TEST_ALLOC: measure::TrackingAllocator = measure::TrackingAllocator::system().with_labels();
