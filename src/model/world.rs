//! The world as one value: the validated parts a scenario builds, the check
//! that every index among them refers to something that exists, and the
//! read-only views and the few changes (a policy chosen, a knob overridden)
//! the rest of the program makes through methods that keep those indices in
//! range. Kept apart from the model's types so that each stays short.

use super::*;

/// The parts of a world as the scenario's validation built them, before
/// [`World::new`] checks that every index refers to something that exists.
#[derive(Debug, Clone)]
pub struct WorldParts {
    /// Scenario name (names the report folder).
    pub name: String,
    /// Free text from the scenario.
    pub description: String,
    /// All regions.
    pub regions: Vec<Region>,
    /// All agent deployments.
    pub deployments: Vec<Deployment>,
    /// All populations.
    pub populations: Vec<Population>,
    /// All cities of all populations.
    pub cities: Vec<City>,
    /// Dispatch policy.
    pub policy: PolicySpec,
    /// Alternative policies the scenario names for comparisons (`policies`).
    pub alternatives: Vec<NamedPolicy>,
    /// Dispatch/start-up delays and jitter.
    pub delays: Delays,
    /// Targets.
    pub slo: Slo,
    /// Run settings.
    pub run: RunSpec,
    /// Supply and demand changes during the run, in time order.
    pub timeline: Vec<TimelineEvent>,
    /// Remarks about valid but noteworthy settings (e.g. a drain that outlasts
    /// the horizon), for the reports.
    pub notes: Vec<String>,
    /// Where the planner may open deployments.
    pub sites: Sites,
}

/// The whole validated scenario. Its fields are private to the model: a world
/// is made by [`World::new`] from validated parts, and changed only by the
/// methods here and in `sites`, each of which keeps every index in range.
#[derive(Debug, Clone)]
pub struct World(pub(super) WorldParts);

impl World {
    /// A world from validated parts, once every index it holds is checked to
    /// refer to something that exists (the scenario's validation made sure of
    /// the ranges and the meaning; this is the model's own guarantee that the
    /// engine may index without bounds anxiety).
    pub fn new(parts: WorldParts) -> Result<World, String> {
        let w = World(parts);
        w.check_indices()?;
        Ok(w)
    }

    /// The parts back, to build a different world from them through
    /// [`World::new`] (tests of what validation would refuse, such as names
    /// with markup reaching the renderers).
    pub fn into_parts(self) -> WorldParts {
        self.0
    }

    fn check_indices(&self) -> Result<(), String> {
        let (r, d, c) = (
            self.0.regions.len(),
            self.0.deployments.len(),
            self.0.cities.len(),
        );
        let within = |what: &str, i: usize, n: usize| {
            if i < n {
                Ok(())
            } else {
                Err(format!("{what} index {i} is out of range (there are {n})"))
            }
        };
        for dep in &self.0.deployments {
            within("region", dep.region, r)?;
        }
        for city in &self.0.cities {
            within("region", city.edge, r)?;
            if city.rtt_ms.len() != r {
                return Err(format!(
                    "city `{}` has {} RTTs for {r} regions",
                    city.name,
                    city.rtt_ms.len()
                ));
            }
        }
        for pop in &self.0.populations {
            for &k in &pop.cities {
                within("city", k, c)?;
            }
        }
        let specs =
            std::iter::once(&self.0.policy).chain(self.0.alternatives.iter().map(|a| &a.spec));
        for spec in specs {
            for k in spec.deployment_indices() {
                within("deployment", k, d)?;
            }
        }
        for step in self.0.timeline.iter().flat_map(|e| &e.steps) {
            within("deployment", step.action.deployment(), d)?;
        }
        Ok(())
    }

    /// Change the run settings through `f`, keeping the change only if the
    /// settings still hold together (see [`RunSpec::check`]).
    pub fn edit_run(&mut self, f: impl FnOnce(&mut RunSpec)) -> Result<(), String> {
        let mut run = self.0.run;
        f(&mut run);
        run.check()?;
        self.0.run = run;
        Ok(())
    }

    /// A remark for the reports about a valid but noteworthy setting.
    pub fn add_note(&mut self, note: String) {
        self.0.notes.push(note);
    }

    /// Every worker deployment sampling every `sample_s` and reporting every
    /// `report_s` seconds (what-if studies of measurement staleness); refused
    /// unless both are finite and non-negative.
    pub fn set_worker_measurement(&mut self, sample_s: f64, report_s: f64) -> Result<(), String> {
        if !(sample_s.is_finite() && sample_s >= 0.0 && report_s.is_finite() && report_s >= 0.0) {
            return Err(format!(
                "intervals of {sample_s} s and {report_s} s must be finite and >= 0"
            ));
        }
        for spec in self
            .0
            .deployments
            .iter_mut()
            .filter_map(|d| d.workers.as_mut())
        {
            spec.measure.sample_interval_s = sample_s;
            spec.measure.report_interval_s = report_s;
        }
        Ok(())
    }

    /// Dispatch with the alternative policy labelled `label` (false: the
    /// scenario names no such policy, and nothing changes).
    pub fn choose_policy(&mut self, label: &str) -> bool {
        match self.policy_named(label).cloned() {
            Some(spec) => {
                self.0.policy = spec;
                true
            }
            None => false,
        }
    }

    /// The world with deployment `d`'s configured capacity set to `capacity`
    /// (a plan's static answer).
    pub fn set_capacity(&mut self, d: usize, capacity: u32) {
        self.0.deployments[d].capacity = capacity;
    }

