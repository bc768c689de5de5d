# Recipes kept in make macros: a canned sequence expanded as a whole recipe by two pattern
# rules, and a build macro instantiated with $(call). Each expansion is its own sequence:
# create, build, remove.
IMAGES := api worker
PLATFORMS ?=
LOAD_OR_PUSH ?= --load

define IMAGE_RECIPE
	docker buildx create --use --driver docker-container --name img_$* >/dev/null 2>&1 || true
	docker buildx build $(PLATFORMS) $(LOAD_OR_PUSH) -t example/$*:dev images/$*
	docker buildx rm img_$* || true
endef

define build_component
	docker buildx build -t example/$(1):dev -f images/$(1)/Dockerfile --output=type=docker .
endef

image.%: images/%/Dockerfile
	$(IMAGE_RECIPE)

push.%: LOAD_OR_PUSH = --push
push.%: images/%/Dockerfile
	$(IMAGE_RECIPE)

components:
	$(call build_component,api)
	$(call build_component,worker)
