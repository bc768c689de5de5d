# Justfile-like recipes written as a Makefile: @ prefixes, continuations, ?= defaults.
REPLICAS ?= 2
BUILDER  ?= k8s-builder
IMAGE    ?= ghcr.io/example/app
TAG      ?= $(shell git rev-parse --short HEAD)

.PHONY: builder build clean

builder:
	@docker buildx create --name $(BUILDER) --driver kubernetes --driver-opt namespace=buildkit \
		--driver-opt nodeselector="github-actions-pool-arm=true" \
		'--driver-opt="tolerations=key=github-actions-pool-arm,value=true;key=CriticalAddonsOnly,value=true;key=kubernetes.io/arch,value=arm64"' \
		--driver-opt replicas=$(REPLICAS),requests.cpu=14,requests.memory=28Gi \
		--platform linux/arm64 --node arm64 --bootstrap
	@docker buildx create --name $(BUILDER) --append --driver kubernetes --driver-opt namespace=buildkit \
		--driver-opt nodeselector="kubernetes.io/arch=amd64" \
		--platform linux/amd64 --node amd64 --bootstrap

build: builder
	docker buildx build --builder $(BUILDER) --platform linux/amd64,linux/arm64 \
		-t $(IMAGE):$(TAG) --push .

clean:
	-docker buildx rm $(BUILDER)
