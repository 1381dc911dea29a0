"""The worker model's speed targets, measured: the worker reference against the
limit loop, the cost of an idle pool, memory against the horizon and time
against sessions, plus the yardsticks that say where the time goes: the bare
worker loop (bench/worker_loop.rs, the tightest loop of the worker model,
with and without the platform's sampling) against the limit loop, regionsim
against it as the slot reference against the bare slot loop, the exact-load
variant, and nanoseconds per worker sample; with --plan, also the planner on
the worker flagship on two threads.
Run by `bench/run.sh --workers`; see docs/performance.md. Not part of the tests.

Usage: workers.py REGIONSIM BARE_LOOP [--repeat K] [--limit CMD] [--against OLD]... [--plan]
"""

import argparse
import copy
import json
import os
import tempfile

from compare import alternate, external, json_line, machine, max_rss_kb, timed

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCENARIO = os.path.join(ROOT, "scenarios", "reference-3x100-workers.json")
SLOTS = os.path.join(ROOT, "scenarios", "reference-3x100.json")
FLAGSHIP = os.path.join(ROOT, "scenarios", "livekit-workers.json")
PLAN_TARGET_S = 120.0
HORIZON_S = 4_212_000.0  # the scenario's 1170 h: about 10 M sessions
TARGET_RATIO = 0.3


def load(path):
    with open(path) as f:
        return json.load(f)


def write(doc, path):
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
    return path


def exact_variant(ref):
    """The reference with exact load: no samples or reports, so no ticks; the
    worker layer's cost per session alone."""
    doc = copy.deepcopy(ref)
    doc["name"] = "reference-3x100-workers-exact"
    for d in doc["deployments"]:
        d["workers"]["sample_interval"] = 0
        d["workers"]["report_interval"] = 0
    return doc


def idle_variant(ref):
    """The reference's pools with users in the first UTC hour of the day only
    (every population at UTC+0 with a profile of 1 then 0): after that hour the
    pools have nothing to do."""
    doc = copy.deepcopy(ref)
    doc["name"] = "reference-3x100-workers-idle"
    for p in doc["populations"]:
        p["utc_offset_h"] = 0
        p["rate"]["profile"] = [1] + [0] * 23
    return doc


def worker_samples(ref):
    """Worker samples a run of the reference takes: every worker every
    sample interval (fixed pools, default 0.5 s)."""
    workers = sum(d["workers"]["count"] for d in ref["deployments"])
    dt = 0.5
    return workers * HORIZON_S / dt


