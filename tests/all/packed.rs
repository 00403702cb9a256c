//! `packed`: deep sizes against the allocator, model tests against `Vec<T>`
//! for every element type and every width 0..=64, the serialized form read
//! back through the zero-copy views, and serde.

use leanmem::measure::HeapSize;
use leanmem::packed::{
    BLOCK_LEN, BlockPackedSlice, BlockPackedVec, PackedFormatError, PackedInt, PackedRangeError,
    PackedSetError, PackedSlice, PackedVec,
};
use proptest::prelude::*;

use crate::measured;

/// Builds a value under measurement and checks its deep size against the
/// allocator.
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
fn heap_size_matches_the_allocator() {
    check("empty", PackedVec::<u64>::new);
    let v = check("from_slice 20 bits", || {
        PackedVec::from_slice(
            &(0..10_000u64)
                .map(|i| i * 97 % (1 << 20))
                .collect::<Vec<_>>(),
        )
    });
    // The data words and the zero word after them.
    assert_eq!(v.heap_size(), ((10_000 * 20usize).div_ceil(64) + 1) * 8);
    check("pushed", || {
        let mut v = PackedVec::new();
        for i in 0..5000i32 {
            v.push(i * i - 3000);
        }
        v
    });
    let v = check("with_capacity", || PackedVec::<u32>::with_capacity(1000));
    assert_eq!(v.heap_size(), 1000 * 4 + 8);
    check("with_capacity then pushes", || {
        let mut v = PackedVec::<u32>::with_capacity(1000);
        for i in 0..1000 {
            v.push(i);
        }
        v
    });
    let v = check("shrunk", || {
        let mut v: PackedVec<u64> = (0..3000).collect();
        v.push(u64::MAX);
        v.pop();
        v.shrink_to_fit();
        v
    });
    assert_eq!(v.bit_width(), 12);
    assert_eq!(v.heap_size(), ((3000 * 12usize).div_ceil(64) + 1) * 8);
    check("extended", || {
        let mut v = PackedVec::from_slice(&[1i8, 2]);
        v.extend((0..500).map(|i| ((i % 200) - 100) as i8));
        v
    });
    check("from words", || {
        let words = PackedVec::from_slice(&[5u16; 333]).to_words();
        PackedVec::<u16>::from_words(&words).expect("valid")
    });
    let source = PackedVec::from_slice(&(0..777u32).collect::<Vec<_>>());
    check("clone", || source.clone());
    check("width 0", || PackedVec::from_slice(&[9u8; 10_000]));
    check("width 64", || PackedVec::from_slice(&[0, u64::MAX, 7]));
    let view = check("view", || source.as_slice());
    assert_eq!(view.heap_size(), 0);

    check("blocks empty", BlockPackedVec::<u64>::new);
    check("blocks from_slice", || {
        BlockPackedVec::from_slice(
            &(0..10_000u64)
                .map(|i| 1_700_000_000 + i * 2)
                .collect::<Vec<_>>(),
        )
    });
    check("blocks pushed", || {
        let mut v = BlockPackedVec::new();
        for i in 0..3000i64 {
            v.push(i * (i % 7) - 5);
        }
        v
    });
    check("blocks shrunk", || {
        let mut v = BlockPackedVec::new();
        for i in 0..3000u32 {
            v.push(i);
        }
        v.shrink_to_fit();
        v
    });
    check("blocks from words", || {
        let words = BlockPackedVec::from_slice(&[1u8, 2, 3]).to_words();
        BlockPackedVec::<u8>::from_words(&words).expect("valid")
    });
}

