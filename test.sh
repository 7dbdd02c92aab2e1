#!/usr/bin/env bash
# Runs every test: domain unit tests, storage adapters on a real Azurite, the HTTP pipeline with the co-hosted
# Orleans silo, real-process crash/shutdown tests, and the live page in Chromium. The tests start (and stop, by PID) their own Azurite on
# free 127.0.0.1 ports; this script only makes sure the pinned Azurite is installed.
set -euo pipefail
cd "$(dirname "$0")"

[ -d node_modules/azurite ] && [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --silent
# The browser test drives Debian's Chromium (playwright-core never downloads a browser of its own).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null
  else
    echo "The browser test needs Chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
fi

# The pinned dotnet tools (.config/dotnet-tools.json): Kiota, which GeneratedClientTests runs on the served document.
dotnet tool restore >/dev/null
dotnet test Cts.Functions.sln -c Release --logger trx --results-directory TestResults "$@"
