#!/bin/bash
serviceaccount=${SA:-buildkit}
docker buildx create --name openshift --driver kubernetes \
  --driver-opt rootless=true --driver-opt image=moby/buildkit:v0.15.2-rootless \
  --driver-opt serviceaccount=$serviceaccount \
  --driver-opt limits.ephemeral-storage=128Gi \
  --driver-opt '"annotations=cluster-autoscaler.kubernetes.io/safe-to-evict=false,team=platform"' \
  --driver-opt '"labels=app.kubernetes.io/part-of=ci,team=platform"' \
  --driver-opt timeout=300s,default-load=true,schedulername=default-scheduler \
  --bootstrap --driver-opt qemu.install=true
docker buildx build --builder openshift --platform linux/amd64,linux/arm64 -t quay.io/example/app:1.0 --push .
