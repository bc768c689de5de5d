# One target sets up the builder, guarded so a second run reuses it; the build targets depend on
# it, so the builder exists on every path that reaches them.
PLATFORMS ?= linux/amd64,linux/arm64
OUTPUT_TYPE ?= type=registry
BUILDER ?= ci-builder
IMG ?= registry.example/app:dev

.PHONY: buildx-builder image image-crds
buildx-builder:
	if ! docker buildx ls | grep -q $(BUILDER); then \
		docker buildx create --name $(BUILDER) --use --bootstrap \
			--driver-opt image=moby/buildkit:v0.23.2; \
		docker buildx inspect $(BUILDER); \
	fi

image: buildx-builder
	docker buildx build --platform="$(PLATFORMS)" --output=$(OUTPUT_TYPE) -t $(IMG) .

image-crds: buildx-builder
	docker buildx build --platform="$(PLATFORMS)" --output=$(OUTPUT_TYPE) \
		-t $(IMG)-crds -f crds.Dockerfile .
