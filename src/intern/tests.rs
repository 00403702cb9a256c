//! Unit tests of the interner internals: table sizing, growth, limits,
//! segment arithmetic of the concurrent form.

use std::collections::HashSet;
use std::hash::BuildHasher;

use super::concurrent::locate_for_tests as locate;
#[cfg(feature = "serde")]
use super::concurrent::reader_slot_for_tests;
use super::table::{self, buckets_for, growing_buckets, max_entries};
use super::*;

/// A hasher that sends every string to the same hash: the worst case.
#[derive(Clone, Default)]
struct Constant;

struct ConstantHasher;

impl Hasher for ConstantHasher {
    fn finish(&self) -> u64 {
        0x1234_5678_9abc_def0
    }
    fn write(&mut self, _: &[u8]) {}
}

impl BuildHasher for Constant {
    type Hasher = ConstantHasher;
    fn build_hasher(&self) -> ConstantHasher {
        ConstantHasher
    }
}

#[test]
fn bucket_counts_keep_one_slot_empty_at_seven_eighths() {
    assert_eq!(buckets_for(0), 0);
    assert_eq!(max_entries(0), 0);
    for n in 1..5000 {
        let b = buckets_for(n);
        assert!(max_entries(b) >= n, "{n} entries, {b} buckets");
        assert!(max_entries(b) < b, "a bucket stays empty");
        assert!(max_entries(b - 1) < n, "{b} is the fewest buckets for {n}");
        // Load at most 7/8 and within one bucket of it.
        assert!(8 * n <= 7 * b + 7);
    }
    assert_eq!(buckets_for(63_657), 72_751);
}

#[test]
fn with_capacity_is_exact_and_interning_within_it_does_not_grow() {
    let mut i = Interner::with_capacity(100, 1000);
    let before = i.heap_size();
    assert_eq!(before, 1000 + 404 + 4 * buckets_for(100));
    for n in 0..100 {
        i.intern(&format!("{n:09}x"));
    }
    assert_eq!(i.byte_len(), 1000);
    assert_eq!(i.heap_size(), before);
    // One more string grows each part by its step, not by doubling.
    i.intern("one more");
    assert_eq!(i.strings.string_capacity() + 1, 101 + 16);
    assert_eq!(i.byte_capacity(), 1000 + 128); // the smallest step
    assert_eq!(i.table.max_entries(), 125);
    assert_eq!(i.table.buckets(), growing_buckets(125));
}

#[test]
fn growth_steps_are_a_sixteenth_and_a_quarter() {
    let mut i = Interner::new();
    let mut last = (0, 0, 0, 0);
    for n in 0..20_000 {
        i.intern(&n.to_string());
        let now = (
            i.strings.string_capacity() + 1,
            i.byte_capacity(),
            i.table.buckets(),
            i.table.max_entries(),
        );
        if now.0 != last.0 && last.0 > 256 {
            assert_eq!(now.0, last.0 + last.0 / 16, "offsets grow by 1/16");
        }
        if now.1 != last.1 && last.1 > 2048 {
            assert_eq!(now.1, last.1 + last.1 / 16, "bytes grow by 1/16");
        }
        if now.2 != last.2 && last.2 > 64 {
            let grown = last.3 + last.3 / 4;
            assert_eq!(now.2, growing_buckets(grown), "table grows by 1/4");
            assert_eq!(now.3, grown);
        }
        last = now;
    }
}

#[test]
fn shrink_to_fit_leaves_the_bound() {
    let mut i: Interner = (0..10_000).map(|n| format!("id_{n}")).collect();
    i.shrink_to_fit();
    let bytes = i.byte_len();
    assert_eq!(i.heap_size(), bytes + 4 * 10_001 + 4 * buckets_for(10_000));
    let overhead = (i.heap_size() - bytes) as f64 / 10_000.0;
    assert!(overhead < 8.6, "{overhead}");
    // Still usable, and grows again.
    assert_eq!(i.get("id_77").map(Symbol::to_usize), Some(77));
    assert_eq!(i.intern("new").to_usize(), 10_000);
    assert_eq!(i.resolve(Symbol::from_usize(10_000).unwrap()), Some("new"));
    // Shrinking an empty interner frees everything.
    let mut e = Interner::with_capacity(100, 100);
    e.shrink_to_fit();
    assert_eq!(e.heap_size(), 0);
}

