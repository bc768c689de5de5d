#!/bin/bash
# M2: double quotes that look protective but the shell removes them.
docker buildx create --name b617 --driver kubernetes --driver-opt replicas=1,nodeselector="kubernetes.io/arch=arm64,kubernetes.io/os=linux" # expect: KBX101
docker buildx create --name spot --driver kubernetes --driver-opt namespace=jenkins,tolerations="key=spot,operator=Exists;key=dedicated,value=jenkins" # expect: KBX101 KBX101