#[test]
fn bits_per_element_are_at_the_limit() {
    // Timestamps 1.7e9 + steps 0..=3: peers store 31 bits, the span needs 24.
    let mut t = 1_700_000_000u64;
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let series: Vec<u64> = (0..6_000_000)
        .map(|_| {
            t += crate::xorshift(&mut x) >> 62;
            t
        })
        .collect();
    let span = series.last().unwrap() - series[0];
    assert!(span > 1 << 23, "the dataset spans 24 bits");
    let flat = PackedVec::from_slice(&series);
    assert_eq!(flat.bit_width(), 24);
    let total = flat.heap_size() + std::mem::size_of_val(&flat);
    assert_eq!(
        flat.heap_size(),
        ((6_000_000 * 24usize).div_ceil(64) + 1) * 8
    );
    assert!(std::mem::size_of_val(&flat) <= 64);
    assert!(total * 8 <= 6_000_000 * 24 + 64 * 8);
    let blocks = BlockPackedVec::from_slice(&series);
    let bits = (blocks.heap_size() * 8) as f64 / series.len() as f64;
    assert!(bits <= 10.0, "{bits} bits per timestamp");
    assert_eq!(
        blocks.heap_size() * 8,
        (blocks.bits_per_value() * 6e6).round() as usize
    );
}

/// A value of the frame `base .. base + 2^width` (clamped to the type), or
/// one of the type's extremes.
fn value<T: PackedInt>(base: T, width: u32, raw: u64, pick: u8) -> T {
    match pick % 16 {
        0 => T::MIN,
        1 => T::MAX,
        _ => {
            let m = if width == 0 {
                0
            } else {
                u64::MAX >> (64 - width)
            };
            let k = base.to_key().saturating_add(raw & m).min(T::MAX.to_key());
            T::from_key(k)
        }
    }
}

#[derive(Debug, Clone)]
enum Op {
    Push(u64, u8),
    TryPush(u64, u8),
    Set(usize, u64, u8),
    TrySet(usize, u64, u8),
    Pop,
    Truncate(usize),
    Clear,
    Shrink,
    Extend(Vec<(u64, u8)>),
    Reserve(u8),
}

fn op() -> impl Strategy<Value = Op> {
    let v = || (any::<u64>(), any::<u8>());
    prop_oneof![
        6 => v().prop_map(|(r, p)| Op::Push(r, p)),
        3 => v().prop_map(|(r, p)| Op::TryPush(r, p)),
        3 => (any::<usize>(), v()).prop_map(|(i, (r, p))| Op::Set(i, r, p)),
        3 => (any::<usize>(), v()).prop_map(|(i, (r, p))| Op::TrySet(i, r, p)),
        1 => Just(Op::Pop),
        1 => any::<usize>().prop_map(Op::Truncate),
        1 => Just(Op::Clear),
        1 => Just(Op::Shrink),
        1 => prop::collection::vec(v(), 0..150).prop_map(Op::Extend),
        1 => any::<u8>().prop_map(Op::Reserve),
    ]
}

/// Checks every read of `v` against the model.
fn assert_same<T: PackedInt>(v: &PackedVec<T>, model: &[T]) -> Result<(), TestCaseError> {
    prop_assert_eq!(v.len(), model.len());
    prop_assert_eq!(v.is_empty(), model.is_empty());
    prop_assert_eq!(&v.to_vec(), model);
    prop_assert!(v.bit_width() <= T::BITS);
    let (lo, hi) = (*v.frame().start(), *v.frame().end());
    prop_assert!(
        model.iter().all(|&x| lo <= x && x <= hi),
        "frame {lo}..={hi}"
    );
    for (i, &x) in model.iter().enumerate() {
        prop_assert_eq!(v.get(i), Some(x));
    }
    prop_assert_eq!(v.get(model.len()), None);
    prop_assert_eq!(v.first(), model.first().copied());
    prop_assert_eq!(v.last(), model.last().copied());
    prop_assert_eq!(
        v.iter().rev().collect::<Vec<_>>(),
        model.iter().rev().copied().collect::<Vec<_>>()
    );
    prop_assert_eq!(v.iter().len(), model.len());
    let model_sum: i128 = model.iter().map(|&x| x.to_i128()).sum();
    prop_assert_eq!(v.sum(), model_sum);
    prop_assert_eq!(v.iter().map(PackedInt::to_i128).sum::<i128>(), model_sum);
    prop_assert_eq!(v.min(), model.iter().copied().min());
    prop_assert_eq!(v.max(), model.iter().copied().max());
    prop_assert_eq!(v, &model.to_vec());
    // The serialized form, read back without copying and with.
    let words = v.to_words();
    let view =
        PackedSlice::<T>::from_words(&words).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(view.to_vec(), model);
    prop_assert_eq!(view, v.as_slice());
    prop_assert_eq!(
        &PackedVec::<T>::from_le_bytes(&v.to_le_bytes()).expect("valid"),
        v
    );
    Ok(())
}

