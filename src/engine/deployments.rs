//! Agent deployments as the engine holds them: who is running where, what each
//! deployment may admit now, whether it exists, and its queue of waiting users.
//!
//! This is the one place that changes a deployment's occupancy or supply, so the
//! rules hold by construction: an admission needs room under the *admission
//! limit* (the capacity in force while the deployment accepts, 0 otherwise); a
//! capacity that shrinks below the running count cuts nobody, it only stops
//! admissions until the count falls; region totals move with their deployments.
//! Policies see all of it through [`Load`], read-only.

use std::collections::VecDeque;

use super::policy::Load;
use crate::model::World;

/// Where a deployment stands in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Not created yet: nobody can be sent or queued there.
    Planned,
    /// Created (it counts as users' home) and accepting when `up`.
    Live,
    /// Deleted: admits nobody; running sessions drain.
    Deleted,
}

/// Occupancy, supply and queues of every deployment, and the region totals.
#[derive(Debug)]
pub struct Deployments {
    busy: Vec<u32>,
    /// The admission limit: `in_force` while accepting, else 0.
    limit: Vec<u32>,
    /// The capacity in force: the configured one (`Deployment::capacity`) until
    /// a capacity event or the worker layer changes it.
    in_force: Vec<u32>,
    phase: Vec<Phase>,
    /// Start-up over.
    ready: Vec<bool>,
    /// In an outage.
    down: Vec<bool>,
    /// Created and not deleted, per deployment: what policies call "exists".
    live: Vec<bool>,
    region_of: Vec<u32>,
    region_busy: Vec<u32>,
    region_limit: Vec<u32>,
    /// Waiting users per deployment as (slot, generation) of the engine's slab;
    /// entries of users who left stay until skipped or compacted.
    waiting: Vec<VecDeque<(u32, u32)>>,
    waiting_live: Vec<u32>,
    max_queue: Vec<u32>,
}

impl Deployments {
    /// Every deployment of `world` as it stands at time 0.
    pub fn new(world: &World) -> Self {
        let n = world.deployments().len();
        let mut s = Self {
            busy: vec![0; n],
            limit: vec![0; n],
            in_force: world.deployments().iter().map(|d| d.capacity).collect(),
            phase: world
                .deployments()
                .iter()
                .map(|d| {
                    if d.created_at_s > 0.0 {
                        Phase::Planned
                    } else {
                        Phase::Live
                    }
                })
                .collect(),
            ready: world
                .deployments()
                .iter()
                .map(|d| d.ready_after_s == 0.0)
                .collect(),
            down: vec![false; n],
            live: vec![true; n],
            region_of: world
                .deployments()
                .iter()
                .map(|d| d.region as u32)
                .collect(),
            region_busy: vec![0; world.regions().len()],
            region_limit: vec![0; world.regions().len()],
            waiting: vec![VecDeque::new(); n],
            waiting_live: vec![0; n],
            max_queue: world.deployments().iter().map(|d| d.max_queue).collect(),
        };
        for d in 0..n {
            s.refresh(d);
        }
        s
    }

    /// Number of deployments.
    pub fn len(&self) -> usize {
        self.busy.len()
    }

    /// Whether there are none (never, for a validated world).
    pub fn is_empty(&self) -> bool {
        self.busy.is_empty()
    }

