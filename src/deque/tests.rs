//! Unit tests: Python's semantics (expected values from CPython 3.11), the
//! ring's layout cases, memory policy, and drop accounting.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;

use super::*;

/// An unbounded deque whose live elements wrap around the end of the ring:
/// `cap` slots (and a shrink floor of `cap`), head at `head`, holding
/// `0..len`.
fn wrapped(cap: usize, head: usize, len: usize) -> Deque<i32> {
    let mut d = Deque::with_capacity(cap);
    for _ in 0..head {
        d.push_back(-1);
        d.pop_front();
    }
    for i in 0..len as i32 {
        d.push_back(i);
    }
    assert_eq!(d.capacity(), cap.max(len));
    assert_eq!(d.head, head % cap.max(1), "setup");
    d
}

fn contents<S: Storage<i32>>(d: &Deque<i32, S>) -> Vec<i32> {
    d.iter().copied().collect()
}

#[test]
fn wrap_maps_logical_to_physical_without_overflow() {
    assert_eq!(raw::wrap(0, 0, 0), 0);
    assert_eq!(raw::wrap(3, 5, 1), 4);
    assert_eq!(raw::wrap(3, 5, 2), 0);
    assert_eq!(raw::wrap(3, 5, 4), 2);
    assert_eq!(
        raw::wrap(usize::MAX - 1, usize::MAX, usize::MAX - 1),
        usize::MAX - 2
    );
}

#[test]
fn next_slot_wraps_at_the_capacity() {
    assert_eq!(raw::next_slot(0, 1), 0);
    assert_eq!(raw::next_slot(3, 5), 4);
    assert_eq!(raw::next_slot(4, 5), 0);
    assert_eq!(raw::next_slot(usize::MAX - 1, usize::MAX), 0);
}

#[test]
fn evicting_pushes_wrap_the_ring_in_place() {
    // Several laps of the front index around rings of 1 to 5 slots: each
    // push returns the element `maxlen` pushes older, the front index stays
    // in the ring, and the capacity stays the maxlen.
    for maxlen in 1..=5usize {
        let mut d = Deque::with_maxlen(maxlen);
        let mut inline: InlineDeque<usize, 3> = Deque::inline();
        for i in 0..4 * maxlen + 1 {
            let evicted = i.checked_sub(maxlen);
            assert_eq!(d.push_back(i), evicted, "maxlen {maxlen}, push {i}");
            assert!(d.head < maxlen);
            assert_eq!(inline.push_back(i), i.checked_sub(3));
            assert!(inline.head < 3);
        }
        let last = 4 * maxlen + 1;
        assert!(d.iter().copied().eq(last - maxlen..last));
        assert!(inline.iter().copied().eq(last - 3..last));
        assert_eq!((d.len(), d.capacity()), (maxlen, maxlen));
    }
}

#[test]
fn python_maxlen_rules_match_cpython() {
    // d=deque([1,2,3],maxlen=4); d.extendleft([4,5,6]) -> [6, 5, 4, 1]
    let mut d = Deque::with_maxlen(4);
    d.extend([1, 2, 3]);
    d.extend_front([4, 5, 6]);
    assert_eq!(contents(&d), [6, 5, 4, 1]);
    // d=deque([1,2,3],maxlen=4); d.extend([4,5,6]) -> [3, 4, 5, 6]
    let mut d = Deque::with_maxlen(4);
    d.extend([1, 2, 3, 4, 5, 6]);
    assert_eq!(contents(&d), [3, 4, 5, 6]);
    // d=deque([1,2,3],maxlen=3); d.append(4); d.appendleft(0) -> [0, 2, 3]
    let mut d = Deque::with_maxlen(3);
    d.extend([1, 2, 3]);
    assert_eq!(d.push_back(4), Some(1));
    assert_eq!(d.push_front(0), Some(4));
    assert_eq!(contents(&d), [0, 2, 3]);
    // maxlen=0 keeps nothing: append, appendleft, extend are no-ops.
    let mut d = Deque::with_maxlen(0);
    assert_eq!(d.push_back(1), Some(1));
    assert_eq!(d.push_front(2), Some(2));
    d.extend([1, 2]);
    d.extend_front([1, 2]);
    assert!(d.is_empty());
    assert_eq!(format!("{d:?}"), "deque([], maxlen=0)");
    // insert into a full deque (maxlen=0 included) is IndexError.
    let err = d.insert(0, 1).unwrap_err();
    assert_eq!((err.into_inner(), d.len()), (1, 0));
}

