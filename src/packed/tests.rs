//! Unit tests: the kernels against a bit-by-bit model, frames at the edges
//! of every type, re-packing, and the serialized form.

use super::bits::{self, GROUP};
use super::int::{PackedInt, frame_base, mask, width_for};
use super::*;

/// A slow, obviously right field reader: bit by bit.
fn model_field(words: &[u64], width: u32, i: usize) -> u64 {
    let mut v = 0u64;
    for k in 0..width as usize {
        let bit = i * width as usize + k;
        if words[bit / 64] >> (bit % 64) & 1 == 1 {
            v |= 1 << k;
        }
    }
    v
}

/// Deterministic pseudo-random words (splitmix64).
fn words(seed: u64, n: usize) -> Vec<u64> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = s;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        })
        .collect()
}

#[test]
fn kernels_agree_with_the_bit_model_at_every_width() {
    for width in 0..=64u32 {
        let w = width as usize;
        let src = words(u64::from(width), 3 * w + 1);
        let m = mask(width);
        // read
        for i in 0..(3 * GROUP) {
            assert_eq!(
                bits::read(&src, width, m, i),
                model_field(&src, width, i),
                "read w={width} i={i}"
            );
        }
        // unpack each full group
        let unpack = bits::unpacker(width);
        let mut out = [0u64; GROUP];
        for g in 0..3 {
            unpack(&src[g * w..], &mut out);
            for (j, &f) in out.iter().enumerate() {
                assert_eq!(
                    f,
                    model_field(&src, width, g * GROUP + j),
                    "unpack w={width} g={g} j={j}"
                );
            }
        }
        // pack is unpack's inverse
        let mut fields = [0u64; GROUP];
        fields.copy_from_slice(&words(99 + u64::from(width), GROUP));
        for f in &mut fields {
            *f &= m;
        }
        let mut packed = vec![u64::MAX; w + 1];
        bits::packer(width)(&fields, &mut packed);
        assert_eq!(packed[w], u64::MAX, "pack wrote past its {w} words");
        let mut back = [1u64; GROUP];
        unpack(&packed, &mut back);
        assert_eq!(back, fields, "pack/unpack w={width}");
        // write then read, over garbage
        let mut dst = words(7, 2 * w + 2);
        for (i, &f) in fields.iter().enumerate() {
            bits::write(&mut dst, width, m, i, f);
        }
        for (i, &f) in fields.iter().enumerate() {
            assert_eq!(bits::read(&dst, width, m, i), f, "write w={width} i={i}");
        }
    }
}

#[test]
fn reads_past_the_end_are_zero_not_panics() {
    let w = [u64::MAX];
    assert_eq!(bits::read(&w, 64, u64::MAX, 1), 0);
    assert_eq!(bits::read(&w, 40, mask(40), 1), mask(24));
    assert_eq!(bits::read(&[], 0, 0, 1_000), 0);
}

#[test]
fn keys_preserve_order_and_round_trip() {
    fn check<T: PackedInt>(vals: &[T]) {
        for w in vals.windows(2) {
            assert!(w[0] < w[1]);
            assert!(w[0].to_key() < w[1].to_key());
        }
        for &v in vals {
            assert_eq!(T::from_key(v.to_key()), v);
            assert_eq!(T::from_word(v.to_word()), Some(v));
            assert_eq!(T::truncate_word(v.to_word()), v);
        }
        assert_eq!(T::MIN.to_key(), 0);
        assert_eq!(T::MAX.to_key(), mask(T::BITS));
    }
    check(&[i8::MIN, -1, 0, 1, i8::MAX]);
    check(&[i16::MIN, -300, 0, 300, i16::MAX]);
    check(&[i32::MIN, -1, 0, i32::MAX]);
    check(&[i64::MIN, -1, 0, i64::MAX]);
    check(&[0u8, 1, u8::MAX]);
    check(&[0u16, u16::MAX]);
    check(&[0u32, u32::MAX]);
    check(&[0u64, 1 << 63, u64::MAX]);
    assert_eq!(u8::from_word(256), None);
    assert_eq!(i16::from_word(1 << 15), None);
}

