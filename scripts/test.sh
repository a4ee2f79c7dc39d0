#!/usr/bin/env bash
# The whole check (`npm test`): build, lint, n8n's community-package scanner (scripts/scan.sh), unit + integration
# tests, then in a real n8n: end-to-end tests, the reliability suite (scripts/reliability.sh) and the browser tests
# (test/browser/run.sh).
# Runs under the pinned Node 24 from the tool cache (fetched on first use, see scripts/lib/env.sh), even when
# started by another Node's npm. Prints one line per stage with its duration; exits non-zero if any failed.
set -uo pipefail
self=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
cd "$(dirname "$self")/.."

# Re-exec once under Node 24 so nothing of the calling npm/Node (PATH entries, npm_* lifecycle env) leaks in.
if [ "${BREX_X3_TEST_REEXEC:-}" != 1 ]; then
	# shellcheck source=lib/env.sh
	source scripts/lib/env.sh || exit 1
	export BREX_X3_TEST_REEXEC=1
	exec bash "$self" "$@"
fi
# shellcheck source=lib/env.sh
source scripts/lib/env.sh || exit 1

summary=()
failed=0
# Failed tests with the head of their message (test/jest/failureDigest.js), printed under the summary.
BREX_X3_FAILURE_DIGEST=$(mktemp -t brex-x3-failures.XXXXXX)
export BREX_X3_FAILURE_DIGEST
trap 'rm -f "$BREX_X3_FAILURE_DIGEST"' EXIT

# run_stage <name> <command...>: runs the stage, records "name: ok|FAILED (Ns)".
run_stage() {
	local name=$1 start status
	shift
	printf '\n[brex-x3] ===== %s =====\n' "$name"
	start=$(date +%s)
	"$@"
	status=$?
	local seconds=$(($(date +%s) - start))
	if [ "$status" -eq 0 ]; then
		summary+=("$(printf '  %-12s ok      %4ss' "$name" "$seconds")")
	else
		summary+=("$(printf '  %-12s FAILED  %4ss  (exit %s)' "$name" "$seconds" "$status")")
		failed=1
	fi
	return "$status"
}

skip_stage() {
	summary+=("$(printf '  %-12s skipped       (%s)' "$1" "$2")")
}

print_summary() {
	printf '\n[brex-x3] summary (Node %s):\n' "$(node --version)"
	printf '%s\n' "${summary[@]}"
	if [ "$failed" -eq 0 ]; then
		echo '[brex-x3] all stages passed'
	else
		if [ -s "$BREX_X3_FAILURE_DIGEST" ]; then
			echo '[brex-x3] failed tests:'
			cat "$BREX_X3_FAILURE_DIGEST"
		fi
		echo '[brex-x3] FAILED'
	fi
}

jest_ci=()
[ "${CI:-}" = true ] && jest_ci=(--ci)

run_stage deps ensure_deps || {
	print_summary
	exit 1
}
if run_stage build npm run build; then
	run_stage lint npm run lint
	# n8n's own scanner (@n8n/scan-community-package) on the sources and the packed tarball, offline.
	run_stage scan bash scripts/scan.sh
	run_stage unit node_modules/.bin/jest --selectProjects unit "${jest_ci[@]}"
	run_stage integration node_modules/.bin/jest --selectProjects integration "${jest_ci[@]}"
	BREX_X3_SKIP_BUILD=1 run_stage e2e bash test/e2e/run.sh
	# Fault matrix (also in queue mode with Redis + PostgreSQL), attack corpus, hostile input, secret scan.
	BREX_X3_SKIP_BUILD=1 run_stage reliability bash scripts/reliability.sh
	# The n8n editor in headless Chromium: import through the UI, dropdowns listing the X3 emulator's data.
	BREX_X3_SKIP_BUILD=1 run_stage browser bash test/browser/run.sh
else
	for stage in lint scan unit integration e2e reliability browser; do skip_stage "$stage" 'build failed'; done
fi

print_summary
exit "$failed"
