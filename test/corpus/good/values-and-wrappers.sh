#!/usr/bin/env bash
# A release script in the shape of many CNCF projects: the buildx command lives in a variable
# with a default, a wrapper traces it, options are collected in arrays and strings.
set -euo pipefail

: "${BUILDX_CMD=docker buildx}"
: "${PLATFORMS:=linux/amd64,linux/arm64}"
REGISTRY="${REGISTRY:-ghcr.io/example}"
VERSION=${VERSION-dev}
BUILDER_NAME=release

buildxCmd() {
  (
    set -x
    $BUILDX_CMD "$@"
  )
}

if ! docker buildx inspect "$BUILDER_NAME" >/dev/null 2>&1; then
  buildxCmd create --name "$BUILDER_NAME" --node="" --driver docker-container --bootstrap
fi

BUILD_ARGS=(--build-arg "VERSION=${VERSION}" --label "org.opencontainers.image.version=${VERSION}")
BUILD_ARGS+=(--provenance=false)
CACHE_OPTS="--cache-from type=gha --cache-to type=gha,mode=max"

# shellcheck disable=SC2086
buildxCmd build --builder "$BUILDER_NAME" --platform "$PLATFORMS" "${BUILD_ARGS[@]}" $CACHE_OPTS \
  -t "$REGISTRY/app:$VERSION" --push .

DOCKER_BUILD="docker buildx build"
$DOCKER_BUILD --platform local -t app:local --load .

${DOCKER:-docker} buildx --builder="$BUILDER_NAME" du

env DOCKER_CONFIG="$HOME/.docker" docker buildx build -t "$REGISTRY/tool:$VERSION" --push=false .

bash -c "docker buildx build --platform linux/arm64 -t app:arm --load ."

if [ -n "${CI:-}" ]; then
  OUTPUT="type=registry"
else
  OUTPUT="type=docker"
fi
docker buildx build --output "$OUTPUT" -t "$REGISTRY/app:ci" .

# Registered last: kbx-lint reads a trap's text where it is written.
trap "docker buildx rm $BUILDER_NAME >/dev/null 2>&1 || true" EXIT
