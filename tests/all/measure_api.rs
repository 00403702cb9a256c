//! The public `measure` API as a user's program sees it.

use leanmem::measure::{self, MeasureError, Snapshot};

use crate::measured;

#[test]
fn snapshot_without_labels_says_so() {
    assert_eq!(Snapshot::take(), Err(MeasureError::LabelsDisabled));
}

#[test]
fn label_without_labels_still_runs_the_closure() {
    let v = measure::label("ignored", || vec![1u8; 3]);
    assert_eq!(v, [1, 1, 1]);
}

#[test]
fn unlabelled_allocator_counts_like_the_labelled_one() {
    let (v, m) = measured(|| {
        let mut v = Vec::with_capacity(1);
        v.extend(0u32..100);
        v
    });
    assert_eq!(m.net_bytes, (v.capacity() * 4) as isize);
    assert_eq!(m.allocations, 1);
    assert_eq!(m.net_blocks(), 1);
}

#[test]
fn stats_count_blocks() {
    let ((), m) = measured(|| {
        let boxes: Vec<Box<u64>> = (0..100).map(Box::new).collect();
        drop(boxes);
    });
    assert_eq!(m.allocations, 101);
    assert_eq!(m.deallocations, 101);
    assert_eq!(m.net_bytes, 0);
    assert_eq!(m.peak_bytes, 100 * 8 + 100 * 8);
}
