#!/usr/bin/env bash
# A real local Kubernetes control plane on loopback: etcd, kube-apiserver (RBAC on),
# kube-controller-manager, kube-scheduler and kwok (fake kubelets for fake nodes).
#
#   hack/control-plane.sh start      build binaries if needed, start everything, wait until ready (idempotent)
#   hack/control-plane.sh stop       stop every process and remove the state dir
#   hack/control-plane.sh status     print what runs; exit 1 when not ready
#   hack/control-plane.sh env        print `export KUBECONFIG=...` (eval it)
#   hack/control-plane.sh kubeconfig print the admin kubeconfig path
#   hack/control-plane.sh bin-dir    print the directory with kubectl & co (building them if needed)
#   hack/control-plane.sh restart-apiserver   kill and restart kube-apiserver (for watch tests)
#
# AISRE_CP_DIR sets the state dir; KUBEBUILDER_ASSETS points at prebuilt binaries.
set -euo pipefail

HACK="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="${AISRE_CP_DIR:-${TMPDIR:-/tmp}/aisre-control-plane}"
KWOK_NODES="${AISRE_KWOK_NODES:-3}"
log() { echo "[control-plane] $*" >&2; }

bin_dir() { bash "$HACK/build-binaries.sh"; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
    node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

alive() { [ -f "$DIR/$1.pid" ] && kill -0 "$(cat "$DIR/$1.pid")" 2>/dev/null; }

# Starts a component detached from the caller: output to a log file, no inherited pipes.
launch() {
  local name="$1"; shift
  setsid "$@" </dev/null >"$DIR/$name.log" 2>&1 &
  echo $! >"$DIR/$name.pid"
}

etcd_ready() { curl -fsS --max-time 1 "http://127.0.0.1:$(cat "$DIR/etcd.port")/health" >/dev/null 2>&1; }

apiserver_ready() {
  curl -fsS --max-time 2 --cacert "$DIR/pki/ca.crt" --cert "$DIR/pki/admin.crt" --key "$DIR/pki/admin.key" \
    "https://127.0.0.1:$(cat "$DIR/apiserver.port")/readyz" >/dev/null 2>&1
}

wait_for() {
  local what="$1" tries="$2"; shift 2
  for _ in $(seq "$tries"); do "$@" && return 0; sleep 0.5; done
  log "$what did not become ready; last log lines:"; tail -20 "$DIR/$what.log" >&2 || true
  return 1
}

make_pki() {
  local p="$DIR/pki"; mkdir -p "$p"
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=aisre-local-ca" \
    -keyout "$p/ca.key" -out "$p/ca.crt" 2>/dev/null
  sign() { # name subject extfile-lines
    openssl req -newkey rsa:2048 -nodes -subj "$2" -keyout "$p/$1.key" -out "$p/$1.csr" 2>/dev/null
    printf '%b' "$3" >"$p/$1.ext"
    openssl x509 -req -in "$p/$1.csr" -CA "$p/ca.crt" -CAkey "$p/ca.key" -CAcreateserial -days 365 \
      -extfile "$p/$1.ext" -out "$p/$1.crt" 2>/dev/null
  }
  sign apiserver "/CN=kube-apiserver" \
    "subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth"
  sign admin "/O=system:masters/CN=aisre-admin" "extendedKeyUsage=clientAuth"
  openssl genrsa -out "$p/sa.key" 2048 2>/dev/null
  openssl rsa -in "$p/sa.key" -pubout -out "$p/sa.pub" 2>/dev/null
}

write_kubeconfig() {
  local port; port="$(cat "$DIR/apiserver.port")"
  cat >"$DIR/admin.kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: aisre-local
  cluster:
    server: https://127.0.0.1:$port
    certificate-authority: $DIR/pki/ca.crt
users:
- name: aisre-admin
  user:
    client-certificate: $DIR/pki/admin.crt
    client-key: $DIR/pki/admin.key
contexts:
- name: aisre-local
  context: {cluster: aisre-local, user: aisre-admin}
current-context: aisre-local
KC
}

start_etcd() {
  local bin="$1"
  launch etcd "$bin/etcd" --name default --data-dir "$DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$(cat "$DIR/etcd.port")" \
    --advertise-client-urls "http://127.0.0.1:$(cat "$DIR/etcd.port")" \
    --listen-peer-urls "http://127.0.0.1:$(cat "$DIR/etcd-peer.port")" \
    --initial-advertise-peer-urls "http://127.0.0.1:$(cat "$DIR/etcd-peer.port")" \
    --initial-cluster "default=http://127.0.0.1:$(cat "$DIR/etcd-peer.port")" \
    --unsafe-no-fsync --quota-backend-bytes 4294967296
  wait_for etcd 60 etcd_ready
}

start_apiserver() {
  local bin="$1" p="$DIR/pki"
  launch apiserver "$bin/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$(cat "$DIR/etcd.port")" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$(cat "$DIR/apiserver.port")" \
    --cert-dir "$DIR/apiserver-certs" --tls-cert-file "$p/apiserver.crt" --tls-private-key-file "$p/apiserver.key" \
    --client-ca-file "$p/ca.crt" \
    --service-account-key-file "$p/sa.pub" --service-account-signing-key-file "$p/sa.key" \
    --service-account-issuer https://kubernetes.default.svc \
    --service-cluster-ip-range 10.0.0.0/24 --authorization-mode RBAC --allow-privileged=true \
    --enable-priority-and-fairness=false --event-ttl 1h --v 1
  wait_for apiserver 240 apiserver_ready
}

start_rest() {
  local bin="$1" kc="$DIR/admin.kubeconfig" p="$DIR/pki" qps=()
  # AISRE_CP_KUBE_API_QPS lifts kcm's and the scheduler's client limit (default 20 qps) for load benches.
  [ -n "${AISRE_CP_KUBE_API_QPS:-}" ] && qps=(--kube-api-qps "$AISRE_CP_KUBE_API_QPS" --kube-api-burst "$((AISRE_CP_KUBE_API_QPS * 2))")
  launch controller-manager "$bin/kube-controller-manager" --kubeconfig "$kc" ${qps[@]+"${qps[@]}"} \
    --authentication-kubeconfig "$kc" --authorization-kubeconfig "$kc" \
    --bind-address 127.0.0.1 --secure-port "$(free_port)" --leader-elect=false \
    --service-account-private-key-file "$p/sa.key" --root-ca-file "$p/ca.crt" \
    --cluster-signing-cert-file "$p/ca.crt" --cluster-signing-key-file "$p/ca.key" \
    --use-service-account-credentials=false --controllers '*,-nodeipam' \
    --node-monitor-grace-period 40s --concurrent-deployment-syncs 5 --v 1
  launch scheduler "$bin/kube-scheduler" --kubeconfig "$kc" ${qps[@]+"${qps[@]}"} \
    --authentication-kubeconfig "$kc" --authorization-kubeconfig "$kc" \
    --bind-address 127.0.0.1 --secure-port "$(free_port)" --leader-elect=false --v 1
  # kwok serves the kubelet API (container logs from logs.yaml) on loopback; nodes advertise
  # 127.0.0.1:<kwok.port> so the API server proxies `kubectl logs` there and nowhere else.
  sed "s|__HACK__|$HACK|g" "$HACK/kwok/logs.yaml" >"$DIR/kwok-logs.yaml"
  # kwok also serves the logs `Logs` objects declare (kwok.x-k8s.io/v1alpha1, one pod each), so a
  # test can give its own pod its own log files (test/support/kwok-logs.ts).
  "$bin/kubectl" --kubeconfig "$kc" apply -f "$HACK/kwok/logs-crd.yaml" >/dev/null
  "$bin/kubectl" --kubeconfig "$kc" wait --for condition=Established crd/logs.kwok.x-k8s.io --timeout 60s >/dev/null
  launch kwok "$bin/kwok" --kubeconfig "$kc" --config "$HACK/kwok/kwok.yaml" --config "$DIR/kwok-logs.yaml" \
    --enable-crds Logs --manage-all-nodes=false --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --node-ip 127.0.0.1 --node-port "$(cat "$DIR/kwok.port")" --cidr 10.244.0.0/16 \
    --server-address "127.0.0.1:$(cat "$DIR/kwok.port")" --v INFO
}

create_nodes() {
  local kubectl="$1/kubectl" i
  for i in $(seq 0 $((KWOK_NODES - 1))); do
    echo "---"; sed "s/__NAME__/kwok-node-$i/" "$HACK/kwok/node.yaml"
  done | "$kubectl" --kubeconfig "$DIR/admin.kubeconfig" apply -f - >/dev/null
}

nodes_ready() {
  local n
  n=$("$1/kubectl" --kubeconfig "$DIR/admin.kubeconfig" get nodes --no-headers 2>/dev/null | grep -c ' Ready ') || true
  [ "$n" -ge "$KWOK_NODES" ]
}

default_sa() {
  "$1/kubectl" --kubeconfig "$DIR/admin.kubeconfig" -n default get serviceaccount default >/dev/null 2>&1
}

cmd_start() {
  if status_quiet; then log "already running ($DIR)"; return 0; fi
  cmd_stop >/dev/null 2>&1 || true
  local bin t0; bin="$(bin_dir)"; t0=$(date +%s)
  mkdir -p "$DIR"; echo "$bin" >"$DIR/bin-dir"
  free_port >"$DIR/etcd.port"; free_port >"$DIR/etcd-peer.port"; free_port >"$DIR/apiserver.port"; free_port >"$DIR/kwok.port"
  make_pki; write_kubeconfig
  start_etcd "$bin"; start_apiserver "$bin"; start_rest "$bin"
  create_nodes "$bin"
  wait_for kwok 120 nodes_ready "$bin"
  wait_for controller-manager 120 default_sa "$bin"
  log "ready in $(( $(date +%s) - t0 ))s: export KUBECONFIG=$DIR/admin.kubeconfig"
}

cmd_stop() {
  local c pid
  for c in kwok scheduler controller-manager apiserver etcd; do
    [ -f "$DIR/$c.pid" ] || continue
    pid="$(cat "$DIR/$c.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$DIR"
  log "stopped"
}

status_quiet() {
  local c
  for c in etcd apiserver controller-manager scheduler kwok; do alive "$c" || return 1; done
  apiserver_ready
}

cmd_status() {
  local c
  for c in etcd apiserver controller-manager scheduler kwok; do
    if alive "$c"; then echo "$c: running (pid $(cat "$DIR/$c.pid"))"; else echo "$c: stopped"; fi
  done
  status_quiet && echo "ready: export KUBECONFIG=$DIR/admin.kubeconfig"
}

cmd_restart_apiserver() {
  local pid; pid="$(cat "$DIR/apiserver.pid")"
  kill "$pid"; for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  start_apiserver "$(cat "$DIR/bin-dir")"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) echo "export KUBECONFIG=$DIR/admin.kubeconfig" ;;
  kubeconfig) echo "$DIR/admin.kubeconfig" ;;
  bin-dir) if [ -f "$DIR/bin-dir" ]; then cat "$DIR/bin-dir"; else bin_dir; fi ;;
  restart-apiserver) cmd_restart_apiserver ;;
  *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
