#!/usr/bin/env bash
# A real Slurm run of a sharded regionsim study, on this machine alone:
# installs Slurm (slurmctld, slurmd, slurm-client from the distribution's
# slurm-wlm) and MUNGE where missing,
# starts munged, slurmctld and slurmd itself (no systemd; process tracking
# through /proc, no cgroups), submits the flagship sweep as a job array with
# the merge as a dependent job (deploy/slurm/submit.sh), waits, and compares
# the merged reports byte for byte with a local run. Stops the daemons it
# started. Exits non-zero on any failure or difference. Needs root.
#
#   deploy/slurm/test.sh                  # builds target/release/regionsim first
#   REGIONSIM=path/to/regionsim SHARDS=4 deploy/slurm/test.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
shards=${SHARDS:-4}
started=$(date +%s)
say() { echo "slurm-test: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

[ "$(id -u)" = 0 ] || fail "needs root (it installs packages and starts daemons)"
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null \
    || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
    # The daemons and clients of the distribution's slurm-wlm, without the
    # metapackage's many plugins.
    say "installing slurmctld, slurmd, slurm-client and munge"
    # One retry: a package mirror may be briefly unavailable.
    apt-get update -qq || { sleep 10; apt-get update -qq; }
    install() {
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            slurmctld slurmd slurm-client munge >/dev/null
    }
    install || { sleep 10; install; }
fi
say "packages ready after $(($(date +%s) - started)) s"

if [ -z "${REGIONSIM:-}" ]; then
    (cd "$repo" && cargo build --release --quiet --bin regionsim)
    REGIONSIM=${CARGO_TARGET_DIR:-$repo/target}/release/regionsim
fi
REGIONSIM=$(cd "$(dirname "$REGIONSIM")" && pwd)/$(basename "$REGIONSIM")
[ -x "$REGIONSIM" ] || fail "no regionsim binary at $REGIONSIM"

work=$(mktemp -d /tmp/regionsim-slurm.XXXXXX)
pids=()
munged_pid=""
cleanup() {
    local code=$?
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    [ -n "$munged_pid" ] && kill "$munged_pid" 2>/dev/null || true
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    if [ "$code" = 0 ]; then rm -rf "$work"; else say "logs kept in $work"; fi
}
trap cleanup EXIT

# MUNGE: reuse a running daemon, else start one as the munge user.
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    [ -s /etc/munge/munge.key ] || mungekey --create --keyfile=/etc/munge/munge.key
    mkdir -p /run/munge /var/lib/munge /var/log/munge
    chown munge:munge /run/munge /var/lib/munge /var/log/munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
    chmod 0755 /run/munge
    runuser -u munge -- /usr/sbin/munged
    munged_pid=$(cat /run/munge/munged.pid)
    for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
    munge -n | unmunge >/dev/null || fail "munged does not answer"
fi

host=$(hostname -s)
mkdir -p "$work/state" "$work/spool"
export SLURM_CONF=$work/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=regionsim-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=${SLURMCTLD_PORT:-16817}
SlurmdPort=${SLURMD_PORT:-16818}
AuthType=auth/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
DependencyParameters=kill_invalid_depend
ReturnToService=2
MpiDefault=none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -D -i -f "$SLURM_CONF" >"$work/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$work/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 120); do
    [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && break
    sleep 0.5
done
[ "$(sinfo -h -o %T 2>/dev/null)" = idle ] || fail "the node did not come up: $(sinfo 2>&1)"
say "slurm up after $(($(date +%s) - started)) s"

# The flagship sweep, sharded, then merged by a dependent job.
export REGIONSIM
export STUDY="sweep scenarios/livekit-global.json --set deployments[2].capacity=250,300,350,400"
export PARTS=$work/parts REPORTS=$work/reports
ids=$(cd "$repo" && SHARDS=$shards "$repo/deploy/slurm/submit.sh" --chdir="$repo" \
    --output="$work/slurm-%j.out")
say "$ids"
merge_job=${ids##* }
for _ in $(seq 1200); do
    [ -z "$(squeue -h 2>/dev/null)" ] && break
    sleep 0.5
done
[ -z "$(squeue -h)" ] && state=$(scontrol show job "$merge_job" | grep -o 'JobState=[A-Z_]*')
[ "${state:-}" = JobState=COMPLETED ] || fail "merge job $merge_job: ${state:-still queued}"
say "jobs done after $(($(date +%s) - started)) s"

set -f
# shellcheck disable=SC2086 # STUDY is a list of arguments
(cd "$repo" && "$REGIONSIM" $STUDY --out "$work/local" --quiet)
set +f
diff -r "$work/local" "$REPORTS" >"$work/diff.txt" || fail "merged reports differ: $(head -c 400 "$work/diff.txt")"
say "merged reports of $shards shards equal the local run byte for byte ($(($(date +%s) - started)) s in all)"