fn run_model<T: PackedInt>(
    width: u32,
    base: T,
    fixed: bool,
    ops: &[Op],
) -> Result<(), TestCaseError> {
    let width = width.min(T::BITS);
    let mut v = if fixed {
        let hi = value(base, width, u64::MAX, 2);
        PackedVec::with_range(base..=hi)
    } else {
        PackedVec::new()
    };
    let mut model: Vec<T> = Vec::new();
    for op in ops {
        match *op {
            Op::Push(r, p) => {
                let x = value(base, width, r, p);
                v.push(x);
                model.push(x);
            }
            Op::TryPush(r, p) => {
                let x = value(base, width, r, p);
                let frame = v.frame();
                let before = v.clone();
                match v.try_push(x) {
                    Ok(()) => {
                        prop_assert!(frame.contains(&x));
                        model.push(x);
                    }
                    Err(e) => {
                        prop_assert!(!frame.contains(&x));
                        prop_assert_eq!(e, PackedRangeError::clone(&e));
                        prop_assert_eq!(e.into_value(), x);
                        prop_assert_eq!(e.range(), frame);
                        prop_assert_eq!(&v, &before);
                        prop_assert_eq!(v.bit_width(), before.bit_width());
                    }
                }
            }
            Op::Set(i, r, p) => {
                let x = value(base, width, r, p);
                let i = if model.is_empty() {
                    i
                } else {
                    i % (model.len() + 1)
                };
                let old = v.set(i, x);
                prop_assert_eq!(old, model.get(i).copied());
                if let Some(slot) = model.get_mut(i) {
                    *slot = x;
                }
            }
            Op::TrySet(i, r, p) => {
                let x = value(base, width, r, p);
                let i = if model.is_empty() {
                    i
                } else {
                    i % (model.len() + 1)
                };
                let frame = v.frame();
                let before = v.clone();
                match v.try_set(i, x) {
                    Ok(old) => {
                        prop_assert_eq!(Some(old), model.get(i).copied());
                        model[i] = x;
                    }
                    Err(PackedSetError::IndexOutOfBounds { index, len }) => {
                        prop_assert_eq!((index, len), (i, model.len()));
                        prop_assert!(i >= model.len());
                        prop_assert_eq!(&v, &before);
                    }
                    Err(PackedSetError::OutOfRange(e)) => {
                        prop_assert!(i < model.len());
                        prop_assert!(!frame.contains(&x));
                        prop_assert_eq!(e.value(), x);
                        prop_assert_eq!(&v, &before);
                        prop_assert_eq!(v.frame(), frame);
                    }
                    Err(e) => return Err(TestCaseError::fail(format!("unexpected {e}"))),
                }
            }
            Op::Pop => prop_assert_eq!(v.pop(), model.pop()),
            Op::Truncate(n) => {
                let n = n % (model.len() + 2);
                v.truncate(n);
                model.truncate(n);
            }
            Op::Clear => {
                let frame = v.frame();
                v.clear();
                model.clear();
                prop_assert_eq!(v.frame(), frame);
            }
            Op::Shrink => {
                v.shrink_to_fit();
                if let (Some(lo), Some(hi)) = (model.iter().min(), model.iter().max()) {
                    let span = hi.to_key() - lo.to_key();
                    prop_assert_eq!(v.bit_width(), 64 - span.leading_zeros());
                }
                // Exactly the data words, and the zero word after them.
                let data = v.as_slice().as_words().len();
                prop_assert_eq!(v.heap_size(), (data + usize::from(data > 0)) * 8);
            }
            Op::Extend(ref xs) => {
                let xs: Vec<T> = xs.iter().map(|&(r, p)| value(base, width, r, p)).collect();
                v.extend(xs.iter());
                model.extend(xs);
            }
            Op::Reserve(n) => {
                v.reserve(usize::from(n));
                prop_assert!(v.capacity() >= model.len() + usize::from(n));
            }
        }
        assert_same(&v, &model)?;
    }
    // A fresh build packs at exactly the span's width.
    let fresh = PackedVec::from_slice(&model);
    if let (Some(lo), Some(hi)) = (model.iter().min(), model.iter().max()) {
        prop_assert_eq!(
            fresh.bit_width(),
            64 - (hi.to_key() - lo.to_key()).leading_zeros()
        );
    }
    prop_assert_eq!(&fresh, &v);
    prop_assert_eq!(fresh.clone().into_iter().collect::<Vec<_>>(), model.clone());
    let mut chunked = Vec::new();
    fresh.for_each_chunk(|start, c| {
        assert_eq!(start, chunked.len());
        chunked.extend_from_slice(c);
    });
    prop_assert_eq!(chunked, model.clone());

    // The block variant, built both ways, agrees too.
    let blocks = BlockPackedVec::from_slice(&model);
    let mut pushed = BlockPackedVec::new();
    pushed.extend(model.iter());
    prop_assert_eq!(&blocks, &pushed);
    prop_assert_eq!(blocks.to_words(), pushed.to_words());
    // Cut back, it is the vector of the values kept, word for word, and
    // grows back into the whole.
    let n = model.len();
    for cut in [0, n / 3, n.saturating_sub(1), n / BLOCK_LEN * BLOCK_LEN, n] {
        let mut t = blocks.clone();
        t.truncate(cut);
        prop_assert_eq!(t.len(), cut);
        prop_assert_eq!(
            t.to_words(),
            BlockPackedVec::from_slice(&model[..cut]).to_words()
        );
        t.extend(model[cut..].iter());
        prop_assert_eq!(t.to_words(), blocks.to_words());
    }
    let mut popped = blocks.clone();
    for (i, &x) in model.iter().enumerate().rev().take(300) {
        prop_assert_eq!(popped.pop(), Some(x));
        prop_assert_eq!(popped.len(), i);
    }
    prop_assert_eq!(
        popped.to_words(),
        BlockPackedVec::from_slice(&model[..n.saturating_sub(300)]).to_words()
    );
    if n <= 300 {
        prop_assert_eq!(popped.pop(), None);
    }
    prop_assert_eq!(blocks.to_vec(), model.clone());
    for (i, &x) in model.iter().enumerate() {
        prop_assert_eq!(blocks.get(i), Some(x));
    }
    prop_assert_eq!(blocks.get(model.len()), None);
    prop_assert_eq!(
        blocks.iter().rev().collect::<Vec<_>>(),
        model.iter().rev().copied().collect::<Vec<_>>()
    );
    prop_assert_eq!(
        blocks.sum(),
        model.iter().map(|&x| x.to_i128()).sum::<i128>()
    );
    prop_assert_eq!(blocks.min(), model.iter().copied().min());
    prop_assert_eq!(blocks.max(), model.iter().copied().max());
    let words = blocks.to_words();
    let view = BlockPackedSlice::<T>::from_words(&words)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(view.to_vec(), model.clone());
    prop_assert_eq!(
        &BlockPackedVec::<T>::from_le_bytes(&blocks.to_le_bytes()).expect("valid"),
        &blocks
    );
    #[cfg(feature = "serde")]
    {
        let json = serde_json::to_string(&fresh).expect("serializes");
        let back: PackedVec<T> = serde_json::from_str(&json).expect("deserializes");
        prop_assert_eq!(&back, &fresh);
        let json = serde_json::to_string(&blocks).expect("serializes");
        let back: BlockPackedVec<T> = serde_json::from_str(&json).expect("deserializes");
        prop_assert_eq!(&back, &blocks);
    }
    Ok(())
}

