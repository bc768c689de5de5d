#!/bin/sh
# M1: a comma inside a multi-value driver option splits it into separate options.
docker buildx create --name trdl --driver kubernetes --driver-opt=nodeselector=disktype=ssd,zone=a # expect: KBX101
docker buildx create --name agents --driver kubernetes --driver-opt tolerations=key=build-agent,value=true # expect: KBX101
docker buildx create --name devtron --driver=kubernetes --node=amd64 --driver-opt=namespace=devtron,nodeselector=kubernetes.io/arch=amd64,pool=ci # expect: KBX101
# expect+3: KBX101
docker buildx create --name ci --driver kubernetes \
  --driver-opt namespace=buildkit \
  --driver-opt "labels=team=platform,tier=ci" \
  --use
