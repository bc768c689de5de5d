#!/bin/sh
docker buildx create --use --driver=remote unix:///run/buildkit/buildkitd.sock
docker buildx create --driver remote --name remote-buildkitd "${BUILDKIT_HOST}"
docker buildx build --builder remote-buildkitd -t app .
