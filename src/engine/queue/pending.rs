//! The event list's main store of non-recurring events: one of two heaps,
//! chosen once per run by the number of events a world can hold pending. The
//! 4-ary heap serves the few hundred of a usual world, the radix heap from
//! [`RADIX_FROM`] on (docs/performance.md). Both pop the same total order on
//! (time, sequence), so the choice never changes a result. The engine is
//! compiled for each, so the usual world's hot path has no branch on it
//! (a run-time switch cost the reference scenario 8 %).

use super::Entry;

/// From this many expected pending events on, the radix heap is the faster:
/// a 4-ary heap of 16 384 entries of 24 bytes (384 kB) fills most of a
/// 512 kB L2 cache, and past it each pop waits on its chain of loads.
/// Measured on the engine (docs/performance.md): even at 15 000 pending,
/// 1.05x faster at 30 000, 1.23x at 90 000 and 1.92x at 285 000.
pub const RADIX_FROM: usize = 1 << 14;

/// A min-heap of event-list entries by their (time, sequence) key.
pub trait MainHeap: Default + std::fmt::Debug {
    /// An empty heap with room for about `n` entries, if it keeps room.
    fn with_room(n: usize) -> Self;
    /// The earliest entry.
    fn peek(&self) -> Option<&Entry>;
    /// Add an entry, never earlier than the latest one popped.
    fn push(&mut self, e: Entry);
    /// Remove the earliest entry.
    fn pop(&mut self) -> Option<Entry>;
    /// Number of entries.
    fn len(&self) -> usize;
    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Remove and return every entry, in no particular order.
    fn take_all(&mut self) -> Vec<Entry>;
}
