#!/usr/bin/env bash
# Commands run through helpers: a retry loop that runs "$@", a dry-run printer that evaluates
# its words, a trap that removes the builder on exit (set before the builds it must outlive), a
# root --builder flag before the subcommand, and the docker builder alias.
set -euo pipefail

retry() {
  local n=0
  until "$@"; do
    n=$((n + 1))
    [ "$n" -lt 5 ] || return 1
    sleep 3
  done
}

dry_run() {
  echo "+ $*"
  if [ "${DRY_RUN:-}" != true ]; then
    eval "$*"
  fi
}

builder=release-tools
docker buildx create --name "$builder" --driver docker-container --driver-opt network=host
trap "docker buildx rm $builder" EXIT
# The trap runs at exit, after every command below: the builder still exists for them.
docker buildx build --builder "$builder" --platform linux/amd64 -t "${IMAGE:?}:ci" --load .

dry_run docker buildx build --builder "$builder" --platform linux/amd64,linux/arm64 \
  -t "${IMAGE:?}:${TAG:?}" --push .
retry docker buildx imagetools inspect --raw "${IMAGE}:${TAG}" >manifest.json
retry docker buildx imagetools create -t "${IMAGE}:latest" "${IMAGE}:${TAG}"
docker buildx --builder "$builder" prune --filter type=exec.cachemount -f || true
docker builder prune -af
