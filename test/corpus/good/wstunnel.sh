#!/bin/sh
# One single-quoted argument carrying four double-quoted CSV fields.
docker buildx create --name builder --driver=kubernetes --platform=linux/arm64 '--driver-opt="nodeselector=kubernetes.io/arch=arm64","tolerations=key=kubernetes.io/hostname,value=server","requests.cpu=16","requests.memory=16G"' --node=build-arm64
docker buildx create --append --name builder --driver=kubernetes --platform=linux/amd64 '--driver-opt="nodeselector=kubernetes.io/arch=amd64","requests.cpu=16","requests.memory=16G"' --node=build-amd64
docker buildx build --builder builder --platform linux/amd64,linux/arm64 -t ghcr.io/erebe/wstunnel:latest --push .
