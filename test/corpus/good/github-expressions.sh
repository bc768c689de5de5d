#!/bin/bash
# Text rendered from a composite action: ${{ }} is substituted before bash runs.
set -euo pipefail
IFS=',' read -ra ADDRS <<< "${{ inputs.buildkit_addresses }}"
first=1
for addr in "${ADDRS[@]}"; do
  if [ "$first" = 1 ]; then
    docker buildx create --use --name ${{ inputs.builder_name }} --driver remote "$addr"
    first=0
  else
    docker buildx create --append --name ${{ inputs.builder_name }} --driver remote "$addr"
  fi
done
CREATE_CMD="docker buildx create --name ${{ inputs.builder_name }}"
NODESELECTOR="kubernetes.io/arch=arm64,role=buildkit-arm-worker"
$CREATE_CMD --driver kubernetes --platform=${{ inputs.platform }} \
  --driver-opt=limits.ephemeral-storage=${{ inputs.ephemeral_storage }} \
  "--driver-opt=\"nodeselector=$NODESELECTOR\"" \
  "--driver-opt=\"tolerations=${{ inputs.tolerations }}\""
