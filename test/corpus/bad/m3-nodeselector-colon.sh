#!/bin/sh
# M3: a colon instead of = inside nodeselector.
docker buildx create --name devtron --driver=kubernetes --driver-opt=nodeselector=kubernetes.io/arch:amd64 --use # expect: KBX304