#[test]
fn insert_follows_python_positions() {
    // d=deque([1,2,3],maxlen=10); d.insert(-10,0); d.insert(10,9);
    // d.insert(-1,7); d.insert(-5,8); d.insert(2,6)
    // -> deque([0, 8, 6, 1, 2, 3, 7, 9], maxlen=10)
    let mut d = Deque::with_maxlen(10);
    d.extend([1, 2, 3]);
    for (i, x) in [(-10, 0), (10, 9), (-1, 7), (-5, 8), (2, 6)] {
        d.insert(i, x).unwrap();
    }
    assert_eq!(
        format!("{d:?}"),
        "deque([0, 8, 6, 1, 2, 3, 7, 9], maxlen=10)"
    );
    // A full bounded deque refuses, whatever the position.
    let mut d = Deque::with_maxlen(3);
    d.extend([1, 2, 3]);
    assert!(d.insert(5, 9).is_err());
    assert!(d.insert(-9, 9).is_err());
    assert_eq!(contents(&d), [1, 2, 3]);
    // isize extremes do not overflow.
    let mut d = Deque::new();
    d.insert(isize::MAX, 1).unwrap();
    d.insert(isize::MIN, 0).unwrap();
    assert_eq!(contents(&d), [0, 1]);
}

#[test]
fn insert_and_remove_on_wrapped_rings_move_the_shorter_side() {
    for cap in [1, 2, 5, 8] {
        for head in 0..cap {
            for len in 0..cap {
                for index in 0..=len {
                    let mut d = wrapped(cap, head, len);
                    let mut model: Vec<i32> = (0..len as i32).collect();
                    d.insert(index as isize, 100).unwrap();
                    model.insert(index, 100);
                    assert_eq!(
                        contents(&d),
                        model,
                        "insert cap {cap} head {head} at {index}"
                    );
                    assert_eq!(d.capacity(), cap, "no growth when a slot is free");
                    assert_eq!(d.remove(index), Some(model.remove(index)));
                    assert_eq!(
                        contents(&d),
                        model,
                        "remove cap {cap} head {head} at {index}"
                    );
                }
            }
            // A full unbounded ring grows for the insert.
            let mut d = wrapped(cap, head, cap);
            d.insert(1, 100).unwrap();
            let mut model: Vec<i32> = (0..cap as i32).collect();
            model.insert(1.min(cap), 100);
            assert_eq!(contents(&d), model);
        }
    }
}

#[test]
fn make_contiguous_covers_every_layout() {
    for cap in 1..=9 {
        for head in 0..cap {
            for len in 0..=cap {
                let mut d = wrapped(cap, head, len);
                let expected: Vec<i32> = (0..len as i32).collect();
                assert_eq!(
                    d.make_contiguous(),
                    &expected[..],
                    "cap {cap} head {head} len {len}"
                );
                assert_eq!(d.as_slices().1.len(), 0);
                assert_eq!(contents(&d), expected);
                assert_eq!(d.capacity(), cap);
            }
        }
    }
}

