#!/usr/bin/env bash
# Everything CI runs, in order: install (when needed), build, lint exactly as n8n's scanner does,
# type-check the tests, unit/integration tests against the emulator, then the end-to-end suite
# inside real n8n 2.41.1 and 1.123.81 (installed once into a cache outside the repo), then the
# browser tests of the n8n editor in Debian's Chromium (installed by scripts/provision-browser.sh).
#   HOOX_SKIP_E2E=1   skip the real-n8n and browser suites (quick local runs; CI never sets it)
#   HOOX_E2E_N8N=2|1  run the e2e suite against one n8n major only
#   HOOX_SKIP_QUEUE=1 skip the queue-mode tier (PostgreSQL + Redis + n8n main/workers/webhook processes)
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp
# reports of an earlier run must not be summarised as this run's (e.g. e2e with HOOX_SKIP_E2E=1)
rm -f .tmp/jest-unit.json .tmp/jest-e2e.json .tmp/jest-queue.json .tmp/jest-browser.json

if [ ! -x node_modules/.bin/jest ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== installing dependencies (npm ci)"
  npm ci
fi

echo "== build"
npm run build
echo "== format (prettier --check)"
npx prettier --check .
echo "== lint (n8n community-package scanner rules, source and packed tarball)"
node scripts/lint.mjs
echo "== type-check tests, emulator and scripts"
npx tsc -p tsconfig.test.json --noEmit

status=0
echo "== unit and integration tests (emulator on loopback)"
npx jest --selectProjects unit --json --outputFile=.tmp/jest-unit.json || status=1

if [ "${HOOX_SKIP_E2E:-}" != "1" ]; then
  echo "== provisioning n8n for the end-to-end suite"
  bash scripts/provision-n8n.sh "${HOOX_E2E_N8N:-all}"
  echo "== end-to-end tests in real n8n"
  npx jest --selectProjects e2e --runInBand --json --outputFile=.tmp/jest-e2e.json || status=1
  echo "== browser tests: the n8n editor in Chromium (n8n 2.41.1)"
  bash scripts/provision-n8n.sh 2
  bash scripts/provision-browser.sh >/dev/null
  npx jest --selectProjects browser --runInBand --json --outputFile=.tmp/jest-browser.json || status=1
  if [ "${HOOX_SKIP_QUEUE:-}" != "1" ]; then
    echo "== queue-mode tests (PostgreSQL, Redis, n8n main + 2 workers + 2 webhook processes)"
    bash scripts/provision-n8n.sh queue
    bash scripts/provision-n8n.sh "${HOOX_E2E_QUEUE_N8N:-2}"
    npx jest --selectProjects queue --runInBand --json --outputFile=.tmp/jest-queue.json || status=1
  fi
fi

node scripts/test-summary.mjs .tmp/jest-unit.json .tmp/jest-e2e.json .tmp/jest-browser.json .tmp/jest-queue.json
exit $status
