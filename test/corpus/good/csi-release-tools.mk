# vendored release-tools/build.make shape: opaque pass-through variable and $$ in ; \ chains.
DOCKER_BUILDX_CREATE_ARGS ?=
BUILD_PLATFORMS ?= linux amd64 amd64 ; linux arm64 arm64

push-multiarch-%:
	set -ex; \
	export DOCKER_CLI_EXPERIMENTAL=enabled; \
	docker buildx create $(DOCKER_BUILDX_CREATE_ARGS) --use --name multiarchimage-buildertest; \
	trap "docker buildx rm multiarchimage-buildertest" EXIT; \
	dockerfile_linux=$$(if [ -e ./$(CMDS_DIR)/$*/Dockerfile ]; then echo ./$(CMDS_DIR)/$*/Dockerfile; else echo Dockerfile; fi); \
	for platform in linux/amd64 linux/arm64; do \
		docker buildx build --push \
			--tag $(IMAGE_NAME):$$platform-$(TAG) \
			--platform=$$platform \
			--file $$dockerfile_linux \
			--build-arg binary=./bin/$* \
			--label revision=$(REV) \
			.; \
	done
