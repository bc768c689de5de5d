# The recipe of install-lint sits in the last branch of a conditional; the assignments in the
# other branches would end the rule, but make reads only one branch, and in this one the recipe
# lines directly follow the rule line.
GLOBAL_LINT_VERSION := $(shell golangci-lint version --short 2>/dev/null)
LINT_VERSION := v2.1.6

install-lint:
ifeq ($(GLOBAL_LINT_VERSION),$(LINT_VERSION))
LINT_BIN = golangci-lint
else
	go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(LINT_VERSION)
endif

image:
	docker buildx build --platform=linux/amd64 --load -t example/app:dev .
