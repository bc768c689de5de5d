#!/bin/sh
# M9: broken command lines.
docker buildx create --name # expect: KBX002
docker buildx ./rm mybuilder # expect: KBX003
docker buildx create --use --name mybuilder --driver-opt network=host --buildkitd-flags '--allow-insecure-entitlement network.host'
