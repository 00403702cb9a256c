//! serde support: a deque is the struct `{ items: [...], maxlen: n | null }`.
//!
//! Deserializing refuses more items than the maxlen (the data is
//! inconsistent: nothing is silently dropped), and a maxlen whose slots
//! cannot be allocated.

use serde::de::{Deserialize, Deserializer, Error as _};
use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::{Deque, Inline, Storage};

/// The elements, serialized as a sequence.
struct Items<'a, T, S: Storage<T>>(&'a Deque<T, S>);

impl<T: Serialize, S: Storage<T>> Serialize for Items<'_, T, S> {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        serializer.collect_seq(self.0.iter())
    }
}

impl<T: Serialize, S: Storage<T>> Serialize for Deque<T, S> {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        let mut s = serializer.serialize_struct("Deque", 2)?;
        s.serialize_field("items", &Items(self))?;
        s.serialize_field("maxlen", &self.maxlen())?;
        s.end()
    }
}

/// The serialized form, owned.
#[derive(serde::Deserialize)]
#[serde(rename = "Deque", deny_unknown_fields)]
struct Repr<T> {
    items: Vec<T>,
    #[serde(default)]
    maxlen: Option<usize>,
}

fn too_many<E: serde::de::Error>(items: usize, maxlen: usize) -> E {
    E::custom(format_args!(
        "a deque with maxlen {maxlen} cannot hold {items} items"
    ))
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Deque<T> {
    /// `{items, maxlen}`, as serialized. More items than `maxlen` is an
    /// error (Python's `deque(items, maxlen=n)` would keep the last `n`;
    /// here nothing is dropped silently): to get Python's result, read the
    /// items unbounded and call [`set_maxlen`](Deque::set_maxlen).
    ///
    /// A bounded deque allocates its `maxlen` slots when it is made, so the
    /// input chooses that allocation: check `maxlen` before deserializing
    /// untrusted input (as for a `Vec` with a capacity read from it). An
    /// allocation that fails is an error, not an abort.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Repr { items, maxlen } = Repr::<T>::deserialize(deserializer)?;
        match maxlen {
            None => Ok(Self::from(items)),
            Some(m) if items.len() > m => Err(too_many(items.len(), m)),
            Some(m) => {
                let mut d = Self::try_with_maxlen(m).map_err(D::Error::custom)?;
                d.extend(items);
                Ok(d)
            }
        }
    }
}

impl<'de, T: Deserialize<'de>, const N: usize> Deserialize<'de> for Deque<T, Inline<T, N>> {
    /// `{items, maxlen}`, as serialized; `maxlen` must be `N` and the items
    /// at most `N`, else an error (nothing is dropped silently).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Repr { items, maxlen } = Repr::<T>::deserialize(deserializer)?;
        if maxlen != Some(N) {
            return Err(D::Error::custom(format_args!(
                "an inline deque of {N} slots cannot have maxlen {maxlen:?}"
            )));
        }
        if items.len() > N {
            return Err(too_many(items.len(), N));
        }
        Ok(items.into_iter().collect())
    }
}
