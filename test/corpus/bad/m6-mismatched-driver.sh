#!/bin/sh
# M6: appending a kubernetes node to a docker-container builder.
docker buildx create --name ci --driver docker-container --use
docker buildx create --name ci --append --driver kubernetes --node k8s-arm64 --platform linux/arm64 # expect: KBX407
