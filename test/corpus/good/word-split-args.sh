#!/bin/sh
# The whole command line kept in one variable, word-split on purpose.
BUILDX_CREATE_ARGS="--name remote-kubernetes --driver remote tcp://${BUILDKIT_SERVICE_URL}"
docker buildx create ${BUILDX_CREATE_ARGS} \
  --driver-opt key=/certs/client/key.pem,cert=/certs/client/cert.pem,cacert=/certs/client/ca.pem
docker buildx use remote-kubernetes
