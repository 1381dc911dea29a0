#!/usr/bin/env bash
# Run the sharded flagship sweep on Kubernetes: the Indexed Job (one pod per
# shard, JOB_COMPLETION_INDEX picks the shard), then the merge Job once every
# index has completed. Needs kubectl pointed at the cluster, the image
# regionsim:0.1.0 pushed where the cluster can pull it (deploy/k8s/Dockerfile),
# and a storage class offering ReadWriteMany volumes.
#
# Each Job is watched until it is complete or has failed, whichever comes
# first: a failed Job (say, a shard out of retries) stops the script at once
# with its reason and exit status 1, as does a Job still running after its
# time limit. Settings (environment): SHARDS_TIMEOUT (seconds, default 86400),
# MERGE_TIMEOUT (default 3600), POLL_SECONDS (default 10).
set -euo pipefail
cd "$(dirname "$0")"
poll=${POLL_SECONDS:-10}
say() { echo "run.sh: $*" >&2; }

# Wait until job/$1 is complete (return 0) or has failed, or $2 seconds have
# passed (say which, return 1).
wait_job() {
    local job=$1 limit=$2 start=$SECONDS state why misses=0
    while :; do
        # The conditions in force, e.g. "Complete" or "FailureTarget Failed".
        # A failed query (the API server briefly away) is asked again, up to
        # five times in a row; then kubectl's own error is shown.
        if state=$(kubectl get "job/$job" 2>/dev/null \
            -o 'jsonpath={range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}'); then
            misses=0
        else
            state=""
            misses=$((misses + 1))
            if ((misses > 5)); then
                kubectl get "job/$job" >/dev/null || true
                say "cannot read job/$job; giving up"
                return 1
            fi
        fi
        case " $state " in
        *" Complete "*)
            say "job/$job complete"
            return 0
            ;;
        *" Failed "*)
            why=$(kubectl get "job/$job" \
                -o 'jsonpath={.status.conditions[?(@.type=="Failed")].reason}: {.status.conditions[?(@.type=="Failed")].message}' \
                2>/dev/null) || why=""
            say "job/$job failed${why:+: $why}"
            return 1
            ;;
        esac
        if ((SECONDS - start >= limit)); then
            say "job/$job neither complete nor failed after $limit s; giving up (it keeps running)"
            return 1
        fi
        sleep "$poll"
    done
}

kubectl apply -f volume.json
kubectl apply -f shards.json
wait_job regionsim-shards "${SHARDS_TIMEOUT:-86400}" || exit 1
kubectl apply -f merge.json
if ! wait_job regionsim-merge "${MERGE_TIMEOUT:-3600}"; then
    kubectl logs job/regionsim-merge --tail=20 >&2 || true
    exit 1
fi
kubectl logs job/regionsim-merge
