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
  kubectl get namespace aisre-system >/dev/null 2>&1 || kubectl create namespace aisre-system >/dev/null
  AISRE_NAMESPACE=aisre-system AISRE_DATA_DIR="$dir/pgdata" AISRE_METRICS_PORT=0 AISRE_HEALTH_PORT=0 \
    setsid node bin/aisre.mjs operator </dev/null >"$dir/operator.log" 2>&1 &
  echo $! >"$dir/operator.pid"
fi

echo "== a bad rollout in namespace $NS: checkout v2.3.0 is healthy, v2.3.1 crash-loops"
kubectl get namespace "$NS" >/dev/null 2>&1 || kubectl create namespace "$NS" >/dev/null
kubectl -n "$NS" apply -f hack/demo/checkout.yaml >/dev/null
kubectl -n "$NS" rollout status deployment/checkout --timeout=60s >/dev/null
kubectl -n "$NS" patch deployment checkout --type merge -p \
  '{"spec":{"template":{"metadata":{"annotations":{"aisre.io/simulate":"CrashLoopBackOff"}},"spec":{"containers":[{"name":"app","image":"registry.example.com/shop/checkout:v2.3.1"}]}}}}' >/dev/null
for _ in $(seq 60); do
  kubectl -n "$NS" get pods -l app=checkout -o jsonpath='{.items[*].status.containerStatuses[*].state.waiting.reason}' | grep -q CrashLoopBackOff && break
  sleep 1
done

echo "== applying a sample SreTask (an Alertmanager KubePodCrashLooping alert) in namespace $NS"
kubectl -n "$NS" apply -f examples/agentconfig.yaml -f examples/runbook.yaml -f examples/sretask.yaml
task="$(kubectl -n "$NS" get -f examples/sretask.yaml -o jsonpath='{.metadata.name}')"
kubectl -n "$NS" wait --for=condition=Accepted "sretask/$task" --timeout=60s >/dev/null ||
  { echo "SreTask was not accepted; operator log:"; tail -30 "$dir/operator.log"; exit 1; }

kubectl -n "$NS" wait --for=condition=Diagnosed "sretask/$task" --timeout=60s >/dev/null || true

echo "== kubectl get aisre -A"
kubectl get aisre -A
echo
echo "== conditions of sretask/$task"
kubectl -n "$NS" get sretask "$task" -o jsonpath='{range .status.conditions[*]}{.type}={.status} ({.reason}): {.message}{"\n"}{end}'
echo
echo "KUBECONFIG=$KUBECONFIG ; stop everything with: npm run demo -- stop"
