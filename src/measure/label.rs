//! Labelled attribution and snapshots: tracemalloc's `statistics` and
//! `compare_to`, by label instead of by traceback.

use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use super::alloc::{LABELLED, THREAD};
use super::is_tracking;
use crate::error::MeasureError;

/// Index of a label in the registry; 0 is "unlabelled".
pub(crate) type LabelId = u16;

/// The most distinct labels a process can register, including the built-in
/// [`UNLABELLED`] and [`OTHER_LABELS`].
pub const MAX_LABELS: usize = 256;

/// The label of blocks allocated outside any [`label`] scope.
pub const UNLABELLED: &str = "<unlabelled>";

/// The label that collects blocks of the labels named after the first
/// `MAX_LABELS − 2` (the two built-in labels take the other ids).
pub const OTHER_LABELS: &str = "<other labels>";

const OTHER_ID: LabelId = (MAX_LABELS - 1) as LabelId;

pub(crate) struct LabelCounters {
    bytes: AtomicUsize,
    blocks: AtomicUsize,
    allocations: AtomicUsize,
}

impl LabelCounters {
    const fn new() -> Self {
        Self {
            bytes: AtomicUsize::new(0),
            blocks: AtomicUsize::new(0),
            allocations: AtomicUsize::new(0),
        }
    }

    #[inline]
    pub(crate) fn on_alloc(&self, size: usize) {
        self.bytes.fetch_add(size, Relaxed);
        self.blocks.fetch_add(1, Relaxed);
        self.allocations.fetch_add(1, Relaxed);
    }

    #[inline]
    pub(crate) fn on_dealloc(&self, size: usize) {
        self.bytes.fetch_sub(size, Relaxed);
        self.blocks.fetch_sub(1, Relaxed);
    }

    /// A block of this label resized in place or moved: its bytes change,
    /// no block is allocated.
    #[inline]
    pub(crate) fn on_resize(&self, old: usize, new: usize) {
        if new >= old {
            self.bytes.fetch_add(new - old, Relaxed);
        } else {
            self.bytes.fetch_sub(old - new, Relaxed);
        }
    }
}

pub(crate) static LABELS: [LabelCounters; MAX_LABELS] =
    [const { LabelCounters::new() }; MAX_LABELS];

/// Label names by id. Names are leaked once each (at most `MAX_LABELS`), so
/// snapshots can hand out `&'static str`.
static NAMES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

fn names() -> std::sync::MutexGuard<'static, Vec<&'static str>> {
    // A poisoned registry is still consistent: every push is a single step.
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if names.is_empty() {
        names.push(UNLABELLED);
    }
    names
}

