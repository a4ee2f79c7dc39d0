#!/usr/bin/env bash
# `npm run lint`, in four steps, each of which fails the run:
# 1. a type check of everything (tests, emulators, scripts: jest only transpiles them, and `npm start` compiles
#    them with tsconfig.dev.json; the bench, which `npm run bench` compiles on its own);
# 2. formatting: Prettier (.prettierrc.js) over nodes, credentials, test, bench and scripts; .prettierignore leaves
#    out the vendored fixtures, generated files and Markdown. `npx prettier --write <files>` fixes a drift;
# 3. ESLint over what is not published (test, bench, scripts) with its own config, eslint.tests.config.mjs;
# 4. n8n's community lint (`n8n-node lint`, strict mode, unmodified eslint.config.mjs) over exactly what the package
#    publishes: nodes/, credentials/ and package.json. The strict config lints every *.ts under the working folder
#    and cannot be given ignores, so the tests and emulators (which may use node:http, fs and console) are left out
#    by linting a copy of the published sources rather than by loosening a rule.
set -euo pipefail
cd "$(dirname "$0")/.."
node_modules/.bin/tsc -p tsconfig.dev.json --noEmit
node_modules/.bin/tsc -p bench/tsconfig.json --noEmit
node_modules/.bin/prettier --check --log-level warn nodes credentials test bench scripts
node_modules/.bin/eslint --config eslint.tests.config.mjs test bench scripts
stage=build/lint-stage
rm -rf "$stage"
mkdir -p "$stage"
cp -r nodes credentials package.json eslint.config.mjs tsconfig.json "$stage"/
cd "$stage"
exec ../../node_modules/.bin/n8n-node lint "$@"
