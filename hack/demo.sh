#!/usr/bin/env bash
# The local demo: a real control plane, the CRDs, the operator, a bad rollout and one sample
# SreTask about it; ends when the AgentConfig and Runbook are Ready and the RemediationPlan
# the diagnosis proposes waits for approval, printing the command that approves it.
# `npm run demo -- stop` tears it all down. AISRE_CP_DIR sets the state dir (hack/control-plane.sh),
# AISRE_DEMO_NAMESPACE the namespace (default shop).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CP="bash hack/control-plane.sh"
NS="${AISRE_DEMO_NAMESPACE:-shop}"

if [ "${1:-}" = "stop" ]; then
  dir="$(dirname "$($CP kubeconfig)")"
  [ -f "$dir/operator.pid" ] && kill "$(cat "$dir/operator.pid")" 2>/dev/null || true
  [ -f "$dir/sidecar.pid" ] && kill "$(cat "$dir/sidecar.pid")" 2>/dev/null || true
  AISRE_PG_DIR="$dir/postgres" bash hack/postgres.sh stop >/dev/null 2>&1 || true
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
# Shipped with the CRDs: approving a plan is the verb approve, the approver recorded by name.
kubectl apply --server-side -f deploy/approval-policy.yaml >/dev/null

# The web console reads the incidents the operator projects: both need one store, so a real
# PostgreSQL when the machine has one (embedded PGlite belongs to one process).
if AISRE_PG_DIR="$dir/postgres" bash hack/postgres.sh start >/dev/null 2>&1; then
  DATABASE_URL="$(AISRE_PG_DIR="$dir/postgres" bash hack/postgres.sh url)"
  echo "== incident store: PostgreSQL $DATABASE_URL (the operator's and the console's)"
else
  DATABASE_URL=""
  echo "== incident store: embedded PGlite (apt-get install postgresql to see incidents in the console)"
fi
export DATABASE_URL

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
# A rerun starts the incident afresh: the previous task (with its run and plan) and workload go.
kubectl -n "$NS" delete -f examples/sretask.yaml --ignore-not-found --cascade=foreground --timeout=60s >/dev/null
kubectl -n "$NS" delete -f hack/demo/checkout.yaml --ignore-not-found --timeout=60s >/dev/null
kubectl -n "$NS" apply -f hack/demo/checkout.yaml >/dev/null
kubectl -n "$NS" rollout status deployment/checkout --timeout=60s >/dev/null
kubectl -n "$NS" patch deployment checkout --type merge -p \
  '{"spec":{"template":{"metadata":{"annotations":{"aisre.io/simulate":"CrashLoopBackOff"}},"spec":{"containers":[{"name":"app","image":"registry.example.com/shop/checkout:v2.3.1"}]}}}}' >/dev/null
for _ in $(seq 60); do
  kubectl -n "$NS" get pods -l app=checkout -o jsonpath='{.items[*].status.containerStatuses[*].state.waiting.reason}' | grep -q CrashLoopBackOff && break
  sleep 1
done

fail() { echo "$*; last operator log lines ($dir/operator.log):"; tail -30 "$dir/operator.log"; exit 1; }
field() { kubectl -n "$NS" get "$1" -o jsonpath="$2" 2>/dev/null || true; }

echo "== applying the demo AgentConfig, a Runbook and a sample SreTask (an Alertmanager KubePodCrashLooping alert) in namespace $NS"
kubectl -n "$NS" apply -f hack/demo/agentconfig.yaml -f examples/runbook.yaml -f examples/sretask.yaml
runbook="runbook/$(kubectl -n "$NS" get -f examples/runbook.yaml -o jsonpath='{.metadata.name}')"
for obj in agentconfig/default "$runbook"; do
  kubectl -n "$NS" wait --for=jsonpath='{.status.phase}'=Ready "$obj" --timeout=60s >/dev/null ||
    fail "$obj is not Ready: $(field "$obj" '{.status.phase}: {.status.message}')"
done
task="$(kubectl -n "$NS" get -f examples/sretask.yaml -o jsonpath='{.metadata.name}')"
kubectl -n "$NS" wait --for=condition=Accepted "sretask/$task" --timeout=60s >/dev/null ||
  fail "sretask/$task was not accepted"