#[test]
fn growth_and_shrink_keep_order_from_every_layout() {
    for cap in 1..=8 {
        for head in 0..cap {
            // Full ring, wrapped at `head`: one more push doubles it.
            let mut d = wrapped(cap, head, cap);
            d.push_back(cap as i32);
            let expected: Vec<i32> = (0..=cap as i32).collect();
            assert_eq!(contents(&d), expected);
            assert_eq!(d.capacity(), (2 * cap).max(4));
            // And from the front.
            let mut d = wrapped(cap, head, cap);
            d.push_front(-1);
            assert_eq!(contents(&d), (-1..cap as i32).collect::<Vec<_>>());
            // Through `try_reserve`, and by fewer slots than the back run
            // (a larger maxlen), so that the front run moves instead.
            let mut d = wrapped(cap, head, cap);
            d.try_reserve(1).unwrap();
            assert_eq!(contents(&d), (0..cap as i32).collect::<Vec<_>>());
            for extra in 1..=2 {
                let mut d = wrapped(cap, head, cap);
                d.set_maxlen(Some(cap + extra));
                assert_eq!(d.capacity(), cap + extra);
                d.extend([100, 101, 102]);
                let kept = (0..cap as i32).chain(100..103).skip(3 - extra);
                assert_eq!(contents(&d), kept.collect::<Vec<_>>());
            }
        }
    }
    // Shrinking from wrapped layouts: a big ring drained from the front.
    for head in [0, 10, 30, 63] {
        let mut d = wrapped(64, head, 64);
        d.buf.set_floor(0);
        let mut model: VecDeque<i32> = (0..64).collect();
        while !model.is_empty() {
            assert_eq!(d.pop_front(), model.pop_front());
            assert_eq!(contents(&d), Vec::from(model.clone()));
            assert!(
                d.capacity() <= (4 * d.len() + 3).max(4),
                "len {} cap {}",
                d.len(),
                d.capacity()
            );
        }
        assert_eq!(d.capacity(), 4);
    }
}

#[test]
fn capacity_follows_the_live_size() {
    let mut d = Deque::new();
    for i in 0..10_000u64 {
        d.push_back(i);
    }
    assert_eq!(d.capacity(), 16_384);
    for _ in 0..9_000 {
        d.pop_front();
    }
    // 1000 live: the ring has halved while under a quarter full.
    assert!(d.capacity() <= 4 * 1000 + 3 && d.capacity() >= 1000);
    assert_eq!(d.front(), Some(&9_000));
    while d.pop_back().is_some() {}
    assert_eq!(d.capacity(), 4);
    // Hysteresis: pushing and popping around a power of two does not
    // reallocate on every operation.
    let mut d: Deque<u64> = (0..64).collect();
    d.push_back(64);
    d.pop_front();
    let cap = d.capacity();
    assert_eq!(cap, 128);
    for i in 0..1000 {
        d.push_back(i);
        d.pop_front();
        assert_eq!(d.capacity(), cap);
    }
}

#[test]
fn with_capacity_is_a_floor_until_shrink_to_fit() {
    let mut d: Deque<u64> = Deque::with_capacity(100);
    assert_eq!(d.capacity(), 100);
    d.extend(0..1000);
    d.clear();
    assert_eq!(d.capacity(), 100);
    d.push_back(1);
    d.shrink_to_fit();
    assert_eq!(d.capacity(), 1);
    d.extend(0..100);
    d.truncate(0);
    assert!(d.capacity() <= 7);
}

#[test]
fn a_reserve_that_overflows_leaves_the_deque_whole() {
    // Wrapped, so that a lost ring would show in the order.
    let mut d: Deque<String> = Deque::with_capacity(4);
    for s in ["x", "a", "b"] {
        d.push_back(s.to_string());
    }
    d.pop_front();
    d.push_back("c".to_string());
    d.push_back("d".to_string());
    assert!(!d.as_slices().1.is_empty());
    let result = catch_unwind(AssertUnwindSafe(|| d.reserve(usize::MAX / 2)));
    assert!(result.is_err());
    assert_eq!(d.capacity(), 4);
    assert!(d.iter().eq(["a", "b", "c", "d"]));
    d.push_back("e".to_string());
    assert!(d.iter().eq(["a", "b", "c", "d", "e"]));
}

#[test]
fn bounded_capacity_never_changes() {
    let mut d = Deque::with_maxlen(5);
    d.extend(0..100);
    d.shrink_to_fit();
    d.reserve(100);
    d.clear();
    d.truncate(0);
    assert_eq!(d.capacity(), 5);
    assert!(d.try_reserve(usize::MAX).is_ok());
}

