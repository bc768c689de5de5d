#!/usr/bin/env bash
# Two kubernetes nodes (one per architecture) on a cluster's build pool. Resource options come
# from an array, the image option only when set, and the toleration is one CSV-quoted field, so
# its commas stay inside it.
set -euo pipefail

context="$(kubectl config current-context)"
builder="ci-${context//[^a-zA-Z0-9_-]/-}"
namespace="${BUILD_NAMESPACE:-buildkit}"

resources=(
  --driver-opt="requests.cpu=${REQ_CPU:-2}"
  --driver-opt="requests.memory=${REQ_MEM:-4Gi}"
  --driver-opt="limits.memory=${LIM_MEM:-8Gi}"
)

docker buildx rm "$builder" 2>/dev/null || true

for arch in amd64 arm64; do
  append=()
  [ "$arch" = arm64 ] && append=(--append)
  docker buildx create "${append[@]}" \
    --name="$builder" \
    --driver=kubernetes \
    --platform="linux/$arch" \
    --node="$builder-$arch" \
    --driver-opt="namespace=$namespace" \
    --driver-opt="nodeselector=kubernetes.io/arch=$arch" \
    --driver-opt='"tolerations=key=build-pool,value=true,effect=NoSchedule"' \
    "${resources[@]}" \
    ${BUILDKIT_IMAGE:+--driver-opt="image=$BUILDKIT_IMAGE"}
done

docker buildx use "$builder"
tries=0
until docker buildx inspect --bootstrap; do
  tries=$((tries + 1))
  [ "$tries" -lt 3 ] || exit 1
  sleep 10
done
