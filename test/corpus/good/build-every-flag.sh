#!/usr/bin/env bash
# Builds that use every family of build flags.
set -euo pipefail
IMAGE=registry.example.com/team/app
VERSION=$(cat VERSION)

docker buildx build \
  --builder default \
  --file docker/Dockerfile \
  --target runtime \
  --platform linux/amd64 \
  --tag "$IMAGE:$VERSION" \
  --tag "$IMAGE:latest" \
  --label org.opencontainers.image.revision="$(git rev-parse HEAD)" \
  --annotation "index:org.opencontainers.image.description=My app" \
  --build-arg VERSION="$VERSION" \
  --build-arg BUILDKIT_INLINE_CACHE=1 \
  --build-context base=docker-image://alpine:3.20 \
  --build-context assets=./assets \
  --cache-from type=registry,ref="$IMAGE:buildcache" \
  --cache-to type=registry,ref="$IMAGE:buildcache",mode=max \
  --secret id=npmrc,src="$HOME/.npmrc" \
  --secret id=token,env=GITHUB_TOKEN \
  --ssh default \
  --add-host registry.local=10.0.0.5 \
  --ulimit nofile=1024:2048 \
  --shm-size 256m \
  --network default \
  --progress plain \
  --provenance mode=max \
  --sbom true \
  --iidfile /tmp/iid \
  --metadata-file /tmp/metadata.json \
  --pull \
  --output type=image,push=true \
  .

docker buildx build --platform linux/amd64,linux/arm64 \
  --attest type=sbom --attest type=provenance,mode=min \
  --output type=local,dest=./out \
  --no-cache-filter builder \
  .

docker buildx build --call check --progress=quiet .
docker buildx build -o type=tar,dest=- . > image.tar
docker buildx build --load -t app:dev --cache-from type=gha --cache-to type=gha,mode=max .
