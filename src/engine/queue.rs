//! The future-event list: a binary min-heap on (time, insertion sequence), so
//! events at the same time come out in the order they were scheduled and a run
//! is deterministic whatever the platform's sort would do with ties.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// What happens at an event. `a` and `b` are the kind's payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    /// Next arrival of population `a`.
    Arrival,
    /// A session on deployment `a` ends.
    Departure,
    /// Waiting session in slot `a` (generation `b`) gives up.
    Abandon,
    /// Session in slot `a` (generation `b`) is dispatched again.
    Redispatch,
}

/// One scheduled event, 24 bytes.
#[derive(Debug, Clone, Copy)]
pub struct Event {
    /// Simulated time, seconds.
    pub time: f64,
    seq: u64,
    /// Kind of event.
    pub kind: Kind,
    /// First payload word.
    pub a: u32,
    /// Second payload word.
    pub b: u32,
}

impl PartialEq for Event {
    fn eq(&self, other: &Self) -> bool {
        self.seq == other.seq
    }
}
impl Eq for Event {}
impl PartialOrd for Event {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Event {
    /// Reversed, so the std max-heap pops the earliest event first.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .time
            .total_cmp(&self.time)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

/// Min-heap of events with deterministic tie-breaking.
#[derive(Debug, Default)]
pub struct EventQueue {
    heap: BinaryHeap<Event>,
    next_seq: u64,
}

impl EventQueue {
    /// An empty queue with room for `n` events.
    pub fn with_capacity(n: usize) -> Self {
        Self {
            heap: BinaryHeap::with_capacity(n),
            next_seq: 0,
        }
    }

    /// Schedule an event.
    #[inline]
    pub fn push(&mut self, time: f64, kind: Kind, a: u32, b: u32) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Event {
            time,
            seq,
            kind,
            a,
            b,
        });
    }

    /// Remove and return the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<Event> {
        self.heap.pop()
    }

    /// Number of scheduled events.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether nothing is scheduled.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_and_ties_in_insertion_order() {
        let mut q = EventQueue::default();
        q.push(2.0, Kind::Arrival, 0, 0);
        q.push(1.0, Kind::Departure, 1, 0);
        q.push(1.0, Kind::Departure, 2, 0);
        q.push(1.0, Kind::Arrival, 3, 0);
        let order: Vec<u32> = std::iter::from_fn(|| q.pop()).map(|e| e.a).collect();
        assert_eq!(order, vec![1, 2, 3, 0]);
    }
}