kubectl -n "$NS" wait --for=condition=Diagnosed "sretask/$task" --timeout=120s >/dev/null ||
  fail "sretask/$task was not diagnosed"

echo "== waiting for the RemediationPlan the diagnosis proposes"
plan=""
for _ in $(seq 60); do
  plan="$(field "sretask/$task" '{.status.remediationPlanRef.name}')"
  [ -n "$plan" ] && break
  sleep 1
done
[ -n "$plan" ] || fail "sretask/$task got no RemediationPlan"
kubectl -n "$NS" wait --for=jsonpath='{.status.phase}'=AwaitingApproval "remediationplan/$plan" --timeout=60s >/dev/null ||
  fail "remediationplan/$plan is not waiting for approval: $(field "remediationplan/$plan" '{.status.phase}: {.status.message}')"

echo "== kubectl get aisre -A"
kubectl get aisre -A
echo
echo "== conditions of sretask/$task"
kubectl -n "$NS" get sretask "$task" -o jsonpath='{range .status.conditions[*]}{.type}={.status} ({.reason}): {.message}{"\n"}{end}'
echo
echo "== remediationplan/$plan waits for a person's approval"
kubectl -n "$NS" get remediationplan "$plan" -o jsonpath='{range .spec.steps[*]}step {.name}: {.action} {.target.kind} {.target.namespace}/{.target.name}{"\n"}{end}'
kubectl -n "$NS" get remediationplan "$plan" -o jsonpath='{range .status.conditions[*]}{.type}={.status} ({.reason}): {.message}{"\n"}{end}'
echo
echo "Approve it (the operator then dry-runs, executes and verifies the step):"
me="$(kubectl auth whoami -o jsonpath='{.status.userInfo.username}')"
echo "  $BIN/kubectl --kubeconfig $KUBECONFIG -n $NS patch remediationplan $plan --type merge -p '{\"spec\":{\"approval\":{\"decision\":\"Approved\",\"decidedBy\":\"$me\"}}}'"
echo
# The web console (docs/console.md): the sidecar serves it; a ServiceAccount that may read and approve in $NS.
CONSOLE_PORT="${AISRE_DEMO_CONSOLE_PORT:-8080}"
[ -f console/dist/index.html ] || npm run build:console >/dev/null
if [ -f "$dir/sidecar.pid" ] && kill -0 "$(cat "$dir/sidecar.pid")" 2>/dev/null; then
  echo "sidecar already running (pid $(cat "$dir/sidecar.pid"))"
else
  AISRE_NAMESPACE=aisre-system HOST=127.0.0.1 PORT="$CONSOLE_PORT" \
    AISRE_WEBHOOK_TOKEN="$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')" \
    setsid node bin/aisre.mjs sidecar </dev/null >"$dir/sidecar.log" 2>&1 &
  echo $! >"$dir/sidecar.pid"
fi
kubectl -n "$NS" get serviceaccount sre >/dev/null 2>&1 || kubectl -n "$NS" create serviceaccount sre >/dev/null
kubectl -n "$NS" create role aisre-console --verb=get,list,watch,create,patch \
  --resource=sretasks.aisre.io,diagnosisruns.aisre.io,remediationplans.aisre.io,agentconfigs.aisre.io,runbooks.aisre.io \
  --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl -n "$NS" create rolebinding sre-console --role aisre-console --serviceaccount "$NS:sre" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl -n "$NS" create rolebinding sre-approver --clusterrole aisre-plan-approver --serviceaccount "$NS:sre" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
# Two audiences: the sidecar's (sign-in) and the API server's (approvals and questions are made with it).
token_cmd="kubectl -n $NS create token sre --duration 8h --audience aisre-sidecar --audience ${AISRE_DEMO_API_AUDIENCE:-https://kubernetes.default.svc}"
echo "== the web console: open http://127.0.0.1:$CONSOLE_PORT/ (sidecar logs: $dir/sidecar.log) and sign in as $NS:sre with this token:"
echo "$($BIN/$token_cmd --kubeconfig "$KUBECONFIG")"
echo "(a new one, valid 8 h: $BIN/$token_cmd --kubeconfig $KUBECONFIG)"
echo
echo "KUBECONFIG=$KUBECONFIG ; stop everything with: ${AISRE_CP_DIR:+AISRE_CP_DIR=$AISRE_CP_DIR }npm run demo -- stop"