#[test]
fn widths_are_exact() {
    assert_eq!(width_for(0), 0);
    assert_eq!(width_for(1), 1);
    assert_eq!(width_for(2), 2);
    assert_eq!(width_for(255), 8);
    assert_eq!(width_for(256), 9);
    assert_eq!(width_for(u64::MAX), 64);
    for (vals, w) in [
        (&[5u64, 5][..], 0),
        (&[0, 1], 1),
        (&[10, 13], 2),
        (&[0, 1 << 20], 21),
        (&[0, u64::MAX], 64),
    ] {
        assert_eq!(PackedVec::from_slice(vals).bit_width(), w, "{vals:?}");
    }
}

#[test]
fn frames_never_run_past_the_type() {
    // span 27 needs 5 bits; 100 + 31 would pass i8::MAX, so the base moves down.
    let v = PackedVec::from_slice(&[100i8, 127]);
    assert_eq!(v.bit_width(), 5);
    assert_eq!(v.frame(), 96..=127);
    assert_eq!(v.to_vec(), [100, 127]);
    assert_eq!(frame_base::<u8>(250, 255, 3, false), 248);
    assert_eq!(frame_base::<u8>(3, 5, 4, true), 0);
    assert_eq!(frame_base::<u8>(30, 50, 6, true), 0);
    assert_eq!(frame_base::<u8>(100, 110, 6, true), 47);
    // A value below a frame pushed at the top of the type cannot wrap in.
    let mut v = PackedVec::from_slice(&[120i8, 127]);
    assert!(v.try_push(-128).is_err());
    v.push(-128);
    assert_eq!(v.to_vec(), [120, 127, -128]);
    assert_eq!(v.min(), Some(-128));
    assert_eq!(v.max(), Some(127));
}

#[test]
fn push_repacks_and_widens_at_most_once_per_bit() {
    let mut v = PackedVec::<u64>::new();
    let mut widths = Vec::new();
    for i in 0..5000u64 {
        v.push(i);
        if widths.last() != Some(&v.bit_width()) {
            widths.push(v.bit_width());
        }
    }
    assert_eq!(widths, (0..=13).collect::<Vec<_>>());
    assert_eq!(v.to_vec(), (0..5000).collect::<Vec<_>>());
    // Descending: room is made below, a width at a time.
    let mut v = PackedVec::<i32>::new();
    let mut repacks = 0;
    let mut last = (v.bit_width(), v.min_value());
    for i in 0..5000 {
        v.push(-i);
        if (v.bit_width(), v.min_value()) != last {
            repacks += 1;
            last = (v.bit_width(), v.min_value());
        }
    }
    assert!(repacks <= 14, "{repacks} re-packs");
    assert_eq!(v.to_vec(), (0..5000).map(|i| -i).collect::<Vec<_>>());
    v.shrink_to_fit();
    assert_eq!((v.bit_width(), v.min_value()), (13, -4999));
}

#[test]
fn pushes_on_both_sides_stay_within_a_bit_of_the_span() {
    // A re-pack that gives all the frame's room to the misfit's side makes
    // the next record at the other end cost one more bit: a zigzag 0, 1,
    // −1, 2, −2 … ±32 (a 7-bit span) ended at 64 bits that way. (Random
    // values, checked too, stayed within a bit before the fix as well.)
    fn check<T: PackedInt>(vals: &[T], what: &str) {
        // The narrowest width of the first `i + 1` values.
        let (mut lo, mut hi) = (vals[0], vals[0]);
        let need: Vec<u32> = vals
            .iter()
            .map(|&x| {
                (lo, hi) = (lo.min(x), hi.max(x));
                width_for(hi.to_key() - lo.to_key())
            })
            .collect();
        let mut v = PackedVec::<T>::new();
        for (i, &x) in vals.iter().enumerate() {
            v.push(x);
            let n = need[i];
            assert!(
                v.bit_width() <= n + 1,
                "{what}: push {i}: width {} for a {n}-bit span",
                v.bit_width()
            );
        }
        assert_eq!(v.to_vec(), vals, "{what}");
        let mut e = PackedVec::<T>::new();
        for (i, chunk) in vals.chunks(7).enumerate() {
            e.extend(chunk);
            let n = need[e.len() - 1];
            assert!(
                e.bit_width() <= n + 1,
                "{what}: extend {i}: width {} for a {n}-bit span",
                e.bit_width()
            );
        }
        assert_eq!(e.to_vec(), vals, "{what}");
    }
    let zigzag: Vec<i64> = std::iter::once(0)
        .chain((1..=32).flat_map(|i| [i, -i]))
        .collect();
    check(&zigzag, "zigzag");
    // Out to both ends of the type, where the frame cannot be centred.
    let edges: Vec<u8> = (0..128).flat_map(|i| [128 + i, 127 - i]).collect();
    check(&edges, "u8 zigzag to both ends");
    let random: Vec<u32> = words(5, 5000).iter().map(|&w| (w >> 44) as u32).collect();
    check(&random, "random 20-bit");
    let random: Vec<i64> = words(6, 5000).iter().map(|&w| (w as i64) >> 23).collect();
    check(&random, "random 41-bit signed");
}

