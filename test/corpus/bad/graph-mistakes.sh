#!/bin/sh
# Builder graph mistakes.
docker buildx create --name multi --driver kubernetes --platform linux/amd64 --node amd --driver-opt '"nodeselector=kubernetes.io/arch=arm64"' # expect: KBX423
docker buildx create --name lonely --append --node n2 # expect: KBX403
docker buildx create --append --node x # expect: KBX402
docker buildx rm multi
docker buildx build --builder multi -t app . # expect: KBX428