/// 48 cases per element type, or `PROPTEST_CASES` (CI lowers it under
/// valgrind).
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(48)
}

macro_rules! model_tests {
    ($($name:ident: $t:ty),* $(,)?) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(cases()))]
            $(
                #[test]
                fn $name(
                    width in 0u32..=64,
                    base in any::<$t>(),
                    fixed in any::<bool>(),
                    ops in prop::collection::vec(op(), 0..40),
                ) {
                    run_model::<$t>(width, base, fixed, &ops)?;
                }
            )*
        }
    };
}

model_tests!(
    model_u8: u8,
    model_u16: u16,
    model_u32: u32,
    model_u64: u64,
    model_i8: i8,
    model_i16: i16,
    model_i32: i32,
    model_i64: i64,
);

/// Every width 0..=64 with the extremes of `u64` and `i64`, deterministic.
/// `PackedVec::get` reads 8 bytes at a field with no bounds check, relying
/// on the zero word every `PackedVec` keeps after its data words: the last
/// fields of vectors of every width and of lengths around word boundaries,
/// built, grown, re-packed (across the 57-bit limit of that read, both
/// ways) and shrunk by every path, read right (and, under valgrind in
/// `.ci/run`, read nothing outside the allocation), and every path leaves
/// the heap `from_slice` would.
#[test]
fn get_reads_the_last_fields_of_every_layout() {
    fn check_all(v: &PackedVec<u64>, vals: &[u64], what: &str) {
        for (i, &x) in vals.iter().enumerate() {
            assert_eq!(v.get(i), Some(x), "{what}: index {i} of {}", vals.len());
        }
        assert_eq!(v.get(vals.len()), None, "{what}");
        let mut exact = v.clone();
        exact.shrink_to_fit();
        let mut want = PackedVec::from_slice(vals);
        want.shrink_to_fit();
        assert_eq!(exact.heap_size(), want.heap_size(), "{what}: heap");
    }
    for width in 0..=64u32 {
        let m = if width == 0 {
            0
        } else {
            u64::MAX >> (64 - width)
        };
        for len in (1..=10).chain([63, 64, 65, 127, 128, 129]) {
            let vals: Vec<u64> = (0..len as u64)
                .map(|i| (i.wrapping_mul(0x9E37_79B9_7F4A_7C15) | ((i & 1) * m)) & m)
                .collect();
            let built = PackedVec::from_slice(&vals);
            let mut ranged = PackedVec::with_range(0..=m);
            for &x in &vals {
                ranged.try_push(x).expect("in range");
            }
            let mut pushed = PackedVec::new();
            for &x in &vals {
                pushed.push(x);
            }
            let mut reserved = PackedVec::<u64>::with_capacity(3);
            reserved.reserve(len);
            reserved.extend(vals.iter().copied());
            let words = built.to_words();
            let viewed = PackedVec::from(PackedSlice::<u64>::from_words(&words).expect("valid"));
            let read = PackedVec::<u64>::from_le_bytes(&built.to_le_bytes()).expect("valid");
            assert_eq!(
                read.heap_size(),
                built.heap_size(),
                "read back: width {width}"
            );
            let mut extended = PackedVec::from_slice(&vals[..1]);
            extended.extend(vals[1..].iter().copied());
            // Re-packs by `set`: every field widened to 64 bits, then back.
            let mut widened = built.clone();
            let last = len - 1;
            widened.set(last, u64::MAX);
            widened.set(0, 0);
            let mut wide_vals = vals.clone();
            wide_vals[last] = u64::MAX;
            wide_vals[0] = 0;
            check_all(&widened, &wide_vals, "widened by set");
            widened.set(last, vals[last]);
            widened.set(0, vals[0]);
            widened.shrink_to_fit();
            for (v, what) in [
                (&built, "from_slice"),
                (&ranged, "try_push"),
                (&pushed, "push"),
                (&reserved, "reserve + extend"),
                (&viewed, "from a view"),
                (&read, "from_le_bytes"),
                (&extended, "extend"),
                (&widened, "set to 64 bits and back"),
            ] {
                check_all(v, &vals, &format!("{what}, width {width}, len {len}"));
                let mut shorter = v.clone();
                shorter.truncate(len / 2);
                shorter.shrink_to_fit();
                check_all(&shorter, &vals[..len / 2], &format!("{what} truncated"));
                shorter.clear();
                assert_eq!(shorter.get(0), None);
            }
        }
    }
}

