//! Iterators of the weak maps and sets. Each skips dead entries and hands
//! out strong handles to the live ones; none knows its exact length in
//! advance (a value may die at any moment), so none is `ExactSizeIterator`.

use std::fmt;
use std::iter::FusedIterator;

use super::key_map::KeyEntry;
use super::ptr::StrongRef;
use super::raw::{Both, BothMut, BothOwned};
use super::value_map::ValueEntry;

/// The live entries of a [`WeakValueMap`](super::WeakValueMap), as
/// `(&K, P)`; see [`WeakValueMap::iter`](super::WeakValueMap::iter).
pub struct Iter<'a, K, P: StrongRef> {
    inner: Both<'a, ValueEntry<K, P>>,
}

impl<'a, K, P: StrongRef> Iter<'a, K, P> {
    pub(crate) fn new(inner: Both<'a, ValueEntry<K, P>>) -> Self {
        Self { inner }
    }
}

impl<'a, K, P: StrongRef> Iterator for Iter<'a, K, P> {
    type Item = (&'a K, P);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.inner
            .find_map(|e| P::upgrade(&e.value).map(|v| (&e.key, v)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, self.inner.size_hint().1)
    }
}

impl<K, P: StrongRef> FusedIterator for Iter<'_, K, P> {}

impl<K, P: StrongRef> Clone for Iter<'_, K, P> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

impl<K: fmt::Debug, P: StrongRef + fmt::Debug> fmt::Debug for Iter<'_, K, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

/// The keys of the live entries of a [`WeakValueMap`](super::WeakValueMap);
/// see [`WeakValueMap::keys`](super::WeakValueMap::keys).
pub struct Keys<'a, K, P: StrongRef> {
    inner: Both<'a, ValueEntry<K, P>>,
}

impl<'a, K, P: StrongRef> Keys<'a, K, P> {
    pub(crate) fn new(inner: Both<'a, ValueEntry<K, P>>) -> Self {
        Self { inner }
    }
}

impl<'a, K, P: StrongRef> Iterator for Keys<'a, K, P> {
    type Item = &'a K;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.inner
            .find_map(|e| (!P::is_dead(&e.value)).then_some(&e.key))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, self.inner.size_hint().1)
    }
}

impl<K, P: StrongRef> FusedIterator for Keys<'_, K, P> {}

impl<K, P: StrongRef> Clone for Keys<'_, K, P> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

impl<K: fmt::Debug, P: StrongRef> fmt::Debug for Keys<'_, K, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

/// The live entries of a [`WeakValueMap`](super::WeakValueMap), by value;
/// see its `IntoIterator` implementation.
pub struct IntoIter<K, P: StrongRef> {
    inner: BothOwned<ValueEntry<K, P>>,
}

impl<K, P: StrongRef> IntoIter<K, P> {
    pub(crate) fn new(inner: BothOwned<ValueEntry<K, P>>) -> Self {
        Self { inner }
    }
}

impl<K, P: StrongRef> Iterator for IntoIter<K, P> {
    type Item = (K, P);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.inner
            .find_map(|e| P::upgrade(&e.value).map(|v| (e.key, v)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, self.inner.size_hint().1)
    }
}

impl<K, P: StrongRef> FusedIterator for IntoIter<K, P> {}

impl<K, P: StrongRef> fmt::Debug for IntoIter<K, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IntoIter")
            .field("remaining_at_most", &self.inner.size_hint().1)
            .finish()
    }
}

/// The live entries of a [`WeakKeyMap`](super::WeakKeyMap), as `(P, &V)`;
/// see [`WeakKeyMap::iter`](super::WeakKeyMap::iter).
pub struct KeyIter<'a, P: StrongRef, V> {
    inner: Both<'a, KeyEntry<P, V>>,
}

impl<'a, P: StrongRef, V> KeyIter<'a, P, V> {
    pub(crate) fn new(inner: Both<'a, KeyEntry<P, V>>) -> Self {
        Self { inner }
    }
}