#[test]
fn errors_leave_the_interner_unchanged() {
    let mut i = Interner::new();
    let a = i.try_intern_within("abc", 2, 6).unwrap();
    assert_eq!(
        i.try_intern_within("defg", 2, 6),
        Err(InternError::BytesExhausted { len: 4, stored: 3 })
    );
    assert_eq!(i.len(), 1);
    assert_eq!(i.get("defg"), None);
    let b = i.try_intern_within("def", 2, 6).unwrap();
    assert_eq!(
        i.try_intern_within("", 2, 6),
        Err(InternError::SymbolsExhausted)
    );
    // Known strings still succeed at the limit.
    assert_eq!(i.try_intern_within("abc", 2, 6), Ok(a));
    assert_eq!(i.try_intern_within("def", 2, 6), Ok(b));
    assert_eq!(i.iter().map(|(_, s)| s).collect::<Vec<_>>(), ["abc", "def"]);
    let e = InternError::BytesExhausted { len: 4, stored: 3 };
    assert!(e.to_string().contains("4 bytes"));
    assert!(
        InternError::SymbolsExhausted
            .to_string()
            .contains("u32::MAX")
    );

    let c = ConcurrentInterner::new();
    c.try_intern_within("x", 1).unwrap();
    assert_eq!(
        c.try_intern_within("y", 1),
        Err(InternError::SymbolsExhausted)
    );
    assert_eq!(c.len(), 1);
    assert_eq!(c.get("y"), None);
}

#[test]
fn all_strings_colliding_still_work() {
    let mut i = Interner::with_hasher(Constant);
    let syms: Vec<_> = (0..300).map(|n| i.intern(&n.to_string())).collect();
    for (n, s) in syms.iter().enumerate() {
        assert_eq!(i.get(&n.to_string()), Some(*s));
        assert_eq!(i.resolve(*s), Some(n.to_string().as_str()));
    }
    assert_eq!(i.get("absent"), None);
    let f = i.clone().freeze();
    assert_eq!(f.get("299"), Some(syms[299]));
    let c = ConcurrentInterner::with_shards_and_hasher(2, Constant);
    for (n, sym) in syms.iter().enumerate() {
        assert_eq!(c.intern(&n.to_string()), *sym);
    }
    assert_eq!(c.get("150"), Some(syms[150]));
}

/// A hasher that sends every string to the same hash, whose home is the
/// last bucket: every probe sequence wraps.
#[derive(Clone, Default)]
struct AtTheEnd;

struct AtTheEndHasher;

impl Hasher for AtTheEndHasher {
    fn finish(&self) -> u64 {
        // `hash_str` mixes this into `u64::MAX` (the mix is its own
        // inverse).
        mix_low_half(u64::MAX)
    }
    fn write(&mut self, _: &[u8]) {}
}

impl BuildHasher for AtTheEnd {
    type Hasher = AtTheEndHasher;
    fn build_hasher(&self) -> AtTheEndHasher {
        AtTheEndHasher
    }
}

#[test]
fn hits_move_to_the_front_of_colliding_and_wrapping_runs() {
    let at_the_end = hash_str(&AtTheEnd, "any");
    assert_eq!(at_the_end, u64::MAX, "{at_the_end:#x}");
    fn check<S: BuildHasher + Clone>(hasher: S) {
        let mut i = Interner::with_hasher(hasher);
        let names: Vec<String> = (0..300).map(|n| format!("s{n}")).collect();
        let syms: Vec<_> = names.iter().map(|s| i.intern(s)).collect();
        // Hits in several orders move entries to the front of the one run
        // (which wraps past the last bucket with `AtTheEnd`).
        let orders: [Vec<usize>; 3] = [
            (0..300).rev().collect(),
            (0..300).map(|k| k * 7 % 300).collect(),
            (0..300).collect(),
        ];
        for order in &orders {
            for &k in order {
                assert_eq!(i.intern(&names[k]), syms[k]);
                // The hit now sits in its home bucket.
                let hash = hash_str(&i.hasher, &names[k]);
                assert_eq!(
                    i.table.value_at_home(hash) as usize,
                    syms[k].to_usize() + 1,
                    "{}",
                    names[k]
                );
            }
            for (k, name) in names.iter().enumerate() {
                assert_eq!(i.get(name), Some(syms[k]));
            }
            assert_eq!(i.get("absent"), None);
        }
        // Growth moves the reordered entries; shrinking and freezing too.
        let more: Vec<_> = (300..700).map(|n| i.intern(&format!("s{n}"))).collect();
        for (k, sym) in more.iter().enumerate() {
            assert_eq!(i.intern(&format!("s{}", k + 300)), *sym);
        }
        let mut shrunk = i.clone();
        shrunk.shrink_to_fit();
        let frozen = i.clone().freeze();
        for (k, name) in names.iter().enumerate() {
            assert_eq!(shrunk.get(name), Some(syms[k]));
            assert_eq!(frozen.get(name), Some(syms[k]));
        }
        assert_eq!(i.len(), 700);
    }
    check(Constant);
    check(AtTheEnd);
    check(DefaultHashBuilder::default());
}

