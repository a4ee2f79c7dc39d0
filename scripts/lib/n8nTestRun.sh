# shellcheck shell=bash
# Sourced (after env.sh) by the scripts that run jest against a real n8n (test/e2e/run.sh, test/browser/run.sh,
# scripts/reliability.sh): checks that dist/ is built, makes the run's work folder with a cleanup trap that kills
# what the harness could not stop and shows the end of the n8n logs on failure, and packs this package once.
#
#   brex_n8n_test_run <label>   exports BREX_X3_E2E_WORK_DIR and BREX_X3_E2E_PACKAGE
#   BREX_X3_E2E_KEEP=1          keep the folder and logs after a successful run (never in CI)

# Fails early, with the fix, when dist/ lacks a file package.json's n8n block names (the tarball would too).
brex_require_built() {
	node -e '
const p = require("./package.json");
const missing = [...p.n8n.nodes, ...p.n8n.credentials].filter((f) => !require("fs").existsSync(f));
if (missing.length) {
	console.error(`[brex-x3] not built: ${missing.join(", ")} (run: npm run build)`);
	process.exit(1);
}'
}

brex_n8n_test_run() {
	BREX_X3_TEST_RUN_LABEL=$1
	brex_require_built || exit 1
	BREX_X3_E2E_WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/brex-x3-$1.XXXXXX")
	# PostgreSQL (queue mode) runs as the postgres user when the tests run as root: it must enter the folder.
	chmod 755 "$BREX_X3_E2E_WORK_DIR"
	export BREX_X3_E2E_WORK_DIR BREX_X3_TEST_RUN_LABEL
	trap brex_n8n_test_cleanup EXIT
	# Pack once for every test file (each starts its own n8n and installs this tarball into it).
	BREX_X3_E2E_PACKAGE="$BREX_X3_E2E_WORK_DIR/$(npm pack --silent --pack-destination "$BREX_X3_E2E_WORK_DIR" | tail -n 1)"
	export BREX_X3_E2E_PACKAGE
}

brex_n8n_test_cleanup() {
	local status=$? work=$BREX_X3_E2E_WORK_DIR pidfile log
	# Processes the harness could not stop (jest killed hard): their process-group ids are in pid files.
	while IFS= read -r pidfile; do
		kill -KILL -- "-$(cat "$pidfile")" 2>/dev/null || true
	done < <(find "$work" -name '*.pgid' -type f 2>/dev/null)
	if [ "$status" -ne 0 ]; then
		while IFS= read -r log; do
			echo "----- last 60 lines of $log -----" >&2
			tail -n 60 "$log" >&2
		done < <(find "$work" -maxdepth 2 -name 'n8n*.log' -type f 2>/dev/null)
	fi
	if [ "$status" -eq 0 ] && [ "${BREX_X3_E2E_KEEP:-}" != 1 ] || [ "${CI:-}" = true ]; then
		rm -rf "$work"
	else
		echo "[brex-x3] $BREX_X3_TEST_RUN_LABEL folders and logs kept in $work" >&2
	fi
	exit "$status"
}
