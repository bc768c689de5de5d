#!/bin/bash
# Generates a workflow file; the here-document body is data, not shell.
cat > .github/workflows/docker-build.yml <<EOL
name: build
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/setup-buildx-action@v3
        with:
          driver-opts: |
            image=moby/buildkit:master
      - run: docker buildx build --platform linux/amd64, linux/arm64 .
EOL
docker buildx create --use --name gen-builder
