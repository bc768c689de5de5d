#!/usr/bin/env bash
# Arrays of options, parameter defaults, conditional words.
set -euo pipefail

BUILDKIT_RESOURCE_OPTS=(
  --driver-opt="requests.cpu=${BUILDKIT_REQUESTS_CPU:-4}"
  --driver-opt="requests.memory=${BUILDKIT_REQUESTS_MEMORY:-8Gi}"
  --driver-opt="limits.memory=${BUILDKIT_LIMITS_MEMORY:-16Gi}"
)
CONTEXT="${CI_PROJECT_PATH:-local}"
NAME="builder-${CONTEXT//[^a-zA-Z0-9_-]/-}"

if [ "${USE_K8S:-1}" = 1 ]; then
  docker buildx create --name "$NAME" --driver kubernetes \
    --driver-opt=namespace=buildkit \
    --driver-opt='"tolerations=key=build-nodepool,value=true,effect=NoSchedule"' \
    "${BUILDKIT_RESOURCE_OPTS[@]}" \
    ${BUILDKIT_IMAGE:+--driver-opt="image=${BUILDKIT_IMAGE}"} \
    --use
else
  docker buildx create --name "$NAME" --driver=remote tcp://localhost:1234 --use
fi

DRIVER_OPTS=()
docker buildx create --name cache-builder ${DRIVER_OPTS[@]+"${DRIVER_OPTS[@]}"} --use
