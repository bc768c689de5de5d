#!/bin/sh
# Connects to the shared BuildKit daemon over mutual TLS.
docker buildx create --name remote --driver remote \
  --driver-opt cacert=certs/ca.pem,cert=/etc/buildkit/cert.pem \
  --buildkitd-flags '--debug' \
  tcp://buildkitd.build.svc:1234
