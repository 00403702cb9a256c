//! String storage of [`Interner`](super::Interner) and
//! [`FrozenInterner`](super::FrozenInterner): the bytes back to back and
//! their offsets.
//!
//! Resolving slices the buffer without checking bounds or UTF-8, which
//! `benches/intern.rs` shows halves the time of a resolve (it is then faster
//! than a peer that stores a `&str` per symbol). That is sound because this
//! file alone builds and changes the storage, and keeps one invariant:
//!
//! > `ends` is empty, or starts with `0`, never decreases, ends at
//! > `buf.len()`, and every offset in it is a character boundary of `buf`.
//!
//! `push` appends whole `&str`s and their end offsets, so every offset is the
//! end of a whole string; nothing else writes either part.
#![allow(unsafe_code)]

use std::mem;

/// The buffer and the offsets grow by `capacity >> GROWTH_SHIFT` (1/16).
const GROWTH_SHIFT: u32 = 4;
/// Smallest growth steps, so small interners do not reallocate per string.
pub(crate) const MIN_STRINGS: usize = 16;
const MIN_BYTES: usize = 128;

/// A read-only view of storage that keeps the invariant (made only from
/// [`Strings`] and [`FrozenStrings`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct View<'a> {
    buf: &'a str,
    ends: &'a [u32],
}

impl<'a> View<'a> {
    /// Number of strings.
    #[inline]
    pub(crate) fn len(self) -> usize {
        self.ends.len().saturating_sub(1)
    }

    /// The string of index `i`, if there is one.
    #[inline(always)]
    pub(crate) fn get(self, i: usize) -> Option<&'a str> {
        // `i` is a symbol index (below `u32::MAX`), so `i + 1` cannot wrap.
        if i.wrapping_add(1) >= self.ends.len() {
            return None;
        }
        let (start, end) = (self.ends[i] as usize, self.ends[i + 1] as usize);
        // SAFETY: by the invariant, `start <= end <= buf.len()` and both are
        // character boundaries, so the range is in bounds and valid UTF-8.
        Some(unsafe { self.buf.get_unchecked(start..end) })
    }

    /// The bytes of index `i`, which must be below `len()` (panics
    /// otherwise).
    #[inline(always)]
    pub(crate) fn bytes(self, i: usize) -> &'a [u8] {
        // One bounds check for both offsets.
        let [start, end] = match self.ends.get(i..i + 2) {
            Some(&[start, end]) => [start as usize, end as usize],
            _ => panic!("string index {i} out of range"),
        };
        // SAFETY: `start <= end <= buf.len()` by the invariant (the indexing
        // above checked that both offsets exist).
        unsafe { self.buf.as_bytes().get_unchecked(start..end) }
    }

    /// Total bytes of the strings.
    #[inline]
    pub(crate) fn byte_len(self) -> usize {
        self.buf.len()
    }

    /// The strings in order.
    pub(crate) fn strings(self) -> impl Iterator<Item = &'a str> {
        (0..self.len()).map(move |i| self.get(i).unwrap_or_default())
    }
}

/// Growable storage.
#[derive(Clone, Default, PartialEq, Eq, Hash, Debug)]
pub(crate) struct Strings {
    buf: String,
    ends: Vec<u32>,
}

impl Strings {
    /// Storage with room for exactly `strings` strings of `bytes` bytes.
    pub(crate) fn with_capacity(strings: usize, bytes: usize) -> Self {
        Self {
            buf: String::with_capacity(bytes),
            // Saturating: a count past the address space panics in
            // `Vec::with_capacity` ("capacity overflow"), not here.
            ends: Vec::with_capacity(if strings == 0 {
                0
            } else {
                strings.saturating_add(1)
            }),
        }
    }

    #[inline(always)]
    pub(crate) fn view(&self) -> View<'_> {
        View {
            buf: &self.buf,
            ends: &self.ends,
        }
    }

    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.ends.len().saturating_sub(1)
    }

    #[inline]
    pub(crate) fn byte_len(&self) -> usize {
        self.buf.len()
    }

    pub(crate) fn byte_capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// Strings the offsets hold before they grow.
    pub(crate) fn string_capacity(&self) -> usize {
        self.ends.capacity().saturating_sub(1)
    }

    /// Appends `s`, growing by the policy's step if needed.
    ///
    /// # Panics
    ///
    /// If the total would pass `u32::MAX` bytes (callers check first).
    pub(crate) fn push(&mut self, s: &str) {
        let end = u32::try_from(self.buf.len() + s.len())
            .expect("callers keep the total within u32::MAX bytes");
        let slots = if self.ends.is_empty() { 2 } else { 1 };
        if self.ends.len() + slots > self.ends.capacity() {
            let cap = self.ends.capacity();
            let target =
                (cap + (cap >> GROWTH_SHIFT).max(MIN_STRINGS)).max(self.ends.len() + slots);
            self.ends.reserve_exact(target - self.ends.len());
        }
        let end_usize = end as usize;
        if end_usize > self.buf.capacity() {
            let cap = self.buf.capacity();
            let target = (cap + (cap >> GROWTH_SHIFT).max(MIN_BYTES)).max(end_usize);
            self.buf.reserve_exact(target - self.buf.len());
        }
        self.buf.push_str(s);
        if self.ends.is_empty() {
            self.ends.push(0);
        }
        self.ends.push(end);
    }

    /// Room for `strings` more strings of `bytes` more bytes, growing by
    /// at least the policy's step. Sums saturate, so that a count past the
    /// address space panics in `Vec::reserve_exact` ("capacity overflow").
    pub(crate) fn reserve(&mut self, strings: usize, bytes: usize) {
        let lead = usize::from(self.ends.is_empty());
        if strings > 0 && strings.saturating_add(self.ends.len() + lead) > self.ends.capacity() {
            let add = strings.max(self.ends.capacity() >> GROWTH_SHIFT);
            self.ends.reserve_exact(add.saturating_add(lead));
        }
        if bytes > self.buf.capacity() - self.buf.len() {
            let add = bytes.max(self.buf.capacity() >> GROWTH_SHIFT);
            self.buf.reserve_exact(add);
        }
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        self.buf.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    pub(crate) fn clear(&mut self) {
        self.buf.clear();
        self.ends.clear();
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.buf.capacity() + self.ends.capacity() * mem::size_of::<u32>()
    }

    /// Exact-size storage with the same strings.
    pub(crate) fn freeze(self) -> FrozenStrings {
        FrozenStrings {
            buf: self.buf.into_boxed_str(),
            ends: self.ends.into_boxed_slice(),
        }
    }
}

/// Exact-size storage.
#[derive(Clone, Default, PartialEq, Eq, Hash, Debug)]
pub(crate) struct FrozenStrings {
    buf: Box<str>,
    ends: Box<[u32]>,
}

impl FrozenStrings {
    #[inline(always)]
    pub(crate) fn view(&self) -> View<'_> {
        View {
            buf: &self.buf,
            ends: &self.ends,
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.buf.len() + self.ends.len() * mem::size_of::<u32>()
    }

    /// Growable storage with the same strings.
    pub(crate) fn thaw(self) -> Strings {
        Strings {
            buf: self.buf.into_string(),
            ends: self.ends.into_vec(),
        }
    }
}
