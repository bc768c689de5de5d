#!/bin/bash
# Wrapper commands, env prefixes, legacy docker build, bake and imagetools.
env DOCKER_BUILDKIT=1 docker build --platform linux/amd64 -t legacy:1 --build-arg HTTP_PROXY .
sudo docker buildx create --name wrapped --driver docker-container --use
time docker buildx build --builder wrapped -t app:timed .
BUILDX_BUILDER=wrapped docker buildx build -t app:env .
docker buildx bake --push --set '*.platform=linux/amd64,linux/arm64'
docker buildx bake -f docker-bake.hcl --load app
docker buildx imagetools create -t acme/app:1.0 acme/app:1.0-amd64 acme/app:1.0-arm64
docker buildx imagetools inspect acme/app:1.0 --format '{{json .Manifest}}'
docker buildx build --push=${PUSH:-false} --load=$LOAD -t app:maybe .
docker buildx build --output type=cacheonly --cache-to type=s3,region=eu-west-1,bucket=ci-cache,name=app .
docker buildx build --cache-from type=gha,scope=main --cache-to type=gha,scope=main,mode=max -t app:gha --load .
docker buildx build --attest type=provenance,mode=max,builder-id=https://ci.example.com/run/1 --annotation "manifest-descriptor:org.opencontainers.image.title=app" -t reg.example.com/app:1 --push .
docker buildx build --builder wrapped --load --push -t acme/app:both .
