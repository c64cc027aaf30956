#!/usr/bin/env bash
# Cold start of each packaged host, measured locally: process start -> first HTTP 200 on /healthz, plus the resident
# memory and the CPU time the process had used by then (user + system, all threads: what a one-vCPU Lambda would need
# at least, and much less sensitive to a busy machine than the wall time). Runs the publish output of tools/package.sh (artifacts/publish/<host>) on 127.0.0.1 with the
# Lambda configuration (CatWrangler:Platform=aws, model in models/); the AWS endpoints point at a closed local port,
# since starting a host and answering /healthz must not need AWS. --platform local uses the embedded adapters instead.
# The environment is passed through, e.g. DOTNET_ReadyToRun=0 to measure the same build with the JIT only.
#
# usage: tools/measure-cold-start.sh [--runs N] [--hosts "bot webhooks processor"] [--publish-root DIR] [--platform aws|local]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

runs=5
hosts="bot webhooks processor"
publish_root=$root/artifacts/publish
platform=aws
while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --hosts) hosts=$2; shift 2 ;;
    --publish-root) publish_root=$2; shift 2 ;;
    --platform) platform=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
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

export CatWrangler__Platform=$platform
if [[ $platform == aws ]]; then
  # Names as Terraform sets them; nothing listens on port 9, so any AWS call at start-up would fail loudly.
  export CatWrangler__Aws__BucketName=coldstart CatWrangler__Aws__TableName=coldstart \
    CatWrangler__Aws__QueueUrl=http://127.0.0.1:9/000000000000/coldstart CatWrangler__Aws__ParameterPrefix=/coldstart \
    AWS_REGION=eu-west-1 AWS_ACCESS_KEY_ID=coldstart AWS_SECRET_ACCESS_KEY=coldstart AWS_ENDPOINT_URL=http://127.0.0.1:9
fi

ticks=$(getconf CLK_TCK)
printf '%-10s %5s %7s %10s %7s %14s %7s\n' host runs min_ms median_ms max_ms median_cpu_ms rss_mb
for host in $hosts; do
  assembly=$(assembly_of "$host")
  exe=$publish_root/$host/$assembly
  [[ -x $exe ]] || { echo "measure-cold-start: $exe not found: run tools/package.sh first" >&2; exit 1; }
  times=()
  cpus=()
  rss=0
  for ((i = 0; i < runs; i++)); do
    port=$(free_port)
    start=$(date +%s%N)
    ASPNETCORE_URLS=http://127.0.0.1:$port CatWrangler__DataPath=$data/$host-$i \
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
    # Fields 14 and 15 of /proc/PID/stat (after the parenthesised name): utime and stime in clock ticks.
    cpus+=($(sed 's/.*) //' "/proc/$pid/stat" | awk -v t="$ticks" '{ print int(($12 + $13) * 1000 / t) }'))
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    times+=($(( (end - start) / 1000000 )))
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  cpu_sorted=($(printf '%s\n' "${cpus[@]}" | sort -n))
  printf '%-10s %5d %7d %10d %7d %14d %7d\n' "$host" "$runs" "${sorted[0]}" "${sorted[$((runs / 2))]}" "${sorted[$((runs - 1))]}" "${cpu_sorted[$((runs / 2))]}" "$rss"
done
