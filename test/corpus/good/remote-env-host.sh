#!/bin/sh
# Devcontainer: the endpoint comes from BUILDKIT_HOST, not from a positional.
export BUILDKIT_HOST=docker-container://buildkitd
docker buildx create --name=remote --driver=remote
docker buildx use remote
