#!/bin/bash
# eval with an accumulated options string.
BUILDER_NAME=${BUILDER_NAME:-proxy-builder}
PROXY_OPTS=""
if [ -n "${HTTP_PROXY:-}" ]; then
  PROXY_OPTS="$PROXY_OPTS --driver-opt env.http_proxy=$HTTP_PROXY"
fi
if [ -n "${HTTPS_PROXY:-}" ]; then
  PROXY_OPTS="$PROXY_OPTS --driver-opt env.https_proxy=$HTTPS_PROXY"
fi
eval "docker buildx create --name ${BUILDER_NAME} --driver docker-container --driver-opt network=host $PROXY_OPTS --bootstrap"
docker buildx use "$BUILDER_NAME"
