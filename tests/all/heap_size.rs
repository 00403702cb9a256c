//! Every `HeapSize` implementation against the tracking allocator: a value
//! built inside `measure` leaves exactly its heap live, so the deep size must
//! equal the measured net bytes.

use std::borrow::Cow;
use std::collections::{BinaryHeap, HashMap, HashSet, VecDeque};
use std::ffi::{CString, OsString};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

use leanmem::measure::{HeapContext, HeapSize};
use proptest::prelude::*;

use crate::measured;

type HbMap<K, V> = hashbrown::HashMap<K, V, std::hash::RandomState>;
type HbSet<T> = hashbrown::HashSet<T, std::hash::RandomState>;

/// Builds a value under measurement and checks its deep size against the
/// allocator. Returns the value for further checks.
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
fn primitives_and_borrows_own_nothing() {
    assert_eq!(5u64.heap_size(), 0);
    assert_eq!('x'.heap_size(), 0);
    assert_eq!(().heap_size(), 0);
    let s = String::from("borrowed");
    assert_eq!(<&String as HeapSize>::heap_size(&&s), 0);
    assert_eq!(s.heap_size(), 8);
    assert_eq!("literal".heap_size(), 0);
    assert_eq!(std::time::Duration::from_secs(1).heap_size(), 0);
    assert_eq!(std::num::NonZeroU32::new(3).heap_size(), 0);
    assert_eq!(5u64.total_size(), 8);
}

#[test]
fn strings_count_capacity_not_length() {
    check("empty String", String::new);
    check("String::from", || String::from("hello, world"));
    let s = check("String with slack", || {
        let mut s = String::with_capacity(100);
        s.push_str("hi");
        s
    });
    assert_eq!(s.heap_size(), 100);
    check("String grown by pushes", || {
        let mut s = String::new();
        for _ in 0..1000 {
            s.push('é');
        }
        s
    });
    check("String shrunk", || {
        let mut s = String::with_capacity(1000);
        s.push_str("abc");
        s.shrink_to_fit();
        s
    });
    check("Box<str>", || Box::<str>::from("boxed str"));
    check("OsString", || OsString::from("an os string"));
    check("PathBuf", || {
        let mut p = PathBuf::from("/usr");
        p.push("share");
        p.push("doc");
        p
    });
    check("CString", || CString::new("c string").unwrap());
}

#[test]
fn vectors_count_capacity_and_elements() {
    check("empty Vec", Vec::<u64>::new);
    check("Vec<u8> with capacity", || Vec::<u8>::with_capacity(33));
    check("Vec<u64> grown", || (0..1000u64).collect::<Vec<_>>());
    check("Vec<()>", || vec![(); 1000]);
    check("Vec<String>", || {
        (0..100)
            .map(|i| format!("item number {i}"))
            .collect::<Vec<_>>()
    });
    check("Vec<Vec<u32>>", || {
        (0..50).map(|i| vec![i; i as usize]).collect::<Vec<_>>()
    });
    check("Vec<Option<Box<u64>>>", || {
        (0..64)
            .map(|i| (i % 3 == 0).then(|| Box::new(i)))
            .collect::<Vec<_>>()
    });
    check("Box<[String]>", || {
        (0..10)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .into_boxed_slice()
    });
    check("Box<[u32]>", || vec![1u32; 77].into_boxed_slice());
    check("VecDeque grown at both ends", || {
        let mut d = VecDeque::new();
        for i in 0..300 {
            d.push_front(i.to_string());
            d.push_back(String::new());
        }
        d
    });
    check("BinaryHeap", || (0..500u32).collect::<BinaryHeap<_>>());
    check("[String; 3]", || {
        [
            String::from("a"),
            String::from("bb"),
            String::with_capacity(9),
        ]
    });
}

#[test]
fn boxes_count_their_value() {
    check("Box<u64>", || Box::new(5u64));
    check("Box<()>", || Box::new(()));
    check("Box<String>", || Box::new(String::from("inner")));
    check("Box<Box<[u8; 3]>>", || Box::new(Box::new([1u8, 2, 3])));
    check("Option<String>", || Some(String::from("x")));
    check("Option<String> None", || None::<String>);
    let _ok = check("Result Ok", || Ok::<Vec<u8>, String>(vec![1, 2]));
    let _err = check("Result Err", || Err::<Vec<u8>, String>("bad".into()));
    check("tuple", || {
        (String::from("a"), vec![1u64; 3], 7u8, Box::new(1i16))
    });
    check("Cow owned", || Cow::<str>::Owned(String::from("owned")));
    let borrowed: Cow<'static, str> = check("Cow borrowed", || Cow::Borrowed("static"));
    assert_eq!(borrowed.heap_size(), 0);
}

