#!/usr/bin/env bash
# Builds the three Lambda packages for provided.al2023 (x86_64) under artifacts/lambda/:
#   bot.zip, webhooks.zip, processor.zip; the processor's with the ONNX model under models/.
# Each zip holds an executable `bootstrap` that starts the host, and the host: the bot as one Native AOT binary (it must
# ack Slack within 3 s from a cold start), webhooks and processor as self-contained ReadyToRun linux-x64 publishes.
# The AWS Lambda Web Adapter layer (infra-terraform) turns invocations into HTTP requests.
# Only the processor classifies (ProcessorModule registers the detector), so only its zip carries the model; on Lambda
# the model folder is read-only, so the provisioner's cache (.onnx + .manifest.json) must be complete as shipped.
#
# usage: tools/package.sh [--hosts "bot webhooks processor"] [--model-dir DIR] [--no-model] [--output DIR]
#   --model-dir  the model cache (default: $CatWrangler__Detector__ModelDirectory, else the provisioner's default
#                ${XDG_CACHE_HOME:-~/.cache}/catwrangler/models); `catscan scan` provisions or refreshes it first
#   --no-model   packages without the model (Rekognition deployments: detector_kind = "rekognition")
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

hosts="bot webhooks processor"
model_dir=${CatWrangler__Detector__ModelDirectory:-${XDG_CACHE_HOME:-$HOME/.cache}/catwrangler/models}
with_model=1
output=$root/artifacts/lambda

while [[ $# -gt 0 ]]; do
  case $1 in
    --hosts) hosts=$2; shift 2 ;;
    --model-dir) model_dir=$2; shift 2 ;;
    --no-model) with_model=0; shift ;;
    --output) output=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "package: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

project_of() {
  case $1 in
    bot) echo bot/CatWrangler.Bot/CatWrangler.Bot.csproj ;;
    webhooks) echo webhooks/CatWrangler.Webhooks/CatWrangler.Webhooks.csproj ;;
    processor) echo processor/CatWrangler.Processor/CatWrangler.Processor.csproj ;;
    *) echo "package: unknown host '$1' (bot, webhooks, processor)" >&2; exit 2 ;;
  esac
}

# 1 when the host's project publishes as Native AOT (PublishAot in its .csproj).
aot_of() {
  grep -q '<PublishAot>true</PublishAot>' "$(project_of "$1")" && echo 1 || echo 0
}

# The provisioner's cache: <version>.onnx plus <version>.manifest.json, which records the converter revision and
# hashes. On Lambda the cache must pass that check as shipped (no npm, read-only folder), so let this commit's code
# check it first: one `catscan scan` builds the model when it is missing or stale and is quick when it is current.
model=""
[[ " $hosts " == *" processor "* ]] || with_model=0
if [[ $with_model == 1 ]]; then
  echo "== model: checking the cache in $model_dir with catscan scan (builds it on first use: npm pack + conversion)"
  probe=$(mktemp --suffix=.png)
  # A 96x96 grey PNG: any valid image makes catscan resolve (and so provision) the detector.
  base64 -d > "$probe" <<'PNG'
iVBORw0KGgoAAAANSUhEUgAAAGAAAABgCAIAAABt+uBvAAAAiUlEQVR42u3QMQEAAAwCIKMb3QY7d0EEUk5RIEiQIEGCBAkShCBBggQJEiRIEIIECRIkSJAgQQgSJEiQIEGCBAlCkCBBggQJEiQIQYIECRIkSJAgBAkSJEiQIEGCBCFIkCBBggQJEoQgQYIECRIkSBCCBAkSJEiQIEGCECRIkCBBggQJQpAgQX8G6kUDKwDVzEEAAAAASUVORK5CYII=
PNG
  if ! CatWrangler__Detector__ModelDirectory=$model_dir dotnet run --project cli -c Release -- scan "$probe" >/dev/null; then
    rm -f "$probe"
    echo "package: catscan could not provision the model into $model_dir (see above); pass --no-model for a Rekognition deployment." >&2
    exit 1
  fi
  rm -f "$probe"
  # The most recently written manifest belongs to the model this code uses.
  manifest=$(ls -t "$model_dir"/*.manifest.json 2>/dev/null | head -n1 || true)
  model=${manifest%.manifest.json}.onnx
  if [[ -z $manifest || ! -f $model ]]; then
    echo "package: no <version>.onnx + <version>.manifest.json in $model_dir after provisioning." >&2
    exit 1
  fi
  echo "   $model"
fi

command -v zip >/dev/null || { echo "package: 'zip' is required (apt-get install zip)" >&2; exit 1; }

mkdir -p "$output"
for host in $hosts; do
  project=$(project_of "$host")
  publish=$root/artifacts/publish/$host
  rm -rf "$publish"
  echo "== $host: dotnet publish ($project)"
  start=$(date +%s)
  # Self-contained: provided.al2023 has no .NET. InvariantGlobalization: the Lambda OS image carries no ICU.
  # The bot's project sets PublishAot (native code, no JIT: a cold start in tens of ms); the others are ReadyToRun (less
  # JIT at cold start) until their code is AOT-clean (docs/aws-deploy.md, "Cold start").
  if [[ $(aot_of "$host") == 1 ]]; then
    compile=(-p:StripSymbols=true)
  else
    compile=(-p:PublishReadyToRun=true)
  fi
  dotnet publish "$project" -c Release -r linux-x64 --self-contained true -o "$publish" --nologo -v quiet \
    "${compile[@]}" -p:InvariantGlobalization=true -p:DebugType=none -p:DebugSymbols=false \
    -p:SatelliteResourceLanguages=en -p:GenerateDocumentationFile=false
  echo "   published in $(( $(date +%s) - start )) s"

  assembly=$(basename "$project" .csproj)
  [[ -x $publish/$assembly ]] || { echo "package: $publish/$assembly missing after publish" >&2; exit 1; }
  cat > "$publish/bootstrap" <<BOOT
#!/bin/sh
# Lambda (provided.al2023) runs this; the Web Adapter extension forwards each invocation to the port it listens on.
cd "\${LAMBDA_TASK_ROOT:-\$(dirname "\$0")}"
exec ./$assembly "\$@"
BOOT
  chmod 755 "$publish/bootstrap" "$publish/$assembly"
  # LTTng tracing provider: needs liblttng-ust, which the Lambda image lacks; the runtime runs fine without it.
  rm -f "$publish/libcoreclrtraceptprovider.so"

  if [[ $host == processor ]]; then
    mkdir -p "$publish/models"
    if [[ $with_model == 1 ]]; then
      cp "$model" "${model%.onnx}.manifest.json" "$publish/models/"
    else
      echo "Packaged with --no-model: deploy with detector_kind = \"rekognition\"." > "$publish/models/NO-MODEL.txt"
    fi
  fi

  rm -f "$output/$host.zip"
  (cd "$publish" && zip -q -r -X -9 "$output/$host.zip" .)
  unzipped=$(du -sm "$publish" | cut -f1)
  zipped=$(( $(stat -c %s "$output/$host.zip") / 1024 / 1024 ))
  echo "   $output/$host.zip: ${zipped} MB zipped, ${unzipped} MB unzipped (Lambda limit: 250 MB unzipped incl. layers)"
  if (( unzipped > 240 )); then
    echo "package: $host is too large for Lambda ($unzipped MB unzipped)" >&2
    exit 1
  fi
done

# Amazon Linux 2023 has glibc 2.34: fail here, not at the first cold start.
"$root/tools/check-glibc.sh" $(for host in $hosts; do echo "$root/artifacts/publish/$host"; done)
