//! [`FrozenInterner`]: the read-only, exact-size form.

use std::fmt;
use std::hash::{BuildHasher, Hash, Hasher};
use std::ops::Index;

use super::iter::symbol_of_value;
use super::storage::FrozenStrings;
use super::table::{Probe, Table, buckets_for};
use super::{DefaultHashBuilder, Interner, Iter, Symbol, build_table, hash_str, lookup};
use crate::measure::{HeapContext, HeapSize};

/// A read-only interner: resolve and look up, nothing else, in the least
/// memory. Made by [`Interner::freeze`]; symbols are unchanged.
///
/// It owns plain boxed arrays and no interior mutability, so it is `Sync`
/// (with a `Sync` hasher, as the default one is): put it in an `Arc` and
/// resolve from every thread without locks.
///
/// ```
/// use std::sync::Arc;
/// use leanmem::intern::Interner;
///
/// let mut i = Interner::new();
/// let red = i.intern("red");
/// let colors = Arc::new(i.freeze());
/// let handle = {
///     let colors = Arc::clone(&colors);
///     std::thread::spawn(move || colors.resolve(red).map(str::to_owned))
/// };
/// assert_eq!(handle.join().unwrap().as_deref(), Some("red"));
/// assert_eq!(colors.get("red"), Some(red));
/// ```
///
/// # Memory layout
///
/// As [`Interner`]'s, each part at its exact size: the bytes in a
/// `Box<str>`, the offsets in a `Box<[u32]>` (4 bytes per string) and
/// the table in a `Box<[u32]>` of `n + ⌈n/7⌉` buckets (4.57 bytes per
/// string): ≈ 8.6 bytes per string beyond its bytes, the bound of this
/// design. The inline part is 72 bytes with the default hasher.
pub struct FrozenInterner<S = DefaultHashBuilder> {
    strings: FrozenStrings,
    table: Table,
    hasher: S,
}

impl<S> FrozenInterner<S> {
    /// The frozen form of parts that agree with each other; the table is
    /// rebuilt unless it already has the exact bucket count.
    pub(crate) fn from_parts(strings: FrozenStrings, table: Table, hasher: S) -> Self
    where
        S: BuildHasher,
    {
        let buckets = buckets_for(strings.view().len());
        let table = if table.buckets() == buckets {
            table
        } else {
            build_table(strings.view(), &hasher, Table::with_buckets(buckets, 0))
        };
        Self {
            strings,
            table,
            hasher,
        }
    }

    /// Number of distinct strings. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let i: Interner = ["a", "b", "a"].into_iter().collect();
    /// assert_eq!(i.freeze().len(), 2);
    /// ```
    #[inline]
    pub fn len(&self) -> usize {
        self.strings.view().len()
    }

    /// Whether it holds no string. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// assert!(Interner::new().freeze().is_empty());
    /// ```
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Total bytes of the distinct strings.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let i: Interner = ["ab", "c"].into_iter().collect();
    /// assert_eq!(i.freeze().byte_len(), 3);
    /// ```
    pub fn byte_len(&self) -> usize {
        self.strings.view().byte_len()
    }

    /// The hasher.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let _state = Interner::new().freeze().hasher().clone();
    /// ```
    pub fn hasher(&self) -> &S {
        &self.hasher
    }

    /// The string of `symbol`, or `None` if the interner did not issue it.
    /// Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let mut i = Interner::new();
    /// let s = i.intern("frozen");
    /// assert_eq!(i.freeze().resolve(s), Some("frozen"));
    /// ```
    #[inline]
    pub fn resolve(&self, symbol: Symbol) -> Option<&str> {
        self.strings.view().get(symbol.to_usize())
    }

    /// An iterator over `(Symbol, &str)` in symbol order.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let f = ["b", "a"].into_iter().collect::<Interner>().freeze();
    /// assert_eq!(f.iter().map(|(_, s)| s).collect::<Vec<_>>(), ["b", "a"]);
    /// ```
    pub fn iter(&self) -> Iter<'_> {
        Iter::new(self.strings.view())
    }

    /// Back to a growable [`Interner`] with the same symbols (its arrays
    /// grow on the next new string).
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let mut i = Interner::new();
    /// let a = i.intern("a");
    /// let mut again = i.freeze().thaw();
    /// assert_eq!(again.intern("a"), a);
    /// assert_eq!(again.intern("b").to_usize(), 1);
    /// ```
    pub fn thaw(self) -> Interner<S> {
        Interner::from_parts(self.strings.thaw(), self.table, self.hasher)
    }
}

