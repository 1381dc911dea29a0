//! The worker deployments' statistics of one replication, carried exactly
//! (see [`super::stats`]); absent from the parts of runs without workers, so
//! those stay as they were.

use serde::{Deserialize, Serialize};

use super::exact::{DistRec, F};
use crate::stats::{WorkerBin, WorkerStats};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WorkerRec {
    deployment: usize,
    /// Jobs, over-admitted, cold-start jobs, process waits, cold starts,
    /// process starts, evaluations.
    counts: [u64; 7],
    /// Dispatch, process and cold-start sums; worker, session, overloaded,
    /// true-load and ready integrals; peak true and reported load; desired sum.
    sums: [F; 11],
    join: DistRec,
    /// Per bin: workers, ready and true-load integrals, reported sum, reports,
    /// jobs, cold-start jobs.
    bins: Vec<(F, F, F, F, u64, u64, u64)>,
}

impl WorkerRec {
    /// The deployment these statistics are of.
    pub(super) fn deployment(&self) -> usize {
        self.deployment
    }
}

pub(super) fn worker_rec(s: &WorkerStats) -> WorkerRec {
    let WorkerStats {
        deployment,
        jobs,
        over_admitted,
        cold_start_jobs,
        process_waits,
        cold_starts,
        process_starts,
        evaluations,
        desired_sum,
        dispatch_s,
        process_s,
        cold_s,
        worker_s,
        session_s,
        overloaded_s,
        true_load_s,
        ready_s,
        peak_true_load,
        peak_reported_load,
        join,
        bins,
        cursor: _,
    } = s;
    WorkerRec {
        deployment: *deployment,
        counts: [
            *jobs,
            *over_admitted,
            *cold_start_jobs,
            *process_waits,
            *cold_starts,
            *process_starts,
            *evaluations,
        ],
        sums: [
            *dispatch_s,
            *process_s,
            *cold_s,
            *worker_s,
            *session_s,
            *overloaded_s,
            *true_load_s,
            *ready_s,
            *peak_true_load,
            *peak_reported_load,
            *desired_sum,
        ]
        .map(F),
        join: DistRec::of(join),
        bins: bins
            .iter()
            .map(|b| {
                (
                    F(b.workers_s),
                    F(b.ready_s),
                    F(b.true_load_s),
                    F(b.reported_sum),
                    b.reports,
                    b.jobs,
                    b.cold_start_jobs,
                )
            })
            .collect(),
    }
}

pub(super) fn build_worker(r: WorkerRec, bins: usize) -> Result<WorkerStats, String> {
    if r.bins.len() != bins {
        return Err("the worker statistics do not match their layout".into());
    }
    let [jobs, over_admitted, cold_start_jobs, process_waits, cold_starts, process_starts, evaluations] =
        r.counts;
    let [dispatch_s, process_s, cold_s, worker_s, session_s, overloaded_s, true_load_s, ready_s, peak_true_load, peak_reported_load, desired_sum] =
        r.sums.map(|x| x.0);
    Ok(WorkerStats {
        deployment: r.deployment,
        jobs,
        over_admitted,
        cold_start_jobs,
        process_waits,
        cold_starts,
        process_starts,
        evaluations,
        desired_sum,
        dispatch_s,
        process_s,
        cold_s,
        worker_s,
        session_s,
        overloaded_s,
        true_load_s,
        ready_s,
        peak_true_load,
        peak_reported_load,
        join: r.join.build()?,
        bins: r
            .bins
            .into_iter()
            .map(|(w, rd, l, s, n, jobs, cold)| WorkerBin {
                workers_s: w.0,
                ready_s: rd.0,
                true_load_s: l.0,
                reported_sum: s.0,
                reports: n,
                jobs,
                cold_start_jobs: cold,
            })
            .collect(),
        cursor: Default::default(),
    })
}
