#!/usr/bin/env bash
# Installs node-seal 7.0.0 and its Node 22 (the npm package `node`) for the CKKS interop tests (tests/seal/) if missing.
# node-seal 7 does not load on the system's Node 20; tests/seal/node_modules/node/bin/node is the Node 22 it runs on.
set -euo pipefail
cd "$(dirname "$0")/../seal"
[ -f package.json ] || exit 0
if [ ! -d node_modules/node-seal ] || [ ! -x node_modules/node/bin/node ]; then
  npm ci --no-audit --no-fund --silent
fi
node_modules/node/bin/node --version >/dev/null