#[test]
fn fingerprint_bits_shrink_as_symbols_grow() {
    // 70 000 symbols need 17 value bits: fingerprints keep 15.
    let i: Interner = (0..70_000).map(|n| n.to_string()).collect();
    for n in (0..70_000).step_by(997) {
        assert_eq!(i.get(&n.to_string()).map(Symbol::to_usize), Some(n));
    }
    assert!(!i.contains("70000"));
}

#[test]
fn segments_tile_the_symbol_space() {
    let mut expected = (0usize, 0usize);
    for i in 0..100_000 {
        assert_eq!(locate(i), expected, "entry {i}");
        expected.1 += 1;
        let seg_len = 1usize << (6 + expected.0 / 4);
        if expected.1 == seg_len {
            expected = (expected.0 + 1, 0);
        }
    }
    let (last_seg, _) = locate(Symbol::MAX_INDEX);
    assert!(last_seg < 100, "{last_seg}");
}

#[test]
fn concurrent_large_and_empty_strings() {
    let c = ConcurrentInterner::with_shards(1);
    let big = "é".repeat(100_000);
    let e = c.intern("");
    let b = c.intern(&big);
    let small: Vec<_> = (0..1000).map(|n| c.intern(&n.to_string())).collect();
    assert_eq!(c.resolve(e), Some(""));
    assert_eq!(c.resolve(b), Some(big.as_str()));
    assert_eq!(c.intern(&big), b);
    for (n, s) in small.iter().enumerate() {
        assert_eq!(c.resolve(*s), Some(n.to_string().as_str()));
    }
    let distinct: HashSet<_> = small.iter().collect();
    assert_eq!(distinct.len(), 1000);
}

#[test]
fn inline_sizes_are_as_documented() {
    assert_eq!(std::mem::size_of::<Interner>(), 88);
    assert_eq!(std::mem::size_of::<FrozenInterner>(), 72);
    assert_eq!(std::mem::size_of::<Symbol>(), 4);
}

#[test]
fn short_and_long_byte_comparisons_are_exact() {
    let samples: Vec<Vec<u8>> = (0..=40)
        .flat_map(|n| {
            let base: Vec<u8> = (0..n as u8).map(|k| b'a' + k % 26).collect();
            let mut variants = vec![base.clone()];
            for at in 0..n {
                let mut v = base.clone();
                v[at] ^= 1;
                variants.push(v);
            }
            variants
        })
        .collect();
    for a in &samples {
        for b in &samples {
            assert_eq!(same_bytes(a, b), a == b, "{a:?} vs {b:?}");
        }
    }
}

/// String `n` of the concurrent stress test: it names its number and is
/// padded to a length that depends on it (some past 127 bytes, whose
/// length prefix takes two bytes), so that a reader can check any string it
/// resolves without knowing which thread interned it.
fn checked_string(n: usize) -> String {
    let pad = (n * 7919) % 200;
    format!(
        "{n}:{}",
        "abcdefghij".repeat(20).get(..pad).unwrap_or_default()
    )
}

/// The number `s` names, if `s` is exactly `checked_string` of it.
fn checked_number(s: &str) -> Option<usize> {
    let n = s.split(':').next()?.parse().ok()?;
    (checked_string(n) == s).then_some(n)
}