def run(binary, scenario, out, extra=()):
    _, wall, cpu = timed([binary, "run", scenario, "--out", out, "--quiet", "--no-charts", "--threads", "1", *extra])
    s = load(os.path.join(out, "summary.json"))
    return {"sessions": int(s["metrics"]["sessions"]), "events": int(s["events"]), "wall": wall, "cpu": cpu}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("regionsim")
    ap.add_argument("bare")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--limit", help="the limit loop as a shell command (e.g. '/tmp/limit/release/limit 10001067'); "
                                    "default: the bare loop, examples/bare_loop.rs")
    ap.add_argument("--against", action="append", default=[], metavar="REGIONSIM",
                    help="another regionsim binary (say, the build before a change) whose worker reference runs "
                         "in the same rounds, right after this one's: before and after on one machine (repeatable)")
    ap.add_argument("--plan", action="store_true",
                    help="also time `regionsim plan` on the worker flagship, two threads (a minute or two per run)")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="regionsim-workers-bench-")
    ref = load(SCENARIO)
    exact = write(exact_variant(ref), os.path.join(tmp, "exact.json"))
    idle = write(idle_variant(ref), os.path.join(tmp, "idle.json"))

    model, caches = machine()
    print(f"machine: {model}; {os.cpu_count()} CPUs; {caches}")
    print(f"worker reference: {SCENARIO}")
    la = os.getloadavg()
    print(f"load average at start: {la[0]:.2f} {la[1]:.2f} {la[2]:.2f}")
    print(f"{a.repeat} alternating rounds, whole processes, one thread, --no-charts; medians by wall time")

    runners = {
        "reference": lambda: run(a.regionsim, SCENARIO, os.path.join(tmp, "ref")),
        **{f"against {k}": (lambda old=old, k=k: run(old, SCENARIO, os.path.join(tmp, f"against{k}")))
           for k, old in enumerate(a.against, 1)},
        "exact load": lambda: run(a.regionsim, exact, os.path.join(tmp, "exact")),
        "bare workers": lambda: json_line([a.bare, str(HORIZON_S), "1", "workers"]),
        "bare exact": lambda: json_line([a.bare, str(HORIZON_S), "1", "exact"]),
        "slots": lambda: run(a.regionsim, SLOTS, os.path.join(tmp, "slots")),
        "bare slots": lambda: json_line([a.bare, str(HORIZON_S), "1"]),
        "limit": (lambda: external(a.limit)) if a.limit else (lambda: json_line([a.bare, str(HORIZON_S), "1"])),
    }
    res = alternate(a.repeat, runners)
    r, e, lim = res["reference"], res["exact load"], res["limit"]
    bw, be = res["bare workers"], res["bare exact"]
    lim["sessions"] = lim["sessions"] or r["sessions"]
    print()
    print(f"{'run':<12} {'sessions':>10} {'events':>11} {'wall s':>7} {'CPU s':>7}  wall runs")
    for name, x in res.items():
        ev = f"{x['events']:>11}" if "events" in x else f"{'-':>11}"
        print(f"{name:<12} {x['sessions']:>10} {ev} {x['wall']:>7.2f} {x['cpu']:>7.2f}  {x['all_wall']}")

    def ratio(x, to=lim):
        """Sessions per second of x over those of `to` (median wall)."""
        return (x["sessions"] / x["wall"]) / (to["sessions"] / to["wall"])

    # The bare worker loop simulates the very same run (tests/it/worker_loop.rs).
    ref_summary = load(os.path.join(tmp, "ref", "summary.json"))
    same = int(ref_summary["metrics"]["rejected"]) == bw["rejected"] and r["sessions"] == bw["sessions"]

    samples = worker_samples(ref)
    ns_per_sample = (r["wall"] - e["wall"]) / samples * 1e9

    # An idle pool: the same events and time at 2 h and at 23 h.
    idle2 = run(a.regionsim, idle, os.path.join(tmp, "idle2"), ["--horizon", "2h"])
    idle23 = run(a.regionsim, idle, os.path.join(tmp, "idle23"), ["--horizon", "23h"])

    # Memory against the horizon, time against sessions.
    mem = {}
    for h in ("117h", "1170h"):
        out = os.path.join(tmp, f"mem{h}")
        rss, wall, cpu = max_rss_kb([a.regionsim, "run", SCENARIO, "--out", out, "--quiet", "--no-charts",
                                     "--threads", "1", "--horizon", h])
        sessions = int(load(os.path.join(out, "summary.json"))["metrics"]["sessions"])
        mem[h] = (rss / 1024, cpu / sessions * 1e6, sessions)

    if a.plan:
        plans = []
        for _ in range(min(a.repeat, 3)):
            _, wall, cpu = timed([a.regionsim, "plan", FLAGSHIP, "--threads", "2", "--quiet",
                                  "--out", os.path.join(tmp, "plan")])
            plans.append(wall)
        wall = sorted(plans)[len(plans) // 2]
        plan_row = ("plan on livekit-workers within 2 min, 2 threads",
                    f"{wall:.0f} s (median of {len(plans)}: {', '.join(f'{x:.0f}' for x in plans)})",
                    wall <= PLAN_TARGET_S)
    print()
    print(f"{'target':<48} {'measured':<58} met")
    rows = [
        ("worker reference >= 0.3 of the limit loop",
         f"{ratio(r):.3f} ({r['wall']:.2f} s against {lim['wall']:.2f} s)", ratio(r) >= TARGET_RATIO),
        ("a pool idle for an hour costs no work",
         f"{idle2['events']} events at 2 h, {idle23['events']} at 23 h "
         f"(CPU {idle2['cpu']:.2f} s, {idle23['cpu']:.2f} s)", idle23["events"] == idle2["events"]),
        ("memory independent of the horizon",
         f"max RSS {mem['117h'][0]:.1f} MB at 117 h, {mem['1170h'][0]:.1f} MB at 1170 h", None),
        ("time linear in sessions",
         f"{mem['117h'][1]:.2f} us CPU/session at {mem['117h'][2]:,}, "
         f"{mem['1170h'][1]:.2f} at {mem['1170h'][2]:,}", None),
    ]
    if a.plan:
        rows.append(plan_row)
    for name, measured, met in rows:
        verdict = "-" if met is None else ("yes" if met else "no")
        print(f"{name:<48} {measured:<58} {verdict}")
    print("(memory and time: read the figures; the hourly statistics bins grow with the horizon, as for slots)")
    print()
    print("yardsticks:")
    print(f"  exact-load variant against the limit loop (the worker layer per session, no ticks): {ratio(e):.3f}")
    print(f"  ns per worker sample ((reference - exact load) / {samples / 1e6:.1f} M samples): {ns_per_sample:.1f}")
    print(f"  the bare worker loop against the limit loop (the worker model's own floor, "
          f"the engine's arithmetic and nothing else): {ratio(bw):.3f} with the platform's sampling, "
          f"{ratio(be):.3f} with exact load")
    print(f"  regionsim against its bare loop: workers {ratio(r, bw):.3f}, exact load {ratio(e, be):.3f}, "
          f"slots {ratio(res['slots'], res['bare slots']):.3f}")
    print(f"  the bare worker loop counts the reference's sessions and rejections: {'yes' if same else 'NO'}")
    for k, old in enumerate(a.against, 1):
        x = res[f"against {k}"]
        metrics = load(os.path.join(tmp, f"against{k}", "summary.json"))["metrics"]
        print(f"  against {k} ({old}): the reference takes {r['wall'] / x['wall']:.3f} of its time "
              f"({r['wall']:.2f} s against {x['wall']:.2f} s); same metrics: "
              f"{'yes' if metrics == ref_summary['metrics'] else 'NO'}")
    print(f"  the reference reaches {TARGET_RATIO} only when the exact-load ratio is above it and the samples cost "
          f"at most {max(0.0, lim['wall'] / lim['sessions'] * r['sessions'] / TARGET_RATIO - e['wall']) / samples * 1e9:.1f} ns each")
    la = os.getloadavg()
    print(f"load average at end: {la[0]:.2f} {la[1]:.2f} {la[2]:.2f}")


if __name__ == "__main__":
    main()
