# M7: a positional endpoint with the kubernetes driver.
NS := jx

builder:
	docker buildx create --use --name=multiarch-k8s --platform=linux/amd64 --node=multiarch-k8s-amd64 --driver=kubernetes --driver-opt="qemu.install=true,namespace=$(NS)" multiarch-k8s-amd64 # expect: KBX409
