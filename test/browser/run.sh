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

if [ "${BREX_X3_SKIP_BUILD:-}" != 1 ]; then
	npm run --silent build >/dev/null
fi

# Fail early, with the fix, when dist/ lacks a file package.json's n8n lists name (the tarball would too).
node -e '
const p = require("./package.json");
const missing = [...p.n8n.nodes, ...p.n8n.credentials].filter((f) => !require("fs").existsSync(f));
if (missing.length) {
	console.error(`[brex-x3] not built: ${missing.join(", ")} (run: npm run build)`);
	process.exit(1);
}'

work=$(mktemp -d "${TMPDIR:-/tmp}/brex-x3-browser.XXXXXX")
export BREX_X3_E2E_WORK_DIR=$work

cleanup() {
	local status=$?
	# n8n processes the harness could not stop (jest killed hard): their process-group ids are in pid files.
	local pidfile
	for pidfile in "$work"/*/*.pgid; do
		[ -f "$pidfile" ] || continue
		kill -KILL -- "-$(cat "$pidfile")" 2>/dev/null || true
	done
	if [ "$status" -ne 0 ]; then
		local log
		for log in "$work"/*/n8n.log; do
			[ -f "$log" ] || continue
			echo "----- last 80 lines of $log -----" >&2
			tail -n 80 "$log" >&2
		done
	fi
	if [ "$status" -eq 0 ] && [ "${BREX_X3_E2E_KEEP:-}" != 1 ] || [ "${CI:-}" = true ]; then
		rm -rf "$work"
	else
		echo "[brex-x3] browser test folders and logs kept in $work" >&2
	fi
	exit "$status"
}
trap cleanup EXIT

# Pack once for every test file (each starts its own n8n and installs this tarball into it).
BREX_X3_E2E_PACKAGE="$work/$(npm pack --silent --pack-destination "$work" | tail -n 1)"
export BREX_X3_E2E_PACKAGE

# --forceExit: a failed test can leave an emulator socket open; the harness stops n8n itself (pgid files above).
jest_args=(--selectProjects browser --runInBand --forceExit)
[ "${CI:-}" = true ] && jest_args+=(--ci)
node_modules/.bin/jest "${jest_args[@]}" "$@"