fn label_id(name: &str) -> LabelId {
    // The overflow bucket's name is that bucket, never a second label that
    // snapshots could not tell apart from it.
    if name == OTHER_LABELS {
        return OTHER_ID;
    }
    let mut names = names();
    if let Some(i) = names.iter().position(|n| *n == name) {
        return i as LabelId;
    }
    if names.len() >= usize::from(OTHER_ID) {
        return OTHER_ID;
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.push(leaked);
    (names.len() - 1) as LabelId
}

/// Runs `f`, attributing the blocks it allocates on this thread to `name`.
///
/// Labels nest: the innermost one wins, and the outer one is restored when
/// `f` returns or unwinds. A block keeps its label until it is freed, on any
/// thread; a block that is *reallocated* moves to the label current at the
/// reallocation (as a `realloc` call site gets its own trace in tracemalloc).
/// Blocks allocated by threads that `f` spawns are attributed to those
/// threads' labels, not to `name`.
///
/// Labels are only recorded by a [`TrackingAllocator`](super::TrackingAllocator)
/// built [`with_labels`](super::TrackingAllocator::with_labels); otherwise
/// `f` simply runs and [`Snapshot::take`] reports
/// [`MeasureError::LabelsDisabled`]. A process can register up to
/// [`MAX_LABELS`] − 2 distinct names; later names share [`OTHER_LABELS`].
/// The built-in names denote the built-in labels: `label(UNLABELLED, ..)`
/// attributes to [`UNLABELLED`], `label(OTHER_LABELS, ..)` to the shared
/// bucket.
///
/// ```
/// use leanmem::measure::{self, Snapshot, TrackingAllocator};
///
/// #[global_allocator]
/// static ALLOC: TrackingAllocator = TrackingAllocator::system().with_labels();
///
/// fn main() {
///     let before = Snapshot::take().unwrap();
///     let words = measure::label("load", || vec![String::from("a"); 100]);
///     let after = Snapshot::take().unwrap();
///     let diff = after.compare_to(&before);
///     let load = diff.iter().find(|d| d.label == "load").unwrap();
///     assert_eq!(load.bytes_diff, 100 * 24 + 100);
///     # drop(words);
/// }
/// ```
pub fn label<R>(name: &str, f: impl FnOnce() -> R) -> R {
    struct Restore(LabelId);
    impl Drop for Restore {
        fn drop(&mut self) {
            let _ = THREAD.try_with(|t| t.label.set(self.0));
        }
    }
    // Registering a new name allocates; that belongs to no label.
    let previous = THREAD.with(|t| t.label.replace(0));
    let _restore = Restore(previous);
    let id = label_id(name);
    THREAD.with(|t| t.label.set(id));
    f()
}

/// Live blocks of one label at the time of a [`Snapshot`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LabelStat {
    /// The label, or [`UNLABELLED`].
    pub label: &'static str,
    /// Bytes requested by live blocks of this label.
    pub bytes: usize,
    /// Live blocks of this label.
    pub blocks: usize,
    /// Blocks ever allocated under this label (including freed ones).
    pub allocations: usize,
}

/// How one label changed between two snapshots; see [`Snapshot::compare_to`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LabelDiff {
    /// The label.
    pub label: &'static str,
    /// Live bytes in the newer snapshot.
    pub bytes: usize,
    /// Live bytes, newer minus older.
    pub bytes_diff: isize,
    /// Live blocks in the newer snapshot.
    pub blocks: usize,
    /// Live blocks, newer minus older.
    pub blocks_diff: isize,
    /// Blocks allocated between the two snapshots.
    pub allocations_diff: usize,
}

/// The live heap by label at one moment: tracemalloc's `take_snapshot`.
///
/// Requires a [`TrackingAllocator`](super::TrackingAllocator) built
/// [`with_labels`](super::TrackingAllocator::with_labels). Counts are
/// process-wide (every thread), read without stopping other threads, so a
/// snapshot taken while other threads allocate is a close, not atomic, view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    stats: Vec<LabelStat>,
    current: usize,
    peak: usize,
}

impl Snapshot {
    /// Reads the per-label counters.
    ///
    /// Computes in **O(labels)** time.
    ///
    /// # Errors
    ///
    /// [`MeasureError::NotTracking`] when no tracking allocator is installed,
    /// [`MeasureError::LabelsDisabled`] when it was built without labels.
    ///
    /// ```
    /// use leanmem::measure::{MeasureError, Snapshot};
    ///
    /// // This doctest installs no tracking allocator.
    /// assert_eq!(Snapshot::take(), Err(MeasureError::NotTracking));
    /// ```
    pub fn take() -> Result<Self, MeasureError> {
        if !is_tracking() {
            return Err(MeasureError::NotTracking);
        }
        if !LABELLED.load(Relaxed) {
            return Err(MeasureError::LabelsDisabled);
        }
        let mut stats: Vec<LabelStat> = {
            let names = names();
            let mut ids: Vec<usize> = (0..names.len()).collect();
            ids.push(usize::from(OTHER_ID));
            ids.into_iter()
                .map(|id| {
                    let c = &LABELS[id];
                    LabelStat {
                        label: names.get(id).copied().unwrap_or(OTHER_LABELS),
                        bytes: c.bytes.load(Relaxed),
                        blocks: c.blocks.load(Relaxed),
                        allocations: c.allocations.load(Relaxed),
                    }
                })
                .collect()
        };
        stats.sort_by(|a, b| b.bytes.cmp(&a.bytes).then(a.label.cmp(b.label)));
        let (current, peak) = super::traced_memory().ok_or(MeasureError::NotTracking)?;
        Ok(Self {
            stats,
            current,
            peak,
        })
    }

