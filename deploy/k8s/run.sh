#!/usr/bin/env bash
# Run the sharded flagship sweep on Kubernetes: the Indexed Job (one pod per
# shard, JOB_COMPLETION_INDEX picks the shard), then the merge Job once every
# index has completed. Needs kubectl pointed at the cluster, the image
# regionsim:0.1.0 pushed where the cluster can pull it (deploy/k8s/Dockerfile),
# and a storage class offering ReadWriteMany volumes.
set -euo pipefail
cd "$(dirname "$0")"
kubectl apply -f volume.json
kubectl apply -f shards.json
kubectl wait --for=condition=complete job/regionsim-shards --timeout=24h
kubectl apply -f merge.json
kubectl wait --for=condition=complete job/regionsim-merge --timeout=1h
kubectl logs job/regionsim-merge
