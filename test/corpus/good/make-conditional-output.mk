# An operator's image targets: pushed for every platform by default, or loaded into the local
# daemon for one platform with `make image OUTPUT=load`. The multi-platform list is assigned only
# when pushing, so the default `--load` build never sees it.
IMG ?= ghcr.io/example/widget-operator
VERSION ?= v0.9.1
OUTPUT ?= load
PLATFORM ?= linux/amd64
ifeq (${OUTPUT}, push)
PLATFORM = linux/amd64,linux/arm64,linux/ppc64le,linux/s390x
endif

ifdef CI
BUILDER = ci-builder
else ifeq ($(origin BUILDER), undefined)
BUILDER = widget-dev
endif

# The architecture is read from the machine: both branches stay possible, and the value that
# differs between them is not judged.
ifeq ($(shell uname -m),aarch64)
LOCAL_ARCH = arm64
else
LOCAL_ARCH = amd64
endif

.PHONY: builder image image-local
builder:
	docker buildx inspect $(BUILDER) >/dev/null 2>&1 || docker buildx create --name $(BUILDER) --driver docker-container --bootstrap

image: builder
	docker buildx build --builder $(BUILDER) --platform $(PLATFORM) --$(OUTPUT) -t $(IMG):$(VERSION) .

image-local: builder
	docker buildx build --builder $(BUILDER) --platform linux/$(LOCAL_ARCH) --load -t $(IMG):dev .
