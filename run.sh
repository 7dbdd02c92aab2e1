#!/usr/bin/env bash
# Runs CTS on this machine with working durable storage:
#  - installs the pinned Azurite (npm ci) if needed,
#  - starts Azurite's table and blob services on 127.0.0.1 (data in .azurite/), unless they already answer,
#  - creates local.settings.json from the sample the first time,
#  - runs the host on http://127.0.0.1:7071, and stops the Azurite it started (by PID) when the host exits.
set -euo pipefail
cd "$(dirname "$0")"

[ -d node_modules/azurite ] || npm ci --no-audit --no-fund --silent
[ -f local.settings.json ] || cp local.settings.sample.json local.settings.json
mkdir -p .azurite

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_azurite() { # service port
  if listening "$2"; then
    echo "Azurite $1 already answers on 127.0.0.1:$2; using it."
    return
  fi
  node "node_modules/azurite/dist/src/$1/main.js" "--${1}Host" 127.0.0.1 "--${1}Port" "$2" \
    --location .azurite --silent --skipApiVersionCheck --loose --disableTelemetry >".azurite/$1.log" 2>&1 &
  pids+=("$!")
  for _ in $(seq 1 100); do listening "$2" && return; sleep 0.1; done
  echo "Azurite $1 did not start; see .azurite/$1.log" >&2
  exit 1
}

start_azurite table 10002
start_azurite blob 10000

dotnet run --project src/Cts.Functions -c Release -- "$@"
