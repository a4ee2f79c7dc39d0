#!/usr/bin/env bash
# n8n's community lint (`n8n-node lint`, strict mode, unmodified eslint.config.mjs) over exactly what the package
# publishes: nodes/, credentials/ and package.json. The strict config lints every *.ts under the working folder and
# cannot be given ignores, so the tests and emulators (which may use node:http, fs and console) are left out by
# linting a copy of the published sources rather than by loosening a rule.
# Before it, a type check of everything else (tests, emulators, scripts: jest only transpiles them, and
# `npm start` compiles them with tsconfig.dev.json; the bench, which `npm run bench` compiles on its own).
set -euo pipefail
cd "$(dirname "$0")/.."
node_modules/.bin/tsc -p tsconfig.dev.json --noEmit
node_modules/.bin/tsc -p bench/tsconfig.json --noEmit
stage=build/lint-stage
rm -rf "$stage"
mkdir -p "$stage"
cp -r nodes credentials package.json eslint.config.mjs tsconfig.json "$stage"/
cd "$stage"
exec ../../node_modules/.bin/n8n-node lint "$@"
