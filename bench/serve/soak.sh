#!/usr/bin/env bash
# Soak: 32 concurrent streaming clients, 30% of them hanging up mid-stream, against stories260K; then checks that
# no KV block is left in use, counts 5xx answers, and prints the heap after each full GC from the server's GC log.
# Usage: bench/serve/soak.sh [NUM_PROMPTS] [OUTDIR]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
n=${1:-1500}
out=${2:-$root/target/serve-soak}
mkdir -p "$out"
data=/work/shared/data/stories260K
port=18124
TARKA_JAVA_OPTS="-Xlog:gc:file=$out/gc.log" "$root/tarka" serve --model "$data/stories260K.bin" \
  --tokenizer "$data/tok512.bin" --port $port --kv-cache-memory 64M >"$out/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 1; done
"$root/tarka" bench serve --base-url "http://127.0.0.1:$port" --num-prompts "$n" --max-concurrency 32 --input-len 32 \
  --output-len 64 --vocab 512 --disconnect-fraction 0.3 --json "$out/soak.json" | tee "$out/soak.txt" || true
sleep 1
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^tarka:(kv_cache_used_blocks|kv_cache_usage_perc|num_requests_running|num_requests_waiting|request_success_total)' | tee "$out/metrics-after.txt"
jcmd=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jcmd
"$jcmd" "$(pgrep -f "serve --model $data/stories260K.bin" | head -1)" GC.run >/dev/null 2>&1 || true
sleep 1
grep -E 'Pause (Full|Young)' "$out/gc.log" | sed -E 's/.*-> *([0-9]+M)\(.*/\1/' > "$out/heap-after-gc.txt" || true
echo "heap after GC: first $(head -1 "$out/heap-after-gc.txt"), last $(tail -1 "$out/heap-after-gc.txt"), $(wc -l < "$out/heap-after-gc.txt") GCs"
grep -E 'Pause Full' "$out/gc.log" | tail -3 || true
