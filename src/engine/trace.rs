//! Arrivals of populations that replay a trace: each row's instant, place and
//! length come from the trace (copies or gaps drawn from the population's
//! arrival stream when its rate factor is not 1); patience and delays are
//! drawn from its attribute stream in the usual order. A trace arrival is an
//! event of its own kind, so populations drawn from a rate keep their path
//! untouched.

use super::policy::Policy;
use super::queue::{Kind, MainHeap};
use super::session::draw_wait_and_delays;
use super::Engine;

impl<P: Policy, H: MainHeap> Engine<'_, P, H> {
    /// Schedule trace population `p`'s next arrival, if any within the horizon.
    pub(super) fn schedule_trace(&mut self, p: usize) {
        let world = self.world;
        let Some(trace) = world.populations()[p].trace.as_deref() else {
            return;
        };
        let next = trace.next_arrival(&mut self.trace_at[p], &mut self.sources[p].arrivals);
        if let Some(t) = next.filter(|&t| t <= world.run().horizon_s) {
            self.queue.push(t, Kind::TraceArrival, p as u32, 0);
        }
    }

    /// A session of trace population `p` arrives (mirrors `on_arrival`).
    pub(super) fn on_trace_arrival(&mut self, p: usize) {
        let world = self.world;
        let pop = &world.populations()[p];
        let row = pop.trace.as_deref().expect("a trace population").rows[self.trace_at[p].row];
        self.schedule_trace(p);
        let city = pop.cities[row.place as usize];
        let duration = f64::from(row.duration);
        let rng = &mut self.sources[p].attributes;
        let draws = draw_wait_and_delays(world, p, rng);
        self.arrive(p, city, duration, draws);
    }
}
