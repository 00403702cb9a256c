//! Integration tests, in one binary so they compile and link once.
//!
//! This binary installs a tracking allocator *without* labels, so the plain
//! forwarding path is tested here and the labelled one in the lib's unit
//! tests.

use leanmem::measure::{self, Measurement, TrackingAllocator};

#[global_allocator]
static ALLOC: TrackingAllocator = TrackingAllocator::system();

mod deque;
mod heap_size;
mod intern;
mod measure_api;
mod packed;
#[cfg(feature = "serde")]
mod serde_formats;
mod slots;
mod weak;

/// Runs `f` under [`measure::measure`] and unwraps the measurement: this
/// binary always has a tracking allocator.
pub(crate) fn measured<R>(f: impl FnOnce() -> R) -> (R, Measurement) {
    let (r, m) = measure::measure(f);
    (r, m.expect("tests/all installs a tracking allocator"))
}

/// The next value of a xorshift64 generator (`state` must not be zero):
/// fixed-seed data for plain randomized tests.
pub(crate) fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}