#[test]
fn width_zero_and_width_64() {
    let v = PackedVec::from_slice(&[7u32; 1000]);
    assert_eq!(v.bit_width(), 0);
    assert!(v.as_slice().as_words().is_empty());
    assert_eq!(v.get(999), Some(7));
    assert_eq!(v.sum(), 7000);
    assert_eq!(v.iter().filter(|&x| x == 7).count(), 1000);
    let vals = [i64::MIN, i64::MAX, 0, -1, 1];
    let v = PackedVec::from_slice(&vals);
    assert_eq!(v.bit_width(), 64);
    assert_eq!(v.to_vec(), vals);
    assert_eq!(v.sum(), vals.iter().map(|&x| i128::from(x)).sum::<i128>());
    assert_eq!((v.min(), v.max()), (Some(i64::MIN), Some(i64::MAX)));
}

#[test]
fn iterator_mixes_ends_and_folds() {
    let vals: Vec<u32> = (0..1000).map(|i| i * 7 % 1013).collect();
    let v = PackedVec::from_slice(&vals);
    let mut it = v.iter();
    let mut model = vals.iter().copied();
    for step in 0..1000 {
        let (a, b) = if step % 3 == 0 {
            (it.next_back(), model.next_back())
        } else {
            (it.next(), model.next())
        };
        assert_eq!(a, b);
        assert_eq!(it.len(), model.len());
    }
    assert_eq!(it.next(), None);
    let it = v.iter().skip(70);
    assert_eq!(
        it.fold(0u64, |a, x| a + u64::from(x)),
        vals[70..].iter().map(|&x| u64::from(x)).sum()
    );
    let mut it = v.iter();
    assert_eq!(it.nth(130), Some(vals[130]));
    assert_eq!(it.nth_back(5), Some(vals[994]));
    assert_eq!(it.next(), Some(vals[131]));
    assert_eq!(v.iter().last(), vals.last().copied());
    assert_eq!(
        v.clone().into_iter().rev().collect::<Vec<_>>(),
        vals.iter().rev().copied().collect::<Vec<_>>()
    );
}

#[test]
fn decode_range_into_every_offset() {
    let vals: Vec<i16> = (0..300).map(|i| (i * 37 % 601) as i16 - 300).collect();
    let v = PackedVec::from_slice(&vals);
    for start in [0, 1, 63, 64, 65, 127, 128, 200, 299, 300, 400] {
        for n in [0, 1, 5, 64, 100, 500] {
            let mut out = vec![0i16; n];
            let got = v.decode_range_into(start, &mut out);
            let want: Vec<i16> = vals.iter().copied().skip(start).take(n).collect();
            assert_eq!(got, want.len());
            assert_eq!(&out[..got], &want[..]);
        }
    }
}

#[test]
fn equality_ignores_frames() {
    let a = PackedVec::from_slice(&[1u16, 2, 3]);
    let mut b = PackedVec::with_range(0..=60_000);
    for x in [1, 2, 3] {
        b.try_push(x).unwrap();
    }
    assert_ne!(a.bit_width(), b.bit_width());
    assert_eq!(a, b);
    use std::hash::BuildHasher;
    let state = std::hash::RandomState::new();
    assert_eq!(state.hash_one(&a), state.hash_one(&b));
    assert_ne!(a, PackedVec::from_slice(&[1u16, 2]));
    assert_eq!(a, vec![1u16, 2, 3]);
    assert_eq!(format!("{a:?}"), "[1, 2, 3]");
}

#[test]
fn truncate_and_pop_clear_the_tail() {
    let mut v: PackedVec<u8> = (0..=255).collect();
    v.truncate(3);
    assert_eq!(v.as_slice().as_words(), &[0x02_01_00]);
    v.pop();
    v.push(200);
    assert_eq!(v.to_vec(), [0, 1, 200]);
}

