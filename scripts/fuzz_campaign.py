#!/usr/bin/env python3
"""regionsim's fuzz campaign: the loader, short runs and plans, counted.

    python3 scripts/fuzz_campaign.py --loader 100000 --runs 5000 --plans 2000 --experiments 1000 --seed 7

Four classes of inputs (docs/robustness.md):

1. Loader inputs, in process: the fuzz tests of tests/it/fuzz.rs run with
   REGIONSIM_FUZZ_CASES / REGIONSIM_FUZZ_BYTES_CASES / REGIONSIM_FUZZ_SEED
   set, a quarter of the count as random byte strings, the rest as mutated
   scenario files (half structured mutations of values, half edits of the
   text and bytes); the tests' tally lines give the counts per kind.
2. Short runs: `regionsim run` processes on shipped scenarios mutated
   structurally here (capacities, rates, horizons, bins, timelines, worker
   pools, policies, patience, sessions, replications...), each rescaled in
   time until `regionsim check` estimates a small run, some of them broken on
   purpose. Every run must exit 0, or 2 with one error line; a valid one
   may not process more than twice the events it estimated, nor take more
   than twice its estimated memory above a trivial run (peak resident memory
   read by GNU time, /usr/bin/time, when installed).
3. Plans: `regionsim plan` processes on small mutated scenarios with random
   targets, bounds, steps, costs and sometimes --hourly: exit 0, 2 (one
   error line) or 3 (infeasible).
4. Experiments: `regionsim compare` on two to four random policies added to
   a small mutated scenario, or `regionsim sweep` over a capacity, a peak
   rate or the seed: exit 0 with its compare.json or sweep.json readable and
   its memory within twice its estimate (as a run's), or 2 (one error line).

Each child has a timeout (a hang). Every failing input is kept with its
command and output under --failures (default target/fuzz-failures/), with a
replay.sh; the summary is printed and written to <failures>/summary.json.
Python 3 standard library only. Runs are reproducible from --seed: case i of
a class depends only on the seed and i, not on --jobs.
"""

import argparse
import concurrent.futures
import json
import math
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GNU_TIME = "/usr/bin/time"

# ---------------------------------------------------------------------------
# Durations and the printed estimate


_DURATION_PART = re.compile(r"\s*([0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)\s*(ms|s|min|m|h|d)")
_UNITS = {"ms": 1e-3, "s": 1.0, "min": 60.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def seconds(value, default=None):
    """A scenario duration (number of seconds or "1h30min") in seconds, or default."""
    if isinstance(value, bool) or value is None:
        return default
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str):
        return default
    text = value.strip()
    try:
        return float(text)
    except ValueError:
        pass
    total, at = 0.0, 0
    while at < len(text):
        m = _DURATION_PART.match(text, at)
        if not m:
            return default
        total += float(m.group(1)) * _UNITS[m.group(2)]
        at = m.end()
    return total


_ESTIMATE = re.compile(
    r"estimated about (?P<sessions>.+?) sessions per replication, "
    r"(?P<events>.+?) events over (?P<reps>\d+) replications?, "
    r"(?P<memory>.+?) of memory"
)
_SI = {"": 1.0, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}
_BYTES = {"B": 1.0, "kB": 1e3, "MB": 1e6, "GB": 1e9}


def _si(text):
    if "unbounded" in text:
        return math.inf
    parts = text.split()
    return float(parts[0]) * _SI[parts[1] if len(parts) > 1 else ""]


def parse_estimate(text):
    """The estimate `run` and `check` print: sessions, events, replications, bytes."""
    m = _ESTIMATE.search(text)
    if not m:
        return None
    memory = m.group("memory")
    if "unbounded" in memory:
        mem = math.inf
    else:
        number, unit = memory.split()
        mem = float(number) * _BYTES[unit]
    return {
        "sessions": _si(m.group("sessions")),
        "events": _si(m.group("events")),
        "replications": int(m.group("reps")),
        "memory": mem,
    }


# ---------------------------------------------------------------------------
# Children: exit status, signal, timeout, peak resident memory


def spawn(cmd, cwd, timeout, measure):
    """Run `cmd` in `cwd` with a timeout. With `measure`, through GNU time,
    whose report gives the child's own peak resident memory: a child of this
    Python process would report at least this process's peak in its
    ru_maxrss, since Linux carries the peak of the address space a process
    replaces at exec into the new one's. Without GNU time, os.wait4's
    ru_maxrss is kept, a figure that cannot go below this process's peak."""
    cwd = Path(cwd)
    peak_file = cwd / ".peak"
    full = list(cmd)
    if measure:
        full = [GNU_TIME, "-f", "%M", "-o", str(peak_file)] + full
    out_path, err_path = cwd / ".stdout", cwd / ".stderr"
    start = time.monotonic()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen(
            full, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True
        )
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    proc.returncode = 0  # reaped here; keep Popen from waiting again
    wall = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    sig = -code if code < 0 else None
    peak_kb = usage.ru_maxrss
    if measure:
        report = peak_file.read_text(errors="replace").splitlines() if peak_file.exists() else []
        for line in report:
            m = re.match(r"Command terminated by signal (\d+)", line)
            if m:
                sig = int(m.group(1))
        peak_kb = int(report[-1]) if report and report[-1].strip().isdigit() else None
        peak_file.unlink(missing_ok=True)
    result = {
        "code": None if sig is not None else code,
        "signal": sig,
        "timed_out": timed_out.is_set(),
        "wall": wall,
        "peak": None if peak_kb is None else peak_kb * 1024.0,
        "stdout": out_path.read_text(errors="replace"),
        "stderr": err_path.read_text(errors="replace"),
    }
    out_path.unlink()
    err_path.unlink()
    return result


HEAPTRACK = shutil.which("heaptrack")
HEAPTRACK_PRINT = shutil.which("heaptrack_print")
_HEAP_UNITS = {"B": 1.0, "K": 1e3, "M": 1e6, "G": 1e9}


def heap_peak(cmd, cwd):
    """The peak heap bytes of `cmd` under heaptrack (every allocation
    counted, nothing of the code or the allocator's arenas), or None."""
    if not (HEAPTRACK and HEAPTRACK_PRINT):
        return None
    cwd = Path(cwd)
    data = cwd / "heap"
    subprocess.run([HEAPTRACK, "-o", str(data)] + list(cmd), cwd=cwd, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=600)
    files = list(cwd.glob("heap*.zst")) or list(cwd.glob("heap*.gz")) or list(cwd.glob("heap*"))
    if not files:
        return None
    out = subprocess.run([HEAPTRACK_PRINT, str(files[0])], capture_output=True, text=True).stdout
    for f in files:
        f.unlink()
    m = re.search(r"peak heap memory consumption: ([0-9.]+)([BKMG])", out)
    return float(m.group(1)) * _HEAP_UNITS[m.group(2)] if m else None


def verdict(res, allowed):
    """The defect class of a finished child, or None: a timeout is a hang,
    exit 101 a panic, SIGABRT an abort, an exit outside `allowed` a defect,
    and a refusal (exit 2) must be exactly one error line."""
    if res["timed_out"]:
        return "hang"
    if res["signal"] is not None:
        return "abort" if res["signal"] == signal.SIGABRT else f"signal-{res['signal']}"
    code = res["code"]
    if code == 101:
        return "panic"
    if code not in allowed:
        return f"exit-{code}"
    if code == 2:
        lines = [l for l in res["stderr"].splitlines() if not l.startswith(("warning: ", "note: "))]
        if len(lines) != 1 or not lines[0].startswith("error: ") or len(lines[0]) >= 600:
            return "refusal-not-one-line"
    return None


