#!/usr/bin/env python3
"""Write a synthetic session log of N rows for `bench/fit.sh`: a week from
Monday 2024-01-01 00:00 UTC, rows in time order, a third with lat/lon and the
rest with a country code, Unix-second starts, lognormal durations, a serving
region and a join latency. Deterministic (seed 1). Usage: gen_log.py N > log.csv
"""

import math
import random
import sys

COUNTRIES = ["US", "DE", "IN", "BR", "JP", "GB", "FR", "NG", "AU", "MX"]
POINTS = [(40.71, -74.01), (51.51, -0.13), (19.08, 72.88), (35.68, 139.69), (-23.55, -46.63)]
REGIONS = ["us-east", "eu-central", "ap-south"]


def main():
    n = int(sys.argv[1])
    rnd = random.Random(1)
    out = sys.stdout
    out.write("start,duration_s,country,lat,lon,region,join_latency_ms\n")
    week = 7 * 86400.0
    t = 1704067200.0
    step = week / n
    buf = []
    for i in range(n):
        t += rnd.expovariate(1.0 / step)
        d = math.exp(rnd.gauss(5.0, 0.8))
        if i % 3 == 0:
            lat, lon = POINTS[i % len(POINTS)]
            loc = f",{lat + rnd.random():.4f},{lon + rnd.random():.4f}"
        else:
            loc = f"{COUNTRIES[i % len(COUNTRIES)]},,"
        buf.append(f"{t:.3f},{d:.2f},{loc},{REGIONS[i % 3]},{300 + 500 * rnd.random():.0f}\n")
        if len(buf) >= 100_000:
            out.write("".join(buf))
            buf.clear()
    out.write("".join(buf))


if __name__ == "__main__":
    main()
