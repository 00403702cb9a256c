//! Registering more labels than `MAX_LABELS`: later names share
//! `OTHER_LABELS`, nothing panics and nothing is lost. A binary of its own,
//! because filling the process-wide registry would change other tests.

use leanmem::measure::{self, MAX_LABELS, OTHER_LABELS, Snapshot, TrackingAllocator};

#[global_allocator]
static ALLOC: TrackingAllocator = TrackingAllocator::system().with_labels();

#[test]
fn labels_beyond_the_registry_share_one_bucket() {
    let mut kept = Vec::new();
    for i in 0..MAX_LABELS + 20 {
        let name = format!("label-{i}");
        kept.push(measure::label(&name, || vec![0u8; 10]));
    }
    let snap = Snapshot::take().unwrap();
    // Two ids are built in (unlabelled and the overflow bucket).
    let registered = MAX_LABELS - 2;
    assert_eq!(snap.get("label-0").unwrap().bytes, 10);
    assert_eq!(
        snap.get(&format!("label-{}", registered - 1))
            .unwrap()
            .bytes,
        10
    );
    assert!(snap.get(&format!("label-{registered}")).is_none());
    let other = snap.get(OTHER_LABELS).unwrap();
    assert_eq!(other.bytes, 10 * (MAX_LABELS + 20 - registered));
    assert_eq!(other.blocks, MAX_LABELS + 20 - registered);
    // Registered names keep working after the registry is full.
    let again = measure::label("label-3", || vec![0u8; 5]);
    assert_eq!(Snapshot::take().unwrap().get("label-3").unwrap().bytes, 15);
    drop((kept, again));
    let snap = Snapshot::take().unwrap();
    assert_eq!(snap.get(OTHER_LABELS).unwrap().bytes, 0);
}
