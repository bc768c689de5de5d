# Driver options held in make variables, quotes written so that the shell keeps the CSV quotes.
NODE_SELECTOR := '"nodeselector=kubernetes.io/arch=amd64,pool=ci"'
TOLERATIONS := '"tolerations=key=pool,value=ci,operator=Equal,effect=NoSchedule"'
BUILDKIT_IMAGE ?= moby/buildkit:buildx-stable-1
NS ?= buildkit

k8s-builder:
	docker buildx create --name ci --driver kubernetes --platform linux/amd64 \
	  --driver-opt $(NODE_SELECTOR) --driver-opt $(TOLERATIONS) \
	  --driver-opt image=$(BUILDKIT_IMAGE),namespace=$(NS) \
	  --driver-opt env.BUILDKIT_STEP_LOG_MAX_SIZE=-1 \
	  --buildkitd-config ./buildkitd.toml

image: k8s-builder
	docker buildx build --builder ci --platform linux/amd64 -t registry.local/ci:$$(git rev-parse --short HEAD) --push .
