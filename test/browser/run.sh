#!/usr/bin/env bash
# Browser tests: the n8n editor in headless Chromium (Debian's chromium driven by playwright-core) against a
# real n8n with this package and the Brex and X3 emulators. Installs what is missing (Node 24, dev
# dependencies, n8n, chromium), builds and packs this package once, then runs jest's 'browser' project in
# band. Extra args go to jest (for example a test file name).
#
#   BREX_X3_SKIP_BUILD=1   skip `npm run build` (scripts/test.sh built already)
#   BREX_X3_E2E_KEEP=1     keep the n8n folders and logs after a successful run
#   BREX_X3_CHROMIUM       Chromium binary (default /usr/bin/chromium, installed with apt-get when missing)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=../../scripts/lib/env.sh
source scripts/lib/env.sh
# shellcheck source=lib/chromium.sh
source test/browser/lib/chromium.sh
ensure_deps
ensure_n8n
ensure_chromium
# A local npm registry for install.browser.test.ts (the Community Nodes install dialog).
ensure_verdaccio

if [ "${BREX_X3_SKIP_BUILD:-}" != 1 ]; then
	npm run --silent build >/dev/null
fi

# shellcheck source=../../scripts/lib/n8nTestRun.sh
source scripts/lib/n8nTestRun.sh
brex_n8n_test_run browser

# --forceExit: a failed test can leave an emulator socket open; the harness stops n8n itself (and the cleanup trap any group it left: scripts/lib/n8nTestRun.sh).
jest_args=(--selectProjects browser --runInBand --forceExit)
[ "${CI:-}" = true ] && jest_args+=(--ci)
node_modules/.bin/jest "${jest_args[@]}" "$@"
