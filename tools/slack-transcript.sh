#!/usr/bin/env bash
# Prints a real exchange between Slack (a local fake: tools/fake-slack.mjs) and `catscan serve`: a signed
# message/file_share event in, the bot's Web API calls out. Usage: tools/slack-transcript.sh [IMAGE]
set -euo pipefail
cd "$(dirname "$0")/.."
image=${1:-../shared/eval/images/cat_0046.jpg}
slack_port=$((20000 + RANDOM % 10000)); serve_port=$((slack_port + 1))
data=$(mktemp -d); secret=transcript-signing-secret
node tools/fake-slack.mjs "$slack_port" "$image" > "$data/slack.log" &
slack_pid=$!
CatWrangler__Slack__SigningSecret=$secret CatWrangler__Slack__BotToken=xoxb-transcript \
CatWrangler__Slack__ApiBaseUrl=http://127.0.0.1:$slack_port/api/ CatWrangler__Slack__FileHosts__0=127.0.0.1 \
  dotnet run --project cli -- serve --urls "http://127.0.0.1:$serve_port" --data "$data" > "$data/serve.log" 2>&1 &
serve_pid=$!
trap 'kill $slack_pid $serve_pid 2>/dev/null || true; pkill -f "catscan.dll serve --urls http://127.0.0.1:$serve_port" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$serve_port/healthz" >/dev/null && break; sleep 0.5; done
size=$(stat -c %s "$image"); name=$(basename "$image"); ts=$(date +%s)
body=$(sed -e "s#{{file_id}}#F0CAT1#g; s#{{name}}#$name#g; s#{{mimetype}}#image/jpeg#g; s#{{filetype}}#jpg#g; s#{{is_public}}#true#g" \
  -e "s#{{size}}#$size#g; s#{{files}}#http://127.0.0.1:$slack_port#g; s#{{ts}}#1764310000.000100#g; s#{{channel}}#C0CATS#g" \
  -e "s#{{channel_type}}#channel#g; s#{{event_id}}#Ev0TRANSCRIPT#g" tests/CatWrangler.Bot.Tests/Fixtures/event_message_file_share.json | tr -d '\n')
sig="v0=$(printf 'v0:%s:%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)"
echo "-> POST /slack/events  (message/file_share: $name, X-Slack-Signature $sig)"
curl -s -o /dev/null -w '   %{http_code} in %{time_total}s\n' -H "X-Slack-Request-Timestamp: $ts" -H "X-Slack-Signature: $sig" \
  -H 'Content-Type: application/json' --data-binary "$body" "http://127.0.0.1:$serve_port/slack/events"
for _ in $(seq 1 120); do grep -q "chat.postMessage\|files.completeUploadExternal" "$data/slack.log" && grep -q reactions.add.*name=cat\\\|reactions.add.*\"name\":\"cat\\\|x\" "$data/slack.log" && break; sleep 0.5; done
sleep 1
cat "$data/slack.log"
