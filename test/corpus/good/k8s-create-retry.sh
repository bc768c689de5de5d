#!/usr/bin/env bash
# A per-run kubernetes builder created in a retry loop (removed again when a try fails), the
# driver options written as one word whose quotes open and close in the middle.
run="${CI_RUN_ID:-$$}"
builder="img-$run"

cleanup() {
  if docker buildx ls --format '{{.Name}}' | grep -qx "$builder"; then
    docker buildx rm "$builder"
  fi
}
trap cleanup EXIT

left=4
while true; do
  if docker buildx create --bootstrap --name="$builder" --driver=kubernetes \
    "--driver-opt=namespace=$POD_NAMESPACE,rootless=true,replicas=1,"nodeselector=pool=build",requests.cpu=2,limits.memory=6Gi"; then
    break
  fi
  docker buildx rm "$builder" || true
  left=$((left - 1))
  [ "$left" -gt 0 ] || { echo "no builder" >&2; exit 1; }
done

docker buildx use "$builder"
docker buildx build --platform linux/amd64 --push -t "registry.example/tools/dind:${VERSION:?}" .