#[test]
fn serialized_form_rejects_bad_input() {
    let v = PackedVec::from_slice(&[3u16, 9, 1000]);
    let words = v.to_words();
    assert_eq!(
        words[0].to_le_bytes(),
        [b'L', b'M', b'P', b'K', 1, 0, 2, 10]
    );
    assert_eq!(words[1], 3);
    assert_eq!(words[2], 3);
    let mut bad = words.clone();
    bad[0] = (bad[0] & !(0xff << 56)) | (17 << 56);
    assert_eq!(
        PackedSlice::<u16>::from_words(&bad),
        Err(PackedFormatError::BadWidth { width: 17, max: 16 })
    );
    let mut bad = words.clone();
    bad[2] = 70_000;
    assert_eq!(
        PackedSlice::<u16>::from_words(&bad),
        Err(PackedFormatError::BadFrame)
    );
    let mut bad = words.clone();
    bad[2] = 65_000; // 65_000 + 1023 > u16::MAX
    assert_eq!(
        PackedSlice::<u16>::from_words(&bad),
        Err(PackedFormatError::BadFrame)
    );
    let mut bad = words.clone();
    bad[1] = 1000;
    assert_eq!(
        PackedSlice::<u16>::from_words(&bad),
        Err(PackedFormatError::TooShort {
            needed: 160,
            found: 4
        })
    );
    let mut bad = words.clone();
    bad[1] = u64::MAX;
    assert!(matches!(
        PackedSlice::<u16>::from_words(&bad),
        Err(PackedFormatError::LengthOverflow)
    ));
    let mut bad = words.clone();
    bad[0] ^= 1 << 32;
    assert_eq!(
        PackedSlice::<u16>::from_words(&bad),
        Err(PackedFormatError::UnsupportedVersion(0))
    );
    assert_eq!(
        PackedSlice::<u16>::from_words(&words[..3]),
        Err(PackedFormatError::TooShort {
            needed: 4,
            found: 3
        })
    );
    let mut long = words.clone();
    long.push(0);
    assert_eq!(
        PackedSlice::<u16>::from_words(&long),
        Err(PackedFormatError::TrailingWords {
            needed: 4,
            found: 5
        })
    );
    assert!(matches!(
        PackedSlice::<i16>::from_words(&words),
        Err(PackedFormatError::WrongElementType {
            expected: 0x82,
            found: 2
        })
    ));
    let swapped: Vec<u64> = words.iter().map(|w| w.swap_bytes()).collect();
    assert_eq!(
        PackedSlice::<u16>::from_words(&swapped),
        Err(PackedFormatError::BadMagic)
    );
    // Garbage past the last field is ignored by readers and cleared on copy.
    let mut dirty = words.clone();
    dirty[3] |= u64::MAX << 30;
    let view = PackedSlice::<u16>::from_words(&dirty).unwrap();
    assert_eq!(view, v.as_slice());
    let mut owned = PackedVec::from(view);
    owned.push(5);
    assert_eq!(owned.to_vec(), [3, 9, 1000, 5]);
}

#[test]
fn blocks_round_trip_and_push() {
    let vals: Vec<i64> = (0..1000)
        .map(|i| if i % 300 < 150 { i * 3 } else { -i * i })
        .collect();
    let v = BlockPackedVec::from_slice(&vals);
    assert_eq!(v.to_vec(), vals);
    let mut pushed = BlockPackedVec::new();
    for &x in &vals {
        pushed.push(x);
    }
    assert_eq!(pushed, v);
    assert_eq!(
        pushed.to_words(),
        v.to_words(),
        "push gives the canonical layout"
    );
    for (i, &x) in vals.iter().enumerate() {
        assert_eq!(v.get(i), Some(x));
    }
    assert_eq!(v.sum(), vals.iter().map(|&x| i128::from(x)).sum::<i128>());
    assert_eq!(v.min(), vals.iter().copied().min());
    assert_eq!(v.max(), vals.iter().copied().max());
    let words = v.to_words();
    assert_eq!(
        BlockPackedSlice::<i64>::from_words(&words).unwrap(),
        v.as_slice()
    );
}

