//! The radix heap (Ahuja, Mehlhorn, Orlin and Tarjan 1990) under the event list
//! of large worlds. It relies on what a discrete-event simulation guarantees:
//! no event is scheduled before the latest one taken out, so every entry's time
//! is at least `last`, the time of the latest pop. An entry then sits in the
//! bucket of the highest bit in which its time key differs from `last`; a
//! push is one leading-zero count and an append, and a pop only sorts out the
//! lowest non-empty bucket, whose entries each move to a lower bucket (at most
//! 64 moves per entry over its life, far fewer in practice).
//!
//! With tens of thousands of pending events a pop of the 4-ary heap walks a
//! chain of dependent loads through a heap larger than the caches; here most
//! work is sequential appends and scans (docs/performance.md, hold model). At a
//! few hundred pending events the 4-ary heap is faster, so the event list picks
//! this one only for worlds with many slots.
//!
//! The earliest entries are always sorted out ahead of time: bucket 0 holds
//! every entry at or before `last`, which is the time of the earliest entry,
//! as a 4-ary heap on the full key so equal times come out in insertion order.
//! A peek is then a look at its root, and the pop order is the 4-ary heap's
//! total order on (time, sequence). When bucket 0 runs empty the lowest
//! non-empty bucket's earliest time becomes `last` and that bucket is sorted
//! out. An event pushed before `last` (but not before the latest pop, so
//! before every entry of buckets 1..=64) joins bucket 0: in continuous time
//! that is a new earliest event, rare when many are pending.

use super::{heap::QuadHeap, Entry, MainHeap};

/// Bucket 0, then buckets 1..=64: the highest differing bit of the time key, plus one.
const BUCKETS: usize = 65;

/// Largest bucket allocation kept once the bucket is sorted out, in entries.
const KEEP: usize = 1024;

/// A radix heap of event-list entries, for worlds with many pending events.
#[derive(Debug)]
pub struct RadixHeap {
    /// Bucket 0: every entry at or before `last`; empty only when all are.
    at_last: QuadHeap,
    /// Bucket b in 1..=64: entries whose time key's highest bit differing from
    /// `last` is bit b - 1. Index 0 is unused.
    buckets: [Vec<Entry>; BUCKETS],
    /// Bit b - 1 set: bucket b is not empty.
    occupied: u64,
    /// Time key of the earliest entry (of the latest, once all are gone).
    last: u64,
}

impl Default for RadixHeap {
    fn default() -> Self {
        Self {
            at_last: QuadHeap::default(),
            buckets: std::array::from_fn(|_| Vec::new()),
            occupied: 0,
            last: 0,
        }
    }
}

impl MainHeap for RadixHeap {
    /// Buckets grow as they fill: nothing to reserve.
    fn with_room(_: usize) -> Self {
        RadixHeap::default()
    }

    #[inline]
    fn peek(&self) -> Option<&Entry> {
        self.at_last.peek()
    }

    #[inline]
    fn push(&mut self, e: Entry) {
        if self.at_last.len() == 0 {
            // Empty: the entry is the earliest.
            self.last = e.time_key;
            self.at_last.push(e);
        } else if e.time_key <= self.last {
            self.at_last.push(e);
        } else {
            self.place(e);
        }
    }

    #[inline]
    fn pop(&mut self) -> Option<Entry> {
        let top = self.at_last.pop()?;
        if self.at_last.len() == 0 && self.occupied != 0 {
            self.sort_out(self.occupied.trailing_zeros() as usize + 1);
        }
        Some(top)
    }

    /// Counted, not kept: only tests and rare callers ask, and a running count
    /// would cost every push and sort.
    fn len(&self) -> usize {
        self.at_last.len() + self.buckets.iter().map(Vec::len).sum::<usize>()
    }

    fn take_all(&mut self) -> Vec<Entry> {
        let mut all = std::mem::take(&mut self.at_last.v);
        for bucket in &mut self.buckets {
            all.append(bucket);
        }
        self.occupied = 0;
        all
    }
}

impl RadixHeap {
    /// Put an entry later than `last` in its bucket.
    #[inline(always)]
    fn place(&mut self, e: Entry) {
        let b = 64 - (e.time_key ^ self.last).leading_zeros() as usize;
        self.buckets[b].push(e);
        self.occupied |= 1 << (b - 1);
    }

    /// Make the earliest time of bucket `b`, the lowest non-empty one, the new
    /// `last` and move the bucket's entries down: those at that time to bucket
    /// 0, the others to buckets below `b` (they agree with the new `last` on
    /// every bit from b - 1 up). In continuous time bucket 0 then holds one
    /// entry, so this runs on most pops; its cost is the bucket's size.
    fn sort_out(&mut self, b: usize) {
        self.occupied &= !(1 << (b - 1));
        let mut moving = std::mem::take(&mut self.buckets[b]);
        self.last = moving.iter().map(|e| e.time_key).min().unwrap_or(u64::MAX);
        for e in moving.drain(..) {
            if e.time_key == self.last {
                self.at_last.push(e);
            } else {
                self.place(e);
            }
        }
        // Keep a small bucket's allocation for its next fill; a large one
        // refills slowly, by pushes, and would keep its peak for nothing.
        if moving.capacity() <= KEEP {
            self.buckets[b] = moving;
        }
    }
}
