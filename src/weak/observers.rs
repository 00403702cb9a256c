//! [`Observers`]: subscribers held weakly, Python's `WeakMethod` pattern.

use std::alloc::Layout;
use std::fmt;
use std::num::NonZeroU64;
use std::sync::{Arc, Weak};

use crate::measure::{HeapContext, HeapSize};

/// Identifies one subscription of an [`Observers`] list, for
/// [`unsubscribe`](Observers::unsubscribe). Backed by a `NonZeroU64`, so
/// `Option<SubscriptionId>` is 8 bytes.
///
/// ```
/// assert_eq!(std::mem::size_of::<Option<leanmem::weak::SubscriptionId>>(), 8);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubscriptionId(NonZeroU64);

/// A subscriber: a weak owner and what to call on it.
trait Callback<E: ?Sized>: Send + Sync {
    /// Calls the method if the owner is alive; `false` if it is dead.
    fn call(&self, event: &E) -> bool;
    fn is_dead(&self) -> bool;
    /// Bytes of the owner's block when it is dead (only this list may keep
    /// it), once per context.
    fn dead_block(&self, cx: &mut HeapContext) -> usize;
}

struct Method<T: ?Sized, F> {
    owner: Weak<T>,
    /// Bytes of the owner's `Arc` block, taken while it was alive (a dead
    /// `Weak` no longer knows the size of an unsized value).
    block: usize,
    method: F,
}

impl<T, F, E> Callback<E> for Method<T, F>
where
    T: ?Sized + Send + Sync,
    F: Fn(&T, &E) + Send + Sync,
    E: ?Sized,
{
    #[inline]
    fn call(&self, event: &E) -> bool {
        match self.owner.upgrade() {
            Some(owner) => {
                (self.method)(&owner, event);
                true
            }
            None => false,
        }
    }

    fn is_dead(&self) -> bool {
        self.owner.strong_count() == 0
    }

    fn dead_block(&self, cx: &mut HeapContext) -> usize {
        if self.is_dead() && cx.first_visit(self.owner.as_ptr()) {
            self.block
        } else {
            0
        }
    }
}

struct Subscriber<E: ?Sized> {
    id: SubscriptionId,
    callback: Box<dyn Callback<E>>,
}

/// A list of subscribers to events of type `E`, each held weakly: a
/// subscriber is an owner you hold in an `Arc` plus a method to call on it,
/// and when the owner dies the subscription goes with it, no unsubscribing
/// needed. Python's `WeakMethod` (and `weakref.WeakSet` of callbacks), the
/// usual way to break the subject → observer → subject cycle.
///
/// [`notify`](Self::notify) calls every live subscriber in subscription
/// order and drops the dead ones during the same pass.
/// [`subscribe`](Self::subscribe) drops them too once the list has doubled
/// since the last such pass, so a list that is rarely notified holds at most
/// twice the subscriptions that were alive at the last pass (or 8), not
/// every subscription of owners that died. That pass runs the dead
/// subscribers' destructors (their closures' captures) inside
/// `subscribe`.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use leanmem::weak::Observers;
///
/// struct Logger { lines: Mutex<Vec<String>> }
/// impl Logger {
///     fn on_event(&self, event: &str) {
///         self.lines.lock().unwrap().push(event.to_string());
///     }
/// }
///
/// let mut events: Observers<str> = Observers::new();
/// let logger = Arc::new(Logger { lines: Mutex::new(Vec::new()) });
/// events.subscribe(&logger, Logger::on_event);
///
/// assert_eq!(events.notify("saved"), 1);
/// assert_eq!(logger.lines.lock().unwrap().as_slice(), ["saved"]);
///
/// drop(logger); // no unsubscribe: the next notify drops it
/// assert_eq!(events.notify("closed"), 0);
/// assert!(events.is_empty());
/// ```
///
/// # Memory layout
///
/// A vector of 24-byte subscribers (an id and a boxed callback), each
/// callback one heap block holding the weak owner (8 bytes, 16 for an
/// unsized owner), the owner's block size and the method (0 bytes for a
/// function item or a capture-free closure). A dead owner's block stays
/// allocated until the next [`notify`](Self::notify) or
/// [`purge`](Self::purge) drops its subscription, or a
/// [`subscribe`](Self::subscribe) that finds the list doubled (the `Weak`
/// trap described on [`WeakValueMap`](super::WeakValueMap)).
///
/// # Threads
///
/// Owners and methods must be `Send + Sync`, so the list is `Send` and
/// `Sync`: owners may die on any thread. `notify` takes `&mut self` (it
/// drops dead subscribers); a callback cannot reach the list it is called
/// from.
pub struct Observers<E: ?Sized> {
    subscribers: Vec<Subscriber<E>>,
    next_id: u64,
    /// The length at which [`subscribe`](Self::subscribe) drops the dead
    /// first: twice the subscribers left by the last pass that dropped
    /// them (at least [`MIN_PURGE_AT`]).
    purge_at: usize,
}

