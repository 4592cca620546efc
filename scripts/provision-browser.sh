#!/usr/bin/env bash
# Installs the browser the browser tests drive (test/browser/): Debian's Chromium package, used by
# playwright-core through its executablePath. Test tools' own browser downloads are not used (they
# fetch from outside the package registries). Reused when already installed.
#
#   bash scripts/provision-browser.sh     # prints the Chromium path on its last line
#
# Env: HOOX_CHROMIUM   a Chromium/Chrome binary to use instead (nothing is installed then)
set -euo pipefail

log() { printf '[provision-browser %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

if [ -n "${HOOX_CHROMIUM:-}" ]; then
	[ -x "$HOOX_CHROMIUM" ] || die "HOOX_CHROMIUM=$HOOX_CHROMIUM is not an executable"
	echo "$HOOX_CHROMIUM"
	exit 0
fi

if ! command -v chromium >/dev/null 2>&1; then
	[ "$(id -u)" = 0 ] || die "chromium is missing; install Debian's chromium package (needs root)"
	log "installing Debian's chromium package"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
fi
bin="$(command -v chromium)"
log "$("$bin" --version 2>/dev/null | head -1) at $bin"
echo "$bin"
