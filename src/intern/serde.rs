//! `serde` support: an interner is the list of its strings in symbol
//! order, and a symbol is its index.

use std::fmt;
use std::hash::BuildHasher;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeSeq, Serializer};

use super::{ConcurrentInterner, FrozenInterner, Interner, Symbol};

impl Serialize for Symbol {
    /// The index, as a `u32`.
    fn serialize<Se: Serializer>(&self, serializer: Se) -> Result<Se::Ok, Se::Error> {
        serializer.serialize_u32(self.to_u32())
    }
}

impl<'de> Deserialize<'de> for Symbol {
    /// From the index; an index above [`Symbol::MAX_INDEX`] is an error.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let index = u32::deserialize(deserializer)?;
        Symbol::from_usize(index as usize)
            .ok_or_else(|| de::Error::custom("symbol index u32::MAX is out of range"))
    }
}

fn serialize_strings<'a, Se: Serializer>(
    serializer: Se,
    len: usize,
    strings: impl Iterator<Item = &'a str>,
) -> Result<Se::Ok, Se::Error> {
    let mut seq = serializer.serialize_seq(Some(len))?;
    for s in strings {
        seq.serialize_element(s)?;
    }
    seq.end()
}

impl<S> Serialize for Interner<S> {
    /// The strings in symbol order, as a sequence.
    fn serialize<Se: Serializer>(&self, serializer: Se) -> Result<Se::Ok, Se::Error> {
        serialize_strings(serializer, self.len(), self.iter().map(|(_, s)| s))
    }
}

impl<S> Serialize for FrozenInterner<S> {
    /// The strings in symbol order, as a sequence.
    fn serialize<Se: Serializer>(&self, serializer: Se) -> Result<Se::Ok, Se::Error> {
        serialize_strings(serializer, self.len(), self.iter().map(|(_, s)| s))
    }
}

impl<S> Serialize for ConcurrentInterner<S> {
    /// The strings in symbol order, as a sequence: every string interned
    /// before the call, none skipped. Other threads' interning waits while
    /// the strings are listed (not while they are written out).
    fn serialize<Se: Serializer>(&self, serializer: Se) -> Result<Se::Ok, Se::Error> {
        let strings = self.dense_strings();
        serialize_strings(serializer, strings.len(), strings.into_iter())
    }
}

/// Reads a sequence of distinct strings into an [`Interner`].
struct InternerVisitor<S>(PhantomData<S>);

impl<'de, S: BuildHasher + Default> Visitor<'de> for InternerVisitor<S> {
    type Value = Interner<S>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence of distinct strings")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut interner = Interner::default();
        // A hint is the peer's claim; cap what it makes us reserve.
        interner.reserve(seq.size_hint().unwrap_or(0).min(1 << 16), 0);
        while let Some(s) = seq.next_element::<std::borrow::Cow<'de, str>>()? {
            let before = interner.len();
            let sym = interner.try_intern(&s).map_err(de::Error::custom)?;
            if sym.to_usize() != before {
                return Err(de::Error::custom(format_args!(
                    "duplicate string {s:?} at position {before} (first at {})",
                    sym.to_usize()
                )));
            }
        }
        Ok(interner)
    }
}

impl<'de, S: BuildHasher + Default> Deserialize<'de> for Interner<S> {
    /// From the sequence of strings in symbol order, so every symbol means
    /// what it meant when serialized. A repeated string is an error (it
    /// would renumber the symbols after it).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(InternerVisitor(PhantomData))
    }
}

impl<'de, S: BuildHasher + Default> Deserialize<'de> for FrozenInterner<S> {
    /// As for [`Interner`], then frozen.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Interner::deserialize(deserializer).map(Interner::freeze)
    }
}

impl<'de, S: BuildHasher + Default> Deserialize<'de> for ConcurrentInterner<S> {
    /// As for [`Interner`], then made concurrent (same symbols).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Interner::deserialize(deserializer).map(ConcurrentInterner::from)
    }
}
