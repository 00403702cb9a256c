//! The default hasher of the crate's hash tables.

/// The hasher the crate's tables use unless given another:
/// [foldhash](https://docs.rs/foldhash)'s `fast` variant, seeded at random
/// per table.
///
/// It hashes short keys in a few nanoseconds where std's SipHash takes
/// tens (`benches/intern.rs` measures both, and ahash and FxHash), and its
/// random seed means collisions cannot be precomputed by whoever supplies
/// the keys. Tables keyed by data from adversaries who can observe timing
/// at scale may prefer std's `RandomState`: every table takes any
/// [`BuildHasher`](std::hash::BuildHasher) through `with_hasher`.
///
/// ```
/// use leanmem::hash::DefaultHashBuilder;
/// use std::hash::BuildHasher;
///
/// let a = DefaultHashBuilder::default();
/// assert_eq!(a.hash_one("same"), a.hash_one("same"));
/// ```
pub type DefaultHashBuilder = foldhash::fast::RandomState;
