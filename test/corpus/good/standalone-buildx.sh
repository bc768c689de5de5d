#!/bin/sh
# The standalone buildx binary, the docker builder alias and leave.
buildx create --name standalone --driver docker-container --node node-a
buildx create --name standalone --append --node node-b ssh://builder@10.0.0.7
buildx create --name standalone --leave --node node-b
buildx build --builder standalone -t app:standalone .
docker buildx du --builder standalone
docker buildx version
