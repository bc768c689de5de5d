# make functions that build argument lists.
comma := ,
space := $(empty) $(empty)
ARCHES := amd64 arm64
PLATFORMS := $(subst $(space),$(comma),$(addprefix linux/,$(ARCHES)))
PLATFORM_FLAGS = $(addprefix --platform linux/,$(ARCHES))
TAGS = $(foreach t,latest $(VERSION),-t acme/app:$(t))
EXTRA = $(if $(PUSH),--push,--load)

.ONESHELL:
image:
	set -e
	docker buildx create --name fn-builder --driver docker-container --bootstrap || true
	docker buildx build --builder fn-builder $(PLATFORM_FLAGS) $(TAGS) $(EXTRA) .

single:
	docker buildx build --platform $(PLATFORMS) -t acme/app:multi --push .
