#!/usr/bin/env bash
# Callback isolation (docs/results/callback-isolation.md, issue 9 item 7): does one client's slow callback receiver delay
# another client's scan? Starts `catscan serve` (Release, temp data folder) with clients `slowcb` and `other` and
# AllowPrivateNetworks=true, and a receiver on loopback (benchmarks/slow-receiver.py) that holds every callback HOLD s.
#  1. reference: after one warm-up scan, `other` submits SAMPLES scans one at a time (`catscan submit --wait`) on the idle server;
#  2. `slowcb` submits 20 scans with the slow receiver as callback_url and waits until they are done and deliveries are
#     held open by the receiver;
#  3. `other` submits SAMPLES scans again while those deliveries are in flight.
# Each scan's delay is the server's completedAt − receivedAt (202 → done); the client's wall time (CLI start-up included)
# is shown beside it.
# CB_BENCH_CATSCAN=path/to/catscan.dll measures an existing build instead of building one.
# CB_BENCH_REF=<commit> measures that commit instead of the work tree (built from `git archive` under artifacts/).
# Env: SAMPLES (7), HOLD (15), SLOW_SCANS (20), OUT (docs/results/callback-isolation.md; a run with CB_BENCH_REF writes
# artifacts/cb-isolation/<commit>.md unless OUT is set)
set -euo pipefail
cd "$(dirname "$0")/.."
samples=${SAMPLES:-7}; hold=${HOLD:-15}; slow_scans=${SLOW_SCANS:-20}
art=artifacts/cb-isolation
ref=${CB_BENCH_REF:-}
out=${OUT:-$([[ -n $ref ]] && echo "$art/$ref.md" || echo docs/results/callback-isolation.md)}
mkdir -p "$art" "$(dirname "$out")"
src=.
if [[ -n $ref ]]; then
  src=$art/src-$ref
  if [[ ! -d $src ]]; then mkdir -p "$src" && git archive "$ref" | tar -x -C "$src"; fi
fi
dll=${CB_BENCH_CATSCAN:-}
if [[ -z $dll ]]; then
  bin=$art/catscan-${ref:-worktree}
  dotnet build "$src/cli" -c Release -o "$bin" -v quiet -nologo >/dev/null
  dll=$bin/catscan.dll
fi
catscan=(dotnet "$dll")

