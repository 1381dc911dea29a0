"""Side-by-side speed of regionsim, the bare loop and SimPy on the reference
model, with a check that all three simulate the same thing. Run by run.sh.

Usage: compare.py REGIONSIM BARE_LOOP PYTHON [--simpy-sessions N] [--repeat K]
                  [--scaling] [--memory]
"""

import argparse
import json
import math
import os
import re
import resource
import statistics
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCENARIO = os.path.join(ROOT, "scenarios", "reference-3x100.json")
HORIZON_S = 4_212_000.0  # the scenario's 1170 h: about 10 M sessions
SESSIONS_PER_S = 3 * 0.7917


def erlang_b(c, a):
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def timed(cmd, **kw):
    """Run cmd; return (completed process, wall seconds, CPU seconds of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    r = subprocess.run(cmd, check=True, **kw)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return r, wall, cpu


def regionsim(binary, out, extra=()):
    _, wall, cpu = timed([binary, "run", SCENARIO, "--out", out, "--quiet", *extra])
    with open(os.path.join(out, "summary.json")) as f:
        s = json.load(f)
    m = s["metrics"]
    return {
        "impl": "regionsim",
        "sessions": int(m["sessions"]),
        "overflow": int(m["overflow"]),
        "rejected": int(m["rejected"]),
        "events": int(s["events"]),
        "wall": wall,
        "cpu": cpu,
    }


def json_line(cmd):
    r, wall, cpu = timed(cmd, capture_output=True, text=True)
    out = json.loads(r.stdout.strip().splitlines()[-1])
    out["wall"], out["cpu"] = wall, cpu
    return out


def median_run(k, f):
    """Median run by CPU time (the figure the shared machine disturbs least)."""
    runs = [f() for _ in range(k)]
    best = sorted(runs, key=lambda r: r["cpu"])
    r = dict(best[len(best) // 2])
    r["all_cpu"] = [round(x["cpu"], 2) for x in runs]
    r["all_wall"] = [round(x["wall"], 2) for x in runs]
    return r


def agree(a, b, key):
    """Two-proportion z statistic of a[key]/sessions vs b[key]/sessions."""
    na, nb = a["sessions"], b["sessions"]
    pa, pb = a[key] / na, b[key] / nb
    p = (a[key] + b[key]) / (na + nb)
    se = math.sqrt(p * (1 - p) * (1 / na + 1 / nb))
    return pa, pb, (pa - pb) / se if se > 0 else 0.0


def max_rss_kb(cmd):
    r = subprocess.run(["/usr/bin/time", "-v", *cmd], check=True, capture_output=True, text=True)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    e = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", r.stderr)
    wall = (int(e.group(1) or 0) * 3600 + int(e.group(2)) * 60 + float(e.group(3))) if e else float("nan")
    u = re.search(r"User time \(seconds\): ([\d.]+)", r.stderr)
    s = re.search(r"System time \(seconds\): ([\d.]+)", r.stderr)
    return int(m.group(1)), wall, float(u.group(1)) + float(s.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("regionsim")
    ap.add_argument("bare")
    ap.add_argument("python")
    ap.add_argument("--simpy-sessions", type=int, default=300_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scaling", action="store_true")
    ap.add_argument("--memory", action="store_true")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="regionsim-bench-")

    print(f"reference scenario: {SCENARIO}")
    print(f"median (by CPU time) of {a.repeat} runs for regionsim and the bare loop; SimPy once on {a.simpy_sessions} sessions")
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    # Charts are a fixed cost per report (independent of sessions): timed apart.
    rs = median_run(a.repeat, lambda: regionsim(a.regionsim, os.path.join(tmp, "ref"), ["--no-charts"]))
    charts = median_run(a.repeat, lambda: regionsim(a.regionsim, os.path.join(tmp, "ref-charts")))
    bare = median_run(a.repeat, lambda: json_line([a.bare, str(HORIZON_S), "1"]))
    simpy = json_line([a.python, os.path.join(HERE, "peers", "simpy_reference.py"), str(a.simpy_sessions), "1"])
    # SimPy's own figures: env.run only, without interpreter start-up (its best case).
    simpy["wall"], simpy["cpu"] = simpy["seconds"], simpy["cpu"]
    simpy["all_cpu"], simpy["all_wall"] = [round(simpy["cpu"], 2)], [round(simpy["wall"], 2)]

    print()
    print("regionsim and bare: whole processes (regionsim parses, simulates with full statistics and")
    print("writes summary.json/md and timeseries.csv, --no-charts); SimPy: env.run only.")
    print("CPU = user + system time")
    print(f"{'implementation':<10} {'sessions':>10} {'CPU s':>7} {'wall s':>7} {'sessions/s':>11} {'events/s':>11} "
          f"{'wall ses/s':>11} {'rejection':>9} {'overflow':>9}  CPU runs / wall runs")
    rows = [rs, bare, simpy]
    for r in rows:
        r["sps"] = r["sessions"] / r["cpu"]
        r["eps"] = r["events"] / r["cpu"]
        r["wsps"] = r["sessions"] / r["wall"]
        print(f"{r['impl']:<10} {r['sessions']:>10} {r['cpu']:>7.2f} {r['wall']:>7.2f} {r['sps']:>11.4g} {r['eps']:>11.4g} "
              f"{r['wsps']:>11.4g} {r['rejected'] / r['sessions']:>9.5f} {r['overflow'] / r['sessions']:>9.5f}  "
              f"{r['all_cpu']} / {r['all_wall']}")
    print()
    print(f"regionsim with charts (PNG/SVG/HTML): CPU {charts['cpu']:.2f} s, wall {charts['wall']:.2f} s: "
          f"rendering adds {charts['cpu'] - rs['cpu']:.2f} CPU s per report")
    print(f"regionsim / bare  (sessions per CPU second): {rs['sps'] / bare['sps']:.3f}   (target >= 0.60; wall: {rs['wsps'] / bare['wsps']:.3f})")
    print(f"regionsim / SimPy (sessions per CPU second): {rs['sps'] / simpy['sps']:.1f}   (target >= 100; wall: {rs['wsps'] / simpy['wsps']:.1f})")
    print(f"Erlang B(300, 285) = {erlang_b(300, 285.0):.5f} (total rejection when spill reaches every region)")

    ok = True
    print()
    for other in (bare, simpy):
        for key in ("rejected", "overflow"):
            pa, pb, z = agree(rs, other, key)
            good = abs(z) <= 4.0
            ok &= good
            print(f"agreement regionsim vs {other['impl']:<5} {key:<8}: {pa:.5f} vs {pb:.5f}, z = {z:+.2f}  {'ok' if good else 'DISAGREE'}")

    if a.scaling:
        print()
        t = {}
        for threads in (1, 2):
            r = median_run(a.repeat, lambda: regionsim(a.regionsim, os.path.join(tmp, f"scale{threads}"),
                                                       ["--replications", "4", "--threads", str(threads), "--no-charts"]))
            t[threads] = r
            print(f"4 replications, {threads} thread(s): wall min {min(r['all_wall']):.2f} s, "
                  f"median {statistics.median(r['all_wall']):.2f} s, CPU {r['cpu']:.2f} s  (wall runs {r['all_wall']})")
        best = min(t[1]["all_wall"]) / min(t[2]["all_wall"])
        med = statistics.median(t[1]["all_wall"]) / statistics.median(t[2]["all_wall"])
        print(f"scaling 1 -> 2 threads: {best:.2f}x by fastest runs, {med:.2f}x by medians   (target >= 1.8;")
        print(f"  the machine is shared, load average now {os.getloadavg()[0]:.1f}); "
              f"CPU time 2 threads / 1 thread: {t[2]['cpu'] / t[1]['cpu']:.2f}")

    if a.memory:
        print()
        print("--no-charts (the charts are a fixed cost per report; their memory is shown apart)")
        print(f"{'sessions':>10} {'horizon':>9} {'max RSS MB':>10} {'wall s':>7} {'CPU s':>7} {'CPU ns/session':>10}")
        for sessions in (1_000_000, 10_000_000, 100_000_000):
            h = f"{sessions / SESSIONS_PER_S:.0f}s"
            rss, wall, cpu = max_rss_kb([a.regionsim, "run", SCENARIO, "--out", os.path.join(tmp, "mem"), "--quiet",
                                         "--horizon", h, "--no-charts"])
            print(f"{sessions:>10} {h:>9} {rss / 1024:>10.1f} {wall:>7.2f} {cpu:>7.2f} {cpu / sessions * 1e9:>10.1f}")
        rss, wall, cpu = max_rss_kb([a.regionsim, "run", SCENARIO, "--out", os.path.join(tmp, "mem"), "--quiet", "--horizon", h])
        print(f"{sessions:>10} {h:>9} {rss / 1024:>10.1f} {wall:>7.2f} {cpu:>7.2f}  (with charts)")

    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
