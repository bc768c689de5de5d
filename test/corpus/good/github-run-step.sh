#!/usr/bin/env bash
# A workflow run: step extracted to a script; values come from the environment.
set -Eeuo pipefail
: "${REGISTRY:?}" "${IMAGE_NAME:?}"
tags=()
for t in latest "${GITHUB_SHA::7}"; do tags+=(--tag "$REGISTRY/$IMAGE_NAME:$t"); done
labels=(--label "org.opencontainers.image.source=${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}")
docker buildx create --name gha --driver docker-container --driver-opt "image=moby/buildkit:${BUILDKIT_VERSION:-buildx-stable-1}" --use
docker buildx build \
  --platform "${PLATFORMS:-linux/amd64,linux/arm64}" \
  "${tags[@]}" "${labels[@]}" \
  --cache-from "type=gha,scope=${GITHUB_REF_NAME}" \
  --cache-to "type=gha,scope=${GITHUB_REF_NAME},mode=max" \
  $( [ "${GITHUB_EVENT_NAME}" = pull_request ] || echo --push ) \
  "${BUILD_CONTEXT:-.}"
docker buildx build "$@"
