BUILDX_NAME = rustdesk

buildx:
	-@docker buildx rm $(BUILDX_NAME)
	@docker buildx create --name $(BUILDX_NAME) --use
	docker buildx rm mybuilder;true
	docker buildx create --name mybuilder

release: buildx
	docker buildx build --builder $(BUILDX_NAME) --platform linux/amd64,linux/arm64,linux/arm/v7 -t rustdesk/server:latest --push .
