#!/usr/bin/env bash
# Mistakes written once in a variable and made at every use, or hidden behind a wrapper.
set -eu

PLATFORMS=linux/amd64,linux/x86_64 # expect: KBX412
NODE_SELECTOR="kubernetes.io/arch=amd64,pool=ci" # expect: KBX101

d() { docker buildx "$@"; }

d create --name k8s --driver kubernetes --driver-opt "nodeselector=$NODE_SELECTOR"
docker buildx build --platform "$PLATFORMS" -t app .

# The default is what runs when TARGET_PLATFORMS is unset.
docker buildx build --platform "${TARGET_PLATFORMS:-linux/amd64,linux/armv7}" -t app2 . # expect: KBX411

DOCKER_BUILD="docker buildx build"
$DOCKER_BUILD --push false . # expect: KBX530 KBX521

PUSH_OPTS=(--load true)
docker buildx build "${PUSH_OPTS[@]}" -t app3 . # expect: KBX530

sh -c 'docker buildx build --output type=local -t app4 .' # expect: KBX501
