//! `deque`: heap sizes against the tracking allocator, the allocation
//! budget of bounded deques, and model tests against `VecDeque` and a
//! reference model of Python's maxlen rules.

use std::collections::VecDeque;

use leanmem::deque::{Deque, InlineDeque};
use leanmem::measure::HeapSize;
use proptest::prelude::*;

use crate::measured;

/// Builds a value under measurement; its deep size must equal the bytes it
/// left live.
#[track_caller]
fn check<T: HeapSize>(what: &str, build: impl FnOnce() -> T) -> T {
    let (value, m) = measured(build);
    assert_eq!(
        value.heap_size() as isize,
        m.net_bytes,
        "{what}: HeapSize disagrees with the allocator ({m})"
    );
    value
}

#[test]
fn heap_size_equals_the_allocator() {
    check("empty", Deque::<u64>::new);
    check("grown by pushes", || {
        let mut d = Deque::new();
        (0..1000u64).for_each(|i| {
            d.push_back(i);
        });
        d
    });
    check("grown at both ends and wrapped", || {
        let mut d = Deque::new();
        for i in 0..777u32 {
            d.push_front(i);
            d.push_back(i);
        }
        d
    });
    let drained = check("filled then drained", || {
        let mut d: Deque<u64> = (0..100_000).collect();
        while d.pop_front().is_some() {}
        d
    });
    assert_eq!(drained.heap_size(), 4 * 8);
    check("with_capacity", || Deque::<u16>::with_capacity(1000));
    check("bounded", || {
        let mut d = Deque::with_maxlen(1000);
        d.extend(0..5000u64);
        d
    });
    check("bounded, maxlen 0", || Deque::<u64>::with_maxlen(0));
    check("strings", || {
        let mut d: Deque<String> = Deque::with_maxlen(10);
        d.extend((0..50).map(|i| "x".repeat(i)));
        d
    });
    check("inline strings", || {
        let mut d: InlineDeque<String, 4> = Deque::inline();
        d.extend((0..9).map(|i| format!("item {i}")));
        d
    });
    check("from Vec with slack", || {
        Deque::from(Vec::<u8>::with_capacity(77))
    });
    check("clone", || {
        let d: Deque<String> = (0..10).map(|i| i.to_string()).collect();
        d.clone()
    });
    check("set_maxlen", || {
        let mut d: Deque<u64> = (0..100).collect();
        d.set_maxlen(Some(7));
        d
    });
    check("shrunk after drain(..)", || {
        let mut d: Deque<u32> = (0..10_000).collect();
        d.drain(10..).for_each(drop);
        d
    });
    check("nested", || {
        let mut d: Deque<Vec<u8>> = Deque::new();
        d.extend((0..20).map(|i| vec![0; i]));
        d
    });
}

#[test]
fn bounded_deques_never_allocate_after_construction() {
    let mut d: Deque<u64> = Deque::with_maxlen(1024);
    let mut inline: InlineDeque<u64, 64> = Deque::inline();
    let ((), m) = measured(|| {
        let mut sum = 0u64;
        for i in 0..100_000u64 {
            if let Some(x) = d.push_back(i) {
                sum = sum.wrapping_add(x);
            }
            if let Some(x) = inline.push_back(i) {
                sum = sum.wrapping_add(x);
            }
        }
        d.extend(0..5000);
        d.extend_front(0..3000);
        d.rotate(77);
        d.rotate(-1000);
        let _ = d.insert(3, 1);
        d.pop_front();
        d.insert(500, 7).unwrap();
        d.remove(200);
        d.retain(|x| x % 3 != 0);
        d.drain(100..300).for_each(|x| sum = sum.wrapping_add(x));
        d.truncate(900);
        d.truncate_front(800);
        d.make_contiguous().sort_unstable();
        d.reverse();
        d.clear();
        d.extend(0..2000);
        while d.pop_back().is_some() {}
        std::hint::black_box(sum);
    });
    assert_eq!(
        (m.allocations, m.deallocations, m.reallocations),
        (0, 0, 0),
        "{m}"
    );
    assert_eq!(d.capacity(), 1024);
}

