#!/bin/bash
# U21: every value partly dynamic; the endpoint word is partially quoted.
CERT_DIR=${CERT_DIR:-/etc/buildkit/certs}
docker buildx create --name "$BUILDER_NAME" --node "$CURRENT_ID" --driver remote \
  --driver-opt "cacert=$CERT_DIR/ca.pem" \
  --driver-opt "cert=$CERT_DIR/cert.pem" \
  --driver-opt "key=$CERT_DIR/key.pem" \
  --platform "$BUILDER_PLATFORMS" \
  tcp://"$BUILDER_HOST"
docker buildx create --name "$BUILDER_NAME" --append --node "${CURRENT_ID}-b" --driver remote \
  --driver-opt "cacert=$CERT_DIR/ca.pem,cert=$CERT_DIR/cert.pem,key=$CERT_DIR/key.pem" \
  "tcp://${SECOND_HOST}:1234"
