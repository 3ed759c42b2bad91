#!/usr/bin/env bash
# The local demo: a real control plane, the CRDs, the operator, one sample SreTask,
# then `kubectl get aisre -A`. `npm run demo -- stop` tears it all down.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CP="bash hack/control-plane.sh"
NS="${AISRE_DEMO_NAMESPACE:-shop}"

if [ "${1:-}" = "stop" ]; then
  dir="$(dirname "$($CP kubeconfig)")"
  [ -f "$dir/operator.pid" ] && kill "$(cat "$dir/operator.pid")" 2>/dev/null || true
  $CP stop; exit 0
fi

echo "== starting the local control plane (first run builds Kubernetes from source: 10-30 min)"
$CP start
KUBECONFIG="$($CP kubeconfig)"; export KUBECONFIG
BIN="$($CP bin-dir)"; kubectl() { "$BIN/kubectl" "$@"; }
dir="$(dirname "$KUBECONFIG")"

echo "== installing the CRDs"
kubectl apply --server-side -f crds/ >/dev/null
kubectl wait --for=condition=Established --timeout=60s -f crds/ >/dev/null

echo "== starting the operator (logs: $dir/operator.log)"
if [ -f "$dir/operator.pid" ] && kill -0 "$(cat "$dir/operator.pid")" 2>/dev/null; then
  echo "operator already running (pid $(cat "$dir/operator.pid"))"
else
  AISRE_METRICS_PORT=0 AISRE_HEALTH_PORT=0 setsid node bin/aisre.mjs operator </dev/null >"$dir/operator.log" 2>&1 &
  echo $! >"$dir/operator.pid"
fi

echo "== applying a sample SreTask in namespace $NS"
kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl -n "$NS" apply -f examples/agentconfig.yaml -f examples/runbook.yaml -f examples/sretask.yaml
task="$(kubectl -n "$NS" get -f examples/sretask.yaml -o jsonpath='{.metadata.name}')"
kubectl -n "$NS" wait --for=condition=Accepted "sretask/$task" --timeout=60s >/dev/null ||
  { echo "SreTask was not accepted; operator log:"; tail -30 "$dir/operator.log"; exit 1; }

echo "== kubectl get aisre -A"
kubectl get aisre -A
echo
echo "KUBECONFIG=$KUBECONFIG ; stop everything with: npm run demo -- stop"
