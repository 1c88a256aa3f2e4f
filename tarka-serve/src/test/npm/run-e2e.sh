#!/usr/bin/env bash
# Installs the npm packages (openai, playwright-core) and runs both end-to-end scripts against a stories260K server it
# starts on 127.0.0.1 (random free port) and stops at the end. Needs node/npm and, for the page test, /usr/bin/chromium.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../../.." && pwd)
data=${TARKA_DATA:-/work/shared/data}
cd "$here"
npm ci --no-audit --no-fund --silent
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$root/tarka" serve --model "$data/stories260K/stories260K.bin" --tokenizer "$data/stories260K/tok512.bin" --port "$port" \
  --kv-cache-memory 16M >"$here/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 1; done
TARKA_URL="http://127.0.0.1:$port/v1" node stream-chat.mjs
if [ -x /usr/bin/chromium ]; then TARKA_ROOT="http://127.0.0.1:$port" node web-chat.mjs "$here/web-chat.png"; fi