#[test]
fn inline_sizes() {
    use std::mem::size_of;
    assert_eq!(size_of::<PackedVec<u64>>(), 56);
    assert_eq!(size_of::<PackedVec<u8>>(), 48);
    assert_eq!(size_of::<PackedSlice<'_, u64>>(), 48);
    assert_eq!(size_of::<BlockPackedVec<u64>>(), 56);
    assert_eq!(size_of::<BlockPackedSlice<'_, u64>>(), 40);
}

#[test]
fn both_layouts_hash_equal_sequences_equally() {
    use std::hash::BuildHasher;
    let vals: Vec<i32> = (0..1000).map(|i| i * i % 777 - 300).collect();
    let state = std::hash::RandomState::new();
    let flat = PackedVec::from_slice(&vals);
    let blocks = BlockPackedVec::from_slice(&vals);
    assert_eq!(state.hash_one(&flat), state.hash_one(&blocks));
    assert_eq!(
        state.hash_one(flat.as_slice()),
        state.hash_one(blocks.as_slice())
    );
    let other = PackedVec::from_slice(&vals[1..]);
    assert_ne!(state.hash_one(&flat), state.hash_one(&other));
}

#[test]
fn errors_display() {
    let e = PackedVec::<u8>::with_range(0..=3).try_push(9).unwrap_err();
    assert_eq!(e.to_string(), "value 9 is outside the packed range 0..=3");
    let e = PackedVec::from_slice(&[1u8]).try_set(5, 1).unwrap_err();
    assert_eq!(e.to_string(), "index 5 is out of bounds for length 1");
    assert_eq!(
        PackedFormatError::TooShort {
            needed: 4,
            found: 1
        }
        .to_string(),
        "packed words too short: 4 needed, 1 found"
    );
    let boxed: Box<dyn std::error::Error> = Box::new(PackedFormatError::BadMagic);
    assert!(boxed.to_string().contains("magic"));
}

#[test]
fn extend_frames_every_new_value_not_only_the_misfits() {
    // 1_500 fits the old frame (1000 ..= 1000 + 2^15 − 1) but lies below the
    // existing values; 40_000 does not fit and forces a re-pack.
    let mut v = PackedVec::<u64>::with_range(1000..=33_767);
    v.try_push(33_000).unwrap();
    v.try_push(33_767).unwrap();
    v.extend([1_500, 40_000]);
    assert_eq!(v.to_vec(), [33_000, 33_767, 1_500, 40_000]);
    assert!(v.frame().contains(&1_500) && v.frame().contains(&40_000));
}

#[test]
fn extend_fills_the_words_already_reserved() {
    use crate::measure::HeapSize;
    // `with_capacity` promises room for 1000 values at any width: bulk
    // appends from empty must use it, not replace it with an exact buffer.
    let mut v = PackedVec::<u32>::with_capacity(1000);
    let reserved = v.heap_size();
    v.extend(0..10);
    assert_eq!((v.bit_width(), v.min_value()), (4, 0), "from_slice's frame");
    assert_eq!(v.heap_size(), reserved);
    v.extend(10..1000);
    assert_eq!(
        v.heap_size(),
        reserved,
        "no reallocation within the capacity"
    );
    assert_eq!(v.to_vec(), (0..1000).collect::<Vec<_>>());
    // `clear` keeps the allocation, and an extend after it too.
    v.clear();
    v.extend([1_000_005, 1_000_009]);
    assert_eq!(v.heap_size(), reserved);
    assert_eq!(v.frame(), 1_000_005..=1_000_012);
    assert_eq!(v.to_vec(), [1_000_005, 1_000_009]);
    assert_eq!(v, PackedVec::from_slice(&[1_000_005, 1_000_009]));
    // Without reserved room, an empty vector is packed exactly.
    let mut e = PackedVec::<u32>::new();
    e.extend(0..10);
    assert_eq!(e.heap_size(), 2 * 8);
}

#[test]
fn shrink_to_fit_narrows_a_fixed_range_only_once_it_holds_values() {
    // Empty, the frame set by `with_range` stays: `try_push` still takes
    // the whole range.
    let mut v = PackedVec::<i16>::with_range(-100..=100);
    v.shrink_to_fit();
    assert_eq!((v.bit_width(), v.min_value()), (8, -100));
    assert!(v.try_push(100).is_ok() && v.try_push(-100).is_ok());
    // Holding values, it narrows to them.
    v.clear();
    v.try_push(7).unwrap();
    v.try_push(8).unwrap();
    v.shrink_to_fit();
    assert_eq!(v.bit_width(), 1);
    assert!(v.try_push(100).is_err());
    assert_eq!(v.to_vec(), [7, 8]);
}