#[test]
fn reference_counted_blocks_count_once() {
    check("Rc<u8>", || Rc::new(1u8));
    check("Rc<()>", || Rc::new(()));
    check("Arc<u128>", || Arc::new(1u128));
    check("Arc<str>", || Arc::<str>::from("shared text"));
    check("Rc<str>", || Rc::<str>::from("x"));
    check("Arc<[u64]>", || Arc::<[u64]>::from(vec![1, 2, 3]));
    check("Arc<[u8]> empty", || Arc::<[u8]>::from(Vec::new()));
    // `Default` hands out one static block for these: nothing allocated.
    check("Arc<str> default", Arc::<str>::default);
    check("Arc<[u64]> default", Arc::<[u64]>::default);
    check("Vec<Arc<str>> of defaults", || {
        (0..100).map(|_| Arc::<str>::default()).collect::<Vec<_>>()
    });
    check("Rc<[String]>", || {
        Rc::<[String]>::from(vec![String::from("a"), String::from("bcd")])
    });
    check("Arc<String>", || Arc::new(String::with_capacity(40)));
    // Ten handles to one block: counted once, and equal to the allocator.
    let handles = check("Vec<Arc<String>> sharing one block", || {
        let one = Arc::new(String::from("shared"));
        vec![one; 10]
    });
    // Each separate call counts the shared block again.
    let single = handles[0].heap_size();
    assert_eq!(single, 16 + 24 + 6);
    // One context across two values: the second sees it already counted.
    let mut cx = HeapContext::new();
    assert_eq!(handles[0].heap_size_with(&mut cx), single);
    assert_eq!(handles[1].heap_size_with(&mut cx), 0);
    check("Arc inside Arc", || {
        Arc::new(vec![Arc::new(5u32), Arc::new(6u32)])
    });
    let weak = Arc::downgrade(&handles[0]);
    assert_eq!(weak.heap_size(), 0);
}

#[test]
fn std_hash_maps_match_the_allocator_as_they_grow() {
    for n in [0usize, 1, 2, 3, 4, 7, 8, 14, 15, 28, 29, 100, 1000, 5000] {
        check(&format!("HashMap<u64, u64> of {n}"), || {
            (0..n as u64).map(|i| (i, i * 2)).collect::<HashMap<_, _>>()
        });
        check(&format!("HashMap<u8, u8> of {n}"), || {
            (0..n.min(256))
                .map(|i| (i as u8, 0u8))
                .collect::<HashMap<_, _>>()
        });
        check(&format!("HashSet<u16> of {n}"), || {
            (0..n as u16).collect::<HashSet<_>>()
        });
        check(&format!("HashMap<String, Vec<u8>> of {n}"), || {
            (0..n)
                .map(|i| (i.to_string(), vec![0u8; i % 7]))
                .collect::<HashMap<_, _>>()
        });
        check(&format!("HashMap<u64, [u8; 3]> by insert, {n}"), || {
            let mut m = HashMap::new();
            for i in 0..n as u64 {
                m.insert(i, [0u8; 3]);
            }
            m
        });
    }
    check("HashSet<()>", || [()].into_iter().collect::<HashSet<()>>());
    check("HashMap<u32, u128> (16-aligned)", || {
        (0..50u32)
            .map(|i| (i, u128::from(i)))
            .collect::<HashMap<_, _>>()
    });
}

#[test]
fn std_hash_maps_with_capacity_shrink_and_clear() {
    for cap in [1usize, 3, 5, 13, 100, 999] {
        check(&format!("HashMap::with_capacity({cap})"), || {
            HashMap::<u32, String>::with_capacity(cap)
        });
    }
    check("HashMap shrunk", || {
        let mut m: HashMap<u32, u32> = (0..1000).map(|i| (i, i)).collect();
        m.retain(|k, _| *k < 10);
        m.shrink_to_fit();
        m
    });
    check("HashMap cleared", || {
        let mut m: HashMap<u32, u32> = (0..1000).map(|i| (i, i)).collect();
        m.clear();
        m
    });
}

