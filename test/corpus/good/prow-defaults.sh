#!/usr/bin/env bash
BUILDER_NAME=${BUILDER_NAME:-prow-builder}
docker buildx create --name=$BUILDER_NAME --driver=kubernetes --platform=linux/amd64 \
  --node=builder-amd64-${PROW_JOB_ID:-1} \
  --driver-opt=namespace=buildkit-orchestration,nodeselector="arch=AMD64",rootless=true,image=${BUILDKITD_IMAGE:-moby/buildkit:v0.10.5-rootless}
docker buildx create --name=$BUILDER_NAME --driver=kubernetes --platform=linux/arm64 --append \
  --node=builder-arm64-${PROW_JOB_ID:-1} \
  --driver-opt=namespace=buildkit-orchestration,nodeselector="arch=ARM64",rootless=true,image=${BUILDKITD_IMAGE:-moby/buildkit:v0.10.5-rootless}
