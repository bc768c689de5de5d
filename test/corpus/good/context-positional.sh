#!/bin/sh
# The positional is a docker context created just before.
set -e
docker context create builder --docker "host=tcp://docker:2376,ca=/certs/client/ca.pem,cert=/certs/client/cert.pem,key=/certs/client/key.pem"
docker buildx create builder --use
docker context create python-arm64 --docker "host=ssh://$1:2376"
docker context create arm64-ctx --docker "host=ssh://$2:2376"
docker buildx create --name actions_builder --driver docker-container python-arm64
docker buildx create --name actions_builder --append --node arm64-remote arm64-ctx
