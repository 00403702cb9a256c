//! Weak references that give memory back: Python's `weakref` module as Rust
//! structures.
//!
//! | Python | leanmem | holds | dead entries go |
//! |---|---|---|---|
//! | `WeakValueDictionary` (values you already share) | [`WeakValueMap`] | `K → Weak<V>` of your `Arc<V>`/`Rc<V>` | by an incremental sweep: within `buckets()/4` mutating calls, never more than a bounded amount of work per call; [`len`](WeakValueMap::len) is an upper bound |
//! | `WeakValueDictionary` (values it creates) | [`NotifyingMap`] + [`Handle`] | `K → Weak`, values created by `get_or_insert_with` | the value's memory at once, when its last handle drops; the entry at the next call, which drains up to 256 such notices (`purge` all of them), so `len` is exact after every call that found no more waiting |
//! | `WeakKeyDictionary` | [`WeakKeyMap`] | `Weak<K> → V`, keys by identity | by the incremental sweep (the value is dropped then) |
//! | `WeakSet` | [`WeakSet`] | `Weak<T>`, by identity | by the incremental sweep |
//! | `WeakMethod`, observer lists | [`Observers`] | weak owner + method per subscriber | during the next `notify` pass, or before `subscribe` grows the list |
//! | the "strong core, weak tier" cache | [`WeakCache`] + [`CacheStats`] | `K → Weak<V>`, the N most recently used also strongly | by the sweep, or at once when the core lets go of the last reference |
//!
//! # Which map do I need?
//!
//! * Values are `Arc`s that other code creates and drops, and you want to
//!   find them by key: [`WeakValueMap`].
//! * The map can create the values itself (canonical instances, loaded
//!   resources, sessions): [`NotifyingMap`]. Each value tells the map when
//!   it dies, so nothing is ever searched for and `len` is exact once the
//!   notices are drained (at most 256 per call, all by `purge`).
//! * You attach data to objects you do not own: [`WeakKeyMap`].
//! * You want the last N values used to survive even when nobody holds
//!   them: [`WeakCache`].
//!
//! # The `Weak` trap
//!
//! A Rust [`Weak`](std::sync::Weak) keeps its `Arc`'s whole allocation alive
//! after the value is dropped: the two counters and the value's inline bytes.
//! A map of `Weak<[u8; 1024]>` whose values have all died still holds 1040
//! bytes per entry until it drops the `Weak`s. So a weak map that frees
//! nothing until it happens to grow (weak-table's) holds as much memory as a
//! strong one. Every structure here drops dead weak handles without being
//! asked: [`NotifyingMap`] frees a value's block when its last handle drops
//! and the entry's small remainder within the next calls (256 per call),
//! the others a few buckets per call.
//!
//! # Bounded work per call
//!
//! The maps never stop the world. Every call that takes `&mut self` does a
//! bounded amount of maintenance: it inspects the next 8 buckets for dead
//! entries, and, while the table is being resized, moves at most 32 buckets
//! to the new table. A full table is not rehashed in one call; lookups look
//! in both tables until the move is done. Only the explicitly O(n) methods
//! (`purge`, `retain`, `shrink_to_fit`, `reserve`, `clear`) do more;
//! [`NotifyingMap`] also removes at most 256 entries whose values died per
//! call.
//!
//! # Example: a cache that does not leak
//!
//! ```
//! use std::sync::Arc;
//! use leanmem::weak::WeakValueMap;
//!
//! let mut loaded: WeakValueMap<u32, Arc<Vec<u8>>> = WeakValueMap::new();
//! let mut in_use = Vec::new();
//! for id in 0..100 {
//!     let blob = Arc::new(vec![0u8; 1000]);
//!     loaded.insert(id, &blob);
//!     if id % 10 == 0 {
//!         in_use.push(blob); // only every tenth stays in use
//!     }
//! }
//! assert_eq!(loaded.iter().count(), 10);
//! loaded.purge();
//! assert_eq!(loaded.len(), 10);
//! ```
//!
//! # Hashing
//!
//! The maps and the cache hash with [`DefaultHashBuilder`](crate::hash::DefaultHashBuilder)
//! (foldhash, seeded per table) unless given another hasher with
//! `with_hasher`; a lookup of a dead key then costs a few nanoseconds where
//! std's SipHash `RandomState` takes about 20.

mod cache;
mod iter;
mod key_map;
mod notifying;
mod observers;
mod ptr;
mod raw;
mod value_map;

#[cfg(test)]
mod tests;

pub use self::cache::{CacheStats, WeakCache};
pub use self::iter::{
    IntoIter, Iter, KeyIntoIter, KeyIter, KeyIterMut, Keys, SetIntoIter, SetIter,
};
pub use self::key_map::{WeakKeyMap, WeakSet};
pub use self::notifying::{Handle, NotifyingIter, NotifyingMap};
pub use self::observers::{Observers, SubscriptionId};
pub use self::ptr::StrongRef;
pub use self::value_map::WeakValueMap;
pub use crate::error::OccupiedError;

/// Buckets inspected for dead entries by each mutating call of the swept
/// structures.
const SWEEP_STEP: usize = 8;