/// `sum` adds fields in `u64` lanes and moves them to an `i128` before they
/// can overflow: all-maximum fields over many groups, at the widths where
/// that happens after a few groups, must still sum exactly.
#[test]
fn sum_of_maximal_fields_does_not_overflow_its_lanes() {
    for width in (1..=64u32).rev().take(16).chain([0, 1, 7, 20, 32]) {
        let m = if width == 0 {
            0
        } else {
            u64::MAX >> (64 - width)
        };
        for n in [64 * 40, 64 * 40 + 5] {
            let vals: Vec<u64> = std::iter::once(0)
                .chain(std::iter::repeat_n(m, n))
                .collect();
            let v = PackedVec::from_slice(&vals);
            assert_eq!(v.bit_width(), width);
            let want = i128::from(m) * n as i128;
            assert_eq!(v.sum(), want, "width {width} n {n}");
            assert_eq!(v.as_slice().sum(), want, "width {width} n {n}");
            // Every block of the block variant at full width too: 0 and the
            // maximum alternate.
            let alternating: Vec<u64> = (0..n as u64).map(|i| (i & 1) * m).collect();
            let blocks = BlockPackedVec::from_slice(&alternating);
            let want = i128::from(m) * (n / 2) as i128;
            assert_eq!(blocks.sum(), want, "blocks, width {width} n {n}");
        }
    }
}

