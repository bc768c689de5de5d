#!/usr/bin/env bash
# Two-node kubernetes builder: one Deployment per architecture, pinned by node selector.
set -euo pipefail

NAMESPACE="${BUILDKIT_NAMESPACE:-buildkit}"
BUILDER=k8s-builder

docker buildx create \
  --name "$BUILDER" \
  --driver kubernetes \
  --platform linux/amd64 \
  --node "${BUILDER}-amd64" \
  --driver-opt namespace="$NAMESPACE" \
  --driver-opt '"nodeselector=kubernetes.io/arch=amd64,node.kubernetes.io/instance-type=m6i.4xlarge"' \
  --driver-opt '"tolerations=key=dedicated,value=buildkit,operator=Equal,effect=NoSchedule"' \
  --driver-opt requests.cpu=4,requests.memory=8Gi,limits.cpu=8,limits.memory=16Gi \
  --bootstrap

docker buildx create \
  --name "$BUILDER" \
  --append \
  --platform linux/arm64 \
  --node "${BUILDER}-arm64" \
  --driver kubernetes \
  --driver-opt namespace="$NAMESPACE" \
  --driver-opt '"nodeselector=kubernetes.io/arch=arm64"' \
  --driver-opt '"tolerations=key=arch,value=arm64,operator=Equal,effect=NoSchedule;key=CriticalAddonsOnly,operator=Exists"' \
  --driver-opt replicas=2,loadbalance=sticky

docker buildx use "$BUILDER"
docker buildx build --builder "$BUILDER" --platform linux/amd64,linux/arm64 -t "registry.example.com/app:${GIT_SHA:-dev}" --push .
