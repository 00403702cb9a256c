//! Unit tests of the tracking allocator, scopes and labels. The lib's test
//! binary installs `TrackingAllocator::system().with_labels()` (see
//! `lib.rs`), so the labelled code paths run here, and under valgrind in CI.

use super::*;
use std::hint::black_box;

fn measured<R>(f: impl FnOnce() -> R) -> (R, Measurement) {
    let (r, m) = measure(f);
    (r, m.expect("the test binary installs a tracking allocator"))
}

#[test]
fn tracking_is_on_and_reported() {
    assert!(is_tracking());
    let (current, peak) = traced_memory().expect("tracking");
    assert!(peak >= current);
    let s = stats().expect("tracking");
    assert!(s.allocations >= s.deallocations);
    assert_eq!(
        s.allocated_bytes.wrapping_sub(s.freed_bytes) > 0,
        s.current > 0,
        "current is allocated minus freed"
    );
}

#[test]
fn measure_counts_exact_bytes_and_blocks() {
    let (v, m) = measured(|| vec![7u32; 1000]);
    assert_eq!(m.net_bytes, 4000);
    assert_eq!(m.peak_bytes, 4000);
    assert_eq!(m.allocations, 1);
    assert_eq!(m.deallocations, 0);
    assert_eq!(m.net_blocks(), 1);
    assert_eq!(v.len(), 1000);

    let ((), m) = measured(|| drop(black_box(v)));
    assert_eq!(m.net_bytes, -4000);
    assert_eq!(m.deallocations, 1);
    assert_eq!(m.freed_bytes, 4000);
    assert_eq!(m.peak_bytes, 0);
}

#[test]
fn measure_peak_sees_temporaries() {
    let (kept, m) = measured(|| {
        let kept = vec![0u8; 100];
        let temp = black_box(vec![0u8; 10_000]);
        drop(temp);
        kept
    });
    assert_eq!(m.net_bytes, 100);
    assert_eq!(m.peak_bytes, 10_100);
    assert_eq!(m.allocated_bytes, 10_100);
    assert_eq!(m.freed_bytes, 10_000);
    drop(kept);
}

#[test]
fn realloc_counts_growth_and_shrink() {
    let (v, m) = measured(|| {
        let mut v: Vec<u64> = Vec::new();
        for i in 0..1000 {
            v.push(i);
        }
        v
    });
    assert_eq!(m.net_bytes, (v.capacity() * 8) as isize);
    assert_eq!(m.allocations, 1);
    assert!(m.reallocations > 0);
    assert_eq!(m.net_blocks(), 1);

    let mut v = v;
    let ((), m) = measured(|| {
        v.truncate(10);
        v.shrink_to_fit();
    });
    assert_eq!(m.reallocations, 1);
    assert_eq!(m.net_bytes, -((1024 - 10) * 8));
    assert_eq!(v.capacity(), 10);
}

#[test]
fn a_moving_realloc_counts_both_blocks_at_the_peak() {
    let ((moved, cap), m) = measured(|| {
        let mut v: Vec<u8> = Vec::with_capacity(64);
        let before = v.as_ptr();
        // A block right after `v` makes growing in place unlikely.
        let blocker = black_box(vec![0u8; 64]);
        v.reserve_exact(100_000);
        let moved = before != v.as_ptr();
        drop(blocker);
        (moved, v.capacity())
    });
    assert_eq!(m.net_bytes, 0);
    if moved {
        assert_eq!(m.peak_bytes, 64 + 64 + cap);
    } else {
        assert_eq!(m.peak_bytes, 64 + cap);
    }
}

#[test]
fn nested_measurements_keep_the_outer_peak() {
    let ((inner_m, kept), outer_m) = measured(|| {
        let kept = black_box(vec![0u8; 1000]);
        let ((), inner) = measured(|| drop(black_box(vec![0u8; 5000])));
        (inner, kept)
    });
    assert_eq!(inner_m.peak_bytes, 5000);
    assert_eq!(inner_m.net_bytes, 0);
    // The outer scope saw 1000 live, then 5000 more inside the inner one.
    assert_eq!(outer_m.peak_bytes, 6000);
    assert_eq!(outer_m.net_bytes, 1000);
    drop(kept);
}

