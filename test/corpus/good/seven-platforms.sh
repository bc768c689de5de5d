#!/bin/bash
docker buildx create --name multi --use --driver-opt env.BUILDKIT_STEP_LOG_MAX_SIZE=10000000
docker buildx build --platform linux/386,linux/amd64,linux/arm64,linux/arm/v6,linux/arm/v7,linux/ppc64le,linux/s390x \
  --build-arg CACHE_DATE=$(date +%Y-%m-%d) \
  -t spurin/nginx-with-tools:latest --push .
