# M6: --append on the very first create of a builder.
builder:
	docker buildx create --use --bootstrap --append --name=multiarch-builder --platform=linux/amd64 --node=multiarch-builder-amd64 --driver=kubernetes # expect: KBX403
