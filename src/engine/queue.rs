//! The future-event list: a min-heap on (time, insertion sequence), so
//! events at the same time come out in the order they were scheduled and a run
//! is deterministic whatever the platform's sort would do with ties.
//!
//! Popping dominates the engine's time (every session pops an arrival and a
//! departure), and a pop is bounded by its chain of dependent loads and
//! compares. So: recurring events (one pending per source: each population's
//! next arrival, each worker pool's next tick) sit in a small heap of their
//! own; everything else in a 4-ary heap that moves the hole to a leaf by
//! a tournament of four keys per level, then sifts the last entry up (half the
//! levels of a binary heap, no unpredictable branch per level). Entries are 24
//! bytes ordered as one 128-bit integer: time mapped to an order-preserving u64,
//! then the insertion sequence. A plain 4-ary sift-down with early exit was
//! measured too and lost to the standard binary heap (docs/performance.md).
//!
//! Worlds with tens of thousands of busy slots outgrow the caches with that
//! heap; the main heap is a type parameter ([`MainHeap`]) so they run on a
//! radix heap instead, with the very same pop order.

mod heap;
mod pending;
mod radix;

pub use heap::QuadHeap;
pub use pending::{MainHeap, RADIX_FROM};
pub use radix::RadixHeap;

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
    /// Timeline step `a` is due.
    Timeline,
    /// Session in slot `a` (generation `b`), whose agent failed, is dispatched
    /// again as at its first attempt.
    Failover,
    /// A session on a worker ends: deployment `a & 0x3fff`, worker `a >> 14`;
    /// `b` as for [`Kind::Departure`].
    WorkerDeparture,
    /// Load sampling, reporting or autoscaling of some worker pool is due
    /// (one event for every pool due at that instant).
    WorkerTick,
    /// Worker `b` of pool `a` finishes provisioning.
    WorkerReady,
    /// Next arrival of population `a`, which replays a trace.
    TraceArrival,
}

impl Kind {
    /// Whether a source keeps about one such event pending and schedules
    /// its next one when it comes out (each population's arrivals, the
    /// worker pools' tick): these live in the event list's small heap.
    #[inline(always)]
    pub fn recurring(self) -> bool {
        matches!(self, Kind::Arrival | Kind::WorkerTick | Kind::TraceArrival)
    }

    /// Whether its source schedules it again on a clock of its own (an hourly
    /// capacity schedule's next hour: timeline steps are pushed during a run
    /// by nothing else; the worker pools' next tick). Such an event must come
    /// strictly after the one it follows, or the source would fire at one
    /// instant forever. An arrival may share its predecessor's instant (two
    /// draws closer than the clock's resolution), but each draws afresh, so it
    /// cannot repeat forever unless the rate is absurd, which the workload
    /// estimate refuses.
    #[inline(always)]
    pub fn clocked(self) -> bool {
        matches!(self, Kind::Timeline | Kind::WorkerTick)
    }
}

/// Every kind, indexed by its discriminant (the low bits of an entry's key).
const KINDS: [Kind; 10] = [
    Kind::Arrival,
    Kind::Departure,
    Kind::Abandon,
    Kind::Redispatch,
    Kind::Timeline,
    Kind::Failover,
    Kind::WorkerDeparture,
    Kind::WorkerTick,
    Kind::WorkerReady,
    Kind::TraceArrival,
];

/// Bits of an entry's second key word that hold the kind; the insertion
/// sequence sits above them. Eight bits leave 2^56 sequence numbers, far more
/// events than a run can process, and room for 256 kinds.
const KIND_BITS: u32 = 8;

// A kind that does not fit its bits would silently corrupt the event order, and a
// kind missing from `KINDS` would decode as another: refuse both at compile time.
const _: () = {
    assert!(KINDS.len() <= 1 << KIND_BITS);
    let mut i = 0;
    while i < KINDS.len() {
        assert!(KINDS[i] as usize == i);
        i += 1;
    }
};

/// One scheduled event as the engine sees it.
#[derive(Debug, Clone, Copy)]
pub struct Event {
    /// Simulated time, seconds.
    pub time: f64,
    /// Kind of event.
    pub kind: Kind,
    /// First payload word.
    pub a: u32,
    /// Second payload word.
    pub b: u32,
}

/// A heap entry, 24 bytes: ordered key words first, payload after.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// `time` mapped to an unsigned integer with the same total order.
    time_key: u64,
    /// Insertion sequence << KIND_BITS | kind: unique, so ties resolve in insertion order.
    seq_kind: u64,
    a: u32,
    b: u32,
}

impl Entry {
    #[inline(always)]
    fn key(&self) -> u128 {
        (self.time_key as u128) << 64 | self.seq_kind as u128
    }

    #[inline(always)]
    fn event(&self) -> Event {
        Event {
            time: from_order_key(self.time_key),
            kind: KINDS[(self.seq_kind & ((1 << KIND_BITS) - 1)) as usize],
            a: self.a,
            b: self.b,
        }
    }
}

/// f64 -> u64 preserving `f64::total_cmp` order (and its inverse).
#[inline(always)]
fn order_key(t: f64) -> u64 {
    let b = t.to_bits();
    b ^ ((((b as i64) >> 63) as u64) >> 1 | 1 << 63)
}

