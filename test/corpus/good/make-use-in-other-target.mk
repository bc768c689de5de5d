# A multi-arch target creates and selects its own builder; other targets build for the local
# engine with plain docker build and never run after it (no prerequisite links them), one of
# them in the branch of a conditional that is only taken without buildx.
BUILDX_ENABLED ?= true
IMG ?= example/app:dev

.PHONY: multiarch local-image tools-image
multiarch:
	-docker buildx create --use --name multi --platform linux/amd64,linux/arm64
	docker buildx build --platform linux/amd64,linux/arm64 -t $(IMG) --push .

local-image:
	docker build -t $(IMG) .

tools-image:
ifeq ($(BUILDX_ENABLED),true)
	docker buildx build --output=type=docker -t example/tools:dev tools
else
	docker build -t example/tools:dev tools
endif
