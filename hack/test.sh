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
mkdir -p .aisre
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.aisre/vitest-report.json "$@" || status=$?
# One plain closing line, whatever the reporter printed above.
node -e 'const r = require("./.aisre/vitest-report.json");
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);' || true
echo "== test suite finished in $(( $(date +%s) - t0 ))s"
exit "$status"
