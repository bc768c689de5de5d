# Conditionals: the branch make takes is judged, a branch it never takes is not, and recipe lines
# under a condition only the machine can answer ($(shell …)) may run, so they are judged too.
DRIVER ?= kubernetes
ifeq ($(DRIVER),kubernetes)
# M1 on the taken branch: the comma inside nodeselector starts a new option.
BUILDER_OPTS = --driver kubernetes --driver-opt=namespace=ci,nodeselector=disktype=ssd,zone=a
else
# Never taken with the default DRIVER (and wrong for docker-container: not reported).
BUILDER_OPTS = --driver docker-container --driver-opt=namespace=ci
endif

# The else branch is taken only with LEGACY=1: its 32-bit platform is never used here.
ifndef LEGACY
PLATFORMS = linux/amd64
else
PLATFORMS = linux/amd64,linux/arm/v8
endif

.PHONY: builder image image-arm
builder:
	docker buildx create --name ci $(BUILDER_OPTS) --platform linux/amd64 # expect: KBX101

image: builder
	docker buildx build --builder ci --platform $(PLATFORMS) --push -t example/app:$(VERSION) .

image-arm: builder
ifneq ($(shell docker buildx version 2>/dev/null),)
	docker buildx build --platform linux/arm/v8 --push -t example/app:arm . # expect: KBX413
else
	@echo "buildx is not installed"
endif
