# Recipes run in bash: SHELL names it through /usr/bin/env with an option, the spelling that
# operator scaffolds use. Process substitution is bash and valid here.
SHELL = /usr/bin/env bash -o pipefail
.SHELLFLAGS = -ec
TOOLS_DIR = $(CURDIR)/bin

test:
	mkdir -p $(TOOLS_DIR) ;\
	source <($(TOOLS_DIR)/setup-envtest use -p env 1.30.x) ;\
	go test ./...

image:
	docker buildx build --platform=linux/amd64 --load -t example/op:dev .