    /// What policies see.
    #[inline]
    pub fn load(&self) -> Load<'_> {
        Load {
            busy: &self.busy,
            limit: &self.limit,
            live: &self.live,
        }
    }

    /// The region deployment `d` lives in.
    #[inline]
    pub fn region(&self, d: usize) -> usize {
        self.region_of[d] as usize
    }

    /// Sessions running on `d`.
    pub fn busy(&self, d: usize) -> u32 {
        self.busy[d]
    }

    /// What `d` may hold now: its capacity while it accepts, else 0.
    pub fn limit(&self, d: usize) -> u32 {
        self.limit[d]
    }

    /// Whether `d` has been created and not deleted.
    pub fn is_live(&self, d: usize) -> bool {
        self.live[d]
    }

    /// Concurrency and admission limit of region `r`.
    #[inline]
    pub fn region_level(&self, r: usize) -> (u32, u32) {
        (self.region_busy[r], self.region_limit[r])
    }

    /// Admission limits per region, for the statistics' initial state.
    pub fn region_limits(&self) -> &[u32] {
        &self.region_limit
    }

    /// One more session on `d`; returns its region. The caller checked room.
    #[inline]
    pub fn admit(&mut self, d: usize) -> usize {
        debug_assert!(self.busy[d] < self.limit[d], "admission over the limit");
        self.busy[d] += 1;
        let r = self.region_of[d] as usize;
        self.region_busy[r] += 1;
        r
    }

    /// One session fewer on `d`; returns its region.
    #[inline]
    pub fn release(&mut self, d: usize) -> usize {
        self.busy[d] -= 1;
        let r = self.region_of[d] as usize;
        self.region_busy[r] -= 1;
        r
    }

    /// `n` sessions of `d` are gone at once (cut or moved away); returns its region.
    pub fn release_many(&mut self, d: usize, n: u32) -> usize {
        self.busy[d] -= n;
        let r = self.region_of[d] as usize;
        self.region_busy[r] -= n;
        r
    }

    /// Whether `d` can take a waiting user now.
    #[inline]
    pub fn has_room(&self, d: usize) -> bool {
        self.busy[d] < self.limit[d]
    }

    /// Set the capacity in force; returns `d`'s region.
    pub fn set_in_force(&mut self, d: usize, capacity: u32) -> usize {
        self.in_force[d] = capacity;
        self.refresh(d)
    }

    /// Move `d` to `phase`; returns its region.
    pub fn set_phase(&mut self, d: usize, phase: Phase) -> usize {
        self.phase[d] = phase;
        self.refresh(d)
    }

    /// Start-up of `d` is over; returns its region.
    pub fn set_ready(&mut self, d: usize) -> usize {
        self.ready[d] = true;
        self.refresh(d)
    }

    /// `d` goes down or comes back; returns its region.
    pub fn set_down(&mut self, d: usize, down: bool) -> usize {
        self.down[d] = down;
        self.refresh(d)
    }

    /// Recompute `d`'s admission limit and its region's after a supply change.
    fn refresh(&mut self, d: usize) -> usize {
        let live = self.phase[d] == Phase::Live;
        let limit = if live && self.ready[d] && !self.down[d] {
            self.in_force[d]
        } else {
            0
        };
        let r = self.region_of[d] as usize;
        self.region_limit[r] = self.region_limit[r] - self.limit[d] + limit;
        self.limit[d] = limit;
        self.live[d] = live;
        r
    }

    /// Park a user in `d`'s queue under its slab handle.
    pub fn enqueue(&mut self, d: usize, handle: (u32, u32)) {
        self.waiting[d].push_back(handle);
        self.waiting_live[d] += 1;
    }

    /// Whether `d`'s queue has room for one more waiting user.
    #[inline]
    pub fn queue_has_room(&self, d: usize) -> bool {
        self.waiting_live[d] < self.max_queue[d]
    }

    /// Whether anyone still waits for `d`.
    #[inline]
    pub fn has_waiting(&self, d: usize) -> bool {
        self.waiting_live[d] > 0
    }

    /// The next waiting user of `d` that `take` still finds (stale entries of
    /// users who left are dropped on the way).
    pub fn next_waiting<T>(
        &mut self,
        d: usize,
        mut take: impl FnMut(u32, u32) -> Option<T>,
    ) -> Option<T> {
        while let Some((slot, generation)) = self.waiting[d].pop_front() {
            if let Some(x) = take(slot, generation) {
                self.waiting_live[d] -= 1;
                return Some(x);
            }
        }
        None
    }

    /// A user waiting for `d` left (gave up); compact the queue once stale
    /// entries outnumber live ones, so queues stay bounded.
    pub fn left_queue(&mut self, d: usize, is_live: impl Fn(u32, u32) -> bool) {
        self.waiting_live[d] -= 1;
        let q = &mut self.waiting[d];
        if q.len() > 64 && q.len() > 2 * self.waiting_live[d] as usize {
            q.retain(|&(s, g)| is_live(s, g));
        }
    }

    /// Take `d`'s whole queue (slab handles, stale ones included), e.g. to
    /// dispatch its users again when `d` goes away.
    pub fn take_queue(&mut self, d: usize) -> Vec<(u32, u32)> {
        self.waiting_live[d] = 0;
        std::mem::take(&mut self.waiting[d]).into()
    }
}
