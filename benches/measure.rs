//! `measure/overhead`: what tracking costs. Builds and frees 1M small
//! `String`s with the system allocator and with `TrackingAllocator`.
//!
//! One binary can have only one global allocator, so this one installs a
//! switch that forwards to `System` or to `TrackingAllocator<System>`
//! according to a flag. Both arms pay the same flag check, so the ratio
//! isolates the counting. Mixing is sound: without labels the tracking
//! allocator hands `System` the caller's pointers and layouts unchanged.
#![allow(unsafe_code)]

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use leanmem::measure::TrackingAllocator;

static TRACKING: AtomicBool = AtomicBool::new(false);

struct Switch {
    tracking: TrackingAllocator<System>,
}

// SAFETY: each call forwards to `System` or to a label-free
// `TrackingAllocator<System>`, which itself forwards the same pointer and
// layout to `System`; so every block is allocated and freed by `System`
// whichever arm handles each call.
unsafe impl GlobalAlloc for Switch {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if TRACKING.load(Relaxed) {
            // SAFETY: forwarded with the caller's layout.
            unsafe { self.tracking.alloc(layout) }
        } else {
            // SAFETY: forwarded with the caller's layout.
            unsafe { System.alloc(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if TRACKING.load(Relaxed) {
            // SAFETY: `ptr` came from `System` with `layout` (see above).
            unsafe { self.tracking.dealloc(ptr, layout) }
        } else {
            // SAFETY: `ptr` came from `System` with `layout` (see above).
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if TRACKING.load(Relaxed) {
            // SAFETY: `ptr` came from `System` with `layout` (see above).
            unsafe { self.tracking.realloc(ptr, layout, new_size) }
        } else {
            // SAFETY: `ptr` came from `System` with `layout` (see above).
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }
}

#[global_allocator]
static ALLOC: Switch = Switch {
    tracking: TrackingAllocator::system(),
};

const STRINGS: usize = 1_000_000;

/// Builds 1M small strings (one block each, plus the vector) and frees them.
fn build_and_free_strings() {
    let v: Vec<String> = (0..STRINGS).map(|i| i.to_string()).collect();
    black_box(&v);
    drop(v);
}

fn overhead(c: &mut Criterion) {
    let mut group = c.benchmark_group("measure/overhead");
    group.throughput(Throughput::Elements(STRINGS as u64));
    group.sample_size(20);
    group.bench_function("system", |b| {
        TRACKING.store(false, Relaxed);
        b.iter(build_and_free_strings);
    });
    group.bench_function("tracking", |b| {
        TRACKING.store(true, Relaxed);
        b.iter(build_and_free_strings);
        TRACKING.store(false, Relaxed);
    });
    group.finish();

    let ratios = common::print_ratios(
        "measure/overhead (build and free 1M small Strings)",
        STRINGS,
        15,
        &mut [
            ("System", &mut || {
                TRACKING.store(false, Relaxed);
                build_and_free_strings();
            }),
            ("TrackingAllocator<System>", &mut || {
                TRACKING.store(true, Relaxed);
                build_and_free_strings();
                TRACKING.store(false, Relaxed);
            }),
        ],
    );
    println!(
        "  tracking overhead ratio: {:.3}× (target ≤ 1.3×)",
        ratios[1]
    );
}

criterion_group!(benches, overhead);
criterion_main!(benches);
