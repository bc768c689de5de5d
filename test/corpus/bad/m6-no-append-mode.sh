#!/bin/sh
# M6: creating the same builder twice without --append or --node.
docker buildx create --name DLC_builder --use
docker buildx build --builder DLC_builder -t app .
docker buildx create --name DLC_builder --use # expect: KBX406
