//! The discrete-event engine: one replication of a world under a policy.
//!
//! Continuous time in seconds from UTC midnight. Each population keeps exactly
//! one pending arrival in the event list; a session draws all its attributes at
//! arrival from its population's attribute stream, so the draws a policy sees do
//! not depend on earlier decisions (common random numbers across policies). The
//! hot path allocates nothing once the heap and slabs have grown to their peak.

mod arrivals;
pub mod deployments;
pub mod layout;
mod path;
pub mod policy;
mod progress;
pub mod queue;
pub mod record;
pub mod rng;
mod session;
mod timeline;
mod trace;
mod waiting;
mod workers;

use crate::model::World;
use crate::stats::RunStats;
use arrivals::Source;
use deployments::Deployments;
use policy::{AnyPolicy, Policy};
pub use progress::Progress;
use queue::{EventQueue, Kind, MainHeap, QuadHeap, RadixHeap, RADIX_FROM};
pub use record::simulate_recorded;
use record::SessionSink;
use rng::{stream, Purpose, SimRng};
use session::{draw_wait_and_delays, Cause, Draws, Session, Slab, Tag};

/// How often (in events) the engine reports progress.
const PROGRESS_EVERY: u64 = 1 << 16;

/// Run one replication of `world` with the scenario's policy.
pub fn simulate(world: &World, replication: u32, progress: &dyn Progress) -> RunStats {
    simulate_with(world, AnyPolicy::from_world(world), replication, progress)
}

/// Run one replication of `world` under `policy`.
pub fn simulate_with<P: Policy>(
    world: &World,
    policy: P,
    replication: u32,
    progress: &dyn Progress,
) -> RunStats {
    // The engine is compiled for each event-list heap, so neither pays for the
    // other on its hot path; both give the same event order.
    if expected_pending(world) >= RADIX_FROM {
        Engine::<P, RadixHeap>::new(world, policy, replication).run_to_end(progress)
    } else {
        Engine::<P, QuadHeap>::new(world, policy, replication).run_to_end(progress)
    }
}

/// Run one replication of `world` with the scenario's policy on event-list
/// heap `H`, whatever the world's size ([`simulate`] picks the faster one):
/// for checking that both give the very same run.
pub fn simulate_on<H: MainHeap>(
    world: &World,
    replication: u32,
    progress: &dyn Progress,
) -> RunStats {
    Engine::<AnyPolicy, H>::new(world, AnyPolicy::from_world(world), replication)
        .run_to_end(progress)
}

/// Run one replication of `world` with every worker pool taking each sample
/// and report at its instant, never resting, and passing over every worker
/// index it ever held ([`simulate`] lets a pool whose every figure is
/// settled skip them until something in it changes, and stops its passes at
/// its highest live worker): for checking that both give the very same run.
pub fn simulate_without_skips(
    world: &World,
    replication: u32,
    progress: &dyn Progress,
) -> RunStats {
    let mut engine =
        Engine::<AnyPolicy, QuadHeap>::new(world, AnyPolicy::from_world(world), replication);
    engine.workers.without_skips();
    engine.run_to_end(progress)
}

/// About the most events a world holds pending at once: a departure per busy
/// slot (on workers, per session the most workers take at the load
/// threshold), plus each population's next arrival and a margin.
fn expected_pending(world: &World) -> usize {
    let slots: usize = world
        .deployments()
        .iter()
        .map(|d| match &d.workers {
            Some(w) => {
                let most = w.autoscale.as_ref().map_or(w.count, |a| a.max);
                most as usize * w.sessions_at_threshold() as usize
            }
            None => d.capacity as usize,
        })
        .sum();
    slots + world.populations().len() + 16
}

struct Engine<'w, P, H> {
    world: &'w World,
    policy: P,
    queue: EventQueue<H>,
    deps: Deployments,
    /// Per population: its arrival stream, its attribute stream and where its
    /// rate inversion stands (one array, so an arrival checks one index).
    sources: Vec<Source>,
    policy_rng: SimRng,
    /// Draws for sessions moved after a failure (patience, delays), apart from
    /// the arrival and attribute streams so those stay common across policies.
    timeline_rng: SimRng,
    /// The timeline's steps in execution order, with their event index.
    steps: Vec<(u32, crate::model::timeline::Step)>,
    /// Population of each city.
    city_pop: Vec<u32>,
    parked: Slab,
    /// Deployments that run on workers; empty for the slot model.
    workers: workers::Workers,
    stats: RunStats,
    now: f64,
    /// Where session records go, when asked (`run --sessions`).
    sink: Option<&'w mut dyn SessionSink>,
    /// Where each population's trace replay stands (empty without traces).
    trace_at: Vec<crate::model::trace::TraceCursor>,
}

