#!/bin/sh
# The quotes around the node selector disappear in the shell, so the CSV parser sees two
# fields: a one-label node selector and the namespace. That is what the author wants, and it is
# what buildx does.
docker buildx inspect ci-pool >/dev/null 2>&1 || {
  docker buildx create \
    --name ci-pool \
    --driver=kubernetes \
    --platform=linux/amd64 \
    --node=ci-pool-amd64 \
    --driver-opt=nodeselector="kubernetes.io/arch=amd64,namespace=ci-pool"
  docker buildx create \
    --append \
    --name ci-pool \
    --driver=kubernetes \
    --platform=linux/arm64 \
    --node=ci-pool-arm64 \
    --driver-opt=nodeselector="kubernetes.io/arch=arm64,namespace=ci-pool"
}
docker buildx bake --builder=ci-pool --push --set '*.platform=linux/amd64,linux/arm64'
