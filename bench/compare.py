"""Side-by-side speed of regionsim, the bare loop and SimPy on the reference
model, with a check that all three simulate the same thing. Run by run.sh.

Usage: compare.py REGIONSIM BARE_LOOP PYTHON [--simpy-sessions N] [--repeat K]
                  [--against CMD]... [--scaling] [--memory]
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


def machine():
    """CPU model, caches, cores and load: the figures only mean something with these."""
    model = "unknown CPU"
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        m = re.search(r"^Model name:\s*(.+)$", out, re.M)
        model = m.group(1).strip() if m else model
    except (OSError, subprocess.CalledProcessError):
        pass
    caches = []
    base = "/sys/devices/system/cpu/cpu0/cache"
    for d in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        try:
            level = open(os.path.join(base, d, "level")).read().strip()
            kind = open(os.path.join(base, d, "type")).read().strip()
            size = open(os.path.join(base, d, "size")).read().strip()
            shared = open(os.path.join(base, d, "shared_cpu_list")).read().strip()
        except OSError:
            continue
        tag = {"Data": "d", "Instruction": "i"}.get(kind, "")
        caches.append(f"L{level}{tag} {size} (cpus {shared})")
    return model, ", ".join(caches) or "cache sizes unknown"


def label_of(cmd):
    """A short name for an external command: its program's file name."""
    words = [w for w in cmd.split() if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", w)]
    return os.path.basename(words[0]) if words else cmd


def external(cmd):
    """Time a shell command whole-process. Its sessions: a `"sessions":N` or
    `arrived=N` in its output, else None (then taken as regionsim's: pass the same workload)."""
    r, wall, cpu = timed(["sh", "-c", cmd], capture_output=True, text=True)
    m = re.search(r'"sessions":\s*(\d+)|arrived=(\d+)', r.stdout)
    n = int(m.group(1) or m.group(2)) if m else None
    return {"impl": label_of(cmd), "sessions": n, "wall": wall, "cpu": cpu}


def alternate(k, runners):
    """k rounds, each running every runner once in turn (so load changes hit all
    alike); per runner, the median run by wall time plus every run's times."""
    runs = {name: [] for name in runners}
    for _ in range(k):
        for name, f in runners.items():
            runs[name].append(f())
    out = {}
    for name, rs in runs.items():
        r = dict(sorted(rs, key=lambda x: x["wall"])[len(rs) // 2])
        r["wall"] = statistics.median(x["wall"] for x in rs)
        r["cpu"] = statistics.median(x["cpu"] for x in rs)
        r["all_cpu"] = [round(x["cpu"], 2) for x in rs]
        r["all_wall"] = [round(x["wall"], 2) for x in rs]
        out[name] = r
    return out


def name_width(rows):
    """Wide enough for the longest name (an --against binary's path may be long)."""
    return max([14] + [len(r["impl"]) for r in rows])


def print_table(rows):
    w = name_width(rows)
    print(f"{'implementation':<{w}} {'sessions':>10} {'wall s':>7} {'CPU s':>7} {'ses/s wall':>11} {'ses/s CPU':>11} "
          f"{'rejection':>9} {'overflow':>9}  wall runs / CPU runs")
    for r in rows:
        r["wsps"] = r["sessions"] / r["wall"]
        r["sps"] = r["sessions"] / r["cpu"] if r["cpu"] > 0 else float("nan")
        rej = f"{r['rejected'] / r['sessions']:>9.5f}" if "rejected" in r else f"{'-':>9}"
        ovf = f"{r['overflow'] / r['sessions']:>9.5f}" if "overflow" in r else f"{'-':>9}"
        print(f"{r['impl']:<{w}} {r['sessions']:>10} {r['wall']:>7.2f} {r['cpu']:>7.2f} {r['wsps']:>11.4g} {r['sps']:>11.4g} "
              f"{rej} {ovf}  {r['all_wall']} / {r['all_cpu']}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("regionsim")
    ap.add_argument("bare")
    ap.add_argument("python")
    ap.add_argument("--simpy-sessions", type=int, default=300_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--against", action="append", default=[],
                    help="shell command timed whole-process in the same alternating rounds")
    ap.add_argument("--scaling", action="store_true")
    ap.add_argument("--memory", action="store_true")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="regionsim-bench-")

    model, caches = machine()
    print(f"machine: {model}; {os.cpu_count()} CPUs; {caches}")
    print(f"reference scenario: {SCENARIO}")
    print(f"{a.repeat} alternating rounds (regionsim, bare loop, each --against command); medians by wall time")
    load_before = os.getloadavg()
    print(f"load average at start: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
    runners = {
        "regionsim": lambda: regionsim(a.regionsim, os.path.join(tmp, "ref"), ["--no-charts"]),
        "bare": lambda: json_line([a.bare, str(HORIZON_S), "1"]),
    }
    for i, cmd in enumerate(a.against):
        runners[f"against{i}"] = lambda cmd=cmd: external(cmd)
    res = alternate(a.repeat, runners)
    rs, bare = res["regionsim"], res["bare"]
    for i, cmd in enumerate(a.against):
        r = res[f"against{i}"]
        r["sessions"] = r["sessions"] or rs["sessions"]
        # Two commands of the same program (e.g. two regionsim builds): name them by path.
        if r["impl"] in ("regionsim", "bare") or sum(label_of(c) == r["impl"] for c in a.against) > 1:
            r["impl"] = [w for w in cmd.split() if "=" not in w][0]
    # Charts are a fixed cost per report (independent of sessions): timed apart.
    charts = median_run(1, lambda: regionsim(a.regionsim, os.path.join(tmp, "ref-charts")))
    simpy = json_line([a.python, os.path.join(HERE, "peers", "simpy_reference.py"), str(a.simpy_sessions), "1"])
    # SimPy's own figures: env.run only, without interpreter start-up (its best case).
    simpy["wall"], simpy["cpu"] = simpy["seconds"], simpy["cpu"]
    simpy["all_cpu"], simpy["all_wall"] = [round(simpy["cpu"], 2)], [round(simpy["wall"], 2)]
    load_after = os.getloadavg()

    print()
    print("whole processes (regionsim parses, simulates with full statistics and writes summary.json/md and")
    print("timeseries.csv, --no-charts; bare loop and --against commands likewise start to end); SimPy: env.run only.")
    print("CPU = user + system time of the child")
    rows = [rs, bare] + [res[k] for k in res if k not in ("regionsim", "bare")] + [simpy]
    print_table(rows)
    print()
    print(f"load average at end: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    print(f"regionsim with charts (PNG/SVG/HTML): wall {charts['wall']:.2f} s, CPU {charts['cpu']:.2f} s: "
          f"rendering adds {charts['cpu'] - rs['cpu']:.2f} CPU s per report")
    print("ratios of sessions per second, regionsim / other (median wall; CPU in brackets):")
    w = name_width(rows)
    for r in rows[1:]:
        print(f"  regionsim / {r['impl']:<{w}} {rs['wsps'] / r['wsps']:8.3f}   ({rs['sps'] / r['sps']:.3f})")
    # Every implementation against SimPy, the limit loop included: a multiple of
    # SimPy above the limit loop's own is out of reach of any full simulator.
    print("sessions per second as a multiple of SimPy's (median wall):")
    for r in rows[:-1]:
        print(f"  {r['impl']:<{w}} {r['wsps'] / simpy['wsps']:8.1f}x")
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