#[test]
fn set_maxlen_trims_like_a_fresh_deque() {
    // deque(deque([1,2,3,4,5]), maxlen=2) -> deque([4, 5], maxlen=2)
    let mut d: Deque<i32> = (1..=5).collect();
    d.set_maxlen(Some(2));
    assert_eq!(format!("{d:?}"), "deque([4, 5], maxlen=2)");
    assert_eq!(d.capacity(), 2);
    d.push_back(6);
    assert_eq!(contents(&d), [5, 6]);
    // Growing the maxlen keeps everything and stays bounded.
    d.set_maxlen(Some(4));
    d.extend([7, 8, 9]);
    assert_eq!(contents(&d), [6, 7, 8, 9]);
    assert_eq!(d.capacity(), 4);
    // Shrinking a wrapped bounded ring.
    let mut d = Deque::with_maxlen(4);
    d.extend(0..7);
    assert!(!d.as_slices().1.is_empty());
    d.set_maxlen(Some(3));
    assert_eq!(contents(&d), [4, 5, 6]);
    d.set_maxlen(Some(0));
    assert!(d.is_empty());
    assert_eq!(d.capacity(), 0);
    d.set_maxlen(None);
    d.extend(0..3);
    assert_eq!(contents(&d), [0, 1, 2]);
}

#[test]
fn rotate_follows_python() {
    // d=deque(range(5)); d.rotate(2) -> [3, 4, 0, 1, 2]; d.rotate(-7) -> [0..5]
    let mut unbounded: Deque<i32> = (0..5).collect();
    let mut full = Deque::with_maxlen(5);
    full.extend(0..5);
    let mut inline: InlineDeque<i32, 5> = (0..5).collect();
    let mut model: VecDeque<i32> = (0..5).collect();
    for n in [2, -7, 0, 5, -5, 1, -1, 13, isize::MAX, isize::MIN, -3] {
        unbounded.rotate(n);
        full.rotate(n);
        inline.rotate(n);
        let k = n.rem_euclid(5) as usize;
        model.rotate_right(k);
        assert_eq!(
            contents(&unbounded),
            Vec::from(model.clone()),
            "rotate({n})"
        );
        assert_eq!(
            contents(&full),
            Vec::from(model.clone()),
            "rotate({n}) full"
        );
        assert_eq!(
            contents(&inline),
            Vec::from(model.clone()),
            "rotate({n}) inline"
        );
    }
    let mut empty: Deque<i32> = Deque::new();
    empty.rotate(3);
    assert!(empty.is_empty());
}

#[test]
fn index_of_clamps_like_python() {
    // d=deque([1,2,3,2,1]); d.index(2), d.index(2,2), d.index(1,-2),
    // d.index(2,-100,100) -> 1 3 4 1; d.index(3,3) ValueError;
    // d.index(3,-3,-2) -> 2; d.index(3,4,2) ValueError
    let d = Deque::from(vec![1, 2, 3, 2, 1]);
    assert_eq!(d.index_of(&2, ..), Some(1));
    assert_eq!(d.index_of(&2, 2..), Some(3));
    assert_eq!(d.index_of(&1, -2..), Some(4));
    assert_eq!(d.index_of(&2, -100..100), Some(1));
    assert_eq!(d.index_of(&3, 3..), None);
    assert_eq!(d.index_of(&3, -3..-2), Some(2));
    let (four, two, one, minus_one) = (4, 2, 1, -1);
    assert_eq!(d.index_of(&3, four..two), None);
    assert_eq!(d.index_of(&1, ..=-1), Some(0));
    assert_eq!(d.index_of(&1, one..=minus_one), Some(4));
    assert_eq!(d.index_of(&1, ..=-6), None);
    assert_eq!(d.index_of(&1, ..=isize::MAX), Some(0));
    assert_eq!(d.index_of(&9, ..), None);
}

