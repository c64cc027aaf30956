#!/usr/bin/env bash
# Cold starts of the packaged hosts, measured locally on the zips tools/package.sh wrote (artifacts/lambda/<host>.zip):
# each zip is unzipped into a temporary folder and its `bootstrap` is started the way Lambda starts it (env -i, the
# Terraform environment of functions.tf, LAMBDA_TASK_ROOT), once per run, so every run is a cold process.
#   healthz: process start -> first HTTP 200 on GET /healthz (every host). Each host reads its SSM parameters at start
#            (as on Lambda), answered by a stub of GetParametersByPath holding the signing secret; every other AWS
#            endpoint is a closed local port: answering /healthz needs nothing else. Also the resident memory and the CPU time
#            the process had used by then (user + system, all threads: what a one-vCPU Lambda needs at least, and much
#            less sensitive to a busy machine than the wall time).
#   ack:     process start -> a signed Slack event_callback (message/file_share with one image) answered 200 on
#            POST /slack/events (bot only): signature check, event dedupe and file claim in DynamoDB, the scan
#            enqueued on SQS, all on a cold process. DynamoDB and SQS are the emulators the AWS tests use (dynalite,
#            local-aws-sqs from artifacts/aws-emulators, which `dotnet test tests/CatWrangler.Aws.Tests` installs).
# Prints min, median, p95 and max per host and measurement. The environment is passed to the hosts only through the
# names below (env -i), so the results do not depend on the caller's shell.
#
# usage: tools/measure-cold-start.sh [--runs N] [--hosts "bot webhooks processor"] [--lambda-dir DIR] [--measures "healthz ack"]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

runs=11
hosts="bot webhooks processor"
lambda_dir=$root/artifacts/lambda
measures_wanted="healthz ack"
while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --hosts) hosts=$2; shift 2 ;;
    --lambda-dir) lambda_dir=$2; shift 2 ;;
    --measures) measures_wanted=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "measure-cold-start: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

command -v unzip >/dev/null || { echo "measure-cold-start: 'unzip' is required" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# request PORT TEXT: sends TEXT on a new connection (bash /dev/tcp: no process spawned per poll) and prints the status
# line; fails while nothing listens.
request() {
  local line
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf '%s' "$2" >&3
  IFS= read -r -t 10 line <&3 || true
  exec 3>&- 3<&-
  printf '%s' "$line"
}

now_ns() { date +%s%N; }

# stats VALUES...: min median p95 max (p95: the nearest-rank value).
stats() {
  local sorted n
  sorted=($(printf '%s\n' "$@" | sort -n))
  n=${#sorted[@]}
  echo "${sorted[0]} ${sorted[$((n / 2))]} ${sorted[$(( (n * 95 + 99) / 100 - 1 ))]} ${sorted[$((n - 1))]}"
}

# The Lambda environment (functions.tf: adapter_environment + platform_environment + the function's own).
lambda_env() {
  local host=$1 dir=$2 port=$3
  echo "PATH=/usr/local/bin:/usr/bin:/bin" "LAMBDA_TASK_ROOT=$dir" "HOME=$dir" \
    "AWS_LWA_PORT=$port" "ASPNETCORE_URLS=http://127.0.0.1:$port" "AWS_LWA_READINESS_CHECK_PATH=/healthz" \
    "CatWrangler__Platform=aws" "CatWrangler__Retention=30.00:00:00" "CatWrangler__Detector__Kind=onnx" \
    "CatWrangler__Aws__BucketName=coldstart" "CatWrangler__Aws__TableName=coldstart" \
    "CatWrangler__Aws__QueueUrl=${queue_url:-http://127.0.0.1:9/000000000000/coldstart}" \
    "CatWrangler__Aws__ParameterPrefix=/coldstart" \
    "AWS_REGION=eu-west-1" "AWS_ACCESS_KEY_ID=coldstart" "AWS_SECRET_ACCESS_KEY=coldstart" \
    "AWS_ENDPOINT_URL=http://127.0.0.1:9" \
    "AWS_ENDPOINT_URL_DYNAMODB=${dynamo_url:-http://127.0.0.1:9}" "AWS_ENDPOINT_URL_SQS=${sqs_url:-http://127.0.0.1:9}" \
    "AWS_ENDPOINT_URL_SSM=$ssm_url" "CatWrangler__Aws__ParameterPaths__0=CatWrangler/Slack" "DOTNET_gcServer=0"
  if [[ $host == processor ]]; then
    echo "CatWrangler__Detector__ModelDirectory=$dir/models" "AWS_LWA_PASS_THROUGH_PATH=/events"
  fi
}

signing_secret=cold-start-signing-secret

# No SSM emulator exists here: a stub answers GetParametersByPath with the parameter Terraform's secrets.tf declares.
start_ssm_stub() {
  local port deadline
  port=$(free_port)
  SECRET=$signing_secret node -e '
    require("http").createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.setHeader("Content-Type", "application/x-amz-json-1.1");
        res.end(req.headers["x-amz-target"] === "AmazonSSM.GetParametersByPath"
          ? JSON.stringify({ Parameters: [{ Name: "/coldstart/CatWrangler/Slack/SigningSecret", Type: "SecureString", Value: process.env.SECRET }] })
          : JSON.stringify({ Parameters: [] }));
      });
    }).listen(Number(process.argv[1]), "127.0.0.1");' "$port" >"$work/ssm.log" 2>&1 &
  pids+=($!)
  ssm_url=http://127.0.0.1:$port
  deadline=$(( $(now_ns) + 30000000000 ))
  until curl -s -o /dev/null -X POST "$ssm_url/"; do
    (( $(now_ns) < deadline )) || { echo "measure-cold-start: SSM stub not up within 30 s" >&2; exit 1; }
    sleep 0.05
  done
}

