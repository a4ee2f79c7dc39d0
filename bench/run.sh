#!/usr/bin/env bash
# The benchmark: our nodes and a stock-node baseline in a real n8n 2.41.1 against the local Brex and X3
# emulators with fixed latency. Prints one table and writes bench/results.{md,json} (quick mode:
# bench/results-quick.{md,json}). Never fails for speed. See bench/README.md.
#
#   BENCH_QUICK=1          small N (smoke run, ~3 min)
#   BENCH_ONLY=a,b         scenario ids or prefixes: ours-entrySet-small ours-perItem-small baseline-small
#                          webhook empty-poll ours-entrySet-large ours-perItem-large ours-chunked
#   BENCH_SKIP_BASELINE=1  leave the (slow) baseline out
#   BENCH_SKIP_BUILD=1     reuse dist/ and build/bench/
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=../scripts/lib/env.sh
source scripts/lib/env.sh
ensure_deps
ensure_n8n

if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
	npm run --silent build >/dev/null
	node_modules/.bin/tsc -p bench/tsconfig.json
fi
export BREX_X3_E2E_REPO_ROOT=$PWD
node build/bench/bench/src/baselineWorkflow.js
exec node build/bench/bench/src/main.js
