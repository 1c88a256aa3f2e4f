#!/usr/bin/env bash
# Soak: 32 concurrent streaming clients, 30% of them hanging up mid-stream, against stories260K for a fixed time
# (default 600 s). Checks at the end: 5xx answers (summed over every round), KV blocks still in use (must be 0),
# and the live heap after a full GC at the start (after warm-up), after every round of 500 requests and at the end
# (flat: within 10%).
# Usage: bench/serve/soak.sh [SECONDS] [OUTDIR]    (the server binds 127.0.0.1 and is stopped at the end)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
seconds=${1:-600}
out=${2:-$root/target/serve-soak}
rm -rf "$out" && mkdir -p "$out"
data=${TARKA_SHARED_DATA:-$root/../shared/data}/stories260K
port=18124
jcmd=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jcmd
TARKA_JAVA_OPTS="-Xlog:gc:file=$out/gc.log" "$root/tarka" serve --model "$data/stories260K.bin" \
  --tokenizer "$data/tok512.bin" --port $port --kv-cache-memory 64M >"$out/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 1; done
jvm=$(pgrep -f "serve --model $data/stories260K.bin" | grep -v "^$$\$" | tail -1)
round() { # $1 = prompts, $2 = json file
  "$root/tarka" bench serve --base-url "http://127.0.0.1:$port" --num-prompts "$1" --max-concurrency 32 --input-len 32 \
    --output-len 64 --vocab 512 --disconnect-fraction 0.3 --seed "$3" --json "$2"
}
# live heap in KiB after a full GC: "used" of GC.heap_info right after GC.run
liveHeap() { "$jcmd" "$jvm" GC.run >/dev/null; "$jcmd" "$jvm" GC.heap_info | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+'; }
round 200 "$out/warmup.json" 0 >/dev/null
start=$(liveHeap)
echo "live heap after warm-up and full GC: ${start} KiB" | tee "$out/summary.txt"
end_at=$(( $(date +%s) + seconds )); r=0
while [ "$(date +%s)" -lt "$end_at" ]; do
  r=$((r + 1))
  round 500 "$out/round-$r.json" "$r" > "$out/round-$r.txt" || true
  heap=$(liveHeap); echo "$heap" >> "$out/live-heap.txt"
  grep -E '^(completed|failed|server errors)' "$out/round-$r.txt" | tr -s ' ' | paste -sd' ' | sed "s/^/round $r: /;s/\$/ live heap ${heap} KiB/" | tee -a "$out/summary.txt"
done
sleep 1
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^tarka:(kv_cache_used_blocks|kv_cache_usage_perc|num_requests_running|num_requests_waiting)' | tee "$out/metrics-after.txt"
finish=$(liveHeap)
total5xx=$(grep -hE '^server errors' "$out"/round-*.txt | awk '{s+=$NF} END {print s+0}')
completed=$(grep -hE '^completed' "$out"/round-*.txt | awk '{s+=$NF} END {print s+0}')
echo "rounds $r, completed $completed, 5xx $total5xx; live heap after full GC: start ${start} KiB, end ${finish} KiB ($(awk -v a="$start" -v b="$finish" 'BEGIN{printf "%+.1f%%", (b-a)*100/a}')), over the rounds min $(sort -n "$out/live-heap.txt" | head -1) max $(sort -n "$out/live-heap.txt" | tail -1) KiB" | tee -a "$out/summary.txt"
