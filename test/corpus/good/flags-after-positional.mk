BUILDKIT_HOST ?= tcp://buildkitd.ci.svc:1234

builder:
	docker buildx create \
		--name imagebuilder \
		--driver=remote \
		$(BUILDKIT_HOST) \
		--driver-opt=cacert=/certs/ca.pem,cert=/certs/cert.pem,key=/certs/key.pem \
		--bootstrap --use || true
