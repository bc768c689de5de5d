#!/bin/sh
# M12: remote builders reject buildkitd flags; --allow=… is not a buildkitd flag.
docker buildx create --name r --driver remote --buildkitd-flags '--debug' tcp://buildkitd:1234 # expect: KBX208
docker buildx create --name c --driver docker-container --buildkitd-flags '--allow=network.host' # known-miss: KBX208
