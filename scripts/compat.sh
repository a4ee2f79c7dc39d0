#!/usr/bin/env bash
# Compatibility smoke test against other n8n versions (`npm run test:compat [-- <n8n version>...]`).
#
# For each version (default: 2.3.6, the oldest 2.x whose n8n-nodes-base has the Data Table "table" resource the
# template's set-up branch uses, and older than n8n 2.35.0, the first n8n to ship n8n-workflow >= 2.35, so the trigger
# takes its expression fallback for the webhook method; "pinned" means the n8n of test/e2e/n8n-host, $BREX_X3_TOOLS/n8n):
#   1. installs that n8n into the tool cache ($BREX_X3_TOOLS/n8n-compat-<version>, ~2.7 GB and several minutes the
#      first time);
#   2. installs the packed package into a fresh user folder the way n8n's installer does (extract the tarball into
#      .n8n/nodes/node_modules/<name>, drop dev/peer dependencies);
#   3. `n8n export:nodes`: n8n loads every node, ours included; the three nodes of this package must be there;
#   4. every node of workflows/*.json must be known to that n8n in its typeVersion, with the resource and operation
#      it sets (test/compat/templateNodeTypes.js);
#   5. `n8n import:workflow` of the sync, the reconciliation and the master-data templates, then `n8n export:workflow` lists them;
#   6. the smoke test test/compat/smoke.compat.test.ts in that n8n (BREX_X3_N8N_HOME points the e2e harness at it),
#      against the Brex and X3 emulators: the nodes load, the templates import, a Brex Trigger (webhook) → Post
#      spend workflow registers its webhook with Brex, one Svix-signed delivery posts one X3 entry, a polling
#      Brex Trigger emits the seeded expenses. BREX_X3_COMPAT_SMOKE=0 skips it.
set -uo pipefail
self_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$self_dir/.."
# shellcheck source=lib/env.sh
source scripts/lib/env.sh || exit 1

