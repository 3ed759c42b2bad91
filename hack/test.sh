#!/usr/bin/env bash
# The whole test suite: CRD drift, then every vitest project: unit tests, the diagnosis
# scenario corpus, the incident store on a real PostgreSQL, and integration tests on the
# real local control plane (started here and stopped afterwards if we started it).
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
echo "== vitest: unit, scenarios, store, integration"
npx vitest run "$@"
echo "== test suite finished in $(( $(date +%s) - t0 ))s"
