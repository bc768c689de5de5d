# kubernetes/ingress-nginx style image Makefile
TAG ?= $(shell cat TAG)
REGISTRY ?= gcr.io/k8s-staging-ingress-nginx
PLATFORMS ?= linux/amd64,linux/arm,linux/arm64
BUILDER ?= ingress-nginx
BUILDX_PLATFORMS ?= linux/amd64,linux/arm64

.PHONY: init-docker-buildx
init-docker-buildx:
	docker buildx create --name $(BUILDER) --bootstrap || :
	docker buildx inspect $(BUILDER)

.PHONY: container
container: init-docker-buildx
	docker buildx build \
		--builder $(BUILDER) \
		--platform $(BUILDX_PLATFORMS) \
		--no-cache \
		--pull \
		--push \
		--tag $(REGISTRY)/nginx:$(TAG) rootfs