#[test]
fn inner_peak_below_outer_does_not_lower_it() {
    let ((), outer) = measured(|| {
        drop(black_box(vec![0u8; 8000]));
        let ((), inner) = measured(|| drop(black_box(vec![0u8; 100])));
        assert_eq!(inner.peak_bytes, 100);
    });
    assert_eq!(outer.peak_bytes, 8000);
}

#[test]
fn panicking_scope_restores_the_outer_peak() {
    let ((), outer) = measured(|| {
        let caught = std::panic::catch_unwind(|| {
            measure(|| {
                drop(black_box(vec![0u8; 3000]));
                panic!("boom");
            })
        });
        assert!(caught.is_err());
    });
    // The panic payload and message formatting allocate too, so only a
    // lower bound is exact here: the 3000 bytes were seen by the outer scope.
    assert!(outer.peak_bytes >= 3000, "{outer:?}");
    let ((), after) = measured(|| drop(black_box(vec![0u8; 10])));
    assert_eq!(after.peak_bytes, 10);
}

#[test]
fn cross_thread_free_is_charged_to_the_freeing_thread() {
    let v = std::thread::spawn(|| vec![1u64; 512]).join().unwrap();
    let ((), m) = measured(|| drop(v));
    assert_eq!(m.net_bytes, -4096);
    assert_eq!(m.allocations, 0);
    assert_eq!(m.deallocations, 1);
}

#[test]
fn other_threads_do_not_disturb_a_measurement() {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let noise = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut kept = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                kept.push(vec![0u8; 64]);
                if kept.len() > 1000 {
                    kept.clear();
                }
            }
        })
    };
    for _ in 0..100 {
        let (v, m) = measured(|| vec![0u16; 300]);
        assert_eq!(m.net_bytes, 600);
        assert_eq!(m.peak_bytes, 600);
        drop(v);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    noise.join().unwrap();
}

#[test]
fn global_counters_follow_a_large_block_and_reset_peak() {
    const BIG: usize = 64 << 20;
    let big = black_box(vec![1u8; BIG]);
    let (current, peak) = traced_memory().unwrap();
    assert!(current >= BIG && peak >= current);
    drop(big);
    reset_peak();
    let (current, peak) = traced_memory().unwrap();
    // Other tests run concurrently, but none holds anything near 64 MiB.
    assert!(peak < BIG, "peak {peak} after reset, current {current}");
}

#[test]
fn zeroed_allocations_are_counted_and_zeroed() {
    let (v, m) = measured(|| vec![0u64; 4096]);
    assert!(v.iter().all(|&x| x == 0));
    assert_eq!(m.net_bytes, 4096 * 8);
}

#[test]
fn over_aligned_blocks_round_trip() {
    #[repr(align(4096))]
    struct Page([u8; 4096]);
    let (pages, m) = measured(|| {
        let mut v: Vec<Page> = Vec::with_capacity(2);
        v.push(Page([3; 4096]));
        v.push(Page([4; 4096]));
        v.reserve(3); // realloc of an over-aligned block
        v
    });
    assert_eq!(pages.as_ptr() as usize % 4096, 0);
    assert_eq!(pages[1].0[4095], 4);
    assert_eq!(m.net_bytes, (pages.capacity() * 4096) as isize);
    drop(pages);
}

#[test]
fn labels_attribute_live_blocks_until_freed() {
    let before = Snapshot::take().unwrap();
    let kept = label("unit-parse", || {
        let kept = vec![0u8; 777];
        drop(black_box(vec![0u8; 5000]));
        kept
    });
    let mid = Snapshot::take().unwrap();
    let parse = mid.get("unit-parse").unwrap();
    let parse_before = before.get("unit-parse").map_or(0, |s| s.bytes);
    assert_eq!(parse.bytes - parse_before, 777);
    let diff = mid.compare_to(&before);
    let d = diff.iter().find(|d| d.label == "unit-parse").unwrap();
    assert_eq!(d.bytes_diff, 777);
    assert_eq!(d.blocks_diff, 1);
    assert_eq!(d.allocations_diff, 2);

    // Freed outside the label (and on another thread): still credited back.
    std::thread::spawn(move || drop(kept)).join().unwrap();
    let after = Snapshot::take().unwrap();
    assert_eq!(after.get("unit-parse").unwrap().bytes, parse_before);
}

