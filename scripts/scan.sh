#!/usr/bin/env bash
# n8n's community-package scanner (@n8n/scan-community-package, a dev dependency) on this checkout, offline.
#
# `npx @n8n/scan-community-package <name>` only scans a published version: it checks the npm provenance, fetches
# the source at the attested commit from codeload.github.com, downloads the tarball with `npm pack <name>@<v>`,
# then lints both with its own ESLint config (analyzePackage). Nothing is published yet and this machine may
# reach no GitHub, so this runs that same last step, with the scanner's own exported functions and config, on:
#   1. the sources, with the scanner's SOURCE_FILE_PATTERNS (package.json, nodes/ and credentials/ .ts/.js/.json),
#   2. the tarball `npm pack` makes now (compiled .js and the packed package.json), as the scanner's dist leg.
# What it cannot do before publishing: the provenance check (scripts/scan-publish-metadata.sh checks what the
# provenance will name) and fetching the source from GitHub.
# Needs a build (dist/); `npm test` builds first. Exits non-zero on any violation.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f dist/index.js ]; then
	echo '[brex-x3] scan: dist/ is not built: run `npm run build` first' >&2
	exit 1
fi
work=$(mktemp -d -t brex-x3-scan.XXXXXX)
trap 'rm -rf "$work"' EXIT
tarball=$(npm pack --silent --ignore-scripts --pack-destination "$work")
mkdir -p "$work/package"
tar -xzf "$work/$tarball" -C "$work/package" --strip-components=1
SCAN_SOURCE_DIR=$PWD SCAN_PACKAGE_DIR=$work/package SCAN_TARBALL=$tarball node --input-type=module - <<'EOF'
import { analyzePackage, SOURCE_FILE_PATTERNS } from "@n8n/scan-community-package/scanner/scanner.mjs";
const legs = [
	["sources", process.env.SCAN_SOURCE_DIR, SOURCE_FILE_PATTERNS],
	[`tarball ${process.env.SCAN_TARBALL}`, process.env.SCAN_PACKAGE_DIR, ["**/*.js", "package.json"]],
];
let failed = false;
for (const [label, dir, patterns] of legs) {
	const result = await analyzePackage(dir, patterns);
	if (result.passed && result.message) {
		// "No files found to analyze" would be a pass that checked nothing.
		console.error(`[brex-x3] scan ${label}: ${result.message}`);
		failed = true;
	} else if (result.passed) {
		console.log(`[brex-x3] scan ${label}: passed n8n's community-package checks`);
	} else {
		console.error(`[brex-x3] scan ${label}: ${result.message}`);
		if (result.details) console.error(result.details);
		failed = true;
	}
}
process.exit(failed ? 1 : 0);
EOF
