# Each target creates the builder it needs behind a guard; the kind of builder depends on a
# variable defaulted in the file, and only the taken branch's recipe lines run.
DRIVER ?= docker-container
NAMESPACE ?= buildkit

ifneq ($(DRIVER),kubernetes)
DRIVER_OPTS = --driver-opt network=host
else
DRIVER_OPTS = --driver-opt namespace=$(NAMESPACE),replicas=2
endif

ifndef SKIP_QEMU
SETUP = docker run --privileged --rm tonistiigi/binfmt --install all
endif

.PHONY: setup builder-amd64 builder-arm64 release
setup:
ifdef SETUP
	$(SETUP)
endif

builder-amd64: setup
	if ! docker buildx ls | grep -q amd64-builder; then \
		docker buildx create --name amd64-builder --driver $(DRIVER) $(DRIVER_OPTS) --platform linux/amd64; \
	fi

builder-arm64: setup
ifeq ($(DRIVER),kubernetes)
	docker buildx create --name arm64-builder --driver kubernetes --driver-opt namespace=$(NAMESPACE),nodeselector=kubernetes.io/arch=arm64 --platform linux/arm64
else
	docker buildx create --name arm64-builder --driver $(DRIVER) $(DRIVER_OPTS) --platform linux/arm64
endif

release: builder-amd64 builder-arm64
	docker buildx build --builder amd64-builder --platform linux/amd64 --push -t example/app:amd64 .
	docker buildx build --builder arm64-builder --platform linux/arm64 --push -t example/app:arm64 .
