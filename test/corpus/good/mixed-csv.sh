#!/bin/bash
# kiss bootstrap: one plain field and one quoted field in the same argument.
docker buildx create --name kiss --driver kubernetes --use \
  --driver-opt='namespace=buildkit,"nodeselector=kubernetes.io/arch=amd64,node-role.kubernetes.io/kiss=Compute"' \
  --platform linux/amd64 --node kiss-amd64
docker buildx create --name kiss --driver kubernetes --append --use \
  --driver-opt='namespace=buildkit,"nodeselector=kubernetes.io/arch=arm64,node-role.kubernetes.io/kiss=Compute"' \
  --platform linux/arm64 --node kiss-arm64