/// Writers intern overlapping sets of self-checking strings while readers
/// resolve and look up: every symbol handed out resolves to a well-formed
/// string that looks up to the same symbol, and no string gets two symbols,
/// through many table growths. (A reader that found a slot before its
/// string was published would read garbage here on weakly ordered machines;
/// on x86 the ordering itself cannot be observed.)
#[test]
fn concurrent_interning_and_lookups_agree_while_tables_grow() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    for shards in [1, 2] {
        let c = ConcurrentInterner::with_shards(shards);
        let writers = 3;
        let per_writer = 1500;
        let done = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        // The highest string number some writer has finished interning, +1.
        let interned_below = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for w in 0..writers {
                let (c, done, interned_below) = (&c, &done, &interned_below);
                scope.spawn(move || {
                    // Overlapping ranges, in different orders: each string is
                    // new to one thread and found by another, often at once.
                    for k in 0..per_writer {
                        let n = if w % 2 == 0 { k } else { per_writer - 1 - k } + w * 500;
                        let s = checked_string(n);
                        let sym = c.intern(&s);
                        assert_eq!(c.resolve(sym), Some(s.as_str()));
                        assert_eq!(c.get(&s), Some(sym));
                        if w == 0 {
                            interned_below.store(n + 1, Ordering::Release);
                        }
                    }
                    done.fetch_add(1, Ordering::Release);
                });
            }
            for _ in 0..2 {
                let (c, stop, interned_below) = (&c, &stop, &interned_below);
                scope.spawn(move || {
                    let mut rounds = 0;
                    while !stop.load(Ordering::Acquire) || rounds == 0 {
                        rounds += 1;
                        // Every symbol handed out resolves to its string (or
                        // to nothing, while still being published), and
                        // looking that string up finds the same symbol (or,
                        // for a moment, nothing: the entry is published
                        // before the table slot).
                        for i in 0..c.len() {
                            let sym = Symbol::from_usize(i).expect("below the limit");
                            if let Some(s) = c.resolve(sym) {
                                assert!(checked_number(s).is_some(), "symbol {i}: {s:?}");
                                let mut found = c.get(s);
                                while found.is_none() {
                                    std::thread::yield_now();
                                    found = c.get(s);
                                }
                                assert_eq!(found, Some(sym), "{s:?}");
                            }
                        }
                        // What writer 0 finished is found by everyone.
                        let below = interned_below.load(Ordering::Acquire);
                        for n in below.saturating_sub(50)..below {
                            let s = checked_string(n);
                            let sym = c.get(&s).expect("interned before");
                            assert_eq!(c.resolve(sym), Some(s.as_str()));
                        }
                    }
                });
            }
            while done.load(Ordering::Acquire) < writers {
                std::thread::yield_now();
            }
            stop.store(true, Ordering::Release);
        });
        let distinct = per_writer + (writers - 1) * 500;
        assert_eq!(c.len(), distinct);
        let numbers: HashSet<_> = c.iter().map(|(_, s)| checked_number(s).unwrap()).collect();
        assert_eq!(numbers, (0..distinct).collect());
    }
}

#[test]
fn concurrent_clones_taken_while_others_intern_keep_every_symbol() {
    let c = ConcurrentInterner::with_shards(2);
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            for n in 0..20_000 {
                c.intern(&format!("w{n}"));
            }
            done.store(true, std::sync::atomic::Ordering::Release);
        });
        let mut clones = 0;
        while !done.load(std::sync::atomic::Ordering::Acquire) || clones < 3 {
            let copy = c.clone();
            // Every symbol of the copy names the same string as in `c`.
            for (sym, s) in &copy {
                assert_eq!(c.resolve(sym), Some(s));
            }
            clones += 1;
        }
    });
    assert_eq!(c.clone().len(), 20_000);
}

/// A hasher that hashes a string by its first byte alone: with two shards,
/// strings starting with an even byte and with an odd one fall in different
/// shards.
#[cfg(feature = "serde")]
#[derive(Clone, Default)]
struct FirstByte;

#[cfg(feature = "serde")]
struct FirstByteHasher(u64);

#[cfg(feature = "serde")]
impl Hasher for FirstByteHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        if let Some(&b) = bytes.first() {
            self.0 = u64::from(b) * 0x0101_0101_0101_0101;
        }
    }
}

