#!/usr/bin/env bash
# The whole test suite: CRD drift, unit tests, then integration and end-to-end tests
# against the real local control plane (started here, stopped afterwards if we started it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

started=""
if [ -z "${AISRE_TEST_KUBECONFIG:-}" ] && ! bash hack/control-plane.sh status >/dev/null 2>&1; then
  started=1
fi
cleanup() { if [ -n "$started" ]; then bash hack/control-plane.sh stop || true; fi; }
trap cleanup EXIT

t0=$(date +%s)
echo "== CRD drift check"
node cdk8s/main.ts --check
echo "== unit tests"
npx vitest run --project unit
echo "== diagnosis scenario corpus"
npx vitest run --config vitest.scenarios.config.ts
echo "== integration tests (real control plane)"
npx vitest run --project integration
echo "== test suite finished in $(( $(date +%s) - t0 ))s"
