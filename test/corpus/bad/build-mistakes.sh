#!/bin/bash
# Build flag mistakes.
docker buildx build --allow network.host,security.insecure -t app . # expect: KBX507
docker buildx build --platform linux/amd64,linux/arm64 --load -t app . # expect: KBX520
docker buildx build --push . # expect: KBX521
docker buildx build --progress=fancy -t app . # expect: KBX511
docker buildx build -t app # expect: KBX526
docker buildx build -t App:Latest . # expect: KBX505
docker buildx build --push true -t app . # expect: KBX530
