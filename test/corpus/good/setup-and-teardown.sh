#!/bin/bash
set -e
docker run --privileged --rm tonistiigi/binfmt --install all
docker buildx create --use
docker buildx ls
docker buildx inspect --bootstrap
docker buildx build --platform linux/arm/v7,linux/arm64,linux/386,linux/amd64 -t whatsupdocker:latest .
docker buildx prune -f
docker buildx stop
docker buildx rm --all-inactive --force
