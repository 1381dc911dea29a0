//! Candidate deployments (`plan.candidates`): regions a plan may open a
//! deployment of the dispatched agent in, and the scenario's own deployments
//! a plan may close. A closed deployment is never created, so the engine's
//! rule for deployments not yet created (nobody is sent, queued or at home
//! there) keeps it out of every run without a second mechanism, and no policy
//! names it.

use super::{Candidate, DeclaredBy, Deployment, PolicySpec, World, CLOSED_AT, DEFAULT_MAX_QUEUE};

impl Deployment {
    /// Whether it exists at some time of a run (a closed candidate never does).
    pub fn is_open(&self) -> bool {
        self.created_at_s.is_finite()
    }
}

/// The deployment lists of a policy that picks among the dispatched agent's
/// deployments by distance or load (explicit routes and fences name theirs).
fn pool(spec: &mut PolicySpec) -> Option<&mut Vec<usize>> {
    match spec {
        PolicySpec::Nearest { deployments, .. }
        | PolicySpec::LeastLoaded { deployments, .. }
        | PolicySpec::PowerOfTwo { deployments, .. }
        | PolicySpec::Score { deployments, .. } => Some(deployments),
        PolicySpec::Explicit { .. } | PolicySpec::GeoFenced { .. } => None,
    }
}

impl World {
    /// The agent name the policy dispatches (its first deployment's).
    pub fn dispatched_agent(&self) -> Option<&str> {
        let d = *self.0.policy.deployment_indices().first()?;
        Some(&self.0.deployments[d].agent)
    }

    /// The world with every new candidate of `sites` appended as a closed
    /// deployment of the dispatched agent (capacity 0), which no policy
    /// names until [`World::set_open`] opens it. Indices of the scenario's
    /// own deployments do not change.
    pub fn with_candidates(&self) -> World {
        let mut w = self.clone();
        let agent = self.dispatched_agent().unwrap_or("agent").to_string();
        for (i, c) in self.0.sites.candidates.iter().enumerate() {
            let Candidate::New(region) = *c else {
                continue;
            };
            w.0.deployments.push(Deployment {
                agent: agent.clone(),
                region,
                capacity: 0,
                created_at_s: CLOSED_AT,
                ready_after_s: 0.0,
                max_queue: DEFAULT_MAX_QUEUE,
                workers: None,
                declared_by: DeclaredBy::Candidate(i),
            });
        }
        w
    }

    /// Each candidate's deployment in a world made by
    /// [`World::with_candidates`], in `plan.candidates` order.
    pub fn candidate_deployments(&self) -> Vec<usize> {
        let mut next = (0..self.0.deployments.len())
            .filter(|&d| matches!(self.0.deployments[d].declared_by, DeclaredBy::Candidate(_)));
        self.0
            .sites
            .candidates
            .iter()
            .map(|c| match *c {
                Candidate::Existing(d) => d,
                Candidate::New(_) => next.next().expect("with_candidates appended it"),
            })
            .collect()
    }

    /// Open (from the start of the run, and named by every policy that picks
    /// among the dispatched agent's deployments) or close candidate
    /// deployment `d`; refused for a deployment that is no candidate.
    pub fn set_open(&mut self, d: usize, open: bool) -> Result<(), String> {
        let existing = self.0.sites.candidates.contains(&Candidate::Existing(d));
        let dep = self
            .0
            .deployments
            .get_mut(d)
            .ok_or_else(|| format!("deployment {d} does not exist"))?;
        if !(existing || matches!(dep.declared_by, DeclaredBy::Candidate(_))) {
            return Err(format!("deployment {d} is not a candidate"));
        }
        dep.created_at_s = if open { 0.0 } else { CLOSED_AT };
        // Policies see open deployments only: a closed one must not even be
        // the reference of a spill's RTT budget.
        let all = std::iter::once(&mut self.0.policy)
            .chain(self.0.alternatives.iter_mut().map(|a| &mut a.spec));
        for spec in all {
            if let Some(list) = pool(spec) {
                list.retain(|&x| x != d);
                if open {
                    // In index order, as the scenario's own lists are.
                    list.push(d);
                    list.sort_unstable();
                }
            }
        }
        Ok(())
    }

    /// Where the planner may open deployments.
    #[inline]
    pub fn sites(&self) -> &super::Sites {
        &self.0.sites
    }
}
