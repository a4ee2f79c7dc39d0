#!/usr/bin/env bash
# `npm run screenshots`: retakes the README's pictures (docs/images/*.png) from a real n8n editor in headless
# Chromium; see scripts/screenshots.ts for what it photographs and the BREX_X3_SCREENSHOTS_* settings.
# Installs what is missing (Node 24, dev dependencies, n8n, chromium), builds the package and the helpers,
# then runs the sandbox on free ports, takes the screenshots and stops everything it started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/env.sh
source scripts/lib/env.sh
# shellcheck source=../test/browser/lib/chromium.sh
source test/browser/lib/chromium.sh
ensure_deps
ensure_n8n
ensure_chromium

mkdir -p "$TOOLS"
build_log=$TOOLS/screenshots-build.log
: >"$build_log"
brex_log 'building the package and the helpers'
if ! npm run --silent build >>"$build_log" 2>&1 || ! node_modules/.bin/tsc -p tsconfig.dev.json >>"$build_log" 2>&1; then
	brex_error "the build failed; last lines of $build_log:"
	tail -n 40 "$build_log" >&2
	exit 1
fi

# The compiled helpers live under build/; they find the repo (package.json, workflows/) through this.
export BREX_X3_E2E_REPO_ROOT=$BREX_X3_ROOT
exec node build/scripts/screenshots.js "$@"