    /// Change deployment `d`'s worker pool through `f` (a plan's pool size,
    /// replicas or target load), keeping the change only if the pool still
    /// meets the worker model's rules ([`workers::WorkerSpec::check`], the
    /// same the scenario's validation applies); its nominal capacity follows.
    /// Refused for a deployment without workers.
    pub fn set_workers(
        &mut self,
        d: usize,
        f: impl FnOnce(&mut workers::WorkerSpec),
    ) -> Result<(), String> {
        let dep = self
            .0
            .deployments
            .get_mut(d)
            .ok_or_else(|| format!("deployment {d} does not exist"))?;
        let mut spec = dep
            .workers
            .clone()
            .ok_or_else(|| format!("deployment {} has no workers", dep.agent))?;
        f(&mut spec);
        spec.check()
            .map_err(|(field, why)| format!("workers.{field} {why}"))?;
        dep.capacity = spec.initial_capacity();
        dep.workers = Some(spec);
        Ok(())
    }

    /// Append a timeline event (a plan's hourly schedule), refused if a step
    /// names a deployment that does not exist or lies outside the run.
    pub fn push_event(&mut self, event: TimelineEvent) -> Result<(), String> {
        for step in &event.steps {
            if step.action.deployment() >= self.0.deployments.len() {
                return Err(format!(
                    "deployment {} does not exist",
                    step.action.deployment()
                ));
            }
            if !(0.0..=self.0.run.horizon_s).contains(&step.at_s) {
                return Err(format!("a step at {} s lies outside the run", step.at_s));
            }
        }
        self.0.timeline.push(event);
        Ok(())
    }

    /// Scenario name (names the report folder).
    #[inline]
    pub fn name(&self) -> &String {
        &self.0.name
    }

    /// Free text from the scenario.
    #[inline]
    pub fn description(&self) -> &String {
        &self.0.description
    }

    /// All regions.
    #[inline]
    pub fn regions(&self) -> &Vec<Region> {
        &self.0.regions
    }

    /// All agent deployments.
    #[inline]
    pub fn deployments(&self) -> &Vec<Deployment> {
        &self.0.deployments
    }

    /// All populations.
    #[inline]
    pub fn populations(&self) -> &Vec<Population> {
        &self.0.populations
    }

    /// All cities of all populations.
    #[inline]
    pub fn cities(&self) -> &Vec<City> {
        &self.0.cities
    }

    /// Dispatch policy.
    #[inline]
    pub fn policy(&self) -> &PolicySpec {
        &self.0.policy
    }

    /// Alternative policies the scenario names for comparisons (`policies`).
    #[inline]
    pub fn alternatives(&self) -> &Vec<NamedPolicy> {
        &self.0.alternatives
    }

    /// Dispatch/start-up delays and jitter.
    #[inline]
    pub fn delays(&self) -> &Delays {
        &self.0.delays
    }

    /// Targets.
    #[inline]
    pub fn slo(&self) -> &Slo {
        &self.0.slo
    }

    /// Run settings.
    #[inline]
    pub fn run(&self) -> &RunSpec {
        &self.0.run
    }

    /// Supply and demand changes during the run, in time order.
    #[inline]
    pub fn timeline(&self) -> &Vec<TimelineEvent> {
        &self.0.timeline
    }

    /// Remarks about valid but noteworthy settings (e.g. a drain that outlasts
    /// the horizon), for the reports.
    #[inline]
    pub fn notes(&self) -> &Vec<String> {
        &self.0.notes
    }
}

impl World {
    /// Expected arrivals of a population over [a, b], flash crowds included.
    pub fn expected_arrivals(&self, pop: usize, a: f64, b: f64) -> f64 {
        let p = &self.0.populations[pop];
        surge::integral(&p.rate, &p.surges, a, b)
    }

    /// Offered load in Erlangs of a population at its peak hour (daily
    /// profile, flash crowds left out), counting the
    /// whole time a session holds a slot (dispatch + start-up + session): the
    /// figure to size capacity from (Erlang B takes the slot-holding time).
    pub fn peak_offered_load(&self, pop: usize) -> f64 {
        let p = &self.0.populations[pop];
        let hold = self.0.delays.dispatch.mean() + self.0.delays.startup.mean() + p.session.mean();
        p.rate.max_rate() * hold
    }

    /// Offered load in Erlangs at the peak hour counting the conversation only.
    pub fn peak_session_load(&self, pop: usize) -> f64 {
        let p = &self.0.populations[pop];
        p.rate.max_rate() * p.session.mean()
    }

    /// The policy labelled `label`: an alternative of that label, else the main
    /// policy if its type name matches.
    pub fn policy_named(&self, label: &str) -> Option<&PolicySpec> {
        self.0
            .alternatives
            .iter()
            .find(|p| p.label == label)
            .map(|p| &p.spec)
            .or_else(|| (self.0.policy.name() == label).then_some(&self.0.policy))
    }

    /// Labels a comparison can name: the main policy's type, then the alternatives.
    pub fn policy_labels(&self) -> Vec<String> {
        let mut v = vec![self.0.policy.name().to_string()];
        v.extend(
            self.0
                .alternatives
                .iter()
                .map(|p| p.label.clone())
                .filter(|l| *l != self.0.policy.name()),
        );
        v
    }

    /// Capacity per region (sum over its deployments). Validation keeps every
    /// sum within 32 bits; it saturates rather than wraps all the same.
    pub fn region_capacity(&self) -> Vec<u32> {
        let mut cap = vec![0u32; self.0.regions.len()];
        for d in &self.0.deployments {
            cap[d.region] = cap[d.region].saturating_add(d.capacity);
        }
        cap
    }
}
