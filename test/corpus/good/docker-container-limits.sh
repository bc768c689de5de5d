#!/usr/bin/env bash
# docker-container builder with resource limits and a pinned BuildKit image.
set -eu

docker buildx create \
  --name limited \
  --driver docker-container \
  --driver-opt image=moby/buildkit:v0.15.2 \
  --driver-opt memory=4g,memory-swap=8g \
  --driver-opt cpu-period=100000,cpu-quota=200000 \
  --driver-opt cpu-shares=512 \
  --driver-opt cpuset-cpus=0-3 \
  --driver-opt network=host \
  --driver-opt restart-policy=unless-stopped \
  --driver-opt env.BUILDKIT_STEP_LOG_MAX_SIZE=10000000 \
  --driver-opt env.BUILDKIT_STEP_LOG_MAX_SPEED=10000000 \
  --buildkitd-flags '--allow-insecure-entitlement network.host --allow-insecure-entitlement security.insecure' \
  --use --bootstrap

docker buildx build --allow network.host --allow security.insecure --network host -t local/app:test --load .
