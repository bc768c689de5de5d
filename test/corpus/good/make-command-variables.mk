# The buildx command lives in variables: a default that callers may override, a build command
# built on it, and a target-specific prefix that retries the build. The builder created for one
# recipe line is removed in a later one.
BUILDX ?= docker buildx
IMAGE_BUILD_CMD ?= $(BUILDX) build
RETRY = ./hack/retry.sh --attempts 5 --

.PHONY: image local-image
image: IMAGE_BUILD_CMD := $(RETRY) $(IMAGE_BUILD_CMD)
image:
	$(IMAGE_BUILD_CMD) --platform=linux/amd64,linux/arm64 -t example/app:dev --output=type=image .

local-image:
	BUILDER=$(shell $(BUILDX) create --use)
	$(MAKE) image
	$(BUILDX) rm $$BUILDER