#[cfg(feature = "serde")]
impl BuildHasher for FirstByte {
    type Hasher = FirstByteHasher;
    fn build_hasher(&self) -> FirstByteHasher {
        FirstByteHasher(0)
    }
}

/// A writer stopped between counting the symbol of "b" and publishing it
/// leaves a gap below "c", interned after it in another shard. Serializing
/// (and `Debug`) then must not skip "b", which would move "c" down to its
/// symbol: they wait for the writer and list all three.
#[cfg(feature = "serde")]
#[test]
fn concurrent_serialization_during_an_insertion_keeps_every_symbol() {
    use std::sync::mpsc;
    use std::time::Duration;

    use ::serde::Serialize;

    let c = ConcurrentInterner::with_shards_and_hasher(2, FirstByte);
    let a = c.intern("a");
    let listed = std::thread::scope(|scope| {
        let c = &c;
        let (slot_tx, slot_rx) = mpsc::channel();
        let (go_tx, go_rx) = mpsc::channel::<()>();
        let writer = scope.spawn(move || {
            slot_tx.send(reader_slot_for_tests()).unwrap();
            go_rx.recv().unwrap();
            c.intern("b")
        });
        let slot = slot_rx.recv().unwrap();
        let held = c.hold_arena_for_tests(slot);
        go_tx.send(()).unwrap();
        while c.len() < 2 {
            std::thread::yield_now();
        }
        // "c", from a thread writing to another arena, is published above
        // the gap.
        let sym_c = loop {
            let t = scope.spawn(move || (reader_slot_for_tests() != slot).then(|| c.intern("c")));
            if let Some(sym) = t.join().unwrap() {
                break sym;
            }
        };
        assert_eq!(sym_c.to_usize(), 2);
        assert_eq!(c.resolve(Symbol::from_usize(1).unwrap()), None);
        let serialized = scope.spawn(move || c.serialize(collect::Strings).unwrap());
        let debugged = scope.spawn(move || format!("{c:?}"));
        // Time to finish for a listing that does not wait for the writer.
        for _ in 0..200 {
            if serialized.is_finished() && debugged.is_finished() {
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        drop(held);
        assert_eq!(writer.join().unwrap().to_usize(), 1);
        (serialized.join().unwrap(), debugged.join().unwrap())
    });
    assert_eq!(listed.0, ["a", "b", "c"]);
    assert_eq!(listed.1, r#"["a", "b", "c"]"#);
    assert_eq!(c.get("a"), Some(a));
}

/// A serializer of sequences of strings into a `Vec<String>` (no more, for
/// the unit tests, which link no serde format).
#[cfg(feature = "serde")]
mod collect {
    use std::fmt;

    use ::serde::ser::{self, Impossible, Serialize, SerializeSeq, Serializer};

    #[derive(Debug)]
    pub(super) struct Unsupported(String);

    impl fmt::Display for Unsupported {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.0)
        }
    }

    impl std::error::Error for Unsupported {}

    impl ser::Error for Unsupported {
        fn custom<T: fmt::Display>(msg: T) -> Self {
            Self(msg.to_string())
        }
    }

    /// Serializes a sequence of strings.
    pub(super) struct Strings;

    /// The sequence so far.
    pub(super) struct Seq(Vec<String>);

    /// A value's text through serde's `Formatter` serializer (strings only
    /// here).
    struct Text<'a, T: ?Sized>(&'a T);

    impl<T: ?Sized + Serialize> fmt::Display for Text<'_, T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.serialize(f)
        }
    }

    impl SerializeSeq for Seq {
        type Ok = Vec<String>;
        type Error = Unsupported;
        fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Unsupported> {
            self.0.push(Text(v).to_string());
            Ok(())
        }
        fn end(self) -> Result<Vec<String>, Unsupported> {
            Ok(self.0)
        }
    }

    macro_rules! unsupported {
        ($($name:ident($($arg:ty),*) -> $ret:ty;)*) => {$(
            fn $name(self, $(_: $arg),*) -> Result<$ret, Unsupported> {
                Err(ser::Error::custom(stringify!($name)))
            }
        )*};
    }

    type No = Impossible<Vec<String>, Unsupported>;

    impl Serializer for Strings {
        type Ok = Vec<String>;
        type Error = Unsupported;
        type SerializeSeq = Seq;
        type SerializeTuple = No;
        type SerializeTupleStruct = No;
        type SerializeTupleVariant = No;
        type SerializeMap = No;
        type SerializeStruct = No;
        type SerializeStructVariant = No;

        fn serialize_seq(self, len: Option<usize>) -> Result<Seq, Unsupported> {
            Ok(Seq(Vec::with_capacity(len.unwrap_or(0))))
        }

        fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<Vec<String>, Unsupported> {
            Err(ser::Error::custom("some"))
        }

        fn serialize_newtype_struct<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            _: &T,
        ) -> Result<Vec<String>, Unsupported> {
            Err(ser::Error::custom("newtype struct"))
        }

        fn serialize_newtype_variant<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<Vec<String>, Unsupported> {
            Err(ser::Error::custom("newtype variant"))
        }

        unsupported! {
            serialize_bool(bool) -> Vec<String>;
            serialize_i8(i8) -> Vec<String>;
            serialize_i16(i16) -> Vec<String>;
            serialize_i32(i32) -> Vec<String>;
            serialize_i64(i64) -> Vec<String>;
            serialize_u8(u8) -> Vec<String>;
            serialize_u16(u16) -> Vec<String>;
            serialize_u32(u32) -> Vec<String>;
            serialize_u64(u64) -> Vec<String>;
            serialize_f32(f32) -> Vec<String>;
            serialize_f64(f64) -> Vec<String>;
            serialize_char(char) -> Vec<String>;
            serialize_str(&str) -> Vec<String>;
            serialize_bytes(&[u8]) -> Vec<String>;
            serialize_none() -> Vec<String>;
            serialize_unit() -> Vec<String>;
            serialize_unit_struct(&'static str) -> Vec<String>;
            serialize_unit_variant(&'static str, u32, &'static str) -> Vec<String>;
            serialize_tuple(usize) -> No;
            serialize_tuple_struct(&'static str, usize) -> No;
            serialize_tuple_variant(&'static str, u32, &'static str, usize) -> No;
            serialize_map(Option<usize>) -> No;
            serialize_struct(&'static str, usize) -> No;
            serialize_struct_variant(&'static str, u32, &'static str, usize) -> No;
        }
    }
}

#[test]
#[should_panic(expected = "capacity overflow")]
fn reserving_past_the_address_space_panics_as_vec_does() {
    let mut i = Interner::new();
    i.intern("a");
    i.reserve(usize::MAX, 0);
}

#[test]
#[should_panic(expected = "capacity overflow")]
fn capacity_past_the_address_space_panics_as_vec_does() {
    let _ = Interner::with_capacity(usize::MAX, 0);
}

/// A probe key that is one value.
struct Value(u32);

impl table::Key for Value {
    fn is(&self, value: u32) -> bool {
        value == self.0
    }
}

/// A well-mixed hash of `n`.
fn mixed(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Widening the value bits of a short table (whose homes come from the
/// fingerprint, which loses bits) and of a long one (homes from the whole
/// hash) keeps every entry found and the table's kind, whatever bits the
/// fingerprint keeps: none at all in the last step.
#[test]
fn widened_tables_find_every_entry_without_hashing() {
    for (entries, short) in [(1000, true), (50_000, false)] {
        let mut t = table::Table::growing(entries, 2 * entries as u64);
        assert!(
            format!("{t:?}").contains(&format!("short: {short}")),
            "{t:?}"
        );
        for v in 1..=entries as u32 {
            t.insert_unique(mixed(u64::from(v)), v);
        }
        for max_value in [1u64 << 20, 1 << 24, 1 << 31] {
            t = t.widened(max_value);
            assert!(
                format!("{t:?}").contains(&format!("short: {short}")),
                "{t:?}"
            );
            assert!(t.fits((max_value - 1) as u32));
            for v in 1..=entries as u32 {
                assert!(
                    matches!(t.probe(mixed(u64::from(v)), &Value(v)), table::Probe::Found(f) if f == v),
                    "{entries} entries, widened to {max_value}: value {v}"
                );
            }
            let absent = entries as u32 + 1;
            assert!(matches!(
                t.probe(mixed(u64::from(absent)), &Value(absent)),
                table::Probe::Vacant(_)
            ));
        }
    }
}

/// A hasher for two shards: strings starting with `b` go to shard 1, the
/// others to shard 0. Hashing `a0` while armed runs `meanwhile` (once).
#[derive(Clone)]
struct Meanwhile {
    armed: std::sync::Arc<std::sync::atomic::AtomicBool>,
    meanwhile: std::sync::Arc<std::sync::Barrier>,
}

struct MeanwhileHasher {
    inner: std::hash::DefaultHasher,
    shard: u64,
    hook: Option<Meanwhile>,
}

impl Hasher for MeanwhileHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.shard = u64::from(bytes.first() == Some(&b'b'));
        if bytes == b"a0" {
            if let Some(hook) = self.hook.take() {
                if hook.armed.swap(false, std::sync::atomic::Ordering::SeqCst) {
                    // Let the other thread intern, and wait until it is done.
                    hook.meanwhile.wait();
                    hook.meanwhile.wait();
                }
            }
        }
        self.inner.write(bytes);
    }
    fn finish(&self) -> u64 {
        self.inner.finish() & !1 | self.shard
    }
}

impl BuildHasher for Meanwhile {
    type Hasher = MeanwhileHasher;
    fn build_hasher(&self) -> MeanwhileHasher {
        MeanwhileHasher {
            inner: std::hash::DefaultHasher::new(),
            shard: 0,
            hook: Some(self.clone()),
        }
    }
}

/// A writer rebuilds its shard's table (hashing its strings again) before
/// it takes a symbol, sizing the value bits for the symbol it expects.
/// Another thread interning more strings than there were, meanwhile, into
/// another shard, hands it a symbol past those bits: the table is widened
/// without hashing, and every string is still found under its symbol.
#[test]
fn concurrent_symbols_taken_during_a_rebuild_still_fit() {
    use std::sync::atomic::Ordering;

    let hasher = Meanwhile {
        armed: Default::default(),
        meanwhile: std::sync::Arc::new(std::sync::Barrier::new(2)),
    };
    let c = ConcurrentInterner::with_shards_and_hasher(2, hasher.clone());
    let mut expect: Vec<(String, Symbol)> = (0..30_000)
        .map(|n| {
            let s = format!("a{n}");
            (s.clone(), c.intern(&s))
        })
        .collect();
    hasher.armed.store(true, Ordering::SeqCst);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| {
            hasher.meanwhile.wait();
            // More strings than the interner held: the writer's symbol
            // needs another value bit.
            let got: Vec<(String, Symbol)> = (0..40_000)
                .map(|n| {
                    let s = format!("b{n}");
                    (s.clone(), c.intern(&s))
                })
                .collect();
            hasher.meanwhile.wait();
            got
        });
        let mut n = 0;
        while hasher.armed.load(Ordering::SeqCst) {
            let s = format!("x{n}");
            expect.push((s.clone(), c.intern(&s)));
            n += 1;
            assert!(n < 500_000, "no rebuild hashed the strings again");
        }
        expect.extend(other.join().unwrap());
    });
    expect.sort_by_key(|&(_, sym)| sym);
    assert_eq!(c.len(), expect.len());
    for (k, (s, sym)) in expect.iter().enumerate() {
        assert_eq!(sym.to_usize(), k);
        assert_eq!(c.get(s), Some(*sym), "{s:?}");
        assert_eq!(c.resolve(*sym), Some(s.as_str()));
    }
    let more: Vec<_> = (0..20_000).map(|n| c.intern(&format!("y{n}"))).collect();
    for (n, sym) in more.iter().enumerate() {
        assert_eq!(c.get(&format!("y{n}")), Some(*sym));
    }
}

