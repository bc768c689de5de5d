#!/bin/sh
# GitLab CI before_script: dind TLS context idiom.
docker context create buildctx
docker buildx create --driver=docker-container --name=buildkit-builder --use buildctx
docker buildx build --builder buildkit-builder \
  --cache-from "type=registry,ref=$CI_REGISTRY_IMAGE/cache" \
  --cache-to "type=registry,ref=$CI_REGISTRY_IMAGE/cache,mode=max" \
  --tag "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA" --push .
docker buildx rm buildkit-builder
