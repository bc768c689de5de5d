#!/usr/bin/env bash
# Real mistakes, some in commands that run through a name: a retry helper that runs "$@", a
# build command kept in a variable, a trap. Bare architectures on the SSH nodes of a build farm
# mean the operating system of whatever machine runs the script.
set -euo pipefail

retry() {
  local n=0
  until "$@"; do
    n=$((n + 1))
    [ "$n" -lt 3 ] || return 1
    sleep 2
  done
}

DOCKER_HOST=ssh://build@amd64.example docker buildx create --name farm --node farm-amd64 --platform=amd64 # expect: KBX414
DOCKER_HOST=ssh://build@arm64.example docker buildx create --append --name farm --node farm-arm64 --platform=arm64 # expect: KBX414
trap "docker buildx rm farm" EXIT

retry docker buildx create --name pool --driver kubernetes --driver-opt replicas=two # expect: KBX202

BUILD="docker buildx build"
$BUILD --builder farm --platform linux/amd64,,linux/arm64 -t example/app:dev --push . # expect: KBX410