/// A shard that gets few strings while another gets many runs out of value
/// bits before it is full: its table is widened without hashing (here a
/// short table left with too few fingerprint bits, which the next
/// insertion rebuilds), and every string stays found.
#[test]
fn concurrent_shard_left_behind_is_widened() {
    let hasher = Meanwhile {
        armed: Default::default(),
        meanwhile: std::sync::Arc::new(std::sync::Barrier::new(1)),
    };
    let c = ConcurrentInterner::with_shards_and_hasher(2, hasher);
    let mut expect: Vec<(String, Symbol)> = Vec::new();
    let mut intern = |s: String| {
        let sym = c.intern(&s);
        expect.push((s, sym));
    };
    (0..3000).for_each(|n| intern(format!("a{n}")));
    (0..200_000).for_each(|n| intern(format!("b{n}")));
    (3000..3100).for_each(|n| intern(format!("a{n}")));
    assert_eq!(c.len(), expect.len());
    for (k, (s, sym)) in expect.iter().enumerate() {
        assert_eq!(sym.to_usize(), k);
        assert_eq!(c.get(s), Some(*sym), "{s:?}");
        assert_eq!(c.resolve(*sym), Some(s.as_str()));
    }
}

/// A hasher of poor 64-bit output: std's `DefaultHasher` cut to its low
/// half (as a CRC32 or xxh32 hasher, or FxHash on 32-bit targets), or with
/// that half repeated in the high one (`EQUAL_HALVES`).
#[derive(Clone, Default)]
struct Cut<const EQUAL_HALVES: bool>;

