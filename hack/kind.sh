#!/usr/bin/env bash
# For users with Docker: a kind cluster running the real image and the generated manifests.
#   hack/kind.sh up     create cluster "aisre", build and load the image, install CRDs and deploy/
#   hack/kind.sh down   delete the cluster
# (CI and this repository's tests use hack/control-plane.sh instead: no Docker needed.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CLUSTER="${AISRE_KIND_CLUSTER:-aisre}"
IMAGE="ghcr.io/ai-sre-operator/aisre:$(node -p 'require("./package.json").version')"

case "${1:-}" in
  up)
    command -v kind >/dev/null || { echo "kind is required: https://kind.sigs.k8s.io" >&2; exit 1; }
    kind get clusters | grep -qx "$CLUSTER" || kind create cluster --name "$CLUSTER"
    docker build -t "$IMAGE" .
    kind load docker-image "$IMAGE" --name "$CLUSTER"
    kubectl --context "kind-$CLUSTER" apply --server-side -f crds/
    kubectl --context "kind-$CLUSTER" wait --for=condition=Established -f crds/ --timeout=60s
    kubectl --context "kind-$CLUSTER" apply --server-side -f deploy/
    kubectl --context "kind-$CLUSTER" -n aisre-system rollout status deployment/aisre-operator --timeout=180s
    ;;
  down) kind delete cluster --name "$CLUSTER" ;;
  *) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