versions=("$@")
[ ${#versions[@]} -eq 0 ] && versions=(2.3.6)
package_name=$(node -p "require('./package.json').name")

# n8n_home <version>: folder holding node_modules/n8n for that version (installed on first use).
install_compat_n8n() {
	local version=$1 dir=$TOOLS/n8n-compat-$1
	local stamp=$dir/node_modules/.brex-x3-compat.stamp want="n8n@$version node-v$BREX_X3_NODE_VERSION"
	[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
	brex_log "installing n8n $version into $dir (one-off, several minutes, ~2.7 GB; log: $dir/install.log)"
	mkdir -p "$dir"
	# Older n8n-nodes-base (2.3.5 for one; 2.41 no longer) takes xlsx from cdn.sheetjs.com, which a host with only
	# the npm registry cannot reach; the registry's last xlsx stands in (it serves only nodes the templates do not use).
	printf '{"name":"brex-x3-n8n-compat-host","private":true,"dependencies":{"n8n":"%s"},"overrides":{"xlsx":"0.18.5"}}\n' \
		"$version" >"$dir/package.json"
	: >"$dir/install.log"
	# As for the pinned n8n (scripts/lib/env.sh): no install scripts, then build only sqlite3.
	(cd "$dir" && brex_run_logged "$dir/install.log" npm install --ignore-scripts --no-audit --no-fund) || return 1
	(cd "$dir" && brex_run_logged "$dir/install.log" npm rebuild sqlite3) || return 1
	echo "$want" >"$stamp"
}

n8n_home() {
	if [ "$1" = pinned ]; then
		ensure_n8n >&2 || return 1
		echo "$BREX_X3_N8N_HOME"
	else
		brex_with_lock "n8n-compat-$1" install_compat_n8n "$1" >&2 || return 1
		echo "$TOOLS/n8n-compat-$1"
	fi
}

if [ ! -f dist/index.js ]; then
	brex_log 'building the package'
	npm run build >/dev/null || exit 1
fi
work=$(mktemp -d -t brex-x3-compat.XXXXXX)
trap 'rm -rf "$work"' EXIT
tarball=$work/$(npm pack --silent --ignore-scripts --pack-destination "$work") || exit 1

failed=0
summary=()
jest_ci=()
[ "${CI:-}" = true ] && jest_ci=(--ci)
for version in "${versions[@]}"; do
	printf '\n[brex-x3] ===== compat: n8n %s =====\n' "$version"
	home=$(n8n_home "$version") || {
		summary+=("  n8n $version: FAILED (install; see $TOOLS/n8n-compat-$version/install.log)")
		failed=1
		continue
	}
	actual=$(node -p "require('$home/node_modules/n8n/package.json').version")
	user=$work/user-$version
	dest=$user/.n8n/nodes/node_modules/$package_name
	mkdir -p "$dest"
	tar -xzf "$tarball" -C "$dest" --strip-components=1
	node -e '
		const fs = require("fs"); const file = process.argv[1];
		const { devDependencies, peerDependencies, optionalDependencies, ...manifest } = JSON.parse(fs.readFileSync(file, "utf8"));
		fs.writeFileSync(file, JSON.stringify(manifest, null, 2));' "$dest/package.json"
	n8n() {
		env -u N8N_CONFIG_FILES N8N_USER_FOLDER="$user" N8N_ENCRYPTION_KEY=brex-x3-compat-key \
			N8N_DIAGNOSTICS_ENABLED=false N8N_LOG_LEVEL=warn N8N_RUNNERS_ENABLED=false \
			node "$home/node_modules/n8n/bin/n8n" "$@"
	}
	log=$work/n8n-$version.log
	step_failed=''
	if ! n8n export:nodes --output="$work/nodes-$version.json" >"$log" 2>&1; then
		step_failed='export:nodes'
	elif ! node -e '
		const nodes = require(process.argv[1]); const names = new Set(nodes.map((n) => n.name));
		const ours = require(process.argv[2]).n8n.nodes.map((f) => f.split("/").pop().replace(".node.js", ""))
			.map((c) => `${process.argv[3]}.${c[0].toLowerCase()}${c.slice(1)}`);
		const missing = ours.filter((n) => !names.has(n));
		if (missing.length) { console.error("not loaded:", missing.join(", ")); process.exit(1); }
		console.log(`[brex-x3] loaded: ${ours.join(", ")}`);' "$work/nodes-$version.json" "$PWD/package.json" "$package_name"; then
		step_failed='package loads'
	elif ! node test/compat/templateNodeTypes.js "$work/nodes-$version.json" workflows/*.json; then
		step_failed='template node types'
	elif ! n8n import:workflow --input=workflows/brex-to-sage-x3-sync.json >>"$log" 2>&1 ||
		! n8n import:workflow --input=workflows/brex-x3-reconciliation.json >>"$log" 2>&1 ||
		! n8n import:workflow --input=workflows/x3-master-data-to-brex.json >>"$log" 2>&1; then
		step_failed='import:workflow'
	elif ! n8n export:workflow --all --output="$work/exported-$version.json" >>"$log" 2>&1 ||
		! node -e '
			const names = require(process.argv[1]).map((w) => w.name);
			for (const want of ["Brex → Sage X3 sync", "Brex ↔ Sage X3 reconciliation", "Sage X3 master data → Brex fields"])
				if (!names.includes(want)) { console.error(`not imported: ${want} (have: ${names.join(", ")})`); process.exit(1); }
			console.log(`[brex-x3] imported: ${names.join(", ")}`);' "$work/exported-$version.json"; then
		step_failed='import check'
	fi
	# 6. Smoke test in that n8n (test/compat/smoke.compat.test.ts): webhook registration, a signed delivery posting
	#    one X3 entry through Post spend, a poll, against the Brex and X3 emulators.
	if [ -z "$step_failed" ] && [ "${BREX_X3_COMPAT_SMOKE:-1}" = 1 ]; then
		printf '[brex-x3] smoke test in n8n %s (log: %s)\n' "$actual" "$work/smoke-$version"
		mkdir -p "$work/smoke-$version"
		smoke_start=$(date +%s)
		if BREX_X3_N8N_HOME=$home BREX_X3_E2E_PACKAGE=$tarball BREX_X3_E2E_WORK_DIR=$work/smoke-$version \
			node_modules/.bin/jest --config test/compat/jest.config.js --runInBand --forceExit "${jest_ci[@]}"; then
			smoke_seconds=$(($(date +%s) - smoke_start))
		else
			step_failed='smoke test (webhook, delivery → Post spend, poll)'
			find "$work/smoke-$version" -name 'n8n.log' -exec tail -n 40 {} \; >>"$log" 2>/dev/null
		fi
	fi
	if [ -n "$step_failed" ]; then
		echo "[brex-x3] n8n $actual: FAILED at $step_failed; last lines of its output:" >&2
		tail -n 30 "$log" >&2
		summary+=("  n8n $actual: FAILED ($step_failed)")
		failed=1
	else
		if [ "${BREX_X3_COMPAT_SMOKE:-1}" = 1 ]; then
			summary+=("  n8n $actual: ok (nodes load, template nodes known, templates import; smoke: webhook registers, signed delivery posts 1 X3 entry, poll emits, ${smoke_seconds}s)")
		else
			summary+=("  n8n $actual: ok (nodes load, template nodes known, templates import; smoke skipped)")
		fi
	fi
done

printf '\n[brex-x3] compat summary:\n'
printf '%s\n' "${summary[@]}"
exit "$failed"
