#!/usr/bin/env bash
# Reliability tests (`npm run test:reliability`): the fault matrix in a real n8n, the same in n8n queue mode
# (Redis, PostgreSQL, main, webhook processor, two workers), the attack corpus, hostile input and secret hygiene.
# Installs what it needs (Node 24 and n8n into the tool cache, Redis and PostgreSQL from apt when missing), builds
# and packs the package once, runs jest's 'reliability' project in band, prints the figures, exits non-zero on
# any failure. Extra args go to jest (for example a test file name).
#
#   BREX_X3_RELIABILITY_QUEUE=0        skip queue mode (no Redis/PostgreSQL needed)
#   BREX_X3_RELIABILITY_EXPENSES=N     expenses in the Brex seed (default 500)
#   BREX_X3_RELIABILITY_SEED=N         seed of the data, the faults and the kill points
#   BREX_X3_SKIP_BUILD=1               skip `npm run build` (scripts/test.sh built already)
#   BREX_X3_E2E_KEEP=1                 keep the n8n folders and logs after a successful run
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/env.sh
source scripts/lib/env.sh || exit 1
started=$(date +%s)

ensure_deps || exit 1
ensure_n8n || exit 1

# Queue mode runs Redis and PostgreSQL as processes of the test (own ports and data folders), from Debian's
# packages; installed here when missing.
queue_tools_missing() {
	! command -v redis-server >/dev/null 2>&1 || ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}
if [ "${BREX_X3_RELIABILITY_QUEUE:-1}" != 0 ] && queue_tools_missing; then
	sudo_cmd=()
	[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo -n)
	brex_log 'installing redis-server and postgresql from apt (queue mode)'
	log=$TOOLS/queue-tools-install.log
	: >"$log"
	export DEBIAN_FRONTEND=noninteractive
	if ! "${sudo_cmd[@]}" apt-get install -y --no-install-recommends redis-server postgresql >>"$log" 2>&1; then
		"${sudo_cmd[@]}" apt-get update >>"$log" 2>&1
		brex_run_logged "$log" "${sudo_cmd[@]}" apt-get install -y --no-install-recommends redis-server postgresql ||
			exit 1
	fi
	if queue_tools_missing; then
		brex_error "redis-server or PostgreSQL still missing after apt-get (see $log); or set BREX_X3_RELIABILITY_QUEUE=0"
		exit 1
	fi
fi

if [ "${BREX_X3_SKIP_BUILD:-}" != 1 ]; then
	npm run --silent build >/dev/null || exit 1
fi
# shellcheck source=lib/n8nTestRun.sh
source scripts/lib/n8nTestRun.sh
brex_n8n_test_run reliability
export BREX_X3_RELIABILITY_REPORT_DIR=$BREX_X3_E2E_WORK_DIR/report

# The caller's args first: jest's list options (--selectProjects, --testPathIgnorePatterns) would take a test
# file name that follows them as one more list value.
jest_args=(--selectProjects reliability --runInBand --forceExit)
[ "${CI:-}" = true ] && jest_args+=(--ci)
[ "${BREX_X3_RELIABILITY_QUEUE:-1}" = 0 ] && jest_args+=(--testPathIgnorePatterns 'queueMode\.reliability')
node_modules/.bin/jest "$@" "${jest_args[@]}"
status=$?

# The figures each fault-matrix run wrote (lib/faultRun.ts), one line per mode.
printf '\n[brex-x3] reliability figures (%ss in all, %s expenses):\n' "$(($(date +%s) - started))" \
	"${BREX_X3_RELIABILITY_EXPENSES:-500}"
node -e '
const fs = require("fs"), path = require("path");
const dir = process.argv[1];
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort() : [];
if (files.length === 0) console.log("  (no fault-matrix figures: the runs did not get that far)");
for (const file of files) {
	const f = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
	console.log(
		`  ${f.mode.padEnd(8)} [${f.personality}/${f.readApi}] expected ${f.expected}, posted ${f.posted}, duplicates ${f.duplicates}, lost ${f.lost}, ` +
			`replayed ${f.replayed} (${f.replayRounds} rounds), secrets found ${f.secretsFound} ` +
			`(${f.scanned.executions} executions, ${f.scanned.logs} logs), ${f.seconds}s`,
	);
	console.log(
		`  ${"".padEnd(8)} Brex ${f.brex.calls} calls: ${f.brex.rateLimited} x 429, ${f.brex.serverErrors} x 5xx, ` +
			`${f.brex.expiredTokenAnswers} expired-token answers, ${f.brex.accessTokensIssued} access tokens; ` +
			`X3 faults ${JSON.stringify(f.x3.faults)}, ${f.x3.withdrawn} concurrent duplicates withdrawn; ` +
			`kills: ${f.kills.join(" | ")}`,
	);
}' "$BREX_X3_RELIABILITY_REPORT_DIR"
if [ "$status" -eq 0 ]; then
	echo '[brex-x3] reliability: all passed'
else
	echo "[brex-x3] reliability: FAILED (jest exit $status)"
fi
exit "$status"
