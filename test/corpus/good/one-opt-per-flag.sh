#!/bin/sh
docker buildx create --name docker-builder --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64 --driver-opt replicas=1 --driver-opt qemu.install=true --driver-opt namespace=docker-builder --driver-opt qemu.image=tonistiigi/binfmt:latest
docker buildx build --builder docker-builder --platform linux/amd64,linux/arm64 -t docker-builder/app:1 --push .
