#!/usr/bin/env bash
# CI helper with functions and conditionals.
set -euo pipefail

BUILDER_NAME="${BUILDER_NAME:-ci-builder}"
PLATFORMS="${PLATFORMS:-linux/amd64,linux/arm64}"

ensure_builder() {
  if ! docker buildx inspect "$BUILDER_NAME" >/dev/null 2>&1; then
    docker buildx create --name "$BUILDER_NAME" --driver docker-container --driver-opt network=host --use
  else
    docker buildx use "$BUILDER_NAME"
  fi
  docker buildx inspect --bootstrap "$BUILDER_NAME"
}

build_image() {
  local context="$1" image="$2"
  shift 2
  docker buildx build --builder "$BUILDER_NAME" --platform "$PLATFORMS" -t "$image" "$@" "$context"
}

cleanup() {
  docker buildx rm "$BUILDER_NAME" || true
}
trap cleanup EXIT

ensure_builder
case "${CI_COMMIT_BRANCH:-}" in
  main) build_image . "$CI_REGISTRY_IMAGE:latest" --push ;;
  *) build_image . "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA" --push ;;
esac