# ---------------------------------------------------------------------------
# Seeds and structured mutations


def seed_scenarios():
    """The shipped scenarios: (path relative to the repository, document). A
    replayed trace's path is made absolute, the mutated file living elsewhere."""
    seeds = []
    for folder in ["scenarios", "scenarios/tests", "scenarios/validation", "scenarios/data"]:
        for path in sorted((REPO / folder).glob("*.json")):
            doc = json.loads(path.read_text())
            doc.pop("$schema", None)
            for pop in doc.get("populations", []):
                arrivals = pop.get("arrivals")
                if isinstance(arrivals, dict) and "trace" in arrivals:
                    arrivals["trace"] = str((path.parent / arrivals["trace"]).resolve())
            seeds.append((str(path.relative_to(REPO)), doc))
    return seeds


TIME_FIELDS = ["at", "duration", "drain", "overlap", "ready_after", "detect"]
POLICY_TYPES = ["nearest", "least_loaded", "power_of_two", "score", "geo_fenced", "explicit"]


def region_ids(sc):
    return [r if isinstance(r, str) else r.get("id") for r in sc.get("regions", [])]


def slot_deployments(sc):
    return [d for d in sc.get("deployments", []) if "capacity" in d]


def horizon_of(sc):
    return seconds(sc.setdefault("run", {}).get("horizon", 86400), 86400.0)


