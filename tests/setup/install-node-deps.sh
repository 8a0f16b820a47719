#!/usr/bin/env bash
# Installs the npm packages of the gRPC interop tests (tests/interop/package.json) if missing.
set -euo pipefail
cd "$(dirname "$0")/../interop"
[ -f package.json ] || exit 0
[ -d node_modules/@grpc/grpc-js ] || npm install --no-audit --no-fund --silent
