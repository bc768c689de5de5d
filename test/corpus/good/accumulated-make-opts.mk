# U25: an options string accumulated in the recipe shell ($$) and word-split.
builder:
	BUILDER_OPTS="--name proxied --driver docker-container"; \
	if [ -n "$$HTTP_PROXY" ]; then \
		BUILDER_OPTS="$$BUILDER_OPTS --driver-opt env.http_proxy=$$HTTP_PROXY"; \
	fi; \
	docker buildx create $$BUILDER_OPTS; \
	docker buildx use proxied
