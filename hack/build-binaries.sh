#!/usr/bin/env bash
# Builds (once) and caches the control-plane binaries: etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler, kubectl and kwok, from Go modules.
# Prints the directory holding them on stdout; progress goes to stderr.
# KUBEBUILDER_ASSETS, when it holds the binaries, is used as is.
set -euo pipefail

K8S_VERSION="${AISRE_K8S_VERSION:-v1.34.4}"
ETCD_VERSION="${AISRE_ETCD_VERSION:-v3.6.16}"
KWOK_VERSION="${AISRE_KWOK_VERSION:-v0.8.0}"
CACHE_ROOT="${AISRE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/aisre}"
BIN_DIR="$CACHE_ROOT/bin-k8s-${K8S_VERSION}-etcd-${ETCD_VERSION}-kwok-${KWOK_VERSION}"
NEEDED=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok)

log() { echo "[build-binaries] $*" >&2; }

has_all() {
  local dir="$1" b
  for b in "${NEEDED[@]}"; do [ -x "$dir/$b" ] || return 1; done
}

if [ -n "${KUBEBUILDER_ASSETS:-}" ] && has_all "$KUBEBUILDER_ASSETS"; then
  echo "$KUBEBUILDER_ASSETS"; exit 0
fi
if has_all "$BIN_DIR"; then echo "$BIN_DIR"; exit 0; fi

command -v go >/dev/null || { log "Go is required to build the control plane (apt-get install golang, or set KUBEBUILDER_ASSETS)"; exit 1; }
mkdir -p "$BIN_DIR"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
export GOFLAGS="-mod=mod" CGO_ENABLED=0
start=$(date +%s)

# A copy from KUBEBUILDER_ASSETS counts for whatever it has (envtest ships etcd, kube-apiserver, kubectl).
if [ -n "${KUBEBUILDER_ASSETS:-}" ]; then
  for b in "${NEEDED[@]}"; do [ -x "$KUBEBUILDER_ASSETS/$b" ] && cp "$KUBEBUILDER_ASSETS/$b" "$BIN_DIR/"; done
fi

# Builds package $3 of module $1@$2 into $BIN_DIR/$4 from a throwaway wrapper module
# (go install refuses modules whose go.mod carries replace directives, as etcd's does).
build_from_module() {
  local module="$1" version="$2" pkg="$3" out="$4" dir="$WORK/$4"
  mkdir -p "$dir"
  (cd "$dir" && go mod init "aisre.io/build-$out" >/dev/null 2>&1 &&
    go get "$module@$version" >&2 2>&1 | tail -3 >&2 &&
    go build -trimpath -ldflags "-s -w" -o "$BIN_DIR/$out" "$pkg")
}

if [ ! -x "$BIN_DIR/etcd" ]; then
  log "building etcd $ETCD_VERSION (about 1 minute)"
  build_from_module go.etcd.io/etcd/server/v3 "$ETCD_VERSION" go.etcd.io/etcd/server/v3 etcd
fi

if [ ! -x "$BIN_DIR/kwok" ]; then
  log "building kwok $KWOK_VERSION (about 2 minutes)"
  GOBIN="$BIN_DIR" go install "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" ||
    build_from_module sigs.k8s.io/kwok "$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok kwok
fi

k8s_missing=0
for b in kube-apiserver kube-controller-manager kube-scheduler kubectl; do [ -x "$BIN_DIR/$b" ] || k8s_missing=1; done
if [ "$k8s_missing" = 1 ]; then
  # k8s.io/kubernetes replaces its staging modules with local paths, so it cannot be
  # `go install`ed; a wrapper module pins each staging module to v0.Y.Z instead.
  log "building Kubernetes $K8S_VERSION binaries (10-30 minutes on 2 cores)"
  mod="$WORK/k8s"; mkdir -p "$mod"; cd "$mod"
  go mod init aisre.io/k8s-binaries >/dev/null 2>&1
  gomod="$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  staging_version="v0.${K8S_VERSION#v1.}"
  {
    echo "require k8s.io/kubernetes $K8S_VERSION"
    grep -E '^\s*k8s\.io/[a-z0-9-]+ => \./staging/' "$gomod" | awk -v v="$staging_version" '{print "replace " $1 " => " $1 " " v}'
  } >> go.mod
  cat > tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
  log "resolving modules"
  go mod tidy -e >&2 2>&1 | tail -5 >&2 || true
  for b in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
    [ -x "$BIN_DIR/$b" ] && continue
    log "compiling $b"
    go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION" -o "$BIN_DIR/$b" "k8s.io/kubernetes/cmd/$b"
  done
fi

log "done in $(( $(date +%s) - start ))s: $BIN_DIR"
echo "$BIN_DIR"