#[test]
fn every_width_round_trips_with_extremes() {
    for width in 0..=64u32 {
        let m = if width == 0 {
            0
        } else {
            u64::MAX >> (64 - width)
        };
        for base in [0u64, (u64::MAX - m).min(1), u64::MAX - m] {
            let vals: Vec<u64> = (0..300u64)
                .map(|i| base + (i.wrapping_mul(0x9E37_79B9_7F4A_7C15) & m))
                .chain([base, base + m])
                .collect();
            let v = PackedVec::from_slice(&vals);
            assert_eq!(v.bit_width(), width, "width {width} base {base}");
            assert_eq!(v.to_vec(), vals);
            assert_eq!(v.sum(), vals.iter().map(|&x| i128::from(x)).sum::<i128>());
            let words = v.to_words();
            assert_eq!(
                PackedSlice::<u64>::from_words(&words).unwrap().to_vec(),
                vals
            );
        }
        let signed: Vec<i64> = (0..300u64)
            .map(|i| i64::MIN.wrapping_add((i.wrapping_mul(0x2545_F491_4F6C_DD1D) & m) as i64))
            .chain([i64::MIN, i64::MIN.wrapping_add(m as i64)])
            .collect();
        let v = PackedVec::from_slice(&signed);
        assert_eq!(v.bit_width(), width);
        assert_eq!(v.min_value(), i64::MIN);
        assert_eq!(v.to_vec(), signed);
        let b = BlockPackedVec::from_slice(&signed);
        assert_eq!(b.to_vec(), signed);
    }
}

