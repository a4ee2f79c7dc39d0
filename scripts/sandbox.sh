#!/usr/bin/env bash
# `npm start`: the sync in a real n8n against the local Brex and X3 emulators (see scripts/sandbox.ts).
# Installs what is missing (Node 24, dev dependencies, n8n 2.41.1 in ~/.cache/brex-x3-tools), builds the
# package and the emulators, then runs the sandbox until Ctrl-C. Ports and sizes: see scripts/sandbox.ts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/env.sh
source scripts/lib/env.sh
ensure_deps
ensure_n8n

mkdir -p .n8n-sandbox
build_log=.n8n-sandbox/build.log
: >"$build_log"
brex_log 'building the package and the emulators'
if ! npm run --silent build >>"$build_log" 2>&1 || ! node_modules/.bin/tsc -p tsconfig.dev.json >>"$build_log" 2>&1; then
	brex_error "the build failed; last lines of $build_log:"
	tail -n 40 "$build_log" >&2
	exit 1
fi

# The compiled helpers live under build/; they find the repo (package.json, workflows/) through this.
export BREX_X3_E2E_REPO_ROOT=$BREX_X3_ROOT
# exec: Ctrl-C reaches the sandbox itself, which stops n8n and the emulators it started.
exec node build/scripts/sandbox.js "$@"