impl<S: BuildHasher> FrozenInterner<S> {
    /// The symbol of `s`, if interned. Computes in **O(len(s))** expected
    /// time.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let mut i = Interner::new();
    /// let s = i.intern("here");
    /// let f = i.freeze();
    /// assert_eq!(f.get("here"), Some(s));
    /// assert_eq!(f.get("there"), None);
    /// ```
    #[inline]
    pub fn get(&self, s: &str) -> Option<Symbol> {
        let hash = hash_str(&self.hasher, s);
        match lookup(self.strings.view(), &self.table, hash, s) {
            Probe::Found(v) => Some(symbol_of_value(v)),
            Probe::Vacant(_) => None,
        }
    }

    /// Whether `s` is interned.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let f = ["x"].into_iter().collect::<Interner>().freeze();
    /// assert!(f.contains("x") && !f.contains("y"));
    /// ```
    #[inline]
    pub fn contains(&self, s: &str) -> bool {
        self.get(s).is_some()
    }
}

impl<S: BuildHasher> From<Interner<S>> for FrozenInterner<S> {
    /// Same as [`Interner::freeze`].
    ///
    /// ```
    /// use leanmem::intern::{FrozenInterner, Interner};
    ///
    /// let f = FrozenInterner::from(["a"].into_iter().collect::<Interner>());
    /// assert_eq!(f.len(), 1);
    /// ```
    fn from(interner: Interner<S>) -> Self {
        interner.freeze()
    }
}

impl<S> From<FrozenInterner<S>> for Interner<S> {
    /// Same as [`FrozenInterner::thaw`].
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let f = ["a"].into_iter().collect::<Interner>().freeze();
    /// assert_eq!(Interner::from(f).len(), 1);
    /// ```
    fn from(frozen: FrozenInterner<S>) -> Self {
        frozen.thaw()
    }
}

impl<S: Clone> Clone for FrozenInterner<S> {
    fn clone(&self) -> Self {
        Self {
            strings: self.strings.clone(),
            table: self.table.clone(),
            hasher: self.hasher.clone(),
        }
    }
}

impl<S: BuildHasher + Default> Default for FrozenInterner<S> {
    /// An empty frozen interner.
    ///
    /// ```
    /// use leanmem::intern::FrozenInterner;
    ///
    /// let f: FrozenInterner = FrozenInterner::default();
    /// assert!(f.is_empty());
    /// ```
    fn default() -> Self {
        Interner::default().freeze()
    }
}

impl<S> fmt::Debug for FrozenInterner<S> {
    /// The strings in symbol order.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter().map(|(_, s)| s)).finish()
    }
}

impl<S> PartialEq for FrozenInterner<S> {
    /// Equal when they hold the same strings with the same symbols.
    fn eq(&self, other: &Self) -> bool {
        self.strings == other.strings
    }
}

impl<S> Eq for FrozenInterner<S> {}

impl<S> Hash for FrozenInterner<S> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.strings.hash(state);
    }
}

impl<S> Index<Symbol> for FrozenInterner<S> {
    type Output = str;

    /// The string of `symbol`.
    ///
    /// # Panics
    ///
    /// If the interner did not issue `symbol`;
    /// [`resolve`](FrozenInterner::resolve) returns `None` instead.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let mut i = Interner::new();
    /// let s = i.intern("x");
    /// assert_eq!(&i.freeze()[s], "x");
    /// ```
    #[inline]
    fn index(&self, symbol: Symbol) -> &str {
        match self.resolve(symbol) {
            Some(s) => s,
            None => panic!(
                "{symbol:?} is not a symbol of this interner ({} strings)",
                self.len()
            ),
        }
    }
}

impl<'a, S> IntoIterator for &'a FrozenInterner<S> {
    type Item = (Symbol, &'a str);
    type IntoIter = Iter<'a>;

    /// ```
    /// use leanmem::intern::Interner;
    ///
    /// let f = ["a", "b"].into_iter().collect::<Interner>().freeze();
    /// assert_eq!((&f).into_iter().count(), 2);
    /// ```
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<S> HeapSize for FrozenInterner<S> {
    /// The three boxed arrays, exactly. The hasher is not counted.
    ///
    /// ```
    /// use leanmem::intern::Interner;
    /// use leanmem::measure::HeapSize;
    ///
    /// let f = ["abc", "de"].into_iter().collect::<Interner>().freeze();
    /// assert_eq!(f.heap_size(), 5 + 3 * 4 + 3 * 4);
    /// ```
    fn heap_size_with(&self, _: &mut HeapContext) -> usize {
        self.strings.heap_bytes() + self.table.heap_bytes()
    }
}