/// The fewest subscriptions a list holds before `subscribe` drops dead
/// ones.
const MIN_PURGE_AT: usize = 8;

impl<E: ?Sized> Observers<E> {
    /// An empty list.
    ///
    /// ```
    /// use leanmem::weak::Observers;
    ///
    /// let list: Observers<u32> = Observers::new();
    /// assert!(list.is_empty());
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self {
            subscribers: Vec::new(),
            next_id: 1,
            purge_at: MIN_PURGE_AT,
        }
    }

    /// Subscribes `method` called on `owner`, held weakly: the list never
    /// keeps `owner` alive. Returns an id for
    /// [`unsubscribe`](Self::unsubscribe). Computes in amortized **O(1)**
    /// time.
    ///
    /// `method` is any function of the owner and the event: a method path
    /// (`Type::method`) or a closure.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::sync::atomic::{AtomicU32, Ordering};
    /// use leanmem::weak::Observers;
    ///
    /// let total = Arc::new(AtomicU32::new(0));
    /// let mut list = Observers::new();
    /// list.subscribe(&total, |t: &AtomicU32, n: &u32| {
    ///     t.fetch_add(*n, Ordering::Relaxed);
    /// });
    /// list.notify(&5);
    /// assert_eq!(total.load(Ordering::Relaxed), 5);
    /// ```
    pub fn subscribe<T, F>(&mut self, owner: &Arc<T>, method: F) -> SubscriptionId
    where
        T: ?Sized + Send + Sync + 'static,
        F: Fn(&T, &E) + Send + Sync + 'static,
        E: 'static,
    {
        if self.subscribers.len() >= self.purge_at {
            self.purge();
        }
        let block = Layout::new::<[usize; 2]>()
            .extend(Layout::for_value::<T>(owner))
            .map_or(0, |(l, _)| l.pad_to_align().size());
        let id = self.fresh_id();
        self.subscribers.push(Subscriber {
            id,
            callback: Box::new(Method {
                owner: Arc::downgrade(owner),
                block,
                method,
            }),
        });
        id
    }

    /// After a pass that dropped the dead subscribers: the next
    /// [`subscribe`](Self::subscribe) pass comes once the list has doubled.
    /// A pass costs O(n) and the next waits for at least n/2 more
    /// subscriptions, so `subscribe` stays amortized O(1).
    fn rearm(&mut self) {
        self.purge_at = self.subscribers.len().saturating_mul(2).max(MIN_PURGE_AT);
    }

    fn fresh_id(&mut self) -> SubscriptionId {
        let id = NonZeroU64::new(self.next_id).unwrap_or(NonZeroU64::MIN);
        self.next_id = self.next_id.wrapping_add(1).max(1);
        SubscriptionId(id)
    }

    /// Removes a subscription; `false` if it is not (or no longer) in the
    /// list. Computes in **O(n)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::Observers;
    ///
    /// let owner = Arc::new(());
    /// let mut list: Observers<u8> = Observers::new();
    /// let id = list.subscribe(&owner, |_, _| {});
    /// assert!(list.unsubscribe(id));
    /// assert!(!list.unsubscribe(id));
    /// ```
    pub fn unsubscribe(&mut self, id: SubscriptionId) -> bool {
        match self.subscribers.iter().position(|s| s.id == id) {
            Some(i) => {
                self.subscribers.remove(i);
                true
            }
            None => false,
        }
    }

    /// Calls every live subscriber with `event`, in subscription order, and
    /// drops the subscribers whose owners have died. Returns how many were
    /// called. Computes in **O(n)** time plus the callbacks.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::Observers;
    ///
    /// let (a, b) = (Arc::new(()), Arc::new(()));
    /// let mut list: Observers<()> = Observers::new();
    /// list.subscribe(&a, |_, _| {});
    /// list.subscribe(&b, |_, _| {});
    /// drop(a);
    /// assert_eq!(list.notify(&()), 1);
    /// assert_eq!(list.len(), 1);
    /// ```
    pub fn notify(&mut self, event: &E) -> usize {
        let mut called = 0;
        self.subscribers.retain(|s| {
            let alive = s.callback.call(event);
            called += usize::from(alive);
            alive
        });
        self.rearm();
        called
    }

    /// Drops the subscribers whose owners have died, without calling
    /// anyone; returns how many. Computes in **O(n)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::Observers;
    ///
    /// let a = Arc::new(());
    /// let mut list: Observers<()> = Observers::new();
    /// list.subscribe(&a, |_, _| {});
    /// drop(a);
    /// assert_eq!(list.purge(), 1);
    /// ```
    pub fn purge(&mut self) -> usize {
        let before = self.subscribers.len();
        self.subscribers.retain(|s| !s.callback.is_dead());
        self.rearm();
        before - self.subscribers.len()
    }

    /// Subscriptions held, including those whose owners died since the last
    /// [`notify`](Self::notify) or [`purge`](Self::purge) (or the last
    /// [`subscribe`](Self::subscribe) that found the list doubled). Computes
    /// in **O(1)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::Observers;
    ///
    /// let a = Arc::new(());
    /// let mut list: Observers<()> = Observers::new();
    /// list.subscribe(&a, |_, _| {});
    /// assert_eq!(list.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.subscribers.len()
    }

    /// Whether no subscription is held. Computes in **O(1)** time.
    ///
    /// ```
    /// use leanmem::weak::Observers;
    ///
    /// assert!(Observers::<()>::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.subscribers.is_empty()
    }

    /// Subscriptions whose owners are alive now. Computes in **O(n)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::Observers;
    ///
    /// let (a, b) = (Arc::new(()), Arc::new(()));
    /// let mut list: Observers<()> = Observers::new();
    /// list.subscribe(&a, |_, _| {});
    /// list.subscribe(&b, |_, _| {});
    /// drop(b);
    /// assert_eq!((list.len(), list.live_len()), (2, 1));
    /// ```
    pub fn live_len(&self) -> usize {
        self.subscribers
            .iter()
            .filter(|s| !s.callback.is_dead())
            .count()
    }

    /// Removes every subscription. Computes in **O(n)** time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leanmem::weak::Observers;
    ///
    /// let a = Arc::new(());
    /// let mut list: Observers<()> = Observers::new();
    /// list.subscribe(&a, |_, _| {});
    /// list.clear();
    /// assert!(list.is_empty());
    /// ```
    pub fn clear(&mut self) {
        self.subscribers.clear();
        self.rearm();
    }
}

impl<E: ?Sized> Default for Observers<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: ?Sized> fmt::Debug for Observers<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Observers")
            .field("len", &self.len())
            .field("live", &self.live_len())
            .finish()
    }
}

impl<E: ?Sized> HeapSize for Observers<E> {
    /// The vector, each boxed callback, and the blocks of dead owners not
    /// yet dropped. Live owners count nothing here. A callback's closure
    /// is counted by its size only: what it captures on the heap (a
    /// captured `Vec`, say) cannot be seen through it and is not counted.
    fn heap_size_with(&self, cx: &mut HeapContext) -> usize {
        self.subscribers.capacity() * std::mem::size_of::<Subscriber<E>>()
            + self
                .subscribers
                .iter()
                .map(|s| {
                    std::mem::size_of_val::<dyn Callback<E>>(&*s.callback)
                        + s.callback.dead_block(cx)
                })
                .sum::<usize>()
    }
}
