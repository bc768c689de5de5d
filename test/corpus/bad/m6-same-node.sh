#!/bin/sh
# M6: the same --node name on create and append overwrites the first node.
docker -D buildx create --bootstrap --name dataset-builder --driver kubernetes --platform=linux/arm64 --node=k8s-node
docker buildx create --append --bootstrap --name dataset-builder --driver kubernetes --platform=linux/amd64 --node=k8s-node # expect: KBX404
