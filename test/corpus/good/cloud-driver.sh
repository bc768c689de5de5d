#!/bin/sh
# Docker Build Cloud: the positional is ORG/BUILDER.
docker buildx create --use --driver cloud laiyuan0000/build
docker buildx build --platform linux/amd64,linux/arm64 -t laiyuan0000/app:latest --push .
