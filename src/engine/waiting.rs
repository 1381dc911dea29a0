//! Users waiting in a deployment's queue: served first come first served as
//! room frees, or giving up when their patience runs out. Apart from the
//! session's start and end, which every run takes, because only worlds with
//! queues come here.

use super::queue::MainHeap;
use super::Engine;
use crate::engine::policy::Policy;

impl<P: Policy, H: MainHeap> Engine<'_, P, H> {
    /// Give freed room on `d` to the users waiting for it, first come first served.
    pub(super) fn serve_waiting(&mut self, d: usize) {
        while self.deps.has_waiting(d) && self.deps.has_room(d) {
            let parked = &mut self.parked;
            match self.deps.next_waiting(d, |slot, g| parked.take(slot, g)) {
                Some((s, _)) => self.start(s, d),
                None => break,
            }
        }
    }

    pub(super) fn on_abandon(&mut self, slot: u32, generation: u32) {
        // An abandon timer is set only for a user parked in a queue, so the
        // session it still names has its deployment.
        let Some((s, Some(d))) = self.parked.take(slot, generation) else {
            return;
        };
        // The queue entry stays behind and is skipped, or compacted away once
        // stale entries outnumber live ones (so queues stay bounded).
        let parked = &self.parked;
        self.deps
            .left_queue(d as usize, |slot, g| parked.is_live(slot, g));
        self.lost(&s, true);
    }
}