struct CutHasher<const EQUAL_HALVES: bool>(std::hash::DefaultHasher);

impl<const EQUAL_HALVES: bool> Hasher for CutHasher<EQUAL_HALVES> {
    fn finish(&self) -> u64 {
        let low = self.0.finish() & u64::from(u32::MAX);
        if EQUAL_HALVES { low | low << 32 } else { low }
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
    }
}

impl<const EQUAL_HALVES: bool> BuildHasher for Cut<EQUAL_HALVES> {
    type Hasher = CutHasher<EQUAL_HALVES>;
    fn build_hasher(&self) -> CutHasher<EQUAL_HALVES> {
        CutHasher(std::hash::DefaultHasher::new())
    }
}

/// Tables place strings by the high bits of the hash: with 32-bit hashes
/// every string had the same home bucket, in short tables and long ones, so
/// each new string probed past all the others (8 000 strings took 8 s in a
/// debug build). Folding the low half in as it is spread them, but in long
/// tables the fingerprint and the home then came from the same bits:
/// strings of one home shared a fingerprint and were compared in vain; and
/// a hasher with equal halves folded to a zero high half, one bucket again.
/// The low half is mixed before it is folded in.
#[test]
fn hashes_of_32_bits_spread_over_the_buckets() {
    check_spread(Cut::<false>);
    check_spread(Cut::<true>);
}

