#!/usr/bin/env bash
# Memory before authentication (docs/results/preauth-memory.md): starts the webhooks host alone (Release, local adapters,
# temp data folder), fires CONCURRENCY simultaneous BODY_MIB MiB uploads with a bad signature under a known client id,
# and meanwhile times GET /healthz and one correctly signed upload from another client. Reports the host's peak RSS
# (VmHWM from /proc) and its RSS after the attack, and how each attack request was answered.
# Usage: benchmarks/preauth-memory.sh [HOST_DLL]   (default: builds webhooks/ into artifacts/preauth/webhooks)
# Env: CONCURRENCY (120), BODY_MIB (20), PORT (5480), OUT (artifacts/preauth/last-run.md)
set -euo pipefail
cd "$(dirname "$0")/.."
concurrency=${CONCURRENCY:-120}
body_mib=${BODY_MIB:-20}
port=${PORT:-5480}
out=${OUT:-artifacts/preauth/last-run.md}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$(dirname "$out")"

dll=${1:-}
if [[ -z "$dll" ]]; then
  dotnet build webhooks/CatWrangler.Webhooks -c Release -o artifacts/preauth/webhooks -v quiet -nologo >/dev/null
  dll=artifacts/preauth/webhooks/CatWrangler.Webhooks.dll
fi

secret_b64() { head -c 24 /dev/urandom | base64; }
acme_key=$(secret_b64)
other_key=$(secret_b64)
export CatWrangler__DataPath="$work/data" \
  CatWrangler__Clients__acme__Secrets__0="whsec_$acme_key" \
  CatWrangler__Clients__other__Secrets__0="whsec_$other_key" \
  Logging__LogLevel__Default=Warning ASPNETCORE_URLS="http://127.0.0.1:$port"
mkdir -p "$work/data"
dotnet "$dll" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.25; done
rss_kb() { awk -v k="$1" '$1==k":" {print $2}' "/proc/$server/status"; }
start_rss=$(rss_kb VmRSS)

head -c $((body_mib * 1024 * 1024)) /dev/urandom >"$work/body"
# A real JPEG (under 400 KB) from the eval set for the legitimate client.
jpeg=$(find "${CATWRANGLER_EVAL_DIR:-../shared/eval}/images" -name '*.jpg' -size -400k -print -quit 2>/dev/null || true)

attack() {
  local ts; ts=$(date +%s)
  curl -s -o /dev/null -w '%{http_code}\n' --max-time 120 -X POST "http://127.0.0.1:$port/v1/scans" \
    -H 'Content-Type: image/jpeg' -H 'CatWrangler-Client: acme' -H "webhook-id: msg_attack_$1" \
    -H "webhook-timestamp: $ts" -H 'webhook-signature: v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' \
    --data-binary @"$work/body" || echo 000
}
signed_upload() {
  local ts id sig; ts=$(date +%s); id="msg_ok_$RANDOM$RANDOM"
  sig=$( { printf '%s.%s.' "$id" "$ts"; cat "$jpeg"; } | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$(printf '%s' "$other_key" | base64 -d | xxd -p -c 256)" -binary | base64)
  curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 30 -X POST "http://127.0.0.1:$port/v1/scans" \
    -H 'Content-Type: image/jpeg' -H 'CatWrangler-Client: other' -H "webhook-id: $id" -H "webhook-timestamp: $ts" \
    -H "webhook-signature: v1,$sig" --data-binary @"$jpeg"
}

for i in $(seq 1 "$concurrency"); do attack "$i" >"$work/attack.$i" & done
sleep 1 # let the attack get going before probing
health=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 30 "http://127.0.0.1:$port/healthz" || echo "000 timeout")
upload=$( [[ -n "$jpeg" ]] && signed_upload || echo "skipped (no eval JPEG)")
wait $(jobs -p | grep -v "^$server$") 2>/dev/null || true
alive=$(kill -0 "$server" 2>/dev/null && echo yes || echo no)
peak_rss=$(rss_kb VmHWM)
end_rss=$(rss_kb VmRSS)
answers=$(cat "$work"/attack.* | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')

{
  echo "## Pre-authentication memory: $concurrency × $body_mib MiB bad-signature uploads"
  echo
  echo "- command: \`CONCURRENCY=$concurrency BODY_MIB=$body_mib benchmarks/preauth-memory.sh\` on $(nproc) cores, $(date -u +%FT%TZ)"
  echo "- host RSS before: $((start_rss / 1024)) MB; peak (VmHWM): $((peak_rss / 1024)) MB; after: $((end_rss / 1024)) MB"
  echo "- attack answers (count×status): $answers"
  echo "- during the attack: GET /healthz → ${health% *} in ${health#* } s; signed upload from another client → $upload s"
  echo "- host still running: $alive"
} | tee "$out"
