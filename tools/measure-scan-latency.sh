#!/usr/bin/env bash
# Idle 202 → done latency of `catscan serve` (docs/pipeline.md): submits N eval JPEGs one at a time and reads each scan's
# server-side receivedAt / completedAt. Usage: tools/measure-scan-latency.sh [N=20]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20}; port=$((20000 + RANDOM % 10000)); data=$(mktemp -d)
secret=whsec_$(head -c 24 /dev/urandom | base64)
dotnet build -c Release cli -o artifacts/latency/catscan -v quiet -nologo >/dev/null
catscan=(dotnet artifacts/latency/catscan/catscan.dll)
CatWrangler__Clients__acme__Secrets__0=$secret "${catscan[@]}" serve --urls "http://127.0.0.1:$port" --data "$data" >"$data/serve.log" 2>&1 &
trap 'kill $! 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
export CATSCAN_CLIENT=acme CATSCAN_SECRET=$secret
for f in $(ls "${CATWRANGLER_EVAL_DIR:-../shared/eval}"/images/*.jpg | head -"$n"); do
  id=$("${catscan[@]}" submit --url "http://127.0.0.1:$port" --wait "$f" | grep -o 'scan [0-9a-f-]*' | cut -d' ' -f2)
  "${catscan[@]}" status --url "http://127.0.0.1:$port" --json "$id"
done | node -e '
  const ms = require("fs").readFileSync(0, "utf8").trim().split("\n").map(JSON.parse)
    .map(s => Date.parse(s.completedAt) - Date.parse(s.receivedAt)).sort((a, b) => a - b);
  const q = p => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))];
  console.log(`${ms.length} scans, 202 → done: median ${q(0.5)} ms, p90 ${q(0.9)} ms, max ${ms[ms.length - 1]} ms`);'
