# A build macro instantiated with $(call): the mistake sits in the macro body and is reported at
# each call, where make expands it.
define build_image
	docker buildx build --platform linux/amd64,,linux/arm64 -t example/$(1):dev --push images/$(1)
endef

.PHONY: images tools
images:
	$(call build_image,api) # expect: KBX410
	$(call build_image,worker) # expect: KBX410

tools:
	docker buildx build --platform linux/arm64/v8,linux/amd64 -t example/tools:dev --load tools # expect: KBX520
