#!/usr/bin/env bash
# Speed of regionsim on the reference scenario (docs/performance.md) side by side
# with the bare loop (examples/bare_loop.rs) and SimPy (bench/peers/), plus an
# agreement check of their rejection and overflow. Not part of the test suite.
#
#   bench/run.sh                 # speed table and agreement
#   bench/run.sh --all           # also thread scaling and memory/time vs sessions
#   SIMPY_SESSIONS=1000000 REPEAT=7 bench/run.sh
#   bench/run.sh --against '/tmp/limit/release/limit 10001067'   # + any command,
#       timed whole-process in the same alternating rounds (repeatable; e.g. an
#       older regionsim binary for a before/after comparison)
#   bench/run.sh --workers       # the worker model's targets (bench/workers.py),
#       with the bare worker loop (bench/worker_loop.rs) beside the bare loop;
#   bench/run.sh --workers --limit '/tmp/limit/release/limit 10001067' --repeat 7 --plan
#   bench/run.sh --workers --against OLD/regionsim   # + an older build's worker
#       reference in the same rounds: before/after a change, and its metrics compared
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet --bin regionsim --example bare_loop

# The worker model's targets: no SimPy needed.
TARGET=${CARGO_TARGET_DIR:-target}
if [ "${1:-}" = "--workers" ]; then
    shift
    exec python3 -u bench/workers.py "$TARGET/release/regionsim" "$TARGET/release/examples/bare_loop" "$@"
fi

# SimPy: use the interpreter's if present, else a venv under target/ (gitignored).
PY=${PYTHON:-python3}
if ! "$PY" -c 'import simpy' 2>/dev/null; then
    VENV=target/bench-venv
    if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import simpy' 2>/dev/null; then
        echo "installing simpy into $VENV" >&2
        python3 -m venv "$VENV" && "$VENV/bin/pip" install --quiet simpy \
            || { rm -rf "$VENV"; python3 -m pip install --user --quiet simpy; }
    fi
    [ -x "$VENV/bin/python" ] && PY="$VENV/bin/python"
fi

EXTRA=()
while [ $# -gt 0 ]; do
    case "$1" in
        --all) EXTRA+=(--scaling --memory) ;;
        --against) EXTRA+=(--against "${2:?--against needs a command}"); shift ;;
        *) echo "usage: bench/run.sh [--all] [--against CMD]..." >&2; exit 2 ;;
    esac
    shift
done
exec "$PY" -u bench/compare.py "$TARGET/release/regionsim" "$TARGET/release/examples/bare_loop" "$PY" \
    --simpy-sessions "${SIMPY_SESSIONS:-300000}" --repeat "${REPEAT:-5}" "${EXTRA[@]}"
