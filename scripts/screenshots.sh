#!/usr/bin/env bash
# Regenerates the README's pictures (docs/*.png): runs the browser tests, which take them while
# they drive the n8n editor (HOOX_SCREENSHOTS=1). Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/jest ]; then npm ci; fi
npm run --silent build
bash scripts/provision-n8n.sh 2
bash scripts/provision-browser.sh >/dev/null
HOOX_SCREENSHOTS=1 npx jest --selectProjects browser --runInBand
echo "screenshots written to docs/: $(ls docs/*.png | xargs -n1 basename | tr '\n' ' ')"