#[inline(always)]
fn from_order_key(k: u64) -> f64 {
    let b = if k >> 63 == 1 { k ^ (1 << 63) } else { !k };
    f64::from_bits(b)
}

/// Min-heap of events with deterministic tie-breaking.
///
/// Recurring events live in their own small heap (one pending arrival per
/// population, one pending tick per worker pool) and everything else in the
/// main one (both 4-ary: unlike the standard heap's push, which writes the
/// entry then reads it back and stalls on store forwarding, ours sifts the
/// entry up from registers); `pop` takes the earlier of the two tops by the
/// same (time, sequence) key, so the order is exactly that of a single heap.
/// Half of all events are arrivals (and most of a worker run's are ticks), and
/// each costs a sift through a heap of a few entries instead of one the size
/// of the busy slots.
///
/// A popped recurring event stays at the root of its heap, marked taken: its
/// handler schedules the source's next one, and that push refills the root
/// with one walk down instead of a pop's walk down plus a push's walk up (the
/// same entries in the same order, so the same event order; a refill is a
/// pop and a push whatever the entry). Any other operation first removes a
/// taken root for good.
#[derive(Debug, Default)]
pub struct EventQueue<H = QuadHeap> {
    heap: H,
    recurring: QuadHeap,
    next_seq: u64,
    /// The recurring heap's root was handed out by `pop` and awaits its replacement.
    root_taken: bool,
    /// Debug builds: the time of the latest event popped (None before the
    /// first), so that a push into the past, or a clocked event at or before
    /// the current instant, fails at once instead of hanging a run.
    #[cfg(debug_assertions)]
    popped_at: Option<f64>,
}

impl<H: MainHeap> EventQueue<H> {
    /// An empty queue with room for about `n` pending events.
    pub fn with_room(n: usize) -> Self {
        Self {
            heap: H::with_room(n),
            ..Self::default()
        }
    }

    /// Schedule an event.
    #[inline(always)]
    pub fn push(&mut self, time: f64, kind: Kind, a: u32, b: u32) {
        #[cfg(debug_assertions)]
        if let Some(now) = self.popped_at {
            debug_assert!(
                time >= now,
                "{kind:?} scheduled at {time} s, before now ({now} s)"
            );
            debug_assert!(
                time > now || !kind.clocked(),
                "{kind:?} scheduled again at the current instant ({now} s): it would repeat forever"
            );
        }
        let e = Entry {
            time_key: order_key(time),
            seq_kind: self.next_seq << KIND_BITS | kind as u64,
            a,
            b,
        };
        self.next_seq += 1;
        if kind.recurring() {
            if std::mem::take(&mut self.root_taken) {
                self.recurring.replace_top(e);
            } else {
                self.recurring.push(e);
            }
        } else {
            self.heap.push(e);
        }
    }

    /// Remove the recurring heap's root for good if `pop` handed it out and
    /// nothing replaced it.
    #[inline]
    fn settle(&mut self) {
        if std::mem::take(&mut self.root_taken) {
            self.recurring.pop();
        }
    }

    /// Remove and return the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<Event> {
        self.settle();
        let from_recurring = match (self.recurring.peek(), self.heap.peek()) {
            (Some(a), Some(h)) => a.key() < h.key(),
            (Some(_), None) => true,
            (None, _) => false,
        };
        if from_recurring {
            self.root_taken = true;
            let e = self.recurring.peek().map(Entry::event);
            return self.popped(e);
        }
        let e = self.heap.pop().map(|e| e.event());
        self.popped(e)
    }

    /// `e`, noted as the current instant in debug builds (the identity otherwise).
    #[inline(always)]
    fn popped(&mut self, e: Option<Event>) -> Option<Event> {
        #[cfg(debug_assertions)]
        if let Some(e) = &e {
            self.popped_at = Some(e.time);
        }
        e
    }

    /// Remove every scheduled non-recurring event `take` accepts and return them
    /// in the order they would have come out. The heap is rebuilt, so this is
    /// for rare moments (a deployment's sessions cut or moved), not per event.
    pub fn extract(&mut self, mut take: impl FnMut(&Event) -> bool) -> Vec<Event> {
        self.settle();
        let entries = self.heap.take_all();
        let (mut out, mut keep): (Vec<Entry>, Vec<Entry>) =
            entries.into_iter().partition(|e| take(&e.event()));
        // Earliest first: the radix heap then keeps only the earliest time in
        // its bucket 0, and the 4-ary heap's sift-ups stop at once.
        keep.sort_unstable_by_key(Entry::key);
        for e in keep {
            self.heap.push(e);
        }
        out.sort_unstable_by_key(Entry::key);
        out.iter().map(Entry::event).collect()
    }

    /// Time of the earliest event, if any.
    #[inline]
    pub fn peek_time(&mut self) -> Option<f64> {
        self.settle();
        let a = self.recurring.peek().map(Entry::key);
        let h = self.heap.peek().map(Entry::key);
        let k = match (a, h) {
            (Some(a), Some(h)) => a.min(h),
            (a, h) => a.or(h)?,
        };
        Some(from_order_key((k >> 64) as u64))
    }

    /// Number of scheduled events.
    pub fn len(&self) -> usize {
        self.heap.len() + self.recurring.len() - usize::from(self.root_taken)
    }

    /// Whether nothing is scheduled.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests;
