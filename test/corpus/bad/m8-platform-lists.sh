#!/bin/sh
# M8: platform lists.
docker buildx build --platform linux/amd64, linux/arm64 --build-arg SIMLN_VERSION=1.0 -t polar/simln . # expect: KBX410
docker build --platform linux/arm64v8 -t app:arm . # expect: KBX411
docker buildx create --use --bootstrap --name sway-cntr --platform linux/arm64,linux/arm/v8 --driver docker-container # expect: KBX413
docker buildx build --builder sway-cntr --platform linux/x86_64,linux/arm64 -t sway . # expect: KBX412