fn check_spread<S: BuildHasher + Clone + Sync>(hasher: S) {
    for (mut i, short) in [
        (Interner::with_hasher(hasher.clone()), true),
        (
            Interner::with_capacity_and_hasher(50_000, 0, hasher.clone()),
            false,
        ),
    ] {
        let names: Vec<String> = (0..2000).map(|n| format!("name{n}")).collect();
        let syms: Vec<Symbol> = names.iter().map(|s| i.intern(s)).collect();
        assert!(
            format!("{:?}", i.table).contains(&format!("short: {short}")),
            "{:?}",
            i.table
        );
        let at_home = names
            .iter()
            .zip(&syms)
            .filter(|&(s, sym)| {
                i.table.value_at_home(hash_str(&i.hasher, s)) as usize == sym.to_usize() + 1
            })
            .count();
        assert!(
            at_home > names.len() / 2,
            "short: {short}, {at_home} at home"
        );
        // In a long table (home and fingerprint from different bits),
        // strings of one home bucket rarely share a fingerprint. (In a short
        // one the home comes from the fingerprint by design.)
        if !short {
            let mut slots: Vec<(u32, usize)> = names
                .iter()
                .map(|s| i.table.fingerprint_and_home(hash_str(&i.hasher, s)))
                .collect();
            slots.sort_unstable();
            let shared = slots.windows(2).filter(|w| w[0] == w[1]).count();
            assert!(shared <= 2, "long table: {shared} shared fingerprints");
        }
        for (s, sym) in names.iter().zip(&syms) {
            assert_eq!(i.get(s), Some(*sym));
        }
    }
    let c = ConcurrentInterner::with_shards_and_hasher(2, hasher);
    let syms: Vec<Symbol> = (0..2000).map(|n| c.intern(&format!("name{n}"))).collect();
    for (n, sym) in syms.iter().enumerate() {
        assert_eq!(c.get(&format!("name{n}")), Some(*sym));
    }
}