eval_images=${CATWRANGLER_EVAL_DIR:-../shared/eval}/images
needed=$((slow_scans + 2 * samples + 1))
mapfile -t jpegs < <(ls "$eval_images"/*.jpg 2>/dev/null | head -$needed)
if ((${#jpegs[@]} < needed)); then echo "needs $needed JPEGs in $eval_images" >&2; exit 2; fi

work=$(mktemp -d)
port=$((20000 + RANDOM % 10000)); receiver_port=$((port + 1))
trap 'kill "$server" "$receiver" 2>/dev/null || true; rm -rf "$work"' EXIT
python3 benchmarks/slow-receiver.py "$receiver_port" "$hold" &
receiver=$!
slow_secret=whsec_$(head -c 24 /dev/urandom | base64)
other_secret=whsec_$(head -c 24 /dev/urandom | base64)
CatWrangler__Clients__slowcb__Secrets__0=$slow_secret CatWrangler__Clients__other__Secrets__0=$other_secret \
  CatWrangler__Callbacks__AllowPrivateNetworks=true Logging__LogLevel__Default=Warning \
  "${catscan[@]}" serve --urls "http://127.0.0.1:$port" --data "$work/data" >"$work/serve.log" 2>&1 &
server=$!
api=http://127.0.0.1:$port
for _ in $(seq 1 240); do curl -sf "$api/healthz" >/dev/null && break; sleep 0.5; done
receiver_stats() { curl -sf "http://127.0.0.1:$receiver_port/stats"; }

# One scan of `other`: prints "<server ms> <client ms> <callbacks held open at submit>".
other_scan() {
  local open start id end
  open=$(receiver_stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["open"])')
  start=$(date +%s%N)
  id=$(CATSCAN_CLIENT=other CATSCAN_SECRET=$other_secret "${catscan[@]}" submit --url "$api" --wait --timeout 900 "$1" \
    | grep -o 'scan [0-9a-f-]*' | cut -d' ' -f2)
  end=$(date +%s%N)
  CATSCAN_CLIENT=other CATSCAN_SECRET=$other_secret "${catscan[@]}" status --url "$api" --json "$id" | python3 -c '
import json, sys
from datetime import datetime
s = json.load(sys.stdin)
t = lambda v: datetime.fromisoformat(v.replace("Z", "+00:00"))
print(round((t(s["completedAt"]) - t(s["receivedAt"])).total_seconds() * 1000), sys.argv[1], sys.argv[2])' \
    $(((end - start) / 1000000)) "$open"
}

other_scan "${jpegs[needed - 1]}" >/dev/null # warm-up (model load, JIT), not counted
for i in $(seq 0 $((samples - 1))); do other_scan "${jpegs[slow_scans + i]}"; done >"$work/idle"

slow_start=$(date +%s)
CATSCAN_CLIENT=slowcb CATSCAN_SECRET=$slow_secret "${catscan[@]}" submit --url "$api" --wait --timeout 900 \
  --callback "http://127.0.0.1:$receiver_port/hook" "${jpegs[@]:0:slow_scans}" >"$work/slow.out"
# Wait for the event (deliveries held open by the receiver), with a deadline.
for _ in $(seq 1 600); do
  [[ $(receiver_stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["open"])') -gt 0 ]] && break; sleep 0.5
done
slow_ready=$(($(date +%s) - slow_start))
for i in $(seq 0 $((samples - 1))); do other_scan "${jpegs[slow_scans + samples + i]}"; done >"$work/loaded"
received=$(receiver_stats)

summary() { # file → "median max" of the server-side ms, then the client-side ms
  python3 - "$1" <<'EOF'
import statistics, sys
rows = [list(map(int, l.split())) for l in open(sys.argv[1]) if l.strip()]
server = [r[0] for r in rows]; client = [r[1] for r in rows]; held = [r[2] for r in rows]
print(f"{int(statistics.median(server))} {max(server)} {int(statistics.median(client))} {max(client)} "
      f"{','.join(map(str, server))} {min(held)}-{max(held)}")
EOF
}
read -r idle_med idle_max idle_cmed idle_cmax idle_all _ < <(summary "$work/idle")
read -r load_med load_max load_cmed load_cmax load_all load_held < <(summary "$work/loaded")
rev=${ref:-$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!docs/results' || echo '+changes')}

{
  echo "## Callback isolation: $slow_scans slow callbacks (held ${hold} s) of one client vs. another client's scans — $rev"
  echo
  echo "- command: \`${ref:+CB_BENCH_REF=$ref }SAMPLES=$samples HOLD=$hold benchmarks/callback-isolation.sh\`, $(date -u +%FT%TZ)"
  echo "- CPU: $(nproc) × $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo); load during the run: $(uptime | sed 's/.*load average/load average/')"
  echo "- \`slowcb\`'s $slow_scans scans done and deliveries held open after ${slow_ready} s; callbacks held open while \`other\` was measured: $load_held; receiver totals at the end: $received"
  echo
  echo "| \`other\`'s scan, $samples samples | median 202 → done (server) | max (server) | median / max wall incl. CLI start-up | every sample (server, ms) |"
  echo "|---|---|---|---|---|"
  echo "| idle server (reference) | $idle_med ms | $idle_max ms | $idle_cmed / $idle_cmax ms | $idle_all |"
  echo "| during \`slowcb\`'s slow callbacks | $load_med ms | $load_max ms | $load_cmed / $load_cmax ms | $load_all |"
  echo "| difference | $((load_med - idle_med)) ms | $((load_max - idle_max)) ms | $((load_cmed - idle_cmed)) / $((load_cmax - idle_cmax)) ms | |"
} | tee "$out"
