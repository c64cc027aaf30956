#!/usr/bin/env bash
# Builds the three Lambda packages for provided.al2023 (x86_64) under artifacts/lambda/:
#   bot.zip, webhooks.zip, processor.zip, each with the ONNX model under models/.
# Each zip holds a self-contained ReadyToRun linux-x64 publish and an executable `bootstrap` that starts the host;
# the AWS Lambda Web Adapter layer (infra-terraform) turns invocations into HTTP requests.
#
# Every zip carries the model: each host resolves the detector at start-up (CatWrangler.Hosting registers it for all).
#
# usage: tools/package.sh [--hosts "bot webhooks processor"] [--model-dir DIR] [--no-model] [--output DIR]
#   --model-dir  folder holding centernet.onnx (default: $CATWRANGLER_MODEL_DIR, else artifacts/models, the
#                converter's cache; provisioned once with `dotnet run --project cli/CatWrangler.Cli -- scan FILE`)
#   --no-model   packages without the model (Rekognition deployments: detector_kind = "rekognition")
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

hosts="bot webhooks processor"
model_dir=${CATWRANGLER_MODEL_DIR:-$root/artifacts/models}
with_model=1
output=$root/artifacts/lambda

while [[ $# -gt 0 ]]; do
  case $1 in
    --hosts) hosts=$2; shift 2 ;;
    --model-dir) model_dir=$2; shift 2 ;;
    --no-model) with_model=0; shift ;;
    --output) output=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
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

if [[ $with_model == 1 && ! -f $model_dir/centernet.onnx ]]; then
  echo "package: $model_dir/centernet.onnx not found. Provision the model first (dotnet run --project cli/CatWrangler.Cli -- scan <any.jpg>)," >&2
  echo "         point --model-dir at it, or pass --no-model for a Rekognition deployment." >&2
  exit 1
fi

command -v zip >/dev/null || { echo "package: 'zip' is required (apt-get install zip)" >&2; exit 1; }

mkdir -p "$output"
for host in $hosts; do
  project=$(project_of "$host")
  publish=$root/artifacts/publish/$host
  rm -rf "$publish"
  echo "== $host: dotnet publish ($project)"
  start=$(date +%s)
  # Self-contained: provided.al2023 has no .NET. ReadyToRun: less JIT at cold start.
  # InvariantGlobalization: the Lambda OS image carries no ICU.
  dotnet publish "$project" -c Release -r linux-x64 --self-contained true -o "$publish" --nologo -v quiet \
    -p:PublishReadyToRun=true -p:InvariantGlobalization=true -p:DebugType=none -p:DebugSymbols=false \
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

  mkdir -p "$publish/models"
  if [[ $with_model == 1 ]]; then
    cp "$model_dir"/centernet.onnx "$publish/models/"
  else
    echo "Packaged with --no-model: deploy with detector_kind = \"rekognition\"." > "$publish/models/NO-MODEL.txt"
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
