#!/bin/sh
docker buildx create --name tol --driver kubernetes \
  --driver-opt '"tolerations=key=node.kubernetes.io/not-ready,effect=NoExecute,operator=Exists,tolerationSeconds=10800"' \
  --driver-opt '"labels=qovery.com/no-kill=true,qovery.com/is-builder=true"' \
  --driver-opt loadbalance=random,replicas=3
docker buildx create --name tol-all --driver kubernetes --driver-opt '"tolerations=operator=Exists"'
docker buildx create --name tol2 --driver kubernetes --driver-opt '"nodeselector=""kubernetes.io/arch=amd64"""'
docker buildx create --name tol3 --driver kubernetes --driver-opt="namespace=buildkit,qemu.install=true" --platform linux/amd64,linux/arm64