/// A block resized within its label is one allocation of that label, not
/// one per reallocation; its bytes follow the resize.
#[test]
fn reallocations_within_a_label_are_not_allocations() {
    let before = Snapshot::take().unwrap();
    let v = label("unit-grow", || {
        let mut v: Vec<u32> = Vec::new();
        for i in 0..1000 {
            v.push(black_box(i));
        }
        v
    });
    let after = Snapshot::take().unwrap();
    let diff = after.compare_to(&before);
    let d = diff.iter().find(|d| d.label == "unit-grow").unwrap();
    assert_eq!(d.allocations_diff, 1, "{d:?}");
    assert_eq!(d.blocks_diff, 1);
    assert_eq!(d.bytes_diff, (v.capacity() * 4) as isize);
    drop(v);
}

#[test]
fn labels_nest_and_restore() {
    let (outer, inner) = label("unit-outer", || {
        let a = vec![0u8; 11];
        let b = label("unit-inner", || vec![0u8; 13]);
        let c = vec![0u8; 17];
        ((a, c), b)
    });
    let snap = Snapshot::take().unwrap();
    assert_eq!(snap.get("unit-outer").unwrap().bytes, 28);
    assert_eq!(snap.get("unit-inner").unwrap().bytes, 13);
    drop((outer, inner));
    let snap = Snapshot::take().unwrap();
    assert_eq!(snap.get("unit-outer").unwrap().bytes, 0);
    assert_eq!(snap.get("unit-inner").unwrap().bytes, 0);
}

#[test]
fn label_is_restored_after_a_panic() {
    let caught = std::panic::catch_unwind(|| label("unit-panics", || panic!("boom")));
    assert!(caught.is_err());
    // The panic machinery may leave blocks under the label (the test
    // harness's output capture grows while it is active); what matters is
    // that nothing allocated after the unwind joins them.
    let at_unwind = Snapshot::take().unwrap().get("unit-panics").unwrap().bytes;
    let v = black_box(vec![0u8; 19]);
    let snap = Snapshot::take().unwrap();
    assert_eq!(snap.get("unit-panics").unwrap().bytes, at_unwind, "{snap}");
    let v2 = label("unit-after-panic", || black_box(vec![0u8; 23]));
    let snap = Snapshot::take().unwrap();
    assert_eq!(snap.get("unit-after-panic").unwrap().bytes, 23);
    drop((v, v2));
}

#[test]
fn realloc_moves_a_block_to_the_current_label() {
    let mut v = label("unit-made", || Vec::<u8>::with_capacity(16));
    label("unit-grown", || v.reserve_exact(1000));
    let snap = Snapshot::take().unwrap();
    assert_eq!(snap.get("unit-made").unwrap().bytes, 0);
    assert_eq!(snap.get("unit-grown").unwrap().bytes, v.capacity());
    drop(v);
    let snap = Snapshot::take().unwrap();
    assert_eq!(snap.get("unit-grown").unwrap().bytes, 0);
}

#[test]
fn compare_to_sorts_by_absolute_change() {
    let before = Snapshot::take().unwrap();
    let small = label("unit-small", || vec![0u8; 10]);
    let big = label("unit-big", || vec![0u8; 10_000]);
    let after = Snapshot::take().unwrap();
    let diff = after.compare_to(&before);
    let pos = |name: &str| diff.iter().position(|d| d.label == name).unwrap();
    assert!(pos("unit-big") < pos("unit-small"));
    let line = diff[pos("unit-big")].to_string();
    assert!(
        line.starts_with("unit-big: size=9.8 KiB (+9.8 KiB), count=1 (+1)"),
        "{line}"
    );
    drop((small, big));
    let gone = Snapshot::take().unwrap().compare_to(&after);
    let d = gone.iter().find(|d| d.label == "unit-big").unwrap();
    assert_eq!(d.bytes_diff, -10_000);
    assert!(d.to_string().contains("(-9.8 KiB)"), "{d}");
}

