#!/bin/sh
# Values the driver rejects.
docker buildx create --name k1 --driver kubernetes --driver-opt replicas=two # expect: KBX202
docker buildx create --name k2 --driver kubernetes --driver-opt loadbalance=roundrobin # expect: KBX202
docker buildx create --name c1 --driver docker-container --driver-opt memory=2m # expect: KBX205
docker buildx create --name k3 --driver kubernetes --driver-opt requests.memory=8GB # expect: KBX202
docker buildx create --name k4 --driver kubernetes --driver-opt namespace=Build_Kit # expect: KBX308
docker buildx create --name 1builder --driver docker-container # expect: KBX401
