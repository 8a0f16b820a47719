#!/usr/bin/env bash
# The test command (README, .ci/run). On a fresh Debian machine with only the .NET SDK it installs
# what is missing, starts a throwaway MariaDB on a temp dir and a loopback port, and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

tests/setup/install-deps.sh
# shellcheck source=setup/start-mariadb.sh
source tests/setup/start-mariadb.sh          # exports VFL_TEST_MYSQL; stops the server on exit
tests/setup/install-node-deps.sh             # @grpc/grpc-js for the interop tests
tests/setup/install-seal-deps.sh             # node-seal (SEAL 4.1, WebAssembly) for the CKKS interop tests

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build VerticalFL.sln -c Release -nologo -v quiet
dotnet test VerticalFL.sln -c Release --no-build -nologo -v quiet \
  --logger "console;verbosity=normal" -- RunConfiguration.TestSessionTimeout=3600000 "$@"
