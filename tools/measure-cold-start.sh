#!/usr/bin/env bash
# Cold start of each packaged host, measured locally: process start -> first HTTP 200 on /healthz, plus the resident
# memory at that moment. Runs the publish output of tools/package.sh (artifacts/publish/<host>) with the embedded
# platform (CatWrangler:Platform=local) on 127.0.0.1, since there are no AWS services here.
#
# usage: tools/measure-cold-start.sh [--runs N] [--hosts "bot webhooks processor"] [--publish-root DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

runs=5
hosts="bot webhooks processor"
publish_root=$root/artifacts/publish
while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --hosts) hosts=$2; shift 2 ;;
    --publish-root) publish_root=$2; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "measure-cold-start: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

assembly_of() {
  case $1 in
    bot) echo CatWrangler.Bot ;;
    webhooks) echo CatWrangler.Webhooks ;;
    processor) echo CatWrangler.Processor ;;
    *) echo "measure-cold-start: unknown host '$1'" >&2; exit 2 ;;
  esac
}

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# healthz PORT: true when GET /healthz answers 200 (bash /dev/tcp: no process spawned per poll).
healthz() {
  local line
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
  IFS= read -r -t 2 line <&3 || true
  exec 3>&- 3<&-
  [[ $line == *" 200 "* ]]
}

data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

printf '%-10s %6s %8s %8s %8s %9s\n' host runs min_ms median_ms max_ms rss_mb
for host in $hosts; do
  assembly=$(assembly_of "$host")
  exe=$publish_root/$host/$assembly
  [[ -x $exe ]] || { echo "measure-cold-start: $exe not found: run tools/package.sh first" >&2; exit 1; }
  times=()
  rss=0
  for ((i = 0; i < runs; i++)); do
    port=$(free_port)
    start=$(date +%s%N)
    ASPNETCORE_URLS=http://127.0.0.1:$port CatWrangler__Platform=local CatWrangler__DataPath=$data/$host-$i \
      CatWrangler__Detector__ModelDirectory=$publish_root/processor/models DOTNET_gcServer=0 \
      "$exe" >"$data/$host-$i.log" 2>&1 &
    pid=$!
    deadline=$((start + 60000000000))
    until healthz "$port"; do
      if ! kill -0 "$pid" 2>/dev/null; then
        echo "measure-cold-start: $host exited before /healthz answered 200:" >&2
        tail -n 20 "$data/$host-$i.log" >&2
        exit 1
      fi
      (( $(date +%s%N) < deadline )) || { kill "$pid"; echo "measure-cold-start: $host not ready within 60 s" >&2; exit 1; }
      sleep 0.002
    done
    end=$(date +%s%N)
    rss=$(awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    times+=($(( (end - start) / 1000000 )))
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  printf '%-10s %6d %8d %8d %8d %9d\n' "$host" "$runs" "${sorted[0]}" "${sorted[$((runs / 2))]}" "${sorted[$((runs - 1))]}" "$rss"
done