impl<'w, P: Policy, H: MainHeap> Engine<'w, P, H> {
    fn new(world: &'w World, policy: P, replication: u32) -> Self {
        let seed = world.run().seed;
        let n_pop = world.populations().len();
        let deps = Deployments::new(world);
        let layout = layout::of(world);
        let mut city_pop = vec![0; world.cities().len()];
        for (p, pop) in world.populations().iter().enumerate() {
            for &c in &pop.cities {
                city_pop[c] = p as u32;
            }
        }
        let workers = workers::Workers::new(world, replication);
        let mut stats = RunStats::new(layout, deps.region_limits());
        stats.workers = workers.stats(stats.series.counts.len());
        Self {
            world,
            policy,
            queue: EventQueue::with_room(expected_pending(world).min(RADIX_FROM)),
            stats,
            workers,
            deps,
            sources: (0..n_pop)
                .map(|p| Source {
                    arrivals: stream(seed, replication, Purpose::Arrivals, p as u32),
                    attributes: stream(seed, replication, Purpose::Attributes, p as u32),
                    cursor: world.populations()[p].rate.cursor_at(0.0),
                })
                .collect(),
            policy_rng: stream(seed, replication, Purpose::Policy, 0),
            timeline_rng: stream(seed, replication, Purpose::Timeline, 0),
            steps: timeline::ordered_steps(world),
            city_pop,
            parked: Slab::default(),
            now: 0.0,
            sink: None,
            trace_at: if world.populations().iter().any(|p| p.trace.is_some()) {
                vec![Default::default(); n_pop]
            } else {
                Vec::new()
            },
        }
    }

    /// Run to the horizon (or until cancelled) and hand over the statistics.
    fn run_to_end(mut self, progress: &dyn Progress) -> RunStats {
        self.run(progress);
        self.stats
    }

    fn run(&mut self, progress: &dyn Progress) {
        for d in 0..self.deps.len() {
            self.deployment_changed(d);
        }
        self.start_workers();
        // Steps first: at equal times they come before arrivals.
        for i in 0..self.steps.len() {
            self.queue
                .push(self.steps[i].1.at_s, Kind::Timeline, i as u32, 0);
        }
        for p in 0..self.world.populations().len() {
            if self.world.populations()[p].trace.is_some() {
                self.schedule_trace(p);
            } else {
                self.schedule_arrival(p, 0.0);
            }
        }
        let horizon = self.world.run().horizon_s;
        let mut events = 0u64;
        let mut reported = 0.0;
        while let Some(ev) = self.queue.pop() {
            if ev.time > horizon {
                // Put it back: it is part of the state at the horizon.
                self.queue.push(ev.time, ev.kind, ev.a, ev.b);
                break;
            }
            self.now = ev.time;
            events += 1;
            match ev.kind {
                Kind::Arrival => self.on_arrival(ev.a as usize),
                Kind::TraceArrival => self.on_trace_arrival(ev.a as usize),
                Kind::Departure => self.on_departure(ev.a as usize, ev.b),
                Kind::Abandon => self.on_abandon(ev.a, ev.b),
                Kind::Redispatch => {
                    if let Some((mut s, _)) = self.parked.take(ev.a, ev.b) {
                        s.attempt += 1;
                        if s.left_by(self.now) {
                            self.lost(&s, false);
                        } else {
                            self.dispatch(s);
                        }
                    }
                }
                Kind::Failover => {
                    if let Some((s, _)) = self.parked.take(ev.a, ev.b) {
                        self.dispatch(s);
                    }
                }
                Kind::Timeline => self.on_step(ev.a as usize),
                Kind::WorkerDeparture => self.on_worker_departure(ev.a, ev.b),
                Kind::WorkerTick => self.on_worker_tick(),
                Kind::WorkerReady => self.on_worker_ready(ev.a as usize, ev.b as usize),
            }
            if events.is_multiple_of(PROGRESS_EVERY) {
                progress.advance(self.now - reported);
                reported = self.now;
                if progress.cancelled() {
                    break;
                }
            }
        }
        progress.advance(horizon - reported);
        // Window sessions still waiting for their first agent; those waiting for
        // a new one after a failure were served and count as running.
        let (pending, mut running) = self.parked.counted_parked();
        // Window sessions holding a slot at the horizon: their departures still queued.
        while let Some(ev) = self.queue.pop() {
            let departure = matches!(ev.kind, Kind::Departure | Kind::WorkerDeparture);
            running += u64::from(departure && Tag(ev.b).counted());
        }
        self.finish_workers();
        self.stats.finish(pending, running, events);
        if self.sink.is_some() {
            self.export_pending();
        }
    }
}
