#!/usr/bin/env bash
# Local sandbox: n8n 2.41.1 with this package, the Hoox emulator and the example workflows.
#   bash scripts/start.sh [--n8n=1] [--fresh] [--queue]
# Installs dependencies (npm ci) when node_modules is missing, builds, installs n8n into the cache
# once (several minutes the first time), then runs scripts/start.ts. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

major=2
queue=0
for arg in "$@"; do
	case "$arg" in --n8n=1) major=1 ;; --queue) queue=1 ;; esac
done

if [ ! -d node_modules ]; then
	echo "[start] installing dependencies (npm ci)"
	npm ci
fi
echo "[start] building"
npm run --silent build
bash scripts/provision-n8n.sh "$major"
# --queue: PostgreSQL and Redis servers (Debian packages) for n8n queue mode
if [ "$queue" = 1 ]; then bash scripts/provision-n8n.sh queue; fi
exec node_modules/.bin/tsx scripts/start.ts "$@"
