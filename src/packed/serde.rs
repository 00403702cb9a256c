//! `serde` support: the flat and block structures serialize as their
//! fields (length, width or block headers, and the packed words), and
//! deserialization validates them as the zero-copy readers do.

use serde::de::{Deserialize, Deserializer, Error as _};
use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::int::PackedInt;
use super::{BlockPackedSlice, BlockPackedVec, PackedSlice, PackedVec};

impl<T: PackedInt> Serialize for PackedVec<T> {
    /// As the struct `PackedVec { words }`, `words` being the serialized
    /// form of [`PackedSlice`] (header words, then data words).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("PackedVec", 1)?;
        s.serialize_field("words", &self.to_words())?;
        s.end()
    }
}

impl<'de, T: PackedInt> Deserialize<'de> for PackedVec<T> {
    /// Reads what `Serialize` wrote, validating it as
    /// [`PackedSlice::from_words`] does.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(rename = "PackedVec")]
        struct Repr {
            words: Vec<u64>,
        }
        let repr = Repr::deserialize(deserializer)?;
        PackedSlice::<T>::from_words(&repr.words)
            .map(PackedVec::from)
            .map_err(D::Error::custom)
    }
}

impl<T: PackedInt> Serialize for BlockPackedVec<T> {
    /// As the struct `BlockPackedVec { words }`, `words` being the
    /// serialized form (see [`BlockPackedVec`]).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("BlockPackedVec", 1)?;
        s.serialize_field("words", &self.to_words())?;
        s.end()
    }
}

impl<'de, T: PackedInt> Deserialize<'de> for BlockPackedVec<T> {
    /// Reads what `Serialize` wrote, validating it as
    /// [`BlockPackedSlice::from_words`] does.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(rename = "BlockPackedVec")]
        struct Repr {
            words: Vec<u64>,
        }
        let repr = Repr::deserialize(deserializer)?;
        BlockPackedSlice::<T>::from_words(&repr.words)
            .map(BlockPackedVec::from)
            .map_err(D::Error::custom)
    }
}
