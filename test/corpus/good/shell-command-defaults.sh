#!/usr/bin/env bash
# The program and the subcommand both come from variables with defaults, so podman or another
# build command can be swapped in; word splitting of BUILD_CMD is intended.
set -eu
CLI=${CLI:-docker}
BUILD_CMD=${BUILD_CMD:-"buildx build"}
PLATFORMS=linux/amd64,linux/arm64
PUSH=
[ -z "${DRY_RUN:-}" ] && PUSH=--push

# shellcheck disable=SC2086
${CLI} ${BUILD_CMD} --platform ${PLATFORMS} ${PUSH} -f build/api/Dockerfile -t "${REPO:-example}/api:${TAG:-latest}" .
# shellcheck disable=SC2086
${CLI} ${BUILD_CMD} --platform ${PLATFORMS} ${PUSH} -f build/worker/Dockerfile -t "${REPO:-example}/worker:${TAG:-latest}" .

if [ "${USE_BUILDX:-}" = true ]; then
  CMD="docker buildx"
else
  CMD="buildctl"
fi
$CMD build --help >/dev/null
