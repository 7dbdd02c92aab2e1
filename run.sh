#!/usr/bin/env bash
# Runs CTS on this machine with working durable storage:
#  - installs the pinned Azurite (npm ci) if needed,
#  - starts Azurite's table and blob services on 127.0.0.1 (data in .azurite/), unless they already answer,
#  - creates local.settings.json from the sample the first time,
#  - creates a self-signed key-encryption certificate for the Data Protection key ring the first time
#    (.secrets/dataprotection.pfx, git-ignored, outside the storage account) and points the host at it,
#  - runs the host on http://127.0.0.1:7071, and stops the Azurite it started (by PID) when the host exits.
set -euo pipefail
cd "$(dirname "$0")"

[ -d node_modules/azurite ] || npm ci --no-audit --no-fund --silent
[ -f local.settings.json ] || cp local.settings.sample.json local.settings.json
mkdir -p .azurite

# The key ring (which encrypts exchange credentials and browser sessions) is stored in blob storage encrypted to this
# certificate; without its private key the storage contents yield no usable key. Made once, kept across runs: losing
# it makes the stored credentials unreadable. An explicit DataProtection__CertificatePath wins.
make_certificate() { # pfx password-file
  local dir password
  dir=$(dirname "$1")
  mkdir -p "$dir" && chmod 700 "$dir"
  password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
  if command -v openssl >/dev/null 2>&1; then
    local work
    work=$(mktemp -d)
    openssl req -x509 -newkey rsa:2048 -sha256 -days 3650 -nodes -subj "/CN=CTS local key ring" \
      -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1
    openssl pkcs12 -export -inkey "$work/key.pem" -in "$work/cert.pem" -out "$1" -passout "pass:$password"
    rm -rf "$work"
  else
    # No openssl: the same with .NET's CertificateRequest, as a one-file program.
    local work
    work=$(mktemp -d)
    cat >"$work/make-certificate.cs" <<'CS'
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using var rsa = RSA.Create(2048);
using var cert = new CertificateRequest("CN=CTS local key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
    .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
File.WriteAllBytes(args[0], cert.Export(X509ContentType.Pfx, args[1]));
CS
    dotnet run "$work/make-certificate.cs" -- "$1" "$password"
    rm -rf "$work"
  fi
  (umask 077 && printf '%s' "$password" >"$2")
  chmod 600 "$1"
  echo "Created the key ring's certificate $1 (keep it: the stored credentials need it)."
}
if [ -z "${DataProtection__CertificatePath:-}" ]; then
  [ -f .secrets/dataprotection.pfx ] || make_certificate .secrets/dataprotection.pfx .secrets/dataprotection.password
  export DataProtection__CertificatePath="$PWD/.secrets/dataprotection.pfx"
  DataProtection__CertificatePassword=$(cat .secrets/dataprotection.password)
  export DataProtection__CertificatePassword
fi

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

# The runtime's gen0 budget, 64 MB (the default is a few MB on a small machine): thousands of engines' cycles then
# cost a collection every few seconds instead of several a second, each pausing every timer. Read by the runtime
# only from the environment; bench/Cts.Bench/Processes/HostProcess.cs starts its host with the same.
export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x4000000}"
dotnet run --project src/Cts.Functions -c Release -- "$@"
