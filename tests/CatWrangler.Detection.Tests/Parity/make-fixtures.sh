#!/usr/bin/env bash
# Regenerates Parity/fixtures/centernet-letterbox.json from the Node reference (../shared/models/refdet).
# Needs REFDET_HOME prepared by refdet's setup.sh, and the shared eval images.
# usage: REFDET_HOME=/path/to/refdet-work tests/CatWrangler.Detection.Tests/Parity/make-fixtures.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
refdet="${REFDET_DIR:-$repo/../shared/models/refdet}"
eval_dir="${CATWRANGLER_EVAL_DIR:-$repo/../shared/eval}"
: "${REFDET_HOME:?set REFDET_HOME to the folder prepared by refdet setup.sh}"
export REFDET_HOME

# 8-bit PNGs without colour-management chunks (decode identically everywhere): 6 cats, 7 others (one grayscale)
images=(cat_0096 cat_0120 cat_0143 cat_0160 cat_0200 cat_0207
        nocat_0016 nocat_0085 nocat_0096 nocat_0118 nocat_0152 nocat_0192 nocat_0225)
files=()
for i in "${images[@]}"; do files+=("$eval_dir/images/$i.png"); done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
node "$refdet/refdet.mjs" "${files[@]}" --model centernet --prep letterbox --json --dump "$work/dump" > "$work/ref.json"
node "$here/make-fixtures.mjs" "$work/dump" "$work/ref.json" "$here/fixtures/centernet-letterbox.json"
