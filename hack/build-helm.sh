#!/usr/bin/env bash
# Builds (once) and caches helm v4 from Go modules (helm.sh/helm/v4/cmd/helm), next to the
# control-plane binaries of build-binaries.sh. Prints the helm binary's path on stdout;
# progress goes to stderr. No-op (no network) when the versioned binary is cached.
# AISRE_HELM_VERSION overrides the pin (the newest v4.x on the Go proxy when pinned:
# `go list -m -versions helm.sh/helm/v4`); "latest" asks the proxy.
# --cached: print the path only when already built, else exit 1 (tests outside CI skip then).
set -euo pipefail

HELM_VERSION="${AISRE_HELM_VERSION:-v4.3.2}"
CACHE_ROOT="${AISRE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/aisre}"

log() { echo "[build-helm] $*" >&2; }

if [ "${1:-}" = --cached ]; then
  [ -x "$CACHE_ROOT/helm-$HELM_VERSION/helm" ] && { echo "$CACHE_ROOT/helm-$HELM_VERSION/helm"; exit 0; }
  log "helm $HELM_VERSION is not built; run: bash hack/build-helm.sh"; exit 1
fi
command -v go >/dev/null || { log "Go is required to build helm (apt-get install golang-go)"; exit 1; }
if [ "$HELM_VERSION" = latest ]; then
  HELM_VERSION="$(cd "${TMPDIR:-/tmp}" && GOFLAGS=-mod=mod go list -m -versions helm.sh/helm/v4 | tr ' ' '\n' | grep -E '^v4\.[0-9]+\.[0-9]+$' | sort -V | tail -1)"
fi
BIN_DIR="$CACHE_ROOT/helm-$HELM_VERSION"
HELM="$BIN_DIR/helm"
if [ -x "$HELM" ]; then echo "$HELM"; exit 0; fi

mkdir -p "$BIN_DIR"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
export GOFLAGS="-mod=mod" CGO_ENABLED=0
start=$(date +%s)
log "building helm $HELM_VERSION (a few minutes on 2 cores)"
# A throwaway wrapper module, as build-binaries.sh does, so a replace directive in helm's
# go.mod can never stop the build; the version is stamped as `helm version` reports it.
cd "$WORK"
go mod init aisre.io/build-helm >/dev/null 2>&1
go get "helm.sh/helm/v4@$HELM_VERSION" 2>&1 | tail -3 >&2
go build -trimpath -o "$WORK/helm" \
  -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION" \
  helm.sh/helm/v4/cmd/helm
mv "$WORK/helm" "$HELM"
log "done in $(( $(date +%s) - start ))s: $HELM"
echo "$HELM"
