BUILDER := master-builder

.PHONY: builder image
builder:
	docker buildx inspect $(BUILDER) || docker buildx create --name $(BUILDER) --driver=docker-container --driver-opt=image=moby/buildkit:master

image: builder
	docker buildx build --builder=$(BUILDER) --platform=linux/arm64 -t tf-text:arm64 --load .