    /// Live blocks per label, largest first: tracemalloc's `statistics`.
    #[must_use]
    pub fn statistics(&self) -> &[LabelStat] {
        &self.stats
    }

    /// The statistics of one label, if it was registered when the snapshot
    /// was taken.
    #[must_use]
    pub fn get(&self, label: &str) -> Option<&LabelStat> {
        self.stats.iter().find(|s| s.label == label)
    }

    /// Live bytes of the whole process when the snapshot was taken.
    #[must_use]
    pub fn current(&self) -> usize {
        self.current
    }

    /// Peak live bytes of the process up to the snapshot.
    #[must_use]
    pub fn peak(&self) -> usize {
        self.peak
    }

    /// What changed since `earlier`, by label, largest absolute byte change
    /// first, then largest size: tracemalloc's `compare_to`. A label absent
    /// from one snapshot counts as zero there, so every label of either
    /// snapshot is listed.
    ///
    /// `earlier` is expected to be the older snapshot. Given a newer one,
    /// the byte and block differences are still exact (negative where the
    /// older one has less), and `allocations_diff`, which cannot be
    /// negative, is 0.
    ///
    /// Computes in **O(labels²)** time (at most [`MAX_LABELS`] labels).
    #[must_use]
    pub fn compare_to(&self, earlier: &Snapshot) -> Vec<LabelDiff> {
        let zero = |label| LabelStat {
            label,
            bytes: 0,
            blocks: 0,
            allocations: 0,
        };
        let diff = |now: &LabelStat, before: &LabelStat| LabelDiff {
            label: now.label,
            bytes: now.bytes,
            bytes_diff: signed_diff(now.bytes, before.bytes),
            blocks: now.blocks,
            blocks_diff: signed_diff(now.blocks, before.blocks),
            // Label counters only grow: a lower count here means `earlier`
            // is the newer snapshot.
            allocations_diff: now.allocations.saturating_sub(before.allocations),
        };
        let mut diffs: Vec<LabelDiff> = self
            .stats
            .iter()
            .map(|now| diff(now, earlier.get(now.label).unwrap_or(&zero(now.label))))
            .chain(
                earlier
                    .stats
                    .iter()
                    .filter(|e| self.get(e.label).is_none())
                    .map(|e| diff(&zero(e.label), e)),
            )
            .collect();
        diffs.sort_by(|a, b| {
            b.bytes_diff
                .unsigned_abs()
                .cmp(&a.bytes_diff.unsigned_abs())
                .then(b.bytes.cmp(&a.bytes))
                .then(a.label.cmp(b.label))
        });
        diffs
    }
}

fn signed_diff(now: usize, before: usize) -> isize {
    (now as isize).wrapping_sub(before as isize)
}

impl fmt::Display for Snapshot {
    /// One line per label with live blocks, largest first.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "live {} (peak {})",
            super::format_bytes(self.current),
            super::format_bytes(self.peak)
        )?;
        for s in self.stats.iter().filter(|s| s.blocks > 0) {
            writeln!(
                f,
                "{}: size={}, count={}",
                s.label,
                super::format_bytes(s.bytes),
                s.blocks
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for LabelDiff {
    /// tracemalloc's format: `parse: size=1.2 MiB (+1.2 MiB), count=10 (+10)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.bytes_diff < 0 { "-" } else { "+" };
        write!(
            f,
            "{}: size={} ({sign}{}), count={} ({:+})",
            self.label,
            super::format_bytes(self.bytes),
            super::format_bytes(self.bytes_diff.unsigned_abs()),
            self.blocks,
            self.blocks_diff
        )
    }
}