#[test]
fn views_reject_truncated_and_corrupt_words_without_panicking() {
    let v: PackedVec<i32> = (-1000..1000).collect();
    let words = v.to_words();
    for cut in 0..words.len() {
        assert!(
            PackedSlice::<i32>::from_words(&words[..cut]).is_err(),
            "cut {cut}"
        );
    }
    let b: BlockPackedVec<i32> = (-1000..1000).map(|x| x * x).collect();
    let words = b.to_words();
    for cut in 0..words.len() {
        assert!(
            BlockPackedSlice::<i32>::from_words(&words[..cut]).is_err(),
            "cut {cut}"
        );
    }
    // Flip every bit of every header word: an error or a view whose reads
    // stay in bounds.
    for w in 0..3 + 2 * b.block_count() {
        for bit in 0..64 {
            let mut bad = words.clone();
            bad[w] ^= 1 << bit;
            if let Ok(view) = BlockPackedSlice::<i32>::from_words(&bad) {
                assert_eq!(view.len(), view.iter().count());
                let _ = view.sum();
            }
        }
    }
}

/// A width-0 view stores no data words, so its header may claim any
/// length: more than `isize::MAX` values is an error (as for a `Vec`), and
/// up to that `sum` is exact.
#[test]
fn width_zero_views_claim_at_most_isize_max_values() {
    let mut words = PackedVec::from_slice(&[u64::MAX; 3]).to_words();
    assert_eq!(words.len(), 3, "header only");
    words[1] = u64::MAX;
    assert_eq!(
        PackedSlice::<u64>::from_words(&words),
        Err(PackedFormatError::LengthOverflow)
    );
    words[1] = isize::MAX as u64;
    let view = PackedSlice::<u64>::from_words(&words).expect("isize::MAX values");
    assert_eq!(
        view.sum(),
        i128::from(u64::MAX) * i128::from(isize::MAX as u64)
    );
    assert_eq!(view.get(isize::MAX as usize - 1), Some(u64::MAX));
    let mut words = BlockPackedVec::from_slice(&[7u8; 3]).to_words();
    words[1] = u64::MAX;
    assert_eq!(
        BlockPackedSlice::<u8>::from_words(&words).map(|v| v.len()),
        Err(PackedFormatError::LengthOverflow)
    );
}

/// A vector read from such a view holds `isize::MAX` values in no words;
/// growing it past that bound panics (as a `Vec` would) and leaves it as
/// it was. Pushes took it past before, to a `sum` that overflowed its
/// `i128` (a panic in debug builds, a wrong total in release ones).
#[test]
fn width_zero_vectors_grow_to_at_most_isize_max_values() {
    let mut words = PackedVec::from_slice(&[u64::MAX; 3]).to_words();
    words[1] = isize::MAX as u64;
    let mut v = PackedVec::<u64>::from_words(&words).expect("isize::MAX values");
    type Grow = fn(&mut PackedVec<u64>);
    let grows: [(&str, Grow); 4] = [
        ("push", |v| v.push(u64::MAX)),
        ("try_push", |v| v.try_push(u64::MAX).expect("in the frame")),
        ("extend", |v| v.extend([u64::MAX; 2])),
        ("reserve", |v| v.reserve(1)),
    ];
    for (what, grow) in grows {
        let grown = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| grow(&mut v)));
        assert!(grown.is_err(), "{what} passed isize::MAX values");
        assert_eq!(v.len(), isize::MAX as usize, "{what}");
    }
    assert_eq!(
        v.sum(),
        i128::from(u64::MAX) * i128::from(isize::MAX as u64)
    );
    assert_eq!(v.pop(), Some(u64::MAX));
    v.push(u64::MAX);
    assert_eq!(v.len(), isize::MAX as usize);
}

#[cfg(feature = "serde")]
#[test]
fn serde_rejects_bad_words() {
    let json = serde_json::to_string(&PackedVec::from_slice(&[1u8, 2])).unwrap();
    assert!(json.starts_with("{\"words\":["));
    assert!(serde_json::from_str::<PackedVec<u16>>(&json).is_err());
    assert!(serde_json::from_str::<PackedVec<u8>>("{\"words\":[1,2,3]}").is_err());
    assert!(serde_json::from_str::<BlockPackedVec<u8>>(&json).is_err());
}
