#!/bin/sh
# Relative TLS paths and an incomplete TLS set for the remote driver.
docker buildx create --name r1 --driver remote --driver-opt cacert=certs/ca.pem,cert=/certs/cert.pem,key=/certs/key.pem tcp://buildkitd:1234 # expect: KBX204
docker buildx create --name r2 --driver remote --driver-opt cacert=/certs/ca.pem,cert=/certs/cert.pem tcp://buildkitd:1234 # expect: KBX204