/// An excluded start bound before the front starts the range at the front,
/// as an included end bound before the front ends it there: the front
/// element is not skipped.
#[test]
fn index_of_excluded_start_before_the_front() {
    use std::ops::Bound::{Excluded, Unbounded};
    let d = Deque::from(vec![1, 2, 3, 2, 1]);
    // Position -6 lies before the front of 5 elements: all 5 are searched.
    assert_eq!(d.index_of(&1, (Excluded(-6), Unbounded)), Some(0));
    assert_eq!(d.index_of(&1, (Excluded(isize::MIN), Unbounded)), Some(0));
    // Position -5 is the front itself: excluded.
    assert_eq!(d.index_of(&1, (Excluded(-5), Unbounded)), Some(4));
    assert_eq!(d.index_of(&2, (Excluded(-1), Unbounded)), None);
    assert_eq!(d.index_of(&2, (Excluded(0), Unbounded)), Some(1));
}

#[test]
fn signed_indexing_and_index_operator() {
    let mut d: Deque<i32> = (1..=5).collect();
    assert_eq!(d.get_signed(-1), Some(&5)); // d[-1] -> 5
    assert_eq!(d.get_signed(-5), Some(&1)); // d[-5] -> 1
    assert_eq!(d.get_signed(-6), None);
    assert_eq!(d.get_signed(isize::MIN), None);
    assert_eq!(d.get_signed(5), None);
    d[4] += 10;
    assert_eq!(d[4], 15);
    let caught = catch_unwind(AssertUnwindSafe(|| d[5]));
    let message = caught.unwrap_err();
    assert_eq!(
        message.downcast_ref::<String>().map(String::as_str),
        Some("deque index out of range: the len is 5 but the index is 5")
    );
}

#[test]
fn equality_ignores_maxlen_and_order_is_elementwise() {
    let mut a = Deque::with_maxlen(2);
    a.push_back(1);
    assert_eq!(a, Deque::from(vec![1])); // deque([1],maxlen=2)==deque([1])
    let (a12, a13, a120) = (
        Deque::from(vec![1, 2]),
        Deque::from(vec![1, 3]),
        Deque::from(vec![1, 2, 0]),
    );
    assert!(a12 < a13 && a12 < a120 && a13 > a120);
    assert_ne!(a12, Deque::from(vec![1]));
    // Equal contents in different ring layouts are equal.
    let w = wrapped(4, 3, 3);
    assert_eq!(w, Deque::from(vec![0, 1, 2]));
    assert!(w == [0, 1, 2][..]);
}

#[test]
fn debug_is_pythons_repr() {
    let mut d = Deque::with_maxlen(4);
    d.extend([1, 2]);
    assert_eq!(format!("{d:?}"), "deque([1, 2], maxlen=4)");
    assert_eq!(format!("{:?}", Deque::<u8>::new()), "deque([])");
    let s: Deque<&str> = Deque::from(vec!["a"]);
    assert_eq!(format!("{s:?}"), "deque([\"a\"])");
    let i: InlineDeque<u8, 2> = Deque::inline();
    assert_eq!(format!("{i:?}"), "deque([], maxlen=2)");
}

#[test]
fn drain_clamps_and_closes_the_gap_from_either_side() {
    for head in 0..8 {
        for (a, b) in [
            (0, 8),
            (0, 0),
            (2, 5),
            (6, 8),
            (0, 3),
            (5, 20),
            (9, 12),
            (3, 3),
        ] {
            let mut d = wrapped(8, head, 8);
            let mut model: Vec<i32> = (0..8).collect();
            let (ma, mb) = (a.min(8), b.min(8).max(a.min(8)));
            let got: Vec<i32> = d.drain(a..b).collect();
            let want: Vec<i32> = model.drain(ma..mb).collect();
            assert_eq!(got, want, "head {head} drain {a}..{b}");
            assert_eq!(contents(&d), model);
            // Partly consumed, from both ends, then dropped.
            let mut d = wrapped(8, head, 8);
            let mut model: Vec<i32> = (0..8).collect();
            let mut it = d.drain(a..=b);
            let first = it.next();
            let last = it.next_back();
            drop(it);
            let want: Vec<i32> = model.drain(ma..(b + 1).min(8).max(ma)).collect();
            assert_eq!(first, want.first().copied());
            assert_eq!(
                last,
                if want.len() > 1 {
                    want.last().copied()
                } else {
                    None
                }
            );
            assert_eq!(contents(&d), model);
        }
    }
}

