//! Rows of the `deque` module: a FIFO after a burst and a drain, the same
//! queue full, and a bounded window over a stream.

use std::collections::VecDeque;

use circular_buffer::HeapCircularBuffer;
use leanmem::deque::{Deque, InlineDeque};
use ringbuf::LocalRb;
use ringbuf::storage::Heap as RbHeap;

use crate::report::{Options, Report, Role};

pub(crate) fn add(report: &mut Report, options: &Options) {
    let n = options.size(1_000_000, 50_000) as u64;

    let dataset = format!("{n} u64 queued (FIFO, full)");
    report.measure(
        "deque",
        &dataset,
        "Vec<u64> (list as a queue)",
        Role::Naive,
        n as usize,
        || {
            let mut v = Vec::new();
            (0..n).for_each(|i| v.push(i));
            v
        },
    );
    report.measure(
        "deque",
        &dataset,
        "VecDeque<u64>",
        Role::Peer,
        n as usize,
        || {
            let mut d = VecDeque::new();
            (0..n).for_each(|i| d.push_back(i));
            d
        },
    );
    report.measure_checked(
        "deque",
        &dataset,
        "Deque<u64>",
        Role::Leanmem,
        n as usize,
        || {
            let mut d = Deque::new();
            (0..n).for_each(|i| {
                d.push_back(i);
            });
            d
        },
    );

    // Elements = the peak: bytes per element is what each keeps per item
    // of the burst it went through.
    let dataset = format!("{n} u64 queued, then all consumed (held after the burst)");
    report.measure(
        "deque",
        &dataset,
        "Vec<u64> (consumed, then clear)",
        Role::Naive,
        n as usize,
        || {
            let mut v = Vec::new();
            (0..n).for_each(|i| v.push(i));
            v.clear();
            v
        },
    );
    report.measure(
        "deque",
        &dataset,
        "VecDeque<u64> (pop_front all)",
        Role::Peer,
        n as usize,
        || {
            let mut d = VecDeque::new();
            (0..n).for_each(|i| d.push_back(i));
            while d.pop_front().is_some() {}
            d
        },
    );
    report.measure_checked(
        "deque",
        &dataset,
        "Deque<u64> (pop_front all)",
        Role::Leanmem,
        n as usize,
        || {
            let mut d = Deque::new();
            (0..n).for_each(|i| {
                d.push_back(i);
            });
            while d.pop_front().is_some() {}
            d
        },
    );

    const WINDOW: usize = 1024;
    let pushes = options.size(100_000, 10_000) as u64;
    let dataset = format!("last {WINDOW} of {pushes} u64 (bounded window)");
    report.measure(
        "deque",
        &dataset,
        "Vec<u64> + remove(0)",
        Role::Naive,
        WINDOW,
        || {
            let mut v = Vec::new();
            for i in 0..pushes {
                if v.len() == WINDOW {
                    v.remove(0);
                }
                v.push(i);
            }
            v
        },
    );
    report.measure(
        "deque",
        &dataset,
        "VecDeque<u64> + pop_front",
        Role::Peer,
        WINDOW,
        || {
            let mut d = VecDeque::with_capacity(WINDOW);
            for i in 0..pushes {
                if d.len() == WINDOW {
                    d.pop_front();
                }
                d.push_back(i);
            }
            d
        },
    );
    report.measure(
        "deque",
        &dataset,
        "circular_buffer::HeapCircularBuffer<u64>",
        Role::Peer,
        WINDOW,
        || {
            let mut d = HeapCircularBuffer::with_capacity(WINDOW);
            d.extend(0..pushes);
            d
        },
    );
    report.measure(
        "deque",
        &dataset,
        "ringbuf::LocalRb<Heap<u64>>",
        Role::Peer,
        WINDOW,
        || {
            let mut d = LocalRb::<RbHeap<u64>>::new(WINDOW);
            for i in 0..pushes {
                d.push_overwrite(i);
            }
            d
        },
    );
    report.measure_checked(
        "deque",
        &dataset,
        "Deque<u64>::with_maxlen",
        Role::Leanmem,
        WINDOW,
        || {
            let mut d = Deque::with_maxlen(WINDOW);
            d.extend(0..pushes);
            d
        },
    );
    report.measure_checked(
        "deque",
        &dataset,
        "InlineDeque<u64, 1024> (no heap)",
        Role::Leanmem,
        WINDOW,
        || {
            let mut d: InlineDeque<u64, WINDOW> = Deque::inline();
            d.extend(0..pushes);
            d
        },
    );
}