#[test]
fn std_hash_map_after_removals_is_a_lower_bound() {
    // Removing entries can leave tombstones that `capacity()` does not see;
    // the documented behaviour is a lower bound, never an overcount.
    for keep in [0u32, 1, 10, 100, 500] {
        let (m, measured_bytes) = measured(|| {
            let mut m: HashMap<u32, u64> = (0..1000).map(|i| (i, 0)).collect();
            m.retain(|k, _| *k < keep);
            m
        });
        assert!(m.heap_size() as isize <= measured_bytes.net_bytes);
    }
}

#[test]
fn hashbrown_tables_are_exact_even_after_removals() {
    for n in [0u32, 1, 3, 8, 100, 3000] {
        check(&format!("hashbrown::HashMap of {n}"), || {
            (0..n).map(|i| (i, i.to_string())).collect::<HbMap<_, _>>()
        });
        check(&format!("hashbrown::HashSet of {n}"), || {
            (0..n).collect::<HbSet<_>>()
        });
        check(&format!("hashbrown::HashMap of {n} after removals"), || {
            let mut m: HbMap<u32, u32> = (0..n).map(|i| (i, i)).collect();
            m.retain(|k, _| k % 3 == 0);
            m
        });
    }
    check("hashbrown::HashTable", || {
        let mut t = hashbrown::HashTable::new();
        for i in 0..100u64 {
            t.insert_unique(i, vec![0u8; 3], |_| 0);
        }
        t
    });
}

#[derive(Debug, Clone)]
enum Op {
    Push(u16),
    PushString(String),
    Pop,
    Reserve(u8),
    Shrink,
    Clear,
    Insert(u16, String),
    Remove(u16),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        any::<u16>().prop_map(Op::Push),
        ".{0,40}".prop_map(Op::PushString),
        Just(Op::Pop),
        any::<u8>().prop_map(Op::Reserve),
        Just(Op::Shrink),
        Just(Op::Clear),
        (0u16..64, ".{0,20}").prop_map(|(k, v)| Op::Insert(k, v)),
        (0u16..64).prop_map(Op::Remove),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any sequence of operations on std collections leaves their deep size
    /// equal to what the allocator holds for them.
    #[test]
    fn deep_size_tracks_any_sequence_of_operations(ops in prop::collection::vec(op(), 0..80)) {
        let ((v, d, s, hb), m) = measured(|| {
            let mut v: Vec<u16> = Vec::new();
            let mut d: VecDeque<String> = VecDeque::new();
            let mut s: Vec<String> = Vec::new();
            let mut hb: HbMap<u16, String> = HbMap::default();
            for op in &ops {
                match op {
                    Op::Push(x) => { v.push(*x); d.push_front(x.to_string()); }
                    Op::PushString(x) => { s.push(x.clone()); d.push_back(x.clone()); }
                    Op::Pop => { v.pop(); s.pop(); d.pop_front(); }
                    Op::Reserve(n) => { v.reserve(usize::from(*n)); s.reserve_exact(usize::from(*n)); d.reserve(usize::from(*n)); hb.reserve(usize::from(*n)); }
                    Op::Shrink => { v.shrink_to_fit(); s.shrink_to_fit(); d.shrink_to_fit(); hb.shrink_to_fit(); }
                    Op::Clear => { v.clear(); d.clear(); s.clear(); hb.clear(); }
                    Op::Insert(k, x) => { hb.insert(*k, x.clone()); }
                    Op::Remove(k) => { hb.remove(k); }
                }
            }
            (v, d, s, hb)
        });
        let deep = v.heap_size() + d.heap_size() + s.heap_size() + hb.heap_size();
        prop_assert_eq!(deep as isize, m.net_bytes);
    }

    /// std `HashMap` grown by inserts only is exact at every size.
    #[test]
    fn std_hash_map_insert_only_is_exact(keys in prop::collection::vec(any::<u32>(), 0..400)) {
        let (map, m) = measured(|| {
            let mut map = HashMap::new();
            for k in &keys {
                map.insert(*k, k.to_string());
            }
            map
        });
        prop_assert_eq!(map.heap_size() as isize, m.net_bytes);
    }
}
