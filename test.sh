#!/usr/bin/env bash
# Runs every test: domain unit tests, storage adapters on a real Azurite, the HTTP pipeline with the co-hosted
# Orleans silo, and real-process crash/shutdown tests. The tests start (and stop, by PID) their own Azurite on
# free 127.0.0.1 ports; this script only makes sure the pinned Azurite is installed.
set -euo pipefail
cd "$(dirname "$0")"

[ -d node_modules/azurite ] || npm ci --no-audit --no-fund --silent

dotnet test Cts.Functions.sln -c Release --logger trx --results-directory TestResults "$@"
