#!/usr/bin/env bash
# Submit a sharded regionsim study to Slurm: SHARDS array tasks, then the merge
# as a job that starts only when every task succeeded. Prints both job ids.
#   SHARDS=8 deploy/slurm/submit.sh
# Environment: SHARDS (default 8), REGIONSIM (the binary), STUDY (the command
# and its arguments), PARTS (folder of partial results), REPORTS (output folder);
# the defaults run the flagship sweep. Extra arguments go to both sbatch calls
# (e.g. --partition=batch).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shards=${SHARDS:-8}
export SHARDS=$shards
array=$(sbatch --parsable --array="0-$((shards - 1))" "$@" "$here/shards.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" "$@" "$here/merge.sbatch")
merge=${merge%%;*}
echo "shards: job $array (array 0-$((shards - 1))), merge: job $merge"
