#!/usr/bin/env bash
# One kubernetes node per architecture, appended in a loop after the first.
set -euo pipefail
NS=${NAMESPACE:-buildkit}
append_flag=""
for arch in amd64 arm64; do
  docker buildx create --name k8s ${append_flag} \
    --driver kubernetes \
    --node "k8s-${arch}" \
    --platform "linux/${arch}" \
    --driver-opt "namespace=${NS}" \
    "--driver-opt=\"nodeselector=kubernetes.io/arch=${arch},pool=ci\"" \
    --driver-opt "env.HTTP_PROXY=${HTTP_PROXY:-}" \
    --timeout 2m
  append_flag="--append"
done
docker buildx --builder k8s build --platform linux/amd64 --platform linux/arm64 -t "ghcr.io/acme/app:${TAG:-latest}" --push .