def random_duration(rng, low, high):
    """A duration between low and high seconds, in one of the accepted forms."""
    s = math.exp(rng.uniform(math.log(max(low, 1e-3)), math.log(max(high, 2e-3))))
    form = rng.randrange(4)
    if form == 0:
        return round(s, 3)
    if form == 1:
        return f"{s:.3f}s"
    if form == 2 and s >= 60:
        return f"{s / 60:.2f}min"
    if s >= 3600:
        h = int(s // 3600)
        return f"{h}h{int((s - 3600 * h) // 60)}min"
    return f"{round(s)}s" if s >= 1 else f"{round(s * 1000)}ms"


def random_distribution(rng, mean_s):
    t = rng.choice(["deterministic", "exponential", "uniform", "lognormal", "gamma", "weibull",
                    "bounded_pareto", "empirical"])
    m = max(mean_s, 0.01)
    if t == "deterministic":
        return {"type": t, "value": random_duration(rng, m / 2, m * 2)}
    if t == "exponential":
        return {"type": t, "mean": random_duration(rng, m / 2, m * 2)}
    if t == "uniform":
        return {"type": t, "min": round(m * rng.uniform(0, 1), 3), "max": round(m * rng.uniform(1, 3), 3)}
    if t in ("lognormal", "gamma"):
        return {"type": t, "mean": round(m, 3), "cv": rng.choice([0.1, 0.5, 1, 2, 5])}
    if t == "weibull":
        return {"type": t, "shape": rng.choice([0.5, 1, 2, 4]), "scale": round(m, 3)}
    if t == "bounded_pareto":
        return {"type": t, "alpha": rng.choice([0.5, 1.1, 2.5]), "min": round(m / 10, 3), "max": round(m * 20, 3)}
    return {"type": t, "values": [round(m * rng.uniform(0.1, 3), 3) for _ in range(rng.randint(1, 12))]}


def random_profile(rng):
    choice = rng.randrange(4)
    if choice == 0:
        return rng.choice(["flat", "business", "evening", "diurnal"])
    n = 168 if choice == 3 else 24
    return [round(rng.choice([0, rng.uniform(0, 1)]), 3) for _ in range(n - 1)] + [1]


class Mutator:
    """Structural mutations that keep a scenario meaningful (most stay
    valid), and a few that break it for sure."""

    def __init__(self, rng, sc):
        self.rng = rng
        self.sc = sc

    def pick_slot_deployment(self):
        deps = slot_deployments(self.sc)
        return self.rng.choice(deps) if deps else None

    # Each returns nothing; a mutation that does not apply does nothing.

    def capacity(self):
        d = self.pick_slot_deployment()
        if d:
            c = d["capacity"] if isinstance(d["capacity"], int) else 10
            d["capacity"] = self.rng.choice([0, 1, 2, c // 2, c * 2, c * 10, self.rng.randint(0, 500)])

    def rate(self):
        pops = [p for p in self.sc.get("populations", []) if isinstance(p.get("rate"), dict)]
        if pops:
            r = self.rng.choice(pops)["rate"]
            key = "peak_per_hour" if "peak_per_hour" in r else "peak_per_s"
            r[key] = r.get(key, 1) * math.exp(self.rng.uniform(-4, 4))
            if self.rng.random() < 0.3:
                r["profile"] = random_profile(self.rng)

    def horizon(self):
        run = self.sc.setdefault("run", {})
        run["horizon"] = random_duration(self.rng, 600, 7 * 86400)
        self.fit_to_horizon()

    def bin(self):
        run = self.sc.setdefault("run", {})
        run["bin"] = round(horizon_of(self.sc) / self.rng.choice([1, 3, 24, 100, 1000, 10000, 50000]), 3)

    def warmup(self):
        run = self.sc.setdefault("run", {})
        run["warmup"] = round(horizon_of(self.sc) * self.rng.choice([0, 0, 0.1, 0.5, 0.9]), 3)

    def replications(self):
        self.sc.setdefault("run", {})["replications"] = self.rng.randint(1, 5)

    def seed(self):
        self.sc.setdefault("run", {})["seed"] = self.rng.randrange(2**63)

    def fit_to_horizon(self):
        """Keep warm-up, bin and timeline inside a new horizon."""
        h = horizon_of(self.sc)
        run = self.sc["run"]
        if seconds(run.get("warmup", 0), 0) >= h:
            run["warmup"] = 0
        if seconds(run.get("bin", 900), 900) > h:
            run["bin"] = round(h, 3)
        timeline = self.sc.get("timeline")
        if isinstance(timeline, list):
            self.sc["timeline"] = [e for e in timeline if seconds(e.get("at"), 0) <= h]

    def timeline_event(self):
        rng, sc = self.rng, self.sc
        h = horizon_of(sc)
        deps = slot_deployments(sc)
        pops = [p.get("name") for p in sc.get("populations", []) if "arrivals" not in p]
        agent_regions = [r if isinstance(r, str) else r.get("id") for r in sc.get("regions", [])
                         if isinstance(r, str) or r.get("agents", True)]
        at = round(rng.uniform(0, h), 3)
        kind = rng.choice(["capacity", "hourly", "outage", "rate", "deploy", "delete", "migrate"])
        e = None
        if kind in ("capacity", "hourly", "outage", "delete", "migrate") and deps:
            d = rng.choice(deps)
            base = {"at": at, "region": d["region"], "agent": d["agent"]}
            if kind == "capacity":
                e = {"type": "capacity", **base, "capacity": rng.randint(0, 60)}
            elif kind == "hourly":
                e = {"type": "capacity", **base, "hourly": [rng.randint(0, 60) for _ in range(24)],
                     "utc_offset_h": rng.choice([0, -5, 5.5, 9, 14, -12, 3.25])}
            elif kind == "outage":
                e = {"type": "outage", **base, "duration": random_duration(rng, 1, h),
                     "sessions": rng.choice(["redispatch", "lose"])}
                if e["sessions"] == "redispatch" and rng.random() < 0.5:
                    e["detect"] = random_duration(rng, 0.1, 120)
            elif kind == "delete":
                e = {"type": "delete", **base, "drain": random_duration(rng, 1, 7200)}
            else:
                to = [r for r in agent_regions if r != d["region"]]
                if to:
                    e = {"type": "migrate", "at": at, "from": d["region"], "to": rng.choice(to),
                         "agent": d["agent"], "overlap": random_duration(rng, 0.001, 3600),
                         "drain": random_duration(rng, 1, 7200)}
        elif kind == "rate":
            e = {"type": "rate", "at": at, "factor": rng.choice([0, 0.5, 2, 5, 20]),
                 "duration": random_duration(rng, 1, h)}
            if pops and rng.random() < 0.7:
                e["population"] = rng.choice(pops)
        elif kind == "deploy" and deps and agent_regions:
            taken = {(d["agent"], d["region"]) for d in sc.get("deployments", [])}
            agent = rng.choice(deps)["agent"]
            free = [r for r in agent_regions if (agent, r) not in taken]
            if free:
                e = {"type": "deploy", "at": at, "agent": agent, "region": rng.choice(free),
                     "capacity": rng.randint(0, 60), "ready_after": random_duration(rng, 0.001, 1800)}
        if e:
            if rng.random() < 0.2:
                e["label"] = rng.choice(["failover drill", "Tōkyō ✓", "x" * 200, "=1+1"])
            sc.setdefault("timeline", []).append(e)

    def many_capacity_steps(self):
        d = self.pick_slot_deployment()
        if d:
            h = horizon_of(self.sc)
            n = self.rng.choice([20, 100, 400])
            self.sc.setdefault("timeline", []).extend(
                {"type": "capacity", "at": round(h * i / n, 3), "region": d["region"],
                 "agent": d["agent"], "capacity": self.rng.randint(0, 40)}
                for i in range(n)
            )

    def drop_timeline_event(self):
        t = self.sc.get("timeline")
        if t:
            t.pop(self.rng.randrange(len(t)))

    def workers(self):
        """A slot deployment turned into a worker pool (the timeline may not
        name it: its events go)."""
        rng = self.rng
        d = self.pick_slot_deployment()
        if not d:
            return
        for key in ("capacity", "created_at", "ready_after"):
            d.pop(key, None)
        w = {}
        if rng.random() < 0.5:
            w["count"] = rng.choice([1, 2, 5, 20, 100, 1000])
        else:
            lo = rng.choice([0, 1, 2])
            w["autoscale"] = {"min": lo, "max": lo + rng.choice([1, 5, 40, 200]),
                              "target_load": rng.choice([0.3, 0.5, 0.65]),
                              "interval": random_duration(rng, 1, 120),
                              "cooldown": random_duration(rng, 0.001, 1200),
                              "provisioning": random_distribution(rng, 15)}
        if rng.random() < 0.5:
            w["load"] = {"sessions_per_worker": rng.choice([1, 2, 4, 15, 50])}
        else:
            w["load"] = {"base": rng.choice([0, 0.05]), "per_session": rng.choice([0.01, 0.05, 0.3])}
        if rng.random() < 0.5:
            w["window"] = rng.choice([1, 5, 50, 1000, 10000])
        w["sample_interval"] = rng.choice([0, 0.5, "2s", "0.1s"])
        if w["sample_interval"] != 0 and rng.random() < 0.3:
            w["load"]["noise"] = rng.choice([0.01, 0.1])
        w["report_interval"] = rng.choice([0, 2.5, "10s"])
        if rng.random() < 0.3:
            w["process_start"] = random_distribution(rng, 1)
        d["workers"] = w
        t = self.sc.get("timeline")
        if isinstance(t, list):
            def names(e):
                return d["region"] in (e.get("region"), e.get("from"), e.get("to"))
            self.sc["timeline"] = [e for e in t if not names(e)]

    def worker_knob(self):
        pools = [d["workers"] for d in self.sc.get("deployments", []) if isinstance(d.get("workers"), dict)]
        if not pools:
            return
        w = self.rng.choice(pools)
        knob = self.rng.randrange(4)
        if knob == 0:
            w["window"] = self.rng.choice([1, 2, 100, 5000, 10000])
        elif knob == 1 and "count" in w:
            w["count"] = self.rng.choice([1, 3, 50, 500])
        elif knob == 2:
            w["load_threshold"] = self.rng.choice([0.3, 0.7, 1])
        else:
            w["idle_processes"] = self.rng.choice([0, 1, 4, 16])

    def policy(self):
        rng, sc = self.rng, self.sc
        deps = sc.get("deployments", [])
        if not deps:
            return
        agents = sorted({d["agent"] for d in deps})
        t = rng.choice(POLICY_TYPES)
        on_full = rng.choice(["wait", "reject"])
        p = {"type": t, "on_full": on_full}
        if t != "explicit":
            p["agent"] = rng.choice(agents)
        regions = sorted({d["region"] for d in deps if d["agent"] == p.get("agent")})
        if t in ("nearest", "geo_fenced") and rng.random() < 0.5:
            p["spill"] = {"utilization_threshold": rng.choice([0.5, 0.9, 1.0])}
            if rng.random() < 0.5:
                p["spill"]["max_extra_rtt_ms"] = rng.choice([0, 50, 250])
        if t == "least_loaded":
            p["max_extra_rtt_ms"] = rng.choice([0, 50, 500])
        elif t == "power_of_two":
            p["k"] = rng.randint(1, max(1, len(regions)))
        elif t == "score":
            p["load_penalty_ms"] = rng.choice([0, 100, 1000])
        elif t == "geo_fenced":
            p["allowed"] = {pop["name"]: rng.sample(regions, rng.randint(1, len(regions)))
                            for pop in sc.get("populations", []) if regions}
        elif t == "explicit":
            count = {}
            for d in deps:
                count[d["region"]] = count.get(d["region"], 0) + 1
            single = sorted(r for r, n in count.items() if n == 1)
            if not single:
                return
            routes = {}
            for pop in sc.get("populations", []):
                first = rng.choice(single)
                if rng.random() < 0.5:
                    others = [r for r in single if r != first]
                    routes[pop["name"]] = {"agent": first,
                                           "fallbacks": rng.sample(others, rng.randint(0, len(others)))}
                else:
                    routes[pop["name"]] = first
            p["routes"] = routes
            p["redispatch_delay"] = random_duration(rng, 0.001, 10)
        sc["policy"] = p
        sc.pop("policies", None)

    def patience(self):
        pops = [p for p in self.sc.get("populations", [])]
        if pops:
            pop = self.rng.choice(pops)
            pop["patience"] = self.rng.choice(
                [0, "none", "unlimited", random_duration(self.rng, 0.1, 600), random_distribution(self.rng, 30)]
            )

    def session(self):
        pops = [p for p in self.sc.get("populations", []) if "session" in p]
        if pops:
            self.rng.choice(pops)["session"] = random_distribution(self.rng, self.rng.choice([1, 60, 600, 7200]))

    def cities(self):
        pops = [p for p in self.sc.get("populations", []) if "lat" in p or "cities" in p]
        if pops:
            pop = self.rng.choice(pops)
            pop.pop("lat", None)
            pop.pop("lon", None)
            pop["cities"] = [{"name": f"city {i} ✓", "lat": round(self.rng.uniform(-60, 75), 2),
                              "lon": round(self.rng.uniform(-180, 180), 2),
                              "weight": self.rng.choice([0.1, 1, 5])}
                             for i in range(self.rng.choice([1, 3, 50, 500]))]

    def utc_offset(self):
        pops = self.sc.get("populations", [])
        if pops:
            self.rng.choice(pops)["utc_offset_h"] = self.rng.choice([-12, -5, 0, 5.5, 8.75, 14])

    def add_region(self):
        rng, sc = self.rng, self.sc
        rid = f"custom-{rng.randrange(10**6)}"
        sc.setdefault("regions", []).append(
            {"id": rid, "lat": round(rng.uniform(-60, 70), 2), "lon": round(rng.uniform(-180, 180), 2),
             "media_edge": rng.random() < 0.8}
        )
        deps = slot_deployments(sc)
        if deps and rng.random() < 0.7:
            sc["deployments"].append({"agent": rng.choice(deps)["agent"], "region": rid,
                                      "capacity": rng.randint(0, 50)})

    def add_deployments(self):
        """Several agents per region: many deployment lanes (nearest dispatch
        keeps its agent)."""
        rng, sc = self.rng, self.sc
        deps = slot_deployments(sc)
        if not deps:
            return
        p = sc.get("policy")
        if isinstance(p, dict) and p.get("type") != "explicit" and "agent" not in p:
            p["agent"] = deps[0]["agent"]
        for i in range(rng.choice([1, 5, 40])):
            d = rng.choice(deps)
            sc["deployments"].append({"agent": f"extra{i}-{rng.randrange(1000)}", "region": d["region"],
                                      "capacity": rng.randint(0, 30)})

    def deployment_timing(self):
        d = self.pick_slot_deployment()
        if d:
            h = horizon_of(self.sc)
            d["created_at"] = round(self.rng.uniform(0, h / 2), 3)
            d["ready_after"] = random_duration(self.rng, 0.001, 600)
            t = self.sc.get("timeline")
            if isinstance(t, list):
                self.sc["timeline"] = [e for e in t if seconds(e.get("at"), 0) >= seconds(d["created_at"], 0)
                                       or d["region"] not in (e.get("region"), e.get("from"))]

    def max_queue(self):
        d = self.pick_slot_deployment()
        if d:
            d["max_queue"] = self.rng.choice([0, 1, 5, 1000])

    def latency(self):
        lat = self.sc.setdefault("latency", {})
        key = self.rng.choice(["dispatch", "startup", "jitter"])
        lat[key] = random_distribution(self.rng, self.rng.choice([0.05, 1, 20]))

    def confidence(self):
        self.sc.setdefault("run", {})["confidence"] = self.rng.choice([0.5, 0.9, 0.99, 0.999])

    MUTATIONS = [
        ("capacity", 4), ("rate", 4), ("horizon", 2), ("bin", 2), ("warmup", 1), ("replications", 2),
        ("seed", 1), ("timeline_event", 4), ("many_capacity_steps", 1), ("drop_timeline_event", 1),
        ("workers", 2), ("worker_knob", 2), ("policy", 3), ("patience", 2), ("session", 2),
        ("cities", 1), ("utc_offset", 1), ("add_region", 1), ("add_deployments", 1),
        ("deployment_timing", 1), ("max_queue", 1), ("latency", 1), ("confidence", 1),
    ]

    def mutate(self, n, leave_out=()):
        names = [m for m, _ in self.MUTATIONS if m not in leave_out]
        weights = [w for m, w in self.MUTATIONS if m not in leave_out]
        done = []
        for name in self.rng.choices(names, weights, k=n):
            try:
                getattr(self, name)()
            except (KeyError, TypeError, IndexError, ValueError, AttributeError):
                continue
            done.append(name)
        return done

    # Breaks the docs refuse (docs/scenarios.md): the run must exit 2.
    def break_it(self):
        rng, sc = self.rng, self.sc
        deps = sc.get("deployments", [])
        pops = sc.get("populations", [])
        kinds = {
            "negative capacity": lambda: deps[0].__setitem__("capacity", -1),
            "unknown region": lambda: deps[0].__setitem__("region", "atlantis"),
            "bin of 0": lambda: sc.setdefault("run", {}).__setitem__("bin", 0),
            "negative horizon": lambda: sc.setdefault("run", {}).__setitem__("horizon", "-1h"),
            "unknown field": lambda: sc.__setitem__("colour", "blue"),
            "unknown policy": lambda: sc.__setitem__("policy", {"type": "random"}),
            "0 replications": lambda: sc.setdefault("run", {}).__setitem__("replications", 0),
            "name ..": lambda: sc.__setitem__("name", ".."),
            "warm-up past the horizon": lambda: sc.setdefault("run", {}).update(
                {"horizon": "1h", "warmup": "2h"}),
            "population twice": lambda: pops.append(json.loads(json.dumps(pops[0]))),
            "event after the horizon": lambda: sc.setdefault("timeline", []).append(
                {"type": "rate", "at": horizon_of(sc) * 2 + 1, "factor": 2, "duration": "1min"}),
            "utc offset 15": lambda: pops[0].__setitem__("utc_offset_h", 15),
            "hourly of 23": lambda: sc.setdefault("timeline", []).append(
                {"type": "capacity", "at": 0, "region": deps[0]["region"], "agent": deps[0]["agent"],
                 "hourly": [1] * 23}),
            "confidence 1": lambda: sc.setdefault("run", {}).__setitem__("confidence", 1),
            "label with a line break": lambda: sc.setdefault("timeline", []).append(
                {"type": "rate", "at": 0, "factor": 1, "duration": "1s", "label": "a\nb"}),
        }
        what = rng.choice(sorted(kinds))
        kinds[what]()
        return what


def compress(sc, s):
    """Scale every instant and span of the scenario's clock by s (rates and
    session lengths unchanged)."""
    run = sc.setdefault("run", {})
    for key, default in (("horizon", 86400.0), ("warmup", 0.0), ("bin", 900.0)):
        v = seconds(run.get(key, default), None)
        if v is not None:
            run[key] = round(v * s, 3) if key != "bin" else max(round(v * s, 3), 0.001)
    for e in sc.get("timeline", []) if isinstance(sc.get("timeline"), list) else []:
        for key in TIME_FIELDS:
            v = seconds(e.get(key), None)
            if v is not None:
                e[key] = round(v * s, 3)
    for d in sc.get("deployments", []):
        for key in ("created_at", "ready_after"):
            v = seconds(d.get(key), None)
            if v is not None:
                d[key] = round(v * s, 3)


def thin(sc, f):
    """Scale every arrival rate (a replayed trace's rate_factor) by f."""
    for pop in sc.get("populations", []):
        r = pop.get("rate")
        if isinstance(r, dict):
            for key in ("peak_per_hour", "peak_per_s"):
                if isinstance(r.get(key), (int, float)):
                    r[key] *= f
        a = pop.get("arrivals")
        if isinstance(a, dict):
            a["rate_factor"] = a.get("rate_factor", 1) * f


def fit_budget(bin_path, sc, case_dir, events_budget, memory_budget, min_horizon=60.0):
    """Rescale `sc` until `regionsim check` estimates at most the budgets.
    Returns the last check's estimate, None when check refuses the file
    (the caller then expects the run to refuse it too), or "over" when it
    cannot be brought within them (the case is skipped)."""
    path = case_dir / "scenario.json"
    for attempt in range(8):
        path.write_text(json.dumps(sc, ensure_ascii=False, indent=1))
        res = spawn([bin_path, "check", "scenario.json"], case_dir, 60, measure=False)
        if res["code"] != 0:
            return None
        est = parse_estimate(res["stdout"])
        if est is None:
            return None
        over = max(est["events"] / events_budget, est["memory"] / memory_budget)
        # The printed estimate has two or three significant digits.
        if over <= 1.05:
            return est
        over /= 0.9
        if attempt >= 4:
            # What time and rates cannot shrink: worker pools' passes and rings.
            for d in sc.get("deployments", []):
                w = d.get("workers")
                if isinstance(w, dict):
                    w["window"] = max(1, int(w.get("window", 5)) // 10)
                    if isinstance(w.get("count"), int):
                        w["count"] = max(1, w["count"] // 10)
                    if isinstance(w.get("autoscale"), dict):
                        a = w["autoscale"]
                        a["max"] = max(a.get("min", 0), 1, int(a.get("max", 1)) // 10)
        h = horizon_of(sc)
        s = 1 / over
        if h * s >= min_horizon:
            compress(sc, s)
        else:
            thin(sc, s)
            if h > 2 * min_horizon:
                compress(sc, min_horizon / h)
            elif attempt >= 2:
                # Ticks of worker pools: fewer replications.
                run = sc.setdefault("run", {})
                run["replications"] = max(1, int(run.get("replications", 1)) // 4)
        if est["memory"] > memory_budget or attempt >= 4:
            # Fewer time bins and capacity steps: the memory's main terms.
            run = sc.setdefault("run", {})
            run["bin"] = seconds(run.get("bin", 900), 900) * 4
            t = sc.get("timeline")
            if isinstance(t, list) and len(t) > 20:
                sc["timeline"] = t[:20]
    return "over"


# ---------------------------------------------------------------------------
# Bookkeeping


class Campaign:
    def __init__(self, args):
        self.args = args
        self.failures = Path(args.failures).resolve()
        self.lock = threading.Lock()
        self.defects = []
        self.counts = {}
        self.slowest = {}
        self.ratios = {"events": [], "memory": [], "heap": []}

    def count(self, cls, key, n=1):
        with self.lock:
            c = self.counts.setdefault(cls, {})
            c[key] = c.get(key, 0) + n

    def slow(self, cls, wall, what):
        with self.lock:
            if wall > self.slowest.get(cls, (0, ""))[0]:
                self.slowest[cls] = (wall, what)

    def defect(self, cls, index, kind, case_dir, cmd, res, note=""):
        """Keep the failing input, its command and output for replay."""
        name = f"{cls}-{index:05d}-{kind}"
        dest = self.failures / name
        with self.lock:
            self.defects.append({"class": cls, "case": index, "kind": kind, "folder": str(dest), "note": note})
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        for f in ("scenario.json",):
            if (case_dir / f).exists():
                shutil.copy(case_dir / f, dest / f)
        (dest / "stderr.txt").write_text(res.get("stderr", "") if res else "")
        (dest / "stdout.txt").write_text(res.get("stdout", "") if res else "")
        quoted = [a if re.fullmatch(r"[\w./=:@,+-]+", a) else "'" + a.replace("'", "'\\''") + "'"
                  for a in cmd[1:]]
        (dest / "replay.sh").write_text(
            "#!/bin/sh\n"
            f"# {kind}: " + note.replace("\n", " ") + "\n"
            'cd "$(dirname "$0")"\n'
            f'"${{REGIONSIM:-{cmd[0]}}}" ' + " ".join(quoted) + "\n"
        )
        print(f"  DEFECT {name}: {note} -> {dest}", file=sys.stderr, flush=True)


def progress(label, done, total, start):
    if done % max(1, total // 20) == 0 or done == total:
        rate = done / max(time.monotonic() - start, 1e-9)
        print(f"  {label}: {done}/{total} ({rate:.1f}/s)", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# 1. Loader inputs


def loader_phase(c):
    args = c.args
    n = args.loader
    if n <= 0:
        return
    n_bytes = n // 4
    n_mutated = n - n_bytes
    folder = c.failures / "loader"
    if folder.exists():
        shutil.rmtree(folder)
    env = dict(os.environ)
    env.update({
        "REGIONSIM_FUZZ_CASES": str(n_mutated),
        "REGIONSIM_FUZZ_BYTES_CASES": str(n_bytes),
        "REGIONSIM_FUZZ_LOG_CASES": str(n_bytes),
        "REGIONSIM_FUZZ_SEED": str(args.seed),
        "REGIONSIM_FUZZ_FAILURES": str(folder),
    })
    base = [args.cargo, "test", "--release", "--test", "it"]
    print(f"loader: building the test binary ({' '.join(base)})", file=sys.stderr, flush=True)
    subprocess.run(base + ["--no-run"], cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    cmd = base + ["fuzz::", "--", "--nocapture", f"--test-threads={args.jobs}"]
    print(f"loader: {n_mutated} mutated files, {n_bytes} random byte strings, {n_bytes} mutated logs "
          f", {n_bytes} mutated traces and {n_bytes} overrides, seed {args.seed}",
          file=sys.stderr, flush=True)
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True, text=True, errors="replace")
    try:
        output, _ = proc.communicate(timeout=600 + 0.05 * n)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate()
        timed_out = True
    wall = time.monotonic() - start
    tallies = {}
    for line in output.splitlines():
        m = re.search(r"fuzz tally: kind=(\w+) (.*)", line)
        if m:
            tallies[m.group(1)] = {k: int(v) for k, v in (kv.split("=") for kv in m.group(2).split())}
    for kind, t in tallies.items():
        c.count("loader", f"{kind} inputs", t["inputs"])
        c.count("loader", f"{kind} refused", t["refused"])
        c.count("loader", f"{kind} simulated", t["simulated"])
        c.count("loader", f"{kind} loaded, not simulated", t["validated_only"])
    c.count("loader", "inputs", sum(t["inputs"] for t in tallies.values()))
    c.slow("loader", wall, " ".join(cmd))
    failed = timed_out or proc.returncode != 0 or {"structured", "edits", "bytes", "logs", "traces", "overrides"} - tallies.keys()
    if failed:
        kind = "hang" if timed_out else f"exit-{proc.returncode}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "output.txt").write_text(output)
        (folder / "replay.sh").write_text(
            f"#!/bin/sh\ncd '{REPO}'\n"
            + " ".join(f"{k}={v}" for k, v in env.items() if k.startswith("REGIONSIM_FUZZ"))
            + " " + " ".join(cmd) + "\n")
        with c.lock:
            c.defects.append({"class": "loader", "case": 0, "kind": kind, "folder": str(folder),
                              "note": "see output.txt; the input in flight or the smallest failing one is "
                                      "in *-in-flight.bin / *-failure.bin"})
        print(f"  DEFECT loader {kind} -> {folder}", file=sys.stderr, flush=True)
    else:
        shutil.rmtree(folder, ignore_errors=True)
    c.loader_wall = wall


# ---------------------------------------------------------------------------
# 2. Short runs


def trivial():
    """The memory test's trivial world (tests/it/memory_estimate.rs)."""
    return {
        "name": "memory",
        "regions": ["us-east", "eu-central"],
        "deployments": [{"agent": "a", "region": "us-east", "capacity": 10}],
        "populations": [{"name": "p", "lat": 40.71, "lon": -74.01, "utc_offset_h": -5,
                         "rate": {"peak_per_s": 0.05}, "session": {"type": "exponential", "mean": "60s"}}],
        "policy": {"type": "nearest"},
        "run": {"horizon": "1h", "warmup": "0s", "seed": 1, "replications": 1, "bin": "1h"},
    }


def baselines(c, work):
    """Peak resident memory of the trivial run per (threads, charts), each
    measured 5 times: the median is what any run takes (code, allocator,
    fonts), the spread the measurement's noise; and its peak heap, when
    heaptrack is installed."""
    out = {}
    d = work / "baseline"
    d.mkdir()
    (d / "scenario.json").write_text(json.dumps(trivial()))
    for threads in (1, 2):
        for charts in (False, True):
            peaks = []
            for _ in range(5):
                cmd = [c.args.bin, "run", "scenario.json", "--out", "out", "--force", "--threads", str(threads)]
                if not charts:
                    cmd.append("--no-charts")
                res = spawn(cmd, d, 120, measure=c.measure)
                if res["code"] != 0:
                    sys.exit(f"the trivial run failed: {res['stderr']}")
                peaks.append(res["peak"])
            peaks.sort()
            out[(threads, charts)] = {"median": peaks[2], "spread": peaks[-1] - peaks[0],
                                      "heap": heap_peak(cmd, d)}
    return out


def run_case(c, i, seeds, work, base):
    rng = random.Random(f"{c.args.seed}:run:{i}")
    rel, doc = rng.choice(seeds)
    sc = json.loads(json.dumps(doc))
    m = Mutator(rng, sc)
    done = m.mutate(rng.randint(1, 5))
    broken = m.break_it() if rng.random() < 0.1 else None
    case_dir = work / f"run-{i}"
    case_dir.mkdir()
    try:
        budget = math.exp(rng.uniform(math.log(2e3), math.log(3e5)))
        est = None
        if broken:
            (case_dir / "scenario.json").write_text(json.dumps(sc, ensure_ascii=False, indent=1))
        else:
            est = fit_budget(c.args.bin, sc, case_dir, budget, 200e6)
            if est == "over":
                c.count("runs", "skipped: no rescaling fits the budget")
                return
        threads = 1 if rng.random() < 0.7 else 2
        charts = rng.random() < 0.15
        cmd = [c.args.bin, "run", "scenario.json", "--out", "out", "--threads", str(threads)]
        if not charts:
            cmd.append("--no-charts")
        if rng.random() < 0.2:
            cmd += ["--seed", str(rng.randrange(2**32))]
        what = f"{rel} +{','.join(done)}" + (f" broken: {broken}" if broken else "")
        res = spawn(cmd, case_dir, c.args.run_timeout, measure=c.measure)
        c.slow("runs", res["wall"], what)
        kind = verdict(res, {0, 2})
        if kind:
            c.count("runs", "defects")
            c.defect("runs", i, kind, case_dir, cmd, res, what)
            return
        if res["code"] == 2:
            c.count("runs", "refused (exit 2)")
            if est is not None:
                c.count("runs", "refused though check accepted")
            return
        c.count("runs", "ok (exit 0)")
        if broken:
            c.count("runs", "defects")
            c.defect("runs", i, "accepted-invalid", case_dir, cmd, res, what)
            return
        printed = parse_estimate(res["stderr"])
        summary = json.loads((case_dir / "out" / "summary.json").read_text())
        events = summary["events"]
        ratio_e = events / max(printed["events"], 1.0)
        note = f"{what}: {events} events, estimated {printed['events']:.0f}"
        # Expected counts are noisy when small: a few events over an estimate
        # of a handful are not a defect; above 100 events the rule is 2x.
        over_e = events > max(2 * printed["events"], printed["events"] + 6 * math.sqrt(2 * printed["events"]) + 10)
        with c.lock:
            c.ratios["events"].append((ratio_e, printed["events"], i, what))
        over_m, more = memory_over(c, "runs", i, cmd, case_dir, res, printed, base[(threads, charts)], what,
                                   judge_heap=not over_e)
        note += more
        if over_e or over_m:
            c.count("runs", "defects")
            which = "events" if over_e else "memory"
            c.defect("runs", i, f"over-estimate-{which}", case_dir, cmd, res, note)
    finally:
        shutil.rmtree(case_dir, ignore_errors=True)


def memory_over(c, cls, i, cmd, case_dir, res, printed, b, what, judge_heap=True):
    """Whether a finished child took more than twice its printed memory
    estimate above the trivial run (`b`), and a note saying how much. The
    resident peak counts code read in and the allocator's arenas, which the
    estimate leaves out: a peak over twice is judged again by its heap where
    heaptrack can measure it, else allowed the trivial run's spread."""
    above = res["peak"] - b["median"]
    over = c.measure and above > 2 * printed["memory"]
    with c.lock:
        c.ratios["memory"].append((above / max(printed["memory"], 1.0), printed["memory"], i, what, above))
    note = f"; {above / 1e6:.2f} MB above the trivial run, estimated {printed['memory'] / 1e6:.2f} MB"
    if over and judge_heap:
        heap = heap_peak(cmd, case_dir) if b["heap"] is not None else None
        if heap is not None:
            heap_above = heap - b["heap"]
            with c.lock:
                c.ratios["heap"].append((heap_above / max(printed["memory"], 1.0), printed["memory"], i, what))
            note += f"; heap {heap_above / 1e6:.2f} MB above the trivial run's"
            if heap_above <= 2 * printed["memory"]:
                c.count(cls, "memory: resident peak over 2x, heap within")
                over = False
        elif above <= 2 * printed["memory"] + b["spread"]:
            c.count(cls, "memory: resident peak over 2x, within the trivial run's spread")
            over = False
    return over, note


# ---------------------------------------------------------------------------
# 3. Plans


RATE_METRICS = ["overflow_rate", "rejection_rate", "abandonment_rate", "rejection_abandonment_rate",
                "wait_probability"]
AT_MOST = {m: (0.001, 0.3) for m in RATE_METRICS}
AT_MOST.update({"wait_ms.mean": (10, 5000), "media_rtt_ms.p95": (50, 400), "media_rtt_ms.p99": (50, 500),
                "join_latency_ms.p95": (200, 5000), "join_latency_ms.p99": (200, 8000)})
AT_LEAST = {"slo_attainment.media_rtt": (0.5, 0.99), "slo_attainment.join_latency": (0.5, 0.99),
            "slo_attainment.both": (0.5, 0.99), "utilization": (0.05, 0.9)}


def random_targets(rng, sc):
    """--target arguments: mostly well formed, sometimes not (exit 2)."""
    pops = [p.get("name") for p in sc.get("populations", [])]
    regions = sorted({d.get("region") for d in sc.get("deployments", [])})
    out = []
    for _ in range(rng.randint(1, 3)):
        metric = rng.choice(sorted(AT_MOST) + sorted(AT_LEAST))
        lo, hi = AT_MOST.get(metric) or AT_LEAST[metric]
        value = round(rng.uniform(lo, hi), 4)
        rel = "<=" if metric in AT_MOST else ">="
        scope = ""
        if metric == "utilization":
            scope = f"[{rng.choice(regions)}]" if regions and rng.random() < 0.7 else ""
        elif pops and rng.random() < 0.3:
            scope = f"[{rng.choice(pops)}]"
        if rng.random() < 0.03:
            rel = {"<=": ">=", ">=": "<="}[rel]
        if rng.random() < 0.03:
            value = rng.choice([0, 1, -0.5, 1.5, 1e300, "nan"])
        if rng.random() < 0.02:
            scope = "[nowhere]"
        if rng.random() < 0.01:
            metric = "latency"
        out += ["--target", f"{metric}{scope}{rel if rng.random() < 0.9 else '='}{value}"]
    return out


def deployment_names(sc):
    deps = sc.get("deployments", [])
    count = {}
    for d in deps:
        count[d.get("region")] = count.get(d.get("region"), 0) + 1
    return [d["region"] if count[d["region"]] == 1 else f"{d['agent']}@{d['region']}" for d in deps]


def plan_case(c, i, seeds, work):
    rng = random.Random(f"{c.args.seed}:plan:{i}")
    # Mostly slot scenarios; a worker scenario (5 %) has its pools planned.
    slot = [s for s in seeds if all("capacity" in d for d in s[1].get("deployments", []))]
    rel, doc = rng.choice(slot if rng.random() < 0.95 else seeds)
    sc = json.loads(json.dumps(doc))
    m = Mutator(rng, sc)
    # Mutations that add worker pools or turn their knobs stay with the runs,
    # so a plan's scenario keeps the pools it was chosen with.
    done = m.mutate(rng.randint(0, 3), leave_out=("workers", "worker_knob", "many_capacity_steps"))
    case_dir = work / f"plan-{i}"
    case_dir.mkdir()
    try:
        hourly = rng.random() < 0.15
        if hourly:
            # An hourly plan sets every capacity itself, over whole UTC hours.
            t = sc.get("timeline")
            if isinstance(t, list):
                sc["timeline"] = [e for e in t if e.get("type") not in ("capacity", "deploy", "migrate")]
            run = sc.setdefault("run", {})
            if horizon_of(sc) < 3 * 3600:
                run["horizon"] = 3 * 3600
                run["warmup"] = 0
        reps = 16 if hourly else rng.choice([4, 4, 6, 8])
        if rng.random() < 0.03:
            reps = rng.choice([1, 3])
        sc.setdefault("run", {})["replications"] = reps
        per_rep = math.exp(rng.uniform(math.log(300), math.log(10000)))
        floor = 3 * 3600 if hourly else 60
        if fit_budget(c.args.bin, sc, case_dir, per_rep * reps, 50e6, floor) == "over":
            c.count("plans", "skipped: no rescaling fits the budget")
            return
        cmd = [c.args.bin, "plan", "scenario.json", "--out", "out", "--threads", "1",
               "--replications", str(reps), "--max-candidates", str(rng.choice([5, 20, 40, 80, 200]))]
        if rng.random() < 0.9:
            cmd.append("--no-charts")
        has_targets = bool(sc.get("slo", {}).get("targets"))
        if not has_targets or rng.random() < 0.6:
            cmd += random_targets(rng, sc)
        names = deployment_names(sc)
        if names and rng.random() < 0.5:
            bounds = []
            for name in rng.sample(names, rng.randint(1, len(names))):
                lo, hi = sorted(rng.randint(0, 60) for _ in range(2))
                form = rng.randrange(10)
                if form == 0:
                    lo, hi = hi + 1, lo
                text = {1: f"{lo}:", 2: f":{hi}", 3: "0:4294967295"}.get(form, f"{lo}:{hi}")
                bounds.append(f"{name}={text}")
            cmd += ["--bounds", ",".join(bounds)]
        if names and rng.random() < 0.2:
            cmd += ["--step", str(rng.choice([1, 2, 5])) if rng.random() < 0.5
                    else f"{rng.choice(names)}={rng.randint(0, 4)}"]
        regions = sorted({d.get("region") for d in sc.get("deployments", [])})
        if regions and rng.random() < 0.2:
            cmd += ["--cost", f"{rng.choice(regions)}={rng.choice([0.5, 1, 2.5, 0.8, 1.2, 0])}"]
        if hourly:
            cmd.append("--hourly")
        what = f"{rel} +{','.join(done)}"
        res = spawn(cmd, case_dir, c.args.plan_timeout, measure=False)
        c.slow("plans", res["wall"], f"{what}: {' '.join(cmd[2:])}")
        kind = verdict(res, {0, 2, 3})
        if kind:
            c.count("plans", "defects")
            c.defect("plans", i, kind, case_dir, cmd, res, what)
            return
        c.count("plans", {0: "verified (exit 0)", 2: "refused (exit 2)", 3: "infeasible (exit 3)"}[res["code"]])
        if hourly and res["code"] != 2:
            c.count("plans", "hourly planned")
    finally:
        shutil.rmtree(case_dir, ignore_errors=True)


# ---------------------------------------------------------------------------
# 4. Experiments


def random_policy(rng):
    """A policy spec any scenario of one agent can take (some are refused
    elsewhere, one error line, which is fine)."""
    kind = rng.choice(["nearest", "nearest", "least_loaded", "power_of_two", "score"])
    spec = {"type": kind}
    if kind == "nearest" and rng.random() < 0.5:
        spec["spill"] = {"max_extra_rtt_ms": rng.choice([0, 20, 80, 1000])}
    if kind == "least_loaded":
        spec["max_extra_rtt_ms"] = rng.choice([0, 50, 1000])
    if kind == "power_of_two":
        spec["k"] = rng.choice([1, 2, 3])
    if kind == "score":
        spec["load_penalty_ms"] = rng.choice([0, 20, 80])
    if rng.random() < 0.3:
        spec["on_full"] = rng.choice(["reject", "wait"])
    return spec


def sweep_setting(rng, sc):
    """A `--set PATH=V1,V2,...` a sweep can take: a slot capacity, the seed,
    a peak rate."""
    slots = [i for i, d in enumerate(sc.get("deployments", [])) if "capacity" in d]
    rated = [i for i, p in enumerate(sc.get("populations", []))
             if isinstance(p.get("rate"), dict) and "peak_per_s" in p["rate"]]
    what = rng.choice(["seed"] + (["capacity"] if slots else []) + (["rate"] if rated else []))
    n = rng.randint(1, 4)
    if what == "capacity":
        vals = sorted({rng.randint(0, 40) for _ in range(n)})
        return f"deployments[{rng.choice(slots)}].capacity={','.join(map(str, vals))}"
    if what == "rate":
        vals = [round(rng.uniform(0.0, 2.0), 3) for _ in range(n)]
        return f"populations[{rng.choice(rated)}].rate.peak_per_s={','.join(map(str, vals))}"
    return "run.seed=" + ",".join(str(rng.randrange(2**32)) for _ in range(n))


def experiment_case(c, i, seeds, work, base):
    """`regionsim compare` on two to four random policies, or `regionsim
    sweep` over a field, on a small mutated scenario: exit 0 with its file
    readable as JSON and its peak memory within twice its printed estimate
    above the trivial run, or 2 with one error line."""
    rng = random.Random(f"{c.args.seed}:experiment:{i}")
    rel, doc = rng.choice(seeds)
    sc = json.loads(json.dumps(doc))
    m = Mutator(rng, sc)
    done = m.mutate(rng.randint(0, 3))
    case_dir = work / f"experiment-{i}"
    case_dir.mkdir()
    try:
        reps = rng.choice([1, 2, 3, 4, 6])
        sc.setdefault("run", {})["replications"] = reps
        per_rep = math.exp(rng.uniform(math.log(100), math.log(5000)))
        if fit_budget(c.args.bin, sc, case_dir, per_rep * reps, 50e6) == "over":
            c.count("experiments", "skipped: no rescaling fits the budget")
            return
        compare = rng.random() < 0.5
        if compare:
            labels = [f"p{k}" for k in range(rng.randint(2, 4))]
            policies = sc.get("policies") if isinstance(sc.get("policies"), dict) else {}
            policies.update({label: random_policy(rng) for label in labels})
            sc["policies"] = policies
            (case_dir / "scenario.json").write_text(json.dumps(sc, ensure_ascii=False, indent=1))
            cmd = [c.args.bin, "compare", "scenario.json", "--policies", ",".join(labels)]
            made = "compare.json"
        else:
            cmd = [c.args.bin, "sweep", "scenario.json", "--set", sweep_setting(rng, sc)]
            made = "sweep.json"
        threads, charts = rng.choice([1, 2]), rng.random() < 0.1
        cmd += ["--out", "out", "--threads", str(threads)]
        if not charts:
            cmd.append("--no-charts")
        what = f"{rel} +{','.join(done)}: {' '.join(cmd[1:5])}"
        res = spawn(cmd, case_dir, c.args.run_timeout, measure=c.measure)
        c.slow("experiments", res["wall"], what)
        kind = verdict(res, {0, 2})
        if kind is None and res["code"] == 0:
            try:
                json.loads((case_dir / "out" / made).read_text())
            except (OSError, ValueError) as e:
                kind = f"unreadable-{made}"
                res["stderr"] += f"\n{e}"
        note = what
        printed = parse_estimate(res["stderr"]) if res["code"] == 0 else None
        if kind is None and printed is not None and base is not None:
            over, more = memory_over(c, "experiments", i, cmd, case_dir, res, printed,
                                     base[(threads, charts)], what)
            note += more
            kind = "over-estimate-memory" if over else None
        if kind:
            c.count("experiments", "defects")
            c.defect("experiments", i, kind, case_dir, cmd, res, note)
            return
        key = "compare" if compare else "sweep"
        c.count("experiments", f"{key}: " + {0: "ok (exit 0)", 2: "refused (exit 2)"}[res["code"]])
    finally:
        shutil.rmtree(case_dir, ignore_errors=True)


# ---------------------------------------------------------------------------


def run_many(c, label, n, fn):
    start = time.monotonic()
    done = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=c.args.jobs) as pool:
        futures = [pool.submit(fn, i) for i in range(n)]
        for f in concurrent.futures.as_completed(futures):
            f.result()
            done += 1
            progress(label, done, n, start)
    return time.monotonic() - start


def report(c, walls, total_wall):
    print()
    print(f"regionsim fuzz campaign: seed {c.args.seed}, {c.args.jobs} job(s), {total_wall / 60:.1f} min")
    print(f"{'class':<8} {'count':>8}  {'what':<44}")
    for cls in ("loader", "runs", "plans", "experiments"):
        for key, n in sorted(c.counts.get(cls, {}).items()):
            print(f"{cls:<8} {n:>8}  {key}")
    for cls, (wall, what) in sorted(c.slowest.items()):
        print(f"slowest {cls}: {wall:.2f} s ({what[:160]})")
    for cls, wall in walls.items():
        print(f"wall time {cls}: {wall / 60:.1f} min")
    summary = {"seed": c.args.seed, "jobs": c.args.jobs, "wall_s": round(total_wall, 1),
               "walls_s": {k: round(v, 1) for k, v in walls.items()}, "counts": c.counts,
               "slowest": {k: {"wall_s": round(w, 2), "case": what} for k, (w, what) in c.slowest.items()},
               "defects": c.defects, "memory_measured_by": "GNU time" if c.measure else "os.wait4"}
    for name in ("events", "memory", "heap"):
        rs = c.ratios[name]
        if not rs:
            continue
        worst = max(rs, key=lambda r: r[0])
        floor = 1e3 if name == "events" else 1e6
        label = {"events": "events", "memory": "resident memory above the trivial run",
                 "heap": "heap above the trivial run (re-measured runs)"}[name]
        big = [r for r in rs if r[1] >= floor]
        worst_big = max(big, key=lambda r: r[0]) if big else None
        unit = "events" if name == "events" else "bytes"
        print(f"max {label} / estimate: {worst[0]:.2f} over {len(rs)} runs "
              f"(case {worst[2]}, estimate {worst[1]:.3g} {unit}: {worst[3][:100]})")
        if worst_big:
            print(f"max {label} / estimate, estimates of at least {floor:.0e} {unit}: {worst_big[0]:.2f} "
                  f"over {len(big)} runs (case {worst_big[2]}: {worst_big[3][:100]})")
        summary[f"max_{name}_ratio"] = {"all": round(worst[0], 3), "runs": len(rs),
                                        f"estimate_at_least_{floor:.0e}": round(worst_big[0], 3) if worst_big else None,
                                        "runs_at_least": len(big)}
    if c.measure_note:
        print(c.measure_note)
        summary["memory_note"] = c.measure_note
    print(f"defects: {len(c.defects)}" + (f" (inputs under {c.failures})" if c.defects else ""))
    for d in c.defects:
        print(f"  {d['class']} case {d['case']}: {d['kind']}: {d['note'][:200]}")
    c.failures.mkdir(parents=True, exist_ok=True)
    (c.failures / "summary.json").write_text(json.dumps(summary, indent=1, default=str))
    return summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--loader", type=int, default=100_000, help="loader inputs (in-process fuzz tests)")
    ap.add_argument("--runs", type=int, default=5_000, help="`regionsim run` processes")
    ap.add_argument("--plans", type=int, default=2_000, help="`regionsim plan` processes")
    ap.add_argument("--experiments", type=int, default=1_000,
                    help="`regionsim compare` and `regionsim sweep` processes")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bin", help="regionsim binary [default: build with cargo build --release]")
    ap.add_argument("--cargo", default="cargo")
    ap.add_argument("--jobs", type=int, default=1, help="children at once (and test threads)")
    ap.add_argument("--run-timeout", type=float, default=60.0, help="seconds before a run counts as a hang")
    ap.add_argument("--plan-timeout", type=float, default=300.0, help="seconds before a plan counts as a hang")
    ap.add_argument("--failures", default=str(REPO / "target" / "fuzz-failures"),
                    help="where failing inputs and summary.json go [default: target/fuzz-failures]")
    args = ap.parse_args()

    if args.bin is None:
        subprocess.run([args.cargo, "build", "--release"], cwd=REPO, check=True)
        target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
        args.bin = str((target / "release" / "regionsim").resolve())
    args.bin = str(Path(args.bin).resolve())
    c = Campaign(args)
    c.measure = os.access(GNU_TIME, os.X_OK)
    c.measure_note = None if c.measure else (
        f"{GNU_TIME} is missing: peak memory read from os.wait4, which cannot go below this "
        "process's own peak; small runs' memory is not judged")
    c.loader_wall = 0.0
    for stale in c.failures.glob("runs-*"):
        shutil.rmtree(stale)
    for stale in c.failures.glob("plans-*"):
        shutil.rmtree(stale)
    for stale in c.failures.glob("experiments-*"):
        shutil.rmtree(stale)
    start = time.monotonic()
    walls = {}
    loader_phase(c)
    walls["loader"] = c.loader_wall
    seeds = seed_scenarios()
    with tempfile.TemporaryDirectory(prefix="regionsim-fuzz-") as tmp:
        work = Path(tmp)
        base = None
        if args.runs > 0 or args.experiments > 0:
            base = baselines(c, work)
            print("trivial run's peak (threads, charts): " + ", ".join(
                f"{k}: {v['median'] / 1e6:.1f} MB +- {v['spread'] / 2e6:.2f}" for k, v in base.items()),
                file=sys.stderr, flush=True)
        if args.runs > 0:
            walls["runs"] = run_many(c, "runs", args.runs, lambda i: run_case(c, i, seeds, work, base))
        if args.plans > 0:
            walls["plans"] = run_many(c, "plans", args.plans, lambda i: plan_case(c, i, seeds, work))
        if args.experiments > 0:
            walls["experiments"] = run_many(c, "experiments", args.experiments,
                                            lambda i: experiment_case(c, i, seeds, work, base))
    summary = report(c, walls, time.monotonic() - start)
    return 1 if summary["defects"] else 0


if __name__ == "__main__":
    sys.exit(main())
