#!/bin/bash
# "remote" is only a name: the driver is docker-container and the appended node is an ssh host.
docker buildx create --name remote --use
docker buildx create --name remote --append ssh://costa@gpu
docker buildx build --builder remote --platform linux/amd64 -t cleanrl:latest --load .