#[test]
fn retain_reverse_truncate_front_append() {
    let mut d = wrapped(8, 5, 8);
    d.retain(|x| x % 3 != 0);
    assert_eq!(contents(&d), [1, 2, 4, 5, 7]);
    d.reverse();
    assert_eq!(contents(&d), [7, 5, 4, 2, 1]);
    d.truncate_front(2);
    assert_eq!(contents(&d), [2, 1]);
    let mut other: InlineDeque<i32, 3> = [8, 9].into_iter().collect();
    d.append(&mut other);
    assert_eq!(contents(&d), [2, 1, 8, 9]);
    assert!(other.is_empty());
    assert!(d.contains(&8) && !d.contains(&3));
    assert_eq!(d.remove_first(&1), Some(1));
    assert_eq!(d.remove_first(&1), None);
}

#[test]
fn vec_conversions_reuse_the_allocation_and_keep_order() {
    let v = Vec::with_capacity(33);
    let mut d: Deque<i32> = Deque::from(v);
    assert_eq!(d.capacity(), 33);
    d.extend(0..30);
    d.push_front(-1);
    let back = Vec::from(d);
    assert_eq!(back.capacity(), 33);
    assert_eq!(back, (-1..30).collect::<Vec<_>>());
    for head in 0..5 {
        let v = Vec::from(wrapped(5, head, 4));
        assert_eq!(v, [0, 1, 2, 3]);
        let vd = VecDeque::from(wrapped(5, head, 5));
        assert_eq!(vd, [0, 1, 2, 3, 4]);
    }
}

#[test]
fn zero_sized_elements() {
    let mut d: Deque<()> = Deque::new();
    for _ in 0..1000 {
        d.push_back(());
    }
    assert_eq!(d.len(), 1000);
    d.rotate(3);
    assert_eq!(d.drain(10..20).count(), 10);
    while d.pop_front().is_some() {}
    let mut b: Deque<()> = Deque::with_maxlen(3);
    assert_eq!(b.push_back(()), None);
    b.extend([(), (), ()]);
    assert_eq!(b.len(), 3);
    assert_eq!(b.push_front(()), Some(()));
    let v: Vec<()> = vec![(); 10];
    let d = Deque::from(v);
    assert_eq!(Vec::from(d).len(), 10);
}

#[test]
fn clone_keeps_maxlen_and_allocates_to_fit() {
    let mut d = wrapped(8, 6, 5);
    let c = d.clone();
    assert_eq!(c, d);
    assert_eq!((c.maxlen(), c.capacity()), (None, 5));
    d.set_maxlen(Some(6));
    let c = d.clone();
    assert_eq!((c.maxlen(), c.capacity()), (Some(6), 6));
}

#[test]
fn size_of_handles() {
    assert_eq!(
        std::mem::size_of::<Deque<u64>>(),
        7 * std::mem::size_of::<usize>()
    );
    assert_eq!(
        std::mem::size_of::<InlineDeque<u64, 16>>(),
        16 * 8 + 2 * std::mem::size_of::<usize>()
    );
    assert_eq!(
        std::mem::size_of::<InlineDeque<u8, 0>>(),
        2 * std::mem::size_of::<usize>()
    );
    // Padded to the counters' alignment, not only to `T`'s (the docs once
    // said 3 + 16 bytes here).
    let word = std::mem::size_of::<usize>();
    assert_eq!(
        std::mem::size_of::<InlineDeque<u8, 3>>(),
        (3 + 2 * word).next_multiple_of(word)
    );
    assert_eq!(
        std::mem::size_of::<InlineDeque<[u128; 1], 1>>(),
        (16 + 2 * word).next_multiple_of(std::mem::align_of::<u128>().max(word))
    );
}