/// Comparing with a newer snapshot lists the labels registered in between
/// (as zero in the older one) and reports no allocation counts that wrapped
/// below zero.
#[test]
fn compare_to_a_newer_snapshot_lists_every_label_without_wrapping() {
    let older = Snapshot::take().unwrap();
    let kept = label("unit-registered-later", || vec![0u8; 321]);
    let newer = Snapshot::take().unwrap();
    let diff = older.compare_to(&newer);
    let d = diff
        .iter()
        .find(|d| d.label == "unit-registered-later")
        .expect("a label of the newer snapshot is listed");
    assert_eq!((d.bytes, d.bytes_diff), (0, -321));
    assert_eq!((d.blocks, d.blocks_diff), (0, -1));
    // Label counters only grow, so from the older snapshot's side no label
    // allocated anything (the unlabelled one did, in between).
    assert!(diff.iter().all(|d| d.allocations_diff == 0), "{diff:?}");
    // The forward comparison is unchanged.
    let forward = newer.compare_to(&older);
    let f = forward
        .iter()
        .find(|d| d.label == "unit-registered-later")
        .unwrap();
    assert_eq!(
        (f.bytes_diff, f.blocks_diff, f.allocations_diff),
        (321, 1, 1)
    );
    drop(kept);
}

/// The built-in names denote the built-in labels: a snapshot never lists
/// two labels under one name (which `get` and `compare_to` could not tell
/// apart).
#[test]
fn built_in_label_names_are_the_built_in_labels() {
    let before = Snapshot::take().unwrap();
    let other = label(OTHER_LABELS, || black_box(vec![0u8; 29]));
    let unlabelled = label(UNLABELLED, || black_box(vec![0u8; 31]));
    let snap = Snapshot::take().unwrap();
    for name in [OTHER_LABELS, UNLABELLED] {
        let n = snap.statistics().iter().filter(|s| s.label == name).count();
        assert_eq!(n, 1, "{name} listed {n} times: {snap}");
    }
    let grew = |name| snap.get(name).unwrap().bytes - before.get(name).unwrap().bytes;
    assert_eq!(grew(OTHER_LABELS), 29);
    drop((other, unlabelled));
}

#[test]
fn statistics_are_sorted_largest_first() {
    let keep = label("unit-sorted", || vec![0u8; 1 << 16]);
    let snap = Snapshot::take().unwrap();
    let stats = snap.statistics();
    assert!(stats.windows(2).all(|w| w[0].bytes >= w[1].bytes));
    assert!(stats.iter().any(|s| s.label == UNLABELLED));
    assert!(
        snap.to_string()
            .contains("unit-sorted: size=64.0 KiB, count=1")
    );
    drop(keep);
}

#[test]
fn measurement_display_is_readable() {
    let m = Measurement {
        net_bytes: -2048,
        peak_bytes: 3 << 20,
        allocations: 1,
        deallocations: 2,
        reallocations: 3,
        allocated_bytes: 0,
        freed_bytes: 0,
    };
    assert_eq!(
        m.to_string(),
        "net -2.0 KiB, peak 3.0 MiB, 1 allocations, 2 frees, 3 reallocations"
    );
}

#[test]
fn format_bytes_picks_units() {
    assert_eq!(format_bytes(0), "0 B");
    assert_eq!(format_bytes(1023), "1023 B");
    assert_eq!(format_bytes(1024), "1.0 KiB");
    assert_eq!(format_bytes(10 << 20), "10.0 MiB");
    assert_eq!(format_bytes(usize::MAX), "16384.0 PiB");
}

#[test]
fn errors_have_messages() {
    assert!(
        MeasureError::NotTracking
            .to_string()
            .contains("TrackingAllocator")
    );
    assert!(
        MeasureError::LabelsDisabled
            .to_string()
            .contains("with_labels")
    );
}
