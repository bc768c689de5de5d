#!/usr/bin/env bash
# Outputs, registries and contexts.
set -euo pipefail
REG="${REGISTRY:-localhost:5000}"
docker buildx build -t "$REG/app:ci" --output type=registry .
docker buildx build --output type=oci,dest=./app.oci.tar -t app:oci .
docker buildx build --output "type=docker,name=$REG/app:docker" .
docker buildx build -o - . | tar -x -C out
docker buildx build --output "type=image,\"name=$REG/app:a,$REG/app:b\",push=true" .
docker buildx build -f - . <<'DOCKERFILE'
FROM alpine
RUN echo hi
DOCKERFILE
docker buildx build https://github.com/docker/buildx.git#master -t buildx-src:latest --load
docker buildx build --check .
docker buildx build --secret id=aws,src=$HOME/.aws/credentials --ssh github=$SSH_AUTH_SOCK -t app:secret --load .
docker buildx build --build-arg BUILDKIT_SYNTAX=docker/dockerfile:1.7 --platform=linux/amd64 --load -t app:x .
