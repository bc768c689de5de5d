#!/usr/bin/env bash
# Builds the API image for amd64 and arm64 on the shared Kubernetes build cluster.
set -euo pipefail

BUILDER=kube
IMAGE="registry.example.com/team/api:${GIT_SHA:-dev}"

create_builder() {
  # amd64 node: the comma inside nodeselector is not protected, so buildx
  # reads "pool=ci" as a separate (unknown) driver option.
  docker buildx create --name "$BUILDER" --driver kubernetes \
    --platform linux/amd64 --node amd \
    --driver-opt=namespace=buildkit,nodeselector=kubernetes.io/arch=amd64,pool=ci \
    --driver-opt "tolerations=key=ci,operator=exists"

  # arm64 node: quoted correctly for the CSV layer.
  docker buildx create --append --name "$BUILDER" --driver kubernetes \
    --platform linux/arm64 --node arm \
    '--driver-opt="nodeselector=kubernetes.io/arch=arm64,pool=ci","tolerations=key=ci,operator=Exists"' \
    --driver-opt replicas=two,loadbalance=round-robin
}

if ! docker buildx inspect "$BUILDER" >/dev/null 2>&1; then
  create_builder
fi

docker buildx build --builder "$BUILDER" \
  --platform linux/amd64, linux/arm64 \
  -t "$IMAGE" --push .
