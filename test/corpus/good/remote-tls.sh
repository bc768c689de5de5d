#!/bin/bash
# Buildkite step: a remote buildkitd reached over mutual TLS.
set -euxo pipefail

docker buildx create --name remote --driver remote \
  --driver-opt cacert=/buildkit/certs/ca.pem,cert=/buildkit/certs/cert.pem,key=/buildkit/certs/key.pem \
  --driver-opt servername=buildkitd.buildkite.svc \
  tcp://buildkitd.buildkite.svc:1234
docker buildx use remote
docker buildx build --platform=linux/arm64 --push --metadata-file="$(pwd)/metadata.json" -t "$IMAGE:$BUILDKITE_BUILD_NUMBER" .
