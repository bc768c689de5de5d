#!/bin/bash
# M5: unknown driver options and drivers.
docker buildx create --name djinn-builder --use --driver remote --driver-opt endpoint="$DOCKER_HOST" # expect: KBX201 KBX421
docker buildx create --driver docker --use # expect: KBX207
docker buildx create --driver dockerx --name typo # expect: KBX207
docker buildx create --name cloudy --driver-opt cloud=dagz55/recs-build001 # expect: KBX201
