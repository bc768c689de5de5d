#!/bin/bash
	docker buildx create --name multi-arch \
		--platform "linux/arm64,linux/amd64" \
		--driver "docker-container"
docker buildx create --name "buildx" --driver docker-container --use
docker buildx create --name="multi_platform_builder" --driver-opt default-load=true --use
/usr/bin/docker buildx ls
docker -D buildx inspect multi-arch
docker --config "$HOME/.docker-ci" buildx ls
docker builder ls
docker builder prune -af