/// Records every drop, so tests can check that each element is dropped
/// exactly once (or, when leaked on purpose, never).
#[derive(Default)]
struct Tracker {
    next: Cell<u32>,
    dropped: RefCell<Vec<u32>>,
    /// Cloning the element with this id panics.
    panic_on_clone: Cell<Option<u32>>,
}

struct Item {
    id: u32,
    tracker: Rc<Tracker>,
}

impl Tracker {
    fn item(self: &Rc<Self>) -> Item {
        let id = self.next.get();
        self.next.set(id + 1);
        Item {
            id,
            tracker: Rc::clone(self),
        }
    }

    fn items(self: &Rc<Self>, n: usize) -> Vec<Item> {
        (0..n).map(|_| self.item()).collect()
    }

    /// Every item created was dropped exactly once, except `leaked`.
    #[track_caller]
    fn assert_all_dropped_once_except(&self, leaked: &[u32]) {
        let mut dropped = self.dropped.borrow().clone();
        dropped.sort_unstable();
        let expected: Vec<u32> = (0..self.next.get())
            .filter(|i| !leaked.contains(i))
            .collect();
        assert_eq!(dropped, expected);
    }
}

impl Drop for Item {
    fn drop(&mut self) {
        self.tracker.dropped.borrow_mut().push(self.id);
    }
}

impl Clone for Item {
    fn clone(&self) -> Self {
        if self.tracker.panic_on_clone.get() == Some(self.id) {
            panic!("clone of item {} refused", self.id);
        }
        self.tracker.item()
    }
}

fn ids<S: Storage<Item>>(d: &Deque<Item, S>) -> Vec<u32> {
    d.iter().map(|x| x.id).collect()
}

#[test]
fn evictions_hand_back_and_drop_each_element_once() {
    let t = Rc::new(Tracker::default());
    let mut d = Deque::with_maxlen(3);
    for item in t.items(10) {
        if let Some(evicted) = d.push_back(item) {
            assert_eq!(t.dropped.borrow().len(), evicted.id as usize);
        }
    }
    assert_eq!(ids(&d), [7, 8, 9]);
    let evicted = d.push_front(t.item()).unwrap();
    assert_eq!(evicted.id, 9);
    drop(evicted);
    d.extend_front(t.items(2));
    d.extend(t.items(5));
    let mut inline: InlineDeque<Item, 2> = Deque::inline();
    inline.extend(t.items(5));
    inline.extend_front(t.items(3));
    let mut zero: Deque<Item> = Deque::with_maxlen(0);
    assert!(zero.push_back(t.item()).is_some());
    drop((d, inline, zero));
    t.assert_all_dropped_once_except(&[]);
}

#[test]
fn truncate_clear_drain_retain_remove_drop_each_element_once() {
    let t = Rc::new(Tracker::default());
    let mut d: Deque<Item> = Deque::new();
    d.extend(t.items(40));
    d.rotate(7);
    d.truncate(30);
    d.truncate_front(25);
    assert_eq!(d.len(), 25);
    drop(d.drain(3..9));
    let mut it = d.drain(..5);
    drop(it.next());
    drop(it.next_back());
    drop(it);
    d.retain(|x| x.id % 2 == 0);
    let removed = d.remove(1);
    assert!(removed.is_some());
    drop(removed);
    d.insert(-1, t.item()).unwrap();
    d.set_maxlen(Some(3));
    d.clear();
    assert!(d.is_empty());
    d.extend(t.items(3));
    let mut into = d.into_iter();
    drop(into.next());
    drop(into); // the rest is dropped with the iterator
    t.assert_all_dropped_once_except(&[]);
}

/// Drops recorded by [`Tagged`]: a static, so that leaking tagged values
/// leaks no heap memory (valgrind stays clean).
static TAGGED_DROPS: std::sync::Mutex<Vec<u32>> = std::sync::Mutex::new(Vec::new());

