#!/bin/sh
# A local docker-container builder with resource limits: nothing to report here.
set -e
docker buildx create --name local --driver docker-container \
  --driver-opt network=host,memory=4g,cpu-quota=50000 \
  --driver-opt "env.BUILDKIT_STEP_LOG_MAX_SIZE=10485760" \
  --platform linux/amd64,linux/arm64 --use --bootstrap
docker buildx build --platform linux/amd64,linux/arm64 -t example/app:latest --load=false .
