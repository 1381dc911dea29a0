#!/usr/bin/env bash
# Throughput of `regionsim fit`: generate a log of N rows (default 10 M, about
# 0.6 GB, kept in $TMPDIR between runs), then time the fit on one core without
# charts (the pass is single-threaded) and report rows per second and the peak
# resident memory, which must not grow with N (compare N=1000000 and N=10000000).
#
#   bench/fit.sh [N]        # builds the release binary first
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000000}"
log="${TMPDIR:-/tmp}/regionsim-bench-log-$n.csv"
out="${TMPDIR:-/tmp}/regionsim-bench-fit-$n"
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/regionsim"
if [[ ! -s "$log" ]]; then
  echo "generating $n rows into $log" >&2
  python3 bench/gen_log.py "$n" > "$log.tmp" && mv "$log.tmp" "$log"
fi
ls -l "$log" >&2
rm -rf "$out"
if command -v /usr/bin/time > /dev/null; then
  /usr/bin/time -f "wall %e s, user %U s, peak RSS %M kB" taskset -c 0 "$bin" fit "$log" --out "$out" --no-charts
else
  time taskset -c 0 "$bin" fit "$log" --out "$out" --no-charts
fi