start_emulators() {
  local home=$root/artifacts/aws-emulators dynamo_port sqs_port deadline
  if [[ ! -d $home/node_modules/dynalite || ! -f $home/sqs-shim.js ]]; then
    echo "measure-cold-start: $home is not installed (run 'dotnet test tests/CatWrangler.Aws.Tests' once, or pass --measures healthz)" >&2
    exit 1
  fi
  dynamo_port=$(free_port)
  sqs_port=$(free_port)
  node "$home/node_modules/dynalite/cli.js" --host 127.0.0.1 --port "$dynamo_port" --createTableMs 0 >"$work/dynalite.log" 2>&1 &
  pids+=($!)
  (cd "$home" && exec node sqs-shim.js "$sqs_port") >"$work/sqs.log" 2>&1 &
  pids+=($!)
  dynamo_url=http://127.0.0.1:$dynamo_port
  sqs_url=http://127.0.0.1:$sqs_port
  deadline=$(( $(now_ns) + 30000000000 ))
  until curl -sf -o /dev/null -X POST "$sqs_url/" -H 'X-Amz-Target: AmazonSQS.ListQueues' -H 'Content-Type: application/x-amz-json-1.0' -d '{}' \
      && curl -s -o /dev/null "$dynamo_url/"; do
    (( $(now_ns) < deadline )) || { echo "measure-cold-start: emulators not up within 30 s" >&2; exit 1; }
    sleep 0.05
  done
  # The scans table as table.tf declares it (dynalite checks that a signature is present, not that it is valid).
  curl -sf -o /dev/null -X POST "$dynamo_url/" -H 'X-Amz-Target: DynamoDB_20120810.CreateTable' \
    -H 'Content-Type: application/x-amz-json-1.0' -H 'X-Amz-Date: 20260101T000000Z' \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=coldstart/20260101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00' \
    -d '{"TableName":"coldstart","BillingMode":"PAY_PER_REQUEST",
         "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"},
                                 {"AttributeName":"gsi1pk","AttributeType":"S"},{"AttributeName":"gsi1sk","AttributeType":"S"}],
         "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
         "GlobalSecondaryIndexes":[{"IndexName":"gsi1","Projection":{"ProjectionType":"ALL"},
           "KeySchema":[{"AttributeName":"gsi1pk","KeyType":"HASH"},{"AttributeName":"gsi1sk","KeyType":"RANGE"}]}]}' \
    || { echo "measure-cold-start: could not create the DynamoDB table" >&2; exit 1; }
  queue_url=$(curl -sf -X POST "$sqs_url/" -H 'X-Amz-Target: AmazonSQS.CreateQueue' -H 'Content-Type: application/x-amz-json-1.0' \
    -d '{"QueueName":"coldstart"}' | sed -E 's/.*"QueueUrl":"([^"]+)".*/\1/')
  [[ $queue_url == http* ]] || { echo "measure-cold-start: could not create the SQS queue" >&2; exit 1; }
}