impl<'a, P: StrongRef, V> Iterator for KeyIter<'a, P, V> {
    type Item = (P, &'a V);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.inner
            .find_map(|e| P::upgrade(&e.key).map(|k| (k, &e.value)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, self.inner.size_hint().1)
    }
}

impl<P: StrongRef, V> FusedIterator for KeyIter<'_, P, V> {}

impl<P: StrongRef, V> Clone for KeyIter<'_, P, V> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

impl<P: StrongRef + fmt::Debug, V: fmt::Debug> fmt::Debug for KeyIter<'_, P, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

/// The live entries of a [`WeakKeyMap`](super::WeakKeyMap), as
/// `(P, &mut V)`; see [`WeakKeyMap::iter_mut`](super::WeakKeyMap::iter_mut).
pub struct KeyIterMut<'a, P: StrongRef, V> {
    inner: BothMut<'a, KeyEntry<P, V>>,
}

impl<'a, P: StrongRef, V> KeyIterMut<'a, P, V> {
    pub(crate) fn new(inner: BothMut<'a, KeyEntry<P, V>>) -> Self {
        Self { inner }
    }
}

impl<'a, P: StrongRef, V> Iterator for KeyIterMut<'a, P, V> {
    type Item = (P, &'a mut V);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.inner
            .find_map(|e| P::upgrade(&e.key).map(|k| (k, &mut e.value)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, self.inner.size_hint().1)
    }
}

impl<P: StrongRef, V> FusedIterator for KeyIterMut<'_, P, V> {}

impl<P: StrongRef, V> fmt::Debug for KeyIterMut<'_, P, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyIterMut")
            .field("remaining_at_most", &self.inner.size_hint().1)
            .finish()
    }
}

/// The live entries of a [`WeakKeyMap`](super::WeakKeyMap), by value; see
/// its `IntoIterator` implementation.
pub struct KeyIntoIter<P: StrongRef, V> {
    inner: BothOwned<KeyEntry<P, V>>,
}

impl<P: StrongRef, V> KeyIntoIter<P, V> {
    pub(crate) fn new(inner: BothOwned<KeyEntry<P, V>>) -> Self {
        Self { inner }
    }
}

impl<P: StrongRef, V> Iterator for KeyIntoIter<P, V> {
    type Item = (P, V);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.inner
            .find_map(|e| P::upgrade(&e.key).map(|k| (k, e.value)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, self.inner.size_hint().1)
    }
}

impl<P: StrongRef, V> FusedIterator for KeyIntoIter<P, V> {}

impl<P: StrongRef, V> fmt::Debug for KeyIntoIter<P, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyIntoIter")
            .field("remaining_at_most", &self.inner.size_hint().1)
            .finish()
    }
}

/// The live members of a [`WeakSet`](super::WeakSet); see
/// [`WeakSet::iter`](super::WeakSet::iter).
pub struct SetIter<'a, P: StrongRef> {
    inner: KeyIter<'a, P, ()>,
}

impl<'a, P: StrongRef> SetIter<'a, P> {
    pub(crate) fn new(inner: KeyIter<'a, P, ()>) -> Self {
        Self { inner }
    }
}

impl<P: StrongRef> Iterator for SetIter<'_, P> {
    type Item = P;

    #[inline]
    fn next(&mut self) -> Option<P> {
        self.inner.next().map(|(k, ())| k)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<P: StrongRef> FusedIterator for SetIter<'_, P> {}

impl<P: StrongRef> Clone for SetIter<'_, P> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

impl<P: StrongRef + fmt::Debug> fmt::Debug for SetIter<'_, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

/// The live members of a [`WeakSet`](super::WeakSet), by value; see its
/// `IntoIterator` implementation.
pub struct SetIntoIter<P: StrongRef> {
    inner: KeyIntoIter<P, ()>,
}

impl<P: StrongRef> SetIntoIter<P> {
    pub(crate) fn new(inner: KeyIntoIter<P, ()>) -> Self {
        Self { inner }
    }
}

impl<P: StrongRef> Iterator for SetIntoIter<P> {
    type Item = P;

    #[inline]
    fn next(&mut self) -> Option<P> {
        self.inner.next().map(|(k, ())| k)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<P: StrongRef> FusedIterator for SetIntoIter<P> {}

impl<P: StrongRef> fmt::Debug for SetIntoIter<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}