/// An element that owns nothing and records its drop.
struct Tagged(u32);

impl Drop for Tagged {
    fn drop(&mut self) {
        TAGGED_DROPS.lock().unwrap().push(self.0);
    }
}

#[test]
fn a_leaked_drain_leaks_its_range_and_never_double_drops() {
    // Ids 1000.. are used by this test only.
    let mut d: Deque<Tagged> = (1000..1010).map(Tagged).collect();
    let mut it = d.drain(2..6);
    drop(it.next()); // id 1002 is dropped
    std::mem::forget(it);
    // The deque kept the elements before the range; the rest is leaked.
    assert_eq!(d.iter().map(|t| t.0).collect::<Vec<_>>(), [1000, 1001]);
    d.push_back(Tagged(1010));
    drop(d);
    let mut dropped: Vec<u32> = TAGGED_DROPS
        .lock()
        .unwrap()
        .iter()
        .copied()
        .filter(|&i| i >= 1000)
        .collect();
    dropped.sort_unstable();
    assert_eq!(dropped, [1000, 1001, 1002, 1010]);
}

#[test]
fn a_panicking_clone_drops_the_clones_made_so_far() {
    for bounded in [false, true] {
        let t = Rc::new(Tracker::default());
        let mut d: Deque<Item> = if bounded {
            Deque::with_maxlen(8)
        } else {
            Deque::new()
        };
        d.extend(t.items(8));
        d.rotate(3);
        t.panic_on_clone.set(Some(6));
        let result = catch_unwind(AssertUnwindSafe(|| d.clone()));
        assert!(result.is_err());
        // 0..8 are the originals; the clones made before the panic (of the
        // elements before id 6 in order) were dropped; the deque is intact.
        assert_eq!(ids(&d), [5, 6, 7, 0, 1, 2, 3, 4]);
        t.panic_on_clone.set(None);
        let mut inline: InlineDeque<Item, 4> = Deque::inline();
        inline.extend(t.items(4));
        t.panic_on_clone.set(Some(inline[2].id));
        assert!(catch_unwind(AssertUnwindSafe(|| inline.clone())).is_err());
        drop((d, inline));
        t.assert_all_dropped_once_except(&[]);
    }
}

/// Panics when dropped if its flag says so.
struct Bomb<'a>(&'a Cell<u32>, bool);

impl Drop for Bomb<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
        if self.1 {
            panic!("boom");
        }
    }
}

#[test]
fn a_panicking_drop_still_drops_the_rest_once() {
    let drops = Cell::new(0);
    let mut d = Deque::new();
    for i in 0..10 {
        d.push_back(Bomb(&drops, i == 3));
    }
    d.rotate(4); // the elements wrap
    assert!(catch_unwind(AssertUnwindSafe(|| d.truncate(0))).is_err());
    assert_eq!(drops.get(), 10);
    assert!(d.is_empty());

    let drops = Cell::new(0);
    let mut d = Deque::new();
    for i in 0..10 {
        d.push_back(Bomb(&drops, i == 5));
    }
    assert!(catch_unwind(AssertUnwindSafe(|| drop(d.drain(2..8)))).is_err());
    assert_eq!(drops.get(), 6);
    assert_eq!(d.len(), 4);
    drop(d);
    assert_eq!(drops.get(), 10);
}

/// The documented floors of automatic shrinking: 4 slots, 8 for 1-byte
/// elements, 2 for elements of more than 1 KiB.
#[test]
fn shrinking_stops_at_the_documented_floors() {
    fn floor<T: Clone>(x: T) -> usize {
        let mut d = Deque::new();
        for _ in 0..64 {
            d.push_back(x.clone());
        }
        while d.pop_front().is_some() {}
        d.capacity()
    }
    assert_eq!(floor(0u8), 8);
    assert_eq!(floor(0u64), 4);
    assert_eq!(floor([0u8; 2048]), 2);
}