# signed_event N: the raw HTTP request of a signed message/file_share event (ids unique per run: no dedupe hit).
signed_event() {
  local body ts sig
  body="{\"type\":\"event_callback\",\"team_id\":\"T0COLD\",\"event_id\":\"Ev$1$RANDOM\",\"event\":{\"type\":\"message\",\"subtype\":\"file_share\",\"channel\":\"C0COLD\",\"user\":\"U0COLD\",\"ts\":\"1764662400.00$1\",\"files\":[{\"id\":\"F$1$RANDOM\",\"name\":\"cat.jpg\",\"mimetype\":\"image/jpeg\",\"size\":48213}]}}"
  ts=$(date +%s)
  sig=$(printf 'v0:%s:%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$signing_secret" -r | cut -d' ' -f1)
  printf 'POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Slack-Request-Timestamp: %s\r\nX-Slack-Signature: v0=%s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "$ts" "$sig" "${#body}" "$body"
}

healthz_request=$'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'
ticks=$(getconf CLK_TCK)

# cold_run HOST DIR REQUEST: starts the host, sends REQUEST as soon as it listens, and prints "wall_ms cpu_ms rss_mb"
# once it answers 200.
cold_run() {
  local host=$1 dir=$2 text=$3 port start deadline pid status end cpu rss
  port=$(free_port)
  start=$(now_ns)
  # shellcheck disable=SC2046 # one word per variable
  env -i $(lambda_env "$host" "$dir" "$port") "$dir/bootstrap" >"$work/$host.log" 2>&1 &
  pid=$!
  deadline=$((start + 60000000000))
  while :; do
    status=$(request "$port" "$text") && break
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "measure-cold-start: $host exited before answering:" >&2
      tail -n 20 "$work/$host.log" >&2
      exit 1
    fi
    (( $(now_ns) < deadline )) || { kill "$pid"; echo "measure-cold-start: $host not listening within 60 s" >&2; exit 1; }
    sleep 0.002
  done
  end=$(now_ns)
  if [[ $status != *" 200 "* ]]; then
    kill "$pid"
    echo "measure-cold-start: $host answered '$status' instead of 200:" >&2
    grep -A 12 -m 1 '^fail' "$work/$host.log" >&2 || tail -n 20 "$work/$host.log" >&2
    exit 1
  fi
  rss=$(awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status")
  # Fields 14 and 15 of /proc/PID/stat (after the parenthesised name): utime and stime in clock ticks.
  cpu=$(sed 's/.*) //' "/proc/$pid/stat" | awk -v t="$ticks" '{ print int(($12 + $13) * 1000 / t) }')
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  echo "$(( (end - start) / 1000000 )) $cpu $rss"
}

start_ssm_stub
[[ " $measures_wanted " != *" ack "* || " $hosts " != *" bot "* ]] || start_emulators

printf '%-9s %-8s %4s %7s %9s %7s %7s %13s %7s\n' host measure runs min_ms median_ms p95_ms max_ms median_cpu_ms rss_mb
for host in $hosts; do
  zip=$lambda_dir/$host.zip
  [[ -f $zip ]] || { echo "measure-cold-start: $zip not found: run tools/package.sh first" >&2; exit 1; }
  dir=$work/$host
  mkdir -p "$dir"
  unzip -q "$zip" -d "$dir"
  measures=""
  [[ " $measures_wanted " != *" healthz "* ]] || measures=healthz
  [[ " $measures_wanted " != *" ack "* || $host != bot ]] || measures="$measures ack"
  for measure in $measures; do
    walls=() cpus=() rss=0
    for ((i = 0; i < runs; i++)); do
      if [[ $measure == healthz ]]; then text=$healthz_request; else text=$(signed_event "$i"); fi
      read -r wall cpu rss < <(cold_run "$host" "$dir" "$text")
      walls+=("$wall")
      cpus+=("$cpu")
    done
    read -r min median p95 max < <(stats "${walls[@]}")
    read -r _ cpu_median _ _ < <(stats "${cpus[@]}")
    printf '%-9s %-8s %4d %7d %9d %7d %7d %13d %7d\n' "$host" "$measure" "$runs" "$min" "$median" "$p95" "$max" "$cpu_median" "$rss"
  done
done
