#!/usr/bin/env python3
"""Write scenarios/data/app-week.csv: a week of sessions of "Parlo", a
fictional AI language-tutor app (voice sessions with an agent), as its
platform would log them. Synthetic, deterministic (seed 2024), standard
library only:

    python3 scripts/example_log.py > scenarios/data/app-week.csv

What it contains, so a reader can check what `regionsim fit` finds:
- Monday 2024-03-04 00:00 UTC to Sunday 2024-03-10 24:00 UTC;
- users in ten countries, most with a country code, those on the mobile app
  in four cities with coordinates;
- arrivals per hour Poisson, each country peaking in its local evening on
  weekdays (19:00-22:00, a smaller lunch bump) and late morning at weekends;
  Europe's weekends are half as busy as its weekdays, the other countries'
  differ only in shape;
- session lengths lognormal, median 6 min, sigma 0.75 (a few lessons run long);
- the serving region (nearest of us-east, eu-central, ap-south), join latency
  and media RTT as a platform would log them;
- start times as Unix seconds, RFC 3339 UTC, or RFC 3339 with the user's
  local offset, as three clients of the app write them;
- five bad rows (a typo in a time, a negative duration, an unknown country,
  a duration in text, a row cut short), far below 1 %, to show how they are
  reported.
"""

import math
import random

RND = random.Random(2024)
MONDAY = 1709510400  # 2024-03-04T00:00:00Z

# code, local UTC offset (hours), peak sessions per hour, Europe (quiet weekend)
COUNTRIES = [
    ("DE", 1, 100, True), ("FR", 1, 70, True), ("ES", 1, 50, True), ("IT", 1, 45, True),
    ("GB", 0, 60, True), ("US", -5, 90, False), ("BR", -3, 50, False),
    ("MX", -6, 30, False), ("IN", 5.5, 75, False), ("JP", 9, 35, False),
]
# the mobile app logs coordinates: city, lat, lon, offset, peak per hour
CITIES = [
    ("Berlin", 52.52, 13.40, 1, 22), ("Madrid", 40.42, -3.70, 1, 15),
    ("Sao Paulo", -23.55, -46.63, -3, 18), ("Bangalore", 12.97, 77.59, 5.5, 20),
]
REGIONS = [("us-east", 39.04, -77.49), ("eu-central", 50.11, 8.68), ("ap-south", 19.08, 72.88)]
CENTROID = {"DE": (51.0, 9.8), "FR": (46.6, 2.4), "ES": (40.2, -3.7), "IT": (42.5, 12.6),
            "GB": (52.6, -1.6), "US": (38.9, -92.6), "BR": (-17.5, -45.8), "MX": (20.6, -99.7),
            "IN": (21.0, 78.4), "JP": (35.6, 137.2)}


def shape(local_hour, weekend):
    """Multiplier of the peak in a local hour."""
    h = local_hour
    if weekend:
        return 0.08 + 0.9 * math.exp(-((h - 11.5) / 3.5) ** 2) + 0.3 * math.exp(-((h - 20) / 2) ** 2)
    return 0.05 + 0.35 * math.exp(-((h - 12.5) / 1.2) ** 2) + 0.95 * math.exp(-((h - 20.5) / 1.8) ** 2)


def poisson(lam):
    if lam <= 0:
        return 0
    k, p, limit = 0, 1.0, math.exp(-lam)
    while True:
        p *= RND.random()
        if p < limit:
            return k
        k += 1


def km(a, b):
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dl = math.radians(b[1] - a[1])
    x = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(min(1.0, math.sqrt(x)))


def stamp(t, offset, style):
    if style == 0:
        return f"{t:.1f}"
    shift = offset if style == 2 else 0
    lt = t + shift * 3600
    days, rem = divmod(int(lt), 86400)
    # civil date from days since 1970 (all in March 2024)
    day = days - (MONDAY // 86400) + 4
    hh, mm, ss = rem // 3600, rem % 3600 // 60, rem % 60
    if shift == 0:
        return f"2024-03-{day:02d}T{hh:02d}:{mm:02d}:{ss:02d}Z"
    sign = "+" if shift >= 0 else "-"
    oh, om = int(abs(shift)), int(round(abs(shift) % 1 * 60))
    return f"2024-03-{day:02d}T{hh:02d}:{mm:02d}:{ss:02d}{sign}{oh:02d}:{om:02d}"


def row(t, where, offset, country, lat, lon):
    region = min(REGIONS, key=lambda r: km(where, (r[1], r[2])))
    rtt = 12 + 2 * km(where, (region[1], region[2])) * 1.5 / 200 + RND.expovariate(1 / 6)
    join = 450 + RND.lognormvariate(math.log(250), 0.5)
    dur = RND.lognormvariate(math.log(360), 0.75)
    return (t, f"{stamp(t, offset, RND.randrange(3))},{dur:.1f},{country},{lat},{lon},"
               f"{region[0]},{join:.0f},{rtt:.1f}")


def main():
    rows = []
    sources = [(c, off, peak, eu, CENTROID[c], "", "") for c, off, peak, eu in COUNTRIES]
    sources += [("", off, peak, name in ("Berlin", "Madrid"), (lat, lon), lat, lon)
                for name, lat, lon, off, peak in CITIES]
    for hour in range(7 * 24):
        for country, off, peak, eu, where, lat, lon in sources:
            local = hour + off
            weekend = (local // 24) % 7 >= 5  # Python floors: local Sunday before Monday is day -1
            level = peak * shape(local % 24, weekend) * (0.5 if weekend and eu else 1.0)
            for _ in range(poisson(level)):
                t = MONDAY + (hour + RND.random()) * 3600
                rows.append(row(t, where, off, country, lat, lon))
    rows.sort()
    lines = [r[1] for r in rows]
    bad = ["2024-03-32T10:00:00Z,300.0,DE,,,eu-central,700,25.0",
           "1709640000.0,-12.0,FR,,,eu-central,690,22.1",
           "1709700000.0,240.0,UK,,,eu-central,710,24.3",
           "1709800000.0,four minutes,US,,,us-east,650,30.2",
           "1709900000.0,180.0,IN"]
    for k, b in enumerate(bad):
        lines.insert((k + 1) * len(lines) // 6, b)
    print("started_at,duration_s,country,lat,lon,region,join_latency_ms,media_rtt_ms")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
