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


def regionsim(binary, out, extra=()):
    started = time.perf_counter()
    subprocess.run([binary, "run", SCENARIO, "--out", out, "--quiet", *extra], check=True)
    seconds = time.perf_counter() - started
    with open(os.path.join(out, "summary.json")) as f:
        s = json.load(f)
    m = s["metrics"]
    return {
        "impl": "regionsim",
        "sessions": int(m["sessions"]),
        "overflow": int(m["overflow"]),
        "rejected": int(m["rejected"]),
        "events": int(s["events"]),
        "seconds": seconds,
    }


def json_line(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def median_run(k, f):
    runs = [f() for _ in range(k)]
    best = sorted(runs, key=lambda r: r["seconds"])
    r = dict(best[len(best) // 2])
    r["all_seconds"] = [round(x["seconds"], 3) for x in runs]
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
    return int(m.group(1)), wall


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
    print(f"median of {a.repeat} runs for regionsim and the bare loop; SimPy once on {a.simpy_sessions} sessions")
    rs = median_run(a.repeat, lambda: regionsim(a.regionsim, os.path.join(tmp, "ref")))
    bare = median_run(a.repeat, lambda: json_line([a.bare, str(HORIZON_S), "1"]))
    simpy = json_line([a.python, os.path.join(HERE, "peers", "simpy_reference.py"), str(a.simpy_sessions), "1"])
    simpy["all_seconds"] = [round(simpy["seconds"], 3)]

    print()
    print(f"{'implementation':<12} {'sessions':>10} {'seconds':>8} {'sessions/s':>12} {'events/s':>12} {'rejection':>9} {'overflow':>9}  runs (s)")
    rows = [rs, bare, simpy]
    for r in rows:
        r["sps"] = r["sessions"] / r["seconds"]
        r["eps"] = r["events"] / r["seconds"]
        print(f"{r['impl']:<12} {r['sessions']:>10} {r['seconds']:>8.3f} {r['sps']:>12.4g} {r['eps']:>12.4g} "
              f"{r['rejected'] / r['sessions']:>9.5f} {r['overflow'] / r['sessions']:>9.5f}  {r['all_seconds']}")
    print()
    print(f"regionsim / bare  (sessions/s): {rs['sps'] / bare['sps']:.3f}   (target >= 0.60)")
    print(f"regionsim / SimPy (sessions/s): {rs['sps'] / simpy['sps']:.1f}   (target >= 100)")
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
                                                       ["--replications", "4", "--threads", str(threads)]))
            t[threads] = r["seconds"]
            print(f"4 replications, {threads} thread(s): {r['seconds']:.3f} s  runs {r['all_seconds']}")
        print(f"scaling 1 -> 2 threads: {t[1] / t[2]:.2f}x   (target >= 1.8; the machine is shared)")

    if a.memory:
        print()
        print(f"{'sessions':>10} {'horizon':>9} {'max RSS MB':>10} {'wall s':>7} {'ns/session':>10}")
        for sessions in (1_000_000, 10_000_000, 100_000_000):
            h = f"{sessions / SESSIONS_PER_S:.0f}s"
            rss, wall = max_rss_kb([a.regionsim, "run", SCENARIO, "--out", os.path.join(tmp, "mem"), "--quiet", "--horizon", h])
            print(f"{sessions:>10} {h:>9} {rss / 1024:>10.1f} {wall:>7.2f} {wall / sessions * 1e9:>10.1f}")

    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