#[test]
fn drained_unbounded_deque_holds_a_few_slots_vecdeque_holds_the_peak() {
    let mut ours: Deque<u64> = Deque::new();
    let mut std: VecDeque<u64> = VecDeque::new();
    for i in 0..1_000_000 {
        ours.push_back(i);
        std.push_back(i);
    }
    while ours.pop_front().is_some() {}
    while std.pop_front().is_some() {}
    assert_eq!(ours.heap_size(), 32);
    assert!(std.heap_size() >= 8_000_000);
}

#[cfg(feature = "serde")]
#[test]
fn serde_round_trips_items_and_maxlen() {
    let mut d = Deque::with_maxlen(4);
    d.extend([1, 2, 3, 4, 5]);
    let json = serde_json::to_string(&d).unwrap();
    assert_eq!(json, r#"{"items":[2,3,4,5],"maxlen":4}"#);
    let back: Deque<i32> = serde_json::from_str(&json).unwrap();
    assert_eq!((back.maxlen(), back.capacity()), (Some(4), 4));
    assert_eq!(back, d);

    let u: Deque<String> = ["a", "b"].iter().map(|s| s.to_string()).collect();
    let json = serde_json::to_string(&u).unwrap();
    assert_eq!(json, r#"{"items":["a","b"],"maxlen":null}"#);
    let back: Deque<String> = serde_json::from_str(&json).unwrap();
    assert_eq!((back.maxlen(), &back), (None, &u));
    let back: Deque<String> = serde_json::from_str(r#"{"items":["a","b"]}"#).unwrap();
    assert_eq!(back, u);

    let i: InlineDeque<u8, 3> = [7, 8].into_iter().collect();
    let json = serde_json::to_string(&i).unwrap();
    assert_eq!(json, r#"{"items":[7,8],"maxlen":3}"#);
    let back: InlineDeque<u8, 3> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, i);

    // Inconsistent data is refused, not trimmed.
    let err = serde_json::from_str::<Deque<i32>>(r#"{"items":[1,2,3],"maxlen":2}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("maxlen 2 cannot hold 3 items"), "{err}");
    assert!(serde_json::from_str::<InlineDeque<u8, 3>>(r#"{"items":[1],"maxlen":4}"#).is_err());
    assert!(serde_json::from_str::<InlineDeque<u8, 1>>(r#"{"items":[1,2],"maxlen":1}"#).is_err());
    assert!(
        serde_json::from_str::<Deque<u64>>(r#"{"items":[],"maxlen":18446744073709551615}"#)
            .is_err()
    );
    assert!(serde_json::from_str::<Deque<u8>>(r#"{"items":[],"extra":1}"#).is_err());
}

/// The reference model of Python's deque: a `Vec` and the rules of
/// CPython 3.11's `collections.deque`, written as plainly as possible.
#[derive(Debug, Clone)]
struct PyDeque {
    items: Vec<i32>,
    maxlen: Option<usize>,
}

impl PyDeque {
    fn full(&self) -> bool {
        self.maxlen == Some(self.items.len())
    }

    fn append(&mut self, x: i32) -> Option<i32> {
        match self.maxlen {
            Some(0) => Some(x),
            _ if self.full() => {
                let old = self.items.remove(0);
                self.items.push(x);
                Some(old)
            }
            _ => {
                self.items.push(x);
                None
            }
        }
    }

    fn appendleft(&mut self, x: i32) -> Option<i32> {
        match self.maxlen {
            Some(0) => Some(x),
            _ if self.full() => {
                let old = self.items.pop();
                self.items.insert(0, x);
                old
            }
            _ => {
                self.items.insert(0, x);
                None
            }
        }
    }

    fn insert(&mut self, i: isize, x: i32) -> Result<(), i32> {
        if self.full() {
            return Err(x);
        }
        let n = self.items.len() as isize;
        let i = if i >= n {
            n
        } else if i <= -n {
            0
        } else if i < 0 {
            i + n
        } else {
            i
        };
        self.items.insert(i as usize, x);
        Ok(())
    }

    fn rotate(&mut self, n: isize) {
        let len = self.items.len() as isize;
        if len > 0 {
            let k = n.rem_euclid(len) as usize;
            self.items.rotate_right(k);
        }
    }

    fn index(&self, x: i32, start: isize, stop: isize) -> Option<usize> {
        let n = self.items.len() as isize;
        let clamp = |i: isize| if i < 0 { (i + n).max(0) } else { i.min(n) };
        let (start, stop) = (clamp(start), clamp(stop));
        (start..stop)
            .find(|&i| self.items[i as usize] == x)
            .map(|i| i as usize)
    }

    fn set_maxlen(&mut self, maxlen: Option<usize>) {
        if let Some(m) = maxlen {
            let excess = self.items.len().saturating_sub(m);
            self.items.drain(..excess);
        }
        self.maxlen = maxlen;
    }
}

#[derive(Debug, Clone)]
enum Op {
    PushBack(i32),
    PushFront(i32),
    TryPushBack(i32),
    PopFront,
    PopBack,
    Extend(Vec<i32>),
    ExtendFront(Vec<i32>),
    Insert(isize, i32),
    Remove(usize),
    RemoveFirst(i32),
    Rotate(isize),
    IndexOf(i32, isize, isize),
    GetSigned(isize),
    Truncate(usize),
    TruncateFront(usize),
    Drain(usize, usize, usize),
    Retain(i32),
    Reverse,
    MakeContiguous,
    SetMaxlen(Option<usize>),
    Clear,
    Clone,
    Swap(usize, usize),
    SwapRemoveBack(usize),
    SwapRemoveFront(usize),
    Resize(usize, i32),
    SplitOff(usize),
    Range(usize, usize),
    RangeMut(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    let small = -4i32..20;
    prop_oneof![
        6 => small.clone().prop_map(Op::PushBack),
        4 => small.clone().prop_map(Op::PushFront),
        1 => small.clone().prop_map(Op::TryPushBack),
        4 => Just(Op::PopFront),
        2 => Just(Op::PopBack),
        2 => prop::collection::vec(small.clone(), 0..40).prop_map(Op::Extend),
        1 => prop::collection::vec(small.clone(), 0..10).prop_map(Op::ExtendFront),
        2 => (-30isize..30, small.clone()).prop_map(|(i, x)| Op::Insert(i, x)),
        1 => (0usize..30).prop_map(Op::Remove),
        1 => small.clone().prop_map(Op::RemoveFirst),
        2 => prop_oneof![-40isize..40, any::<isize>()].prop_map(Op::Rotate),
        1 => (small.clone(), -30isize..30, -30isize..30).prop_map(|(x, a, b)| Op::IndexOf(x, a, b)),
        1 => (-30isize..30).prop_map(Op::GetSigned),
        1 => (0usize..30).prop_map(Op::Truncate),
        1 => (0usize..30).prop_map(Op::TruncateFront),
        1 => (0usize..30, 0usize..30, 0usize..4).prop_map(|(a, b, k)| Op::Drain(a, b, k)),
        1 => (2i32..5).prop_map(Op::Retain),
        1 => Just(Op::Reverse),
        1 => Just(Op::MakeContiguous),
        1 => prop::option::of(0usize..12).prop_map(Op::SetMaxlen),
        1 => Just(Op::Clear),
        1 => Just(Op::Clone),
        1 => (0usize..12, 0usize..12).prop_map(|(i, j)| Op::Swap(i, j)),
        1 => (0usize..12).prop_map(Op::SwapRemoveBack),
        1 => (0usize..12).prop_map(Op::SwapRemoveFront),
        1 => (0usize..30, small.clone()).prop_map(|(n, x)| Op::Resize(n, x)),
        1 => (0usize..12).prop_map(Op::SplitOff),
        1 => (0usize..14, 0usize..14).prop_map(|(a, b)| Op::Range(a, b)),
        1 => (0usize..14, 0usize..14).prop_map(|(a, b)| Op::RangeMut(a, b)),
    ]
}

/// Applies `op` to the deque and to the model, checking every result.
fn apply<S: leanmem::deque::Storage<i32>>(
    d: &mut Deque<i32, S>,
    m: &mut PyDeque,
    op: &Op,
) -> Result<(), TestCaseError>
where
    Deque<i32, S>: Clone,
{
    match op {
        Op::PushBack(x) => prop_assert_eq!(d.push_back(*x), m.append(*x)),
        Op::PushFront(x) => prop_assert_eq!(d.push_front(*x), m.appendleft(*x)),
        Op::TryPushBack(x) => {
            let got = d.try_push_back(*x).map_err(|e| e.into_inner());
            let want = if m.full() {
                Err(*x)
            } else {
                m.append(*x);
                Ok(())
            };
            prop_assert_eq!(got, want);
        }
        Op::PopFront => {
            let want = (!m.items.is_empty()).then(|| m.items.remove(0));
            prop_assert_eq!(d.pop_front(), want);
        }
        Op::PopBack => prop_assert_eq!(d.pop_back(), m.items.pop()),
        Op::Extend(xs) => {
            d.extend(xs.iter().copied());
            xs.iter().for_each(|&x| {
                m.append(x);
            });
        }
        Op::ExtendFront(xs) => {
            d.extend_front(xs.iter().copied());
            xs.iter().for_each(|&x| {
                m.appendleft(x);
            });
        }
        Op::Insert(i, x) => prop_assert_eq!(
            d.insert(*i, *x).map_err(|e| e.into_inner()),
            m.insert(*i, *x)
        ),
        Op::Remove(i) => {
            let want = (*i < m.items.len()).then(|| m.items.remove(*i));
            prop_assert_eq!(d.remove(*i), want);
        }
        Op::RemoveFirst(x) => {
            let want = m
                .items
                .iter()
                .position(|y| y == x)
                .map(|i| m.items.remove(i));
            prop_assert_eq!(d.remove_first(x), want);
        }
        Op::Rotate(n) => {
            d.rotate(*n);
            m.rotate(*n);
        }
        Op::IndexOf(x, a, b) => prop_assert_eq!(d.index_of(x, *a..*b), m.index(*x, *a, *b)),
        Op::GetSigned(i) => {
            let n = m.items.len() as isize;
            let want = if *i >= n || *i < -n {
                None
            } else {
                m.items.get(i.rem_euclid(n.max(1)) as usize)
            };
            prop_assert_eq!(d.get_signed(*i), want);
        }
        Op::Truncate(n) => {
            d.truncate(*n);
            m.items.truncate(*n);
        }
        Op::TruncateFront(n) => {
            d.truncate_front(*n);
            let excess = m.items.len().saturating_sub(*n);
            m.items.drain(..excess);
        }
        Op::Drain(a, b, take) => {
            let len = m.items.len();
            let (a, b) = (*a.min(&len), (*b).min(len).max(*a.min(&len)));
            let want: Vec<i32> = m.items.drain(a..b).collect();
            let got: Vec<i32> = d.drain(a..b).take(*take).collect();
            prop_assert_eq!(&got[..], &want[..want.len().min(*take)]);
        }
        Op::Retain(k) => {
            d.retain(|x| x % k != 0);
            m.items.retain(|x| x % k != 0);
        }
        Op::Reverse => {
            d.reverse();
            m.items.reverse();
        }
        Op::MakeContiguous => {
            prop_assert_eq!(&d.make_contiguous()[..], &m.items[..]);
        }
        Op::Swap(i, j) => {
            // Out of range panics, as `VecDeque::swap` does.
            if *i < m.items.len() && *j < m.items.len() {
                d.swap(*i, *j);
                m.items.swap(*i, *j);
            }
        }
        Op::SwapRemoveBack(i) => {
            let want = (*i < m.items.len()).then(|| m.items.swap_remove(*i));
            prop_assert_eq!(d.swap_remove_back(*i), want);
        }
        Op::SwapRemoveFront(i) => {
            let want = (*i < m.items.len()).then(|| {
                m.items.swap(*i, 0);
                m.items.remove(0)
            });
            prop_assert_eq!(d.swap_remove_front(*i), want);
        }
        Op::Resize(n, x) => {
            d.resize(*n, *x);
            if *n <= m.items.len() {
                m.items.truncate(*n);
            } else {
                for _ in m.items.len()..*n {
                    m.append(*x);
                }
            }
        }
        Op::Range(a, b) => {
            let len = m.items.len();
            let (a, b) = ((*a).min(len), (*b).min(len).max((*a).min(len)));
            let want = &m.items[a..b];
            prop_assert!(d.range(a..b).eq(want.iter()));
            prop_assert!(d.range(a..b).rev().eq(want.iter().rev()));
            prop_assert_eq!(d.range(a..b).len(), want.len());
            // Unclamped bounds give the same.
            prop_assert!(d.range(a..len + 3).eq(m.items[a..].iter()));
            prop_assert!(d.range(..=b).eq(m.items[..(b + 1).min(len)].iter()));
        }
        Op::RangeMut(a, b) => {
            let len = m.items.len();
            let (a, b) = ((*a).min(len), (*b).min(len).max((*a).min(len)));
            d.range_mut(a..b).for_each(|x| *x += 100);
            m.items[a..b].iter_mut().for_each(|x| *x += 100);
        }
        Op::SetMaxlen(_) | Op::Clear | Op::Clone | Op::SplitOff(_) => {
            unreachable!("handled by the caller")
        }
    }
    Ok(())
}

/// Invariants checked after every operation.
fn check_state<S: leanmem::deque::Storage<i32>>(
    d: &Deque<i32, S>,
    m: &PyDeque,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(d.iter().copied().collect::<Vec<_>>(), m.items.clone());
    prop_assert_eq!(d.iter().rev().count(), m.items.len());
    prop_assert_eq!(d.len(), m.items.len());
    prop_assert_eq!(d.maxlen(), m.maxlen);
    let (a, b) = d.as_slices();
    prop_assert_eq!([a, b].concat(), m.items.clone());
    match d.maxlen() {
        Some(n) => prop_assert_eq!(d.capacity(), n),
        // Memory follows the live size: at most 4× plus the floor.
        None => prop_assert!(
            d.capacity() <= (4 * d.len() + 3).max(4),
            "capacity {} for len {}",
            d.capacity(),
            d.len()
        ),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Heap deques, bounded or not (maxlen changing on the way), against the
    /// model of Python's rules.
    #[test]
    fn heap_deque_follows_python(
        maxlen in prop::option::of(0usize..10),
        ops in prop::collection::vec(op(), 0..120),
    ) {
        let mut d: Deque<i32> = match maxlen {
            Some(n) => Deque::with_maxlen(n),
            None => Deque::new(),
        };
        let mut m = PyDeque { items: Vec::new(), maxlen };
        for op in &ops {
            match op {
                Op::SetMaxlen(n) => {
                    d.set_maxlen(*n);
                    m.set_maxlen(*n);
                }
                Op::Clear => {
                    d.clear();
                    m.items.clear();
                }
                Op::Clone => {
                    let c = d.clone();
                    prop_assert_eq!(c.maxlen(), d.maxlen());
                    d = c;
                }
                Op::SplitOff(at) => {
                    let back = d.split_off(*at);
                    let want = m.items.split_off((*at).min(m.items.len()));
                    prop_assert_eq!(back.iter().copied().collect::<Vec<_>>(), want);
                    prop_assert_eq!(back.maxlen(), d.maxlen());
                }
                op => apply(&mut d, &mut m, op)?,
            }
            check_state(&d, &m)?;
        }
        prop_assert_eq!(d.heap_size(), d.capacity() * 4);
    }

    /// Inline deques: always bounded to N.
    #[test]
    fn inline_deque_follows_python(ops in prop::collection::vec(op(), 0..120)) {
        let mut d: InlineDeque<i32, 5> = Deque::inline();
        let mut m = PyDeque { items: Vec::new(), maxlen: Some(5) };
        for op in &ops {
            match op {
                Op::SetMaxlen(_) => {}
                Op::Clear => {
                    d.clear();
                    m.items.clear();
                }
                Op::Clone => d = d.clone(),
                Op::SplitOff(at) => {
                    let back: InlineDeque<i32, 5> = d.split_off(*at);
                    let want = m.items.split_off((*at).min(m.items.len()));
                    prop_assert_eq!(back.iter().copied().collect::<Vec<_>>(), want);
                }
                op => apply(&mut d, &mut m, op)?,
            }
            check_state(&d, &m)?;
        }
    }

    /// Unbounded deques against std's `VecDeque`, with the std-named API.
    #[test]
    fn unbounded_deque_matches_vecdeque(ops in prop::collection::vec(
        prop_oneof![
            (0u8..6, any::<i16>()).prop_map(|(k, x)| (k, x)),
        ],
        0..300,
    )) {
        let mut d: Deque<i16> = Deque::new();
        let mut v: VecDeque<i16> = VecDeque::new();
        for (k, x) in ops {
            match k {
                0 => { d.push_back(x); v.push_back(x); }
                1 => { d.push_front(x); v.push_front(x); }
                2 => prop_assert_eq!(d.pop_front(), v.pop_front()),
                3 => prop_assert_eq!(d.pop_back(), v.pop_back()),
                4 => {
                    let i = x.unsigned_abs() as usize % (v.len() + 1);
                    prop_assert_eq!(d.get(i), v.get(i));
                    prop_assert_eq!(d.front(), v.front());
                    prop_assert_eq!(d.back(), v.back());
                }
                _ => {
                    let n = x.unsigned_abs() as usize % 8;
                    d.extend(std::iter::repeat_n(x, n));
                    v.extend(std::iter::repeat_n(x, n));
                }
            }
            prop_assert!(d.iter().eq(v.iter()));
            prop_assert!(d.iter().rev().eq(v.iter().rev()));
        }
        let back: VecDeque<i16> = d.into();
        prop_assert_eq!(back, v);
    }
}

proptest! {
    /// Binary search and partition point on sorted deques whose ring wraps
    /// at every place, against the slice functions on the same values.
    #[test]
    fn binary_search_on_a_wrapped_ring_matches_the_slice(
        mut values in prop::collection::vec(0i32..20, 0..24),
        wrap in 0usize..24,
        target in -1i32..21,
    ) {
        values.sort_unstable();
        // Bounded to the length, with `wrap` elements pushed and evicted
        // first: the values start `wrap` slots into the ring.
        let mut d = Deque::with_maxlen(values.len());
        d.extend(std::iter::repeat_n(-5, wrap % (values.len() + 1)));
        d.extend(values.iter().copied());
        prop_assert_eq!(d.iter().copied().collect::<Vec<_>>(), values.clone());
        let below = values.partition_point(|&x| x < target);
        prop_assert_eq!(d.partition_point(|&x| x < target), below);
        match d.binary_search(&target) {
            Ok(i) => prop_assert_eq!(d[i], target),
            Err(i) => {
                prop_assert!(!values.contains(&target));
                prop_assert_eq!(i, below);
            }
        }
        prop_assert_eq!(
            d.binary_search_by_key(&(target * 2), |&x| x * 2).is_ok(),
            values.contains(&target)
        );
    }
}

#[test]
#[should_panic(expected = "swap of 0 and 2 in a deque of 2 elements")]
fn swap_out_of_range_panics_as_vecdeque_does() {
    let mut d = Deque::from(vec![1, 2]);
    d.swap(0, 2);
}

/// `resize_with` on a bounded deque makes only the values that stay.
#[test]
fn resize_with_on_a_bounded_deque_makes_only_what_stays() {
    let mut d = Deque::with_maxlen(3);
    d.extend([1, 2]);
    let mut made = 0;
    d.resize_with(usize::MAX, || {
        made += 1;
        made * 10
    });
    assert_eq!((made, d), (3, Deque::from(vec![10, 20, 30])));
    let mut d = Deque::with_maxlen(4);
    d.extend([1, 2, 3]);
    d.resize_with(5, || 9);
    assert_eq!(d, [2, 3, 9, 9]);
}

/// A capacity floor is only a floor: `shrink_to(usize::MAX)` and
/// `with_capacity(usize::MAX)` keep a deque unbounded (`usize::MAX` once
/// doubled as the "bounded" mark), and `set_maxlen(None)` on an unbounded
/// deque changes nothing, its floor included.
#[test]
fn capacity_floors_never_bound_a_deque() {
    let mut d: Deque<String> = Deque::new();
    d.shrink_to(usize::MAX);
    assert_eq!(d.maxlen(), None);
    assert_eq!(d.push_back("kept".into()), None);
    assert_eq!(d, ["kept"]);
    let mut d: Deque<u32> = (1..=3).collect();
    d.shrink_to(usize::MAX);
    for x in 4..=10 {
        assert_eq!(d.push_back(x), None);
    }
    assert_eq!(d.len(), 10);
    assert_eq!(Deque::<()>::with_capacity(usize::MAX).maxlen(), None);

    let mut d: Deque<u64> = Deque::with_capacity(1000);
    d.push_back(1);
    d.set_maxlen(None);
    assert_eq!(d.capacity(), 1000);
    d.pop_front();
    assert_eq!(d.capacity(), 1000, "the floor set by with_capacity stays");
}
