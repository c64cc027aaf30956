#!/usr/bin/env bash
# Load test of the scan API accept path (docs/results/load.md): builds `catscan` and the load driver in Release,
# starts the server on a temp data folder and drives 32 signed clients posting 100–300 KB JPEGs over 127.0.0.1.
# LOAD_SERVER=serve (default) runs `catscan serve`; LOAD_SERVER=module runs the webhooks module alone on the local adapters.
# Usage: benchmarks/load.sh [--duration 30] [--clients 32] [--env KEY=VALUE ...]
set -euo pipefail
cd "$(dirname "$0")/.."
server=()
if [[ "${LOAD_SERVER:-serve}" == serve ]]; then
  dotnet build cli -c Release -o artifacts/load/catscan -v quiet -nologo
  server=(--serve artifacts/load/catscan/catscan.dll)
fi
dotnet build benchmarks/CatWrangler.LoadTest -c Release -o artifacts/load/driver -v quiet -nologo
images=${CATWRANGLER_EVAL_DIR:-../shared/eval}/images
exec dotnet artifacts/load/driver/CatWrangler.LoadTest.dll "${server[@]}" --images "$images" --out artifacts/load/last-run.md "$@"
