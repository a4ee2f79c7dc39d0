#!/usr/bin/env bash
# End-to-end tests in a real n8n (pinned by test/e2e/n8n-host/package-lock.json): installs the tools on first
# use, builds and packs this package once, then runs jest's 'e2e' project in band. Extra args go to jest
# (for example a test file name).
#
#   BREX_X3_SKIP_BUILD=1   skip `npm run build` (scripts/test.sh built already)
#   BREX_X3_E2E_KEEP=1     keep the n8n folders and logs after a successful run
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=../../scripts/lib/env.sh
source scripts/lib/env.sh
ensure_deps
ensure_n8n

if [ "${BREX_X3_SKIP_BUILD:-}" != 1 ]; then
	npm run --silent build >/dev/null
fi

# shellcheck source=../../scripts/lib/n8nTestRun.sh
source scripts/lib/n8nTestRun.sh
brex_n8n_test_run e2e

# --forceExit: a failed test can leave an emulator socket open; the harness stops n8n itself (and the cleanup trap any group it left: scripts/lib/n8nTestRun.sh).
jest_args=(--selectProjects e2e --runInBand --forceExit)
[ "${CI:-}" = true ] && jest_args+=(--ci)
node_modules/.bin/jest "${jest_args[@]}" "$@"
